import {ClusterCommand} from '../../cluster-command.js'
import {entityFromFlags, type QuotaEntry} from '../../domain/quotas.js'
import {entityFlags} from '../../flags/quotas.js'
import {renderQuotas} from '../../render/quotas.js'

export default class QuotasList extends ClusterCommand {
  static summary = 'List client quotas: every one set in the cluster, or those of one entity.'
  static description = `One DescribeClientQuotas request (KIP-546) to any broker. Without entity flags every entity with a quota is listed (users, client ids, users with client ids, IPs, and their defaults); with them, exactly that entity. In JSON a null entity name is the default entity. Needs DESCRIBE_CONFIGS on the cluster.`
  static examples = [
    {description: 'Every quota', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'One user with one client id', command: '<%= config.bin %> <%= command.id %> --user alice --client-id billing -o json'},
    {description: 'The default for all users', command: '<%= config.bin %> <%= command.id %> --user-default'},
  ]

  static flags = {...entityFlags}

  async run(): Promise<{quotas: QuotaEntry[]}> {
    const {flags} = await this.parse(QuotasList)
    this.applyOutputFlags(flags)
    const entity = entityFromFlags(flags)
    const connection = await this.connect(flags)
    const {describeQuotas} = await import('../../kafka/quotas.js')
    const quotas = await describeQuotas(connection, entity)
    if (quotas.length === 0 && this.format === 'table') this.note('no quotas set')
    return this.emit({quotas}, (data, chalk) => renderQuotas(data.quotas, chalk))
  }
}
