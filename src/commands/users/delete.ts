import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {planDeletion, type ScramPlanRow, scramMechanism} from '../../domain/scram.js'
import {KadmError} from '../../errors.js'
import {renderCredentials} from '../../render/users.js'

export default class UsersDelete extends ClusterCommand {
  static summary = "Delete users' SCRAM credentials (every mechanism, or the ones named), after confirmation."
  static description = `Prints the credentials it would delete; on a terminal it asks, elsewhere it needs --yes. The user can no longer log in with the deleted mechanisms; its ACLs and quotas stay. Users without SCRAM credentials are an error unless --if-exists. Returns once every broker shows the change (a broker that does not answer: exit 4). Needs ALTER on the cluster.`
  static strict = false
  static args = {user: Args.string({description: 'User name(s).', required: true, ignoreStdin: true})}
  static examples = [
    {description: 'Delete alice (asks first)', command: '<%= config.bin %> <%= command.id %> alice'},
    {description: 'Only the SCRAM-SHA-256 credential, in a script', command: '<%= config.bin %> <%= command.id %> alice --mechanism scram-sha-256 --yes'},
    {description: 'What would go', command: '<%= config.bin %> <%= command.id %> alice bob --dry-run'},
  ]

  static flags = {
    mechanism: Flags.string({char: 'm', summary: 'Delete only this mechanism; repeatable (default: every one the user has).', options: ['scram-sha-256', 'scram-sha-512'], multiple: true}),
    'if-exists': Flags.boolean({summary: 'No error for users without SCRAM credentials.'}),
    'dry-run': Flags.boolean({summary: 'Only print what would be deleted.'}),
    yes: Flags.boolean({char: 'y', summary: 'Delete without asking (required without a terminal).'}),
  }

  async run(): Promise<{dryRun: boolean; credentials: ScramPlanRow[]}> {
    const {argv, flags} = await this.parse(UsersDelete)
    this.applyOutputFlags(flags)
    const mechanisms = (flags.mechanism ?? []).map(scramMechanism)
    const connection = await this.connect(flags)
    const {alterScramCredentials, describeScramUsers} = await import('../../kafka/users.js')
    const {users, missing} = await describeScramUsers(connection, argv as string[])
    if (missing.length > 0 && !flags['if-exists']) {
      throw new KadmError(`no SCRAM credentials for user${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {hint: 'use --if-exists to ignore them'})
    }
    const plan = planDeletion(users, mechanisms)
    const render = (data: {credentials: ScramPlanRow[]}, chalk: Parameters<typeof renderCredentials>[1]) => renderCredentials(data.credentials, chalk)
    if (plan.length === 0 || flags['dry-run']) {
      if (flags['dry-run'] && this.format === 'table') this.note('dry run: nothing changed')
      return this.emit({dryRun: Boolean(flags['dry-run']), credentials: plan}, render)
    }
    if (!flags.yes) process.stderr.write(`${renderCredentials(plan, this.chalk)}\n`)
    const what = `${plan.length} SCRAM credential${plan.length > 1 ? 's' : ''}`
    await this.confirmUnlessYes(flags.yes, `deleting ${what} cannot be undone`, `Delete ${what}? This cannot be undone.`)
    await alterScramCredentials(connection, {upsert: [], delete: plan.map((p) => ({user: p.user, mechanism: p.mechanism}))})
    return this.emit({dryRun: false, credentials: plan}, render)
  }
}
