import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {entityFromFlags, entityName, parseQuotaSettings, type QuotaEntry} from '../../domain/quotas.js'
import {UsageError} from '../../errors.js'
import {entityFlags} from '../../flags/quotas.js'
import {renderQuotas} from '../../render/quotas.js'

export default class QuotasSet extends ClusterCommand {
  static summary = 'Set client quotas of a user, a client id, both, or an IP (or their defaults).'
  static description = `AlterClientQuotas (KIP-546): only the keys given change. Users and client ids take producer_byte_rate, consumer_byte_rate (bytes/s per broker), request_percentage (percent of a request-handler thread) and controller_mutation_rate (partitions created or deleted per second); IPs take connection_creation_rate. --dry-run has the broker validate and changes nothing. Returns once every broker shows the change (a broker that does not answer: exit 4). Needs ALTER_CONFIGS on the cluster.`
  static examples = [
    {description: '1 MiB/s of produce for alice', command: '<%= config.bin %> <%= command.id %> --user alice --set producer_byte_rate=1048576'},
    {description: 'A default for every client id of a user', command: '<%= config.bin %> <%= command.id %> --user alice --client-id-default --set consumer_byte_rate=2097152 --set request_percentage=50'},
    {description: 'New connections per second from one IP, validated only', command: '<%= config.bin %> <%= command.id %> --ip 10.0.0.7 --set connection_creation_rate=10 --dry-run'},
  ]

  static flags = {
    ...entityFlags,
    set: Flags.string({char: 's', summary: 'key=value (repeatable).', multiple: true, multipleNonGreedy: true, required: true}),
    'dry-run': Flags.boolean({summary: 'Have the broker validate the change; change nothing.'}),
  }

  async run(): Promise<{dryRun: boolean; quotas: QuotaEntry[]}> {
    const {flags} = await this.parse(QuotasSet)
    this.applyOutputFlags(flags)
    const entity = entityFromFlags(flags)
    if (!entity) throw new UsageError('name an entity: --user, --client-id, --ip or their -default forms')
    const set = parseQuotaSettings(entity, flags.set)
    const connection = await this.connect(flags)
    const {alterQuotas} = await import('../../kafka/quotas.js')
    await alterQuotas(connection, entity, {set, remove: []}, Boolean(flags['dry-run']))
    if (flags['dry-run'] && this.format === 'table') this.note('dry run: the broker accepts this change; nothing changed')
    return this.emit({dryRun: Boolean(flags['dry-run']), quotas: [{entity, name: entityName(entity), quotas: set}]}, (data, chalk) => renderQuotas(data.quotas, chalk))
  }
}
