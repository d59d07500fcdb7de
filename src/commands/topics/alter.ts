import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {configOps} from '../../domain/config-ops.js'
import {ExitCode, UsageError} from '../../errors.js'
import {parseByteRate} from '../../domain/reassignment.js'
import type {ApplyResult, GeneratedPlan} from '../../kafka/reassignment.js'
import type {TopicAlteration} from '../../kafka/topics.js'
import {renderApply} from '../../render/partitions.js'
import {renderAlteration} from '../../render/topics.js'

export default class TopicsAlter extends ClusterCommand {
  static summary = 'Add partitions to a topic, change its configs (keys not named stay as they are) or its replication factor.'
  static description = `Configs change through IncrementalAlterConfigs, so only the keys given change. Partitions can only grow. The brokers validate every change before any is applied.

--replication-factor builds a balanced reassignment plan for the topic and applies it (the same as \`kadm partitions set-replication-factor\`); it moves data, so it is given on its own. Follow it with \`kadm partitions reassign status\`.`
  static args = {name: Args.string({description: 'Topic name (picked from a list on a terminal when left out).', ignoreStdin: true})}
  static examples = [
    {description: 'Grow to 12 partitions', command: '<%= config.bin %> <%= command.id %> orders --partitions 12'},
    {description: 'Set one config and remove another override', command: '<%= config.bin %> <%= command.id %> orders --config retention.ms=3600000 --delete cleanup.policy'},
    {description: 'Check a change without applying it', command: '<%= config.bin %> <%= command.id %> orders --partitions 24 --config max.message.bytes=2097152 --dry-run'},
    {description: 'Go to 3 replicas, copying at most 50 MB/s', command: '<%= config.bin %> <%= command.id %> orders --replication-factor 3 --throttle 50MB'},
  ]
  static flags = {
    partitions: Flags.integer({char: 'p', summary: 'New partition count (increase only).', min: 1}),
    // A topic config, as in topics create and kafka-topics; --set is its old name.
    config: Flags.string({char: 'c', summary: 'Set a topic config key=value (repeatable; --set is the same).', multiple: true, multipleNonGreedy: true, default: [], aliases: ['set']}),
    delete: Flags.string({summary: 'Remove a config override, back to the default (repeatable).', multiple: true, multipleNonGreedy: true, default: []}),
    'replication-factor': Flags.integer({char: 'r', summary: 'New replication factor: plans and applies a reassignment.', min: 1}),
    throttle: Flags.string({summary: 'With --replication-factor: replication throttle in bytes/s while replicas copy (removed by `partitions reassign verify`).'}),
    'dry-run': Flags.boolean({summary: 'Validate with the brokers; change nothing.'}),
  }

  async run(): Promise<TopicAlteration | (ApplyResult & {plan: GeneratedPlan})> {
    const {args, flags} = await this.parse(TopicsAlter)
    this.applyOutputFlags(flags)
    const [name] = await this.requireOrPick('topic', args.name === undefined ? [] : [args.name], flags, 'NAME')
    let ops
    try {
      ops = configOps({set: flags.config, delete: flags.delete}, '--config')
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
    const replicationFactor = flags['replication-factor']
    if (replicationFactor !== undefined) {
      if (flags.partitions !== undefined || ops.length > 0) throw new UsageError('--replication-factor moves data: change it on its own, without --partitions, --config or --delete')
      const throttle = flags.throttle === undefined ? undefined : parseByteRate(flags.throttle)
      if (flags.throttle !== undefined && throttle === undefined) throw new UsageError(`--throttle "${flags.throttle}" is not a rate (e.g. 50MB)`)
      const connection = await this.connect(flags)
      const {changeReplicationFactor} = await import('../../kafka/reassignment.js')
      const result = await changeReplicationFactor(connection, name, replicationFactor, {throttle, dryRun: flags['dry-run']})
      if (result.failed.length > 0) process.exitCode = ExitCode.failure
      return this.emit(result, renderApply)
    }
    if (flags.throttle !== undefined) throw new UsageError('--throttle only applies with --replication-factor')
    if (flags.partitions === undefined && ops.length === 0) throw new UsageError('nothing to change: give --partitions, --config, --delete or --replication-factor')
    const connection = await this.connect(flags)
    const {alterTopic} = await import('../../kafka/topics.js')
    const result = await alterTopic(connection, name, {partitions: flags.partitions, configs: ops}, {dryRun: flags['dry-run'], timeoutMs: this.parseTimeout(flags.timeout)})
    return this.emit(result, renderAlteration)
  }
}
