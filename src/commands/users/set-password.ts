import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {checkIterations, DEFAULT_ITERATIONS, planPasswordChange, type ScramPlanRow, scramMechanism} from '../../domain/scram.js'
import {checkPasswordSource, newPasswordFlags, readNewPassword} from '../../flags/password.js'
import {renderCredentials} from '../../render/users.js'

export default class UsersSetPassword extends ClusterCommand {
  static summary = 'Create a SCRAM user or change its password (SCRAM-SHA-256 and/or SCRAM-SHA-512).'
  static description = `The password is salted here, as Kafka's own tools do (PBKDF2, RFC 5802 Hi(), a fresh random salt per credential), and only the salt, iteration count and salted password are sent (AlterUserScramCredentials, KIP-554). It comes from a terminal prompt (asked twice), --password-stdin or --password-env; --password on the command line is refused unless --insecure-password-argv is added. It is never printed. Replacing an existing credential asks for confirmation (--yes without a terminal): clients still using the old password can no longer log in. --dry-run reads no password and changes nothing. Returns once every broker lists the credential (a broker that does not answer: exit 4). Needs ALTER on the cluster.`
  static args = {user: Args.string({description: 'User name.', required: true, ignoreStdin: true})}
  static examples = [
    {description: 'Create alice for SCRAM-SHA-512 (asks for the password)', command: '<%= config.bin %> <%= command.id %> alice'},
    {description: 'Both mechanisms, password from a secret store, in a script', command: 'pass show kafka/alice | <%= config.bin %> <%= command.id %> alice --mechanism scram-sha-256 --mechanism scram-sha-512 --password-stdin --yes'},
    {description: 'From the environment, with more iterations', command: '<%= config.bin %> <%= command.id %> alice --password-env ALICE_PASSWORD --iterations 8192'},
  ]

  static flags = {
    mechanism: Flags.string({char: 'm', summary: 'SCRAM mechanism; repeat for both (default scram-sha-512).', options: ['scram-sha-256', 'scram-sha-512'], multiple: true, default: ['scram-sha-512']}),
    iterations: Flags.integer({summary: `PBKDF2 iterations, 4096 to 16384 (default ${DEFAULT_ITERATIONS}, as kafka-configs).`, default: DEFAULT_ITERATIONS}),
    ...newPasswordFlags,
    'dry-run': Flags.boolean({summary: 'Print what would be created or replaced; read no password, change nothing.'}),
    yes: Flags.boolean({char: 'y', summary: 'Replace an existing credential without asking (required without a terminal).'}),
  }

  async run(): Promise<{dryRun: boolean; credentials: ScramPlanRow[]}> {
    const {args, flags} = await this.parse(UsersSetPassword)
    this.applyOutputFlags(flags)
    const iterations = checkIterations(flags.iterations)
    const mechanisms = flags.mechanism.map(scramMechanism)
    if (!flags['dry-run']) checkPasswordSource(flags)
    const connection = await this.connect(flags)
    const {alterScramCredentials, describeScramUsers} = await import('../../kafka/users.js')
    const {users: [current]} = await describeScramUsers(connection, [args.user])
    const plan = planPasswordChange(args.user, current, mechanisms, iterations)
    const render = (data: {credentials: ScramPlanRow[]}, chalk: Parameters<typeof renderCredentials>[1]) => renderCredentials(data.credentials, chalk)
    if (flags['dry-run']) {
      if (this.format === 'table') this.note('dry run: nothing changed')
      return this.emit({dryRun: true, credentials: plan}, render)
    }
    const replaced = plan.filter((p) => p.action === 'replace').map((p) => p.mechanism)
    if (replaced.length > 0) {
      await this.confirmUnlessYes(flags.yes, `replacing ${args.user}'s ${replaced.join(' and ')} password locks out clients using the old one`, `Replace ${args.user}'s ${replaced.join(' and ')} password?`)
    }
    const password = await readNewPassword(flags, args.user)
    await alterScramCredentials(connection, {upsert: plan.map((p) => ({user: p.user, mechanism: p.mechanism, iterations: p.iterations, password})), delete: []})
    return this.emit({dryRun: false, credentials: plan}, render)
  }
}
