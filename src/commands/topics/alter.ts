import {Args, Flags} from '@oclif/core'

import {ClusterCommand} from '../../cluster-command.js'
import {UsageError} from '../../errors.js'
import {configOps} from '../../domain/config-ops.js'
import type {TopicAlteration} from '../../kafka/topics.js'
import {renderAlteration} from '../../render/topics.js'

export default class TopicsAlter extends ClusterCommand {
  static summary = 'Add partitions to a topic and change its configs (keys not named stay as they are).'
  static description = `Configs change through IncrementalAlterConfigs, so only the keys given change. Partitions can only grow. The brokers validate every change before any is applied.`
  static args = {name: Args.string({description: 'Topic name.', required: true, ignoreStdin: true})}
  static examples = [
    {description: 'Grow to 12 partitions', command: '<%= config.bin %> <%= command.id %> orders --partitions 12'},
    {description: 'Set one config and remove another override', command: '<%= config.bin %> <%= command.id %> orders --set retention.ms=3600000 --delete cleanup.policy'},
    {description: 'Check a change without applying it', command: '<%= config.bin %> <%= command.id %> orders --partitions 24 --set max.message.bytes=2097152 --dry-run'},
  ]
  static flags = {
    partitions: Flags.integer({char: 'p', summary: 'New partition count (increase only).', min: 1}),
    set: Flags.string({summary: 'Set a config key=value (repeatable).', multiple: true, default: []}),
    delete: Flags.string({summary: 'Remove a config override, back to the default (repeatable).', multiple: true, default: []}),
    'dry-run': Flags.boolean({summary: 'Validate with the brokers; change nothing.'}),
  }

  async run(): Promise<TopicAlteration> {
    const {args, flags} = await this.parse(TopicsAlter)
    this.applyOutputFlags(flags)
    let ops
    try {
      ops = configOps(flags)
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
    if (flags.partitions === undefined && ops.length === 0) throw new UsageError('nothing to change: give --partitions, --set or --delete')
    const connection = await this.connect(flags)
    const {alterTopic} = await import('../../kafka/topics.js')
    const result = await alterTopic(connection, args.name, {partitions: flags.partitions, configs: ops}, {dryRun: flags['dry-run'], timeoutMs: this.parseTimeout(flags.timeout)})
    return this.emit(result, renderAlteration)
  }
}
