import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {clusterOf, type NameCache, releaseRefreshLock, writeNames} from '../../completion/names.js'

/**
 * Asks the cluster for the names shell completion offers and writes them to the cache
 * (src/completion/names.ts). Started detached by a key press whose cache is stale or missing.
 */
export default class CompletionRefresh extends ClusterCommand {
  static hidden = true
  static summary = "Refresh shell completion's cache of live names (topics, groups, brokers, principals, config keys)."
  static examples = [{description: 'Fill the cache of the current context now', command: '<%= config.bin %> <%= command.id %>'}]
  static flags = {
    'cache-key': Flags.string({summary: 'The cache to write (as the key press computed it); default: the cluster the connection flags name.'}),
  }

  async run(): Promise<{file: string; topics: number; groups: number}> {
    const {flags} = await this.parse(CompletionRefresh)
    this.applyOutputFlags(flags)
    const cluster = flags['cache-key'] ?? await clusterOf({bootstrapServer: flags['bootstrap-server'], context: flags.context, configFile: flags['config-file']})
    try {
      const connection = await this.connect(flags)
      const metadata = await connection.metadata(null)
      const [groups, acls, configs] = await Promise.allSettled([
        import('../../kafka/groups.js').then(({listGroups}) => listGroups(connection)),
        import('../../kafka/acls.js').then(({listAcls}) => listAcls(connection, {resourceType: 'any', patternType: 'any', operation: 'any', permission: 'any'})),
        import('../../kafka/configs.js').then(({describeConfigs}) => {
          const topic = metadata.topics.find((t) => !t.isInternal) ?? metadata.topics[0]
          const broker = metadata.brokers[0]
          return describeConfigs(connection, [
            ...(topic ? [{type: 'topic' as const, name: topic.name}] : []),
            ...(broker ? [{type: 'broker' as const, name: String(broker.nodeId)}] : []),
          ], {documentation: true})
        }),
      ])
      const keys = (type: 'topic' | 'broker'): Array<[string, string]> => (configs.status === 'fulfilled' ? configs.value : [])
        .filter((r) => r.type === type).flatMap((r) => r.configs.map((c): [string, string] => [c.name, (c.documentation ?? '').split(/(?<=\.)\s/, 1)[0]]))
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      const cache: NameCache = {
        cluster,
        fetchedAt: Date.now(),
        topics: metadata.topics.map((t) => t.name).sort(),
        groups: groups.status === 'fulfilled' ? groups.value.map((g) => g.groupId).sort() : [],
        brokers: metadata.brokers.map((b) => b.nodeId).sort((a, b) => a - b).map(String),
        principals: acls.status === 'fulfilled' ? [...new Set(acls.value.map((a) => a.principal))].sort() : [],
        topicConfigs: keys('topic'),
        brokerConfigs: keys('broker'),
      }
      const file = writeNames(cache)
      releaseRefreshLock(cluster)
      return this.emit({file, topics: cache.topics.length, groups: cache.groups.length}, (d) => `${d.topics} topics and ${d.groups} groups cached in ${d.file}`)
    } catch (error) {
      // The lock stays: no key press starts another refresh of a cluster that cannot be reached for
      // a while (names.ts REFRESH_LOCK_MS).
      throw error
    }
  }
}
