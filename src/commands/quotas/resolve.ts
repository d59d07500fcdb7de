import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {type ResolvedQuota, resolveQuotas} from '../../domain/quotas.js'
import {renderResolved} from '../../render/quotas.js'

export default class QuotasResolve extends ClusterCommand {
  static summary = 'Show which quota applies to a user connecting with a client id, and where it comes from.'
  static description = `Per quota key, the first entity that sets it in Kafka's precedence order: user+client-id, user+default client-id, user, default user+client-id, default user+default client-id, default user, client-id, default client-id. A key no entity sets is unlimited. Reads every quota with one DescribeClientQuotas request.`
  static examples = [
    {description: "alice's limits when her app connects as billing", command: '<%= config.bin %> <%= command.id %> --user alice --client-id billing'},
  ]

  static flags = {
    user: Flags.string({summary: 'The user (principal name; ANONYMOUS on an unauthenticated listener).', required: true}),
    'client-id': Flags.string({summary: 'The client id the client connects with.', required: true}),
  }

  async run(): Promise<{user: string; clientId: string; quotas: ResolvedQuota[]}> {
    const {flags} = await this.parse(QuotasResolve)
    this.applyOutputFlags(flags)
    const connection = await this.connect(flags)
    const {describeQuotas} = await import('../../kafka/quotas.js')
    const quotas = resolveQuotas(await describeQuotas(connection), flags.user, flags['client-id'])
    return this.emit({user: flags.user, clientId: flags['client-id'], quotas}, (data, chalk) => renderResolved(data.quotas, chalk))
  }
}
