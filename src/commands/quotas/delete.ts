import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {checkQuotaKey, entityFromFlags, entityName, type QuotaEntry} from '../../domain/quotas.js'
import {KadmError, UsageError} from '../../errors.js'
import {entityFlags} from '../../flags/quotas.js'
import {renderQuotas} from '../../render/quotas.js'

export default class QuotasDelete extends ClusterCommand {
  static summary = "Remove an entity's client quotas (every key, or those named), after confirmation."
  static description = `The entity's clients fall back to the next quota in Kafka's precedence order (see quotas resolve), or to none. Prints what it would remove; asks on a terminal, needs --yes without one. Returns once every broker shows the change (a broker that does not answer: exit 4). Needs ALTER_CONFIGS on the cluster.`
  static examples = [
    {description: "Every quota of alice's billing client", command: '<%= config.bin %> <%= command.id %> --user alice --client-id billing'},
    {description: 'One key of the default user, in a script', command: '<%= config.bin %> <%= command.id %> --user-default --key producer_byte_rate --yes'},
  ]

  static flags = {
    ...entityFlags,
    key: Flags.string({char: 'k', summary: 'Remove only this quota key (repeatable; default every key the entity has).', multiple: true}),
    'dry-run': Flags.boolean({summary: 'Only print what would be removed.'}),
    yes: Flags.boolean({char: 'y', summary: 'Remove without asking (required without a terminal).'}),
  }

  async run(): Promise<{dryRun: boolean; quotas: QuotaEntry[]}> {
    const {flags} = await this.parse(QuotasDelete)
    this.applyOutputFlags(flags)
    const entity = entityFromFlags(flags)
    if (!entity) throw new UsageError('name an entity: --user, --client-id, --ip or their -default forms')
    const keys = (flags.key ?? []).map((k) => checkQuotaKey(entity, k))
    const connection = await this.connect(flags)
    const {alterQuotas, describeQuotas} = await import('../../kafka/quotas.js')
    const current = (await describeQuotas(connection, entity))[0]?.quotas ?? {}
    const lacking = keys.filter((k) => !(k in current))
    if (Object.keys(current).length === 0) throw new KadmError(`${entityName(entity)} has no quotas`)
    if (lacking.length > 0) throw new KadmError(`${entityName(entity)} has no ${lacking.join(', ')} quota`)
    const removed = Object.fromEntries(Object.entries(current).filter(([k]) => keys.length === 0 || keys.includes(k)))
    const result = {dryRun: Boolean(flags['dry-run']), quotas: [{entity, name: entityName(entity), quotas: removed}]}
    const render = (data: typeof result, chalk: Parameters<typeof renderQuotas>[1]) => renderQuotas(data.quotas, chalk)
    if (flags['dry-run']) return this.emit(result, render)
    if (!flags.yes) process.stderr.write(`${renderQuotas(result.quotas, this.chalk)}\n`)
    const what = `${Object.keys(removed).length} quota${Object.keys(removed).length > 1 ? 's' : ''} of ${entityName(entity)}`
    await this.confirmUnlessYes(flags.yes, `removing ${what} lifts its limits`, `Remove ${what}?`)
    await alterQuotas(connection, entity, {set: {}, remove: Object.keys(removed)}, false)
    return this.emit(result, render)
  }
}
