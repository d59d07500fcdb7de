import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {configResource, configResourceArgs} from '../../config-resource.js'
import {KadmError} from '../../errors.js'
import {describeResource} from '../../kafka/configs.js'
import {type ConfigsGetResult, renderConfigsGet} from '../../render/configs.js'
import {compareNames} from '../../domain/order.js'

/** Without --all, kafka-configs shows only the values set dynamically at the resource's own level. */
const OWN_SOURCE = {topic: 'DYNAMIC_TOPIC_CONFIG', broker: 'DYNAMIC_BROKER_CONFIG', 'broker-default': 'DYNAMIC_DEFAULT_BROKER_CONFIG'} as const

export default class ConfigsGet extends ClusterCommand {
  static summary = 'Show the configs of a topic, a broker or the cluster-wide broker default, with their sources.'
  static description = `Without --all, only the values set dynamically on that resource (what kafka-configs --describe prints); --all adds every value with its source (default, static broker config, dynamic broker default, ...). JSON output includes the synonyms: where each value would come from if the override went away. Sensitive values are never printed.`
  static args = configResourceArgs
  static examples = [
    {description: 'Overrides on a topic', command: '<%= config.bin %> <%= command.id %> topic orders'},
    {description: 'Every config of broker 1 with its source', command: '<%= config.bin %> <%= command.id %> broker 1 --all'},
    {description: 'Cluster-wide dynamic broker defaults, as YAML', command: '<%= config.bin %> <%= command.id %> broker-default -o yaml'},
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
    const own = OWN_SOURCE[args.type as keyof typeof OWN_SOURCE]
    const configs = (flags.all || flags.key ? result.configs : result.configs.filter((c) => c.source === own)).sort((a, b) => compareNames(a.name, b.name))
    return this.emit({...resource, all: flags.all || Boolean(flags.key), configs}, renderConfigsGet)
  }
}
