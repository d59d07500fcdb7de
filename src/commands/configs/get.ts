import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {configResource, configResourceArgs} from '../../config-resource.js'
import {KadmError} from '../../errors.js'
import {describeResource} from '../../kafka/configs.js'
import {ownConfigSource} from '../../domain/config-ops.js'
import {type ConfigsGetResult, renderConfigsGet} from '../../render/configs.js'
import {compareNames} from '../../domain/order.js'

export default class ConfigsGet extends ClusterCommand {
  static summary = 'Show the configs of a topic, a broker, the broker default, a broker\'s loggers, a client-metrics subscription or a group, with their sources.'
  static description = `Without --all, only the values set dynamically on that resource (what kafka-configs --describe prints); --all adds every value with its source (default, static broker config, dynamic broker default, ...). JSON output includes the synonyms: where each value would come from if the override went away. Sensitive values are never printed.`
  static args = configResourceArgs
  static examples = [
    {description: 'Overrides on a topic', command: '<%= config.bin %> <%= command.id %> topic orders'},
    {description: 'Every config of broker 1 with its source', command: '<%= config.bin %> <%= command.id %> broker 1 --all'},
    {description: 'Cluster-wide dynamic broker defaults, as YAML', command: '<%= config.bin %> <%= command.id %> broker-default -o yaml'},
    {description: 'Log level of one logger on broker 1', command: '<%= config.bin %> <%= command.id %> broker-logger 1 -k kafka.log.LogCleaner'},
    {description: 'A client-metrics subscription (Kafka 3.7+)', command: '<%= config.bin %> <%= command.id %> client-metrics producers'},
    {description: 'Configs of a consumer group (Kafka 4.0+), defaults included', command: '<%= config.bin %> <%= command.id %> group orders-app --all'},
  ]
  static flags = {
    all: Flags.boolean({char: 'a', summary: 'Every config, not only the dynamic overrides.'}),
    key: Flags.string({char: 'k', summary: 'Only this config key (repeatable).', multiple: true, multipleNonGreedy: true}),
  }

  async run(): Promise<ConfigsGetResult> {
    const {args, flags} = await this.parse(ConfigsGet)
    this.applyOutputFlags(flags)
    const resource = configResource(args)
    const connection = await this.connect(flags)
    const {describeConfigs} = await import('../../kafka/configs.js')
    const [result] = await describeConfigs(connection, [resource], {synonyms: true, keys: flags.key})
    if (result.error?.startsWith('UNKNOWN_TOPIC_OR_PARTITION')) throw new KadmError(`topic ${resource.name} does not exist`)
    if (result.error) throw new KadmError(`cannot describe ${describeResource(resource)}: ${result.error}`)
    // Without --all, kafka-configs shows only the values set dynamically at the resource's own level.
    const own = ownConfigSource(resource)
    const configs = (flags.all || flags.key ? result.configs : result.configs.filter((c) => c.source === own)).sort((a, b) => compareNames(a.name, b.name))
    return this.emit({...resource, all: flags.all || Boolean(flags.key), configs}, renderConfigsGet)
  }
}
