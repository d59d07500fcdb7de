import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {configResource, configResourceArgs} from '../../config-resource.js'
import {UsageError} from '../../errors.js'
import {configOps} from '../../domain/config-ops.js'
import {type ConfigsSetResult, renderConfigsSet} from '../../render/configs.js'

export default class ConfigsSet extends ClusterCommand {
  static summary = 'Change configs of a topic, a broker, the broker default, a broker\'s loggers, a client-metrics subscription or a group; keys not named stay as they are.'
  static description = `Uses IncrementalAlterConfigs: only the keys given change (unlike kafkajs's alterConfigs, which resets the rest). --delete removes a dynamic override so the value falls back to the next source. --append/--subtract edit list values (e.g. cleanup.policy). Per-broker changes (broker, broker-logger) are sent to that broker. A broker-logger --delete puts the logger back on its parent's level.`
  static args = configResourceArgs
  static examples = [
    {description: 'Set retention on a topic and drop an override', command: '<%= config.bin %> <%= command.id %> topic orders --set retention.ms=86400000 --delete max.message.bytes'},
    {description: 'A dynamic config on broker 1', command: '<%= config.bin %> <%= command.id %> broker 1 --set log.cleaner.threads=2'},
    {description: 'Cluster-wide broker default, validated only', command: '<%= config.bin %> <%= command.id %> broker-default --set log.retention.ms=604800000 --dry-run'},
    {description: 'Add a value to a list config', command: '<%= config.bin %> <%= command.id %> topic orders --append cleanup.policy=compact'},
    {description: 'Debug logging for one logger of broker 1, then back', command: '<%= config.bin %> <%= command.id %> broker-logger 1 --set kafka.log.LogCleaner=DEBUG'},
    {description: 'A client-metrics subscription (Kafka 3.7+)', command: '<%= config.bin %> <%= command.id %> client-metrics producers --set metrics=org.apache.kafka.producer. --set interval.ms=60000 --set match=client_id=app-.*'},
    {description: 'Session timeout of one consumer group (Kafka 4.0+)', command: '<%= config.bin %> <%= command.id %> group orders-app --set consumer.session.timeout.ms=60000'},
  ]
  static flags = {
    set: Flags.string({char: 's', summary: 'Set key=value (repeatable).', multiple: true, multipleNonGreedy: true, default: []}),
    delete: Flags.string({char: 'd', summary: 'Remove a dynamic override of key (repeatable).', multiple: true, multipleNonGreedy: true, default: []}),
    append: Flags.string({summary: 'Append a value to a list config, key=value (repeatable).', multiple: true, multipleNonGreedy: true, default: []}),
    subtract: Flags.string({summary: 'Remove a value from a list config, key=value (repeatable).', multiple: true, multipleNonGreedy: true, default: []}),
    'dry-run': Flags.boolean({summary: 'Validate with the broker; change nothing.'}),
  }

  async run(): Promise<ConfigsSetResult> {
    const {args, flags} = await this.parse(ConfigsSet)
    this.applyOutputFlags(flags)
    const resource = configResource(args)
    let ops
    try {
      ops = configOps(flags)
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
    if (ops.length === 0) throw new UsageError('nothing to change: give --set, --delete, --append or --subtract')
    const connection = await this.connect(flags)
    const {incrementalAlterConfigs, waitForConfigs} = await import('../../kafka/configs.js')
    await incrementalAlterConfigs(connection, [{...resource, ops}], flags['dry-run'])
    if (!flags['dry-run']) {
      // Brokers learn the change from the metadata log: return once they all show it.
      await waitForConfigs(connection, [{...resource, ops}], 'changed')
    }
    return this.emit({...resource, ops, dryRun: flags['dry-run']}, renderConfigsSet)
  }
}
