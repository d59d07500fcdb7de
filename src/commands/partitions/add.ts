import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {parseReplicaAssignment} from '../../domain/topic-spec.js'
import {KadmError, UsageError} from '../../errors.js'
import type {AddPartitionsResult} from '../../kafka/topics.js'
import {renderAddPartitions} from '../../render/partitions.js'

export default class PartitionsAdd extends ClusterCommand {
  static summary = 'Add partitions to a topic (CreatePartitions).'
  static description = 'Kafka can only add partitions, never remove them. Keys hash to new partitions after this, so per-key ordering across the change is lost for keyed topics.'
  static examples = [
    {description: 'Add 3 partitions', command: '<%= config.bin %> <%= command.id %> orders --count 3'},
    {description: 'Grow to 12 partitions in total', command: '<%= config.bin %> <%= command.id %> orders --total 12'},
    {description: 'Place the two new partitions explicitly (replicas per partition, colon-separated)', command: '<%= config.bin %> <%= command.id %> orders --count 2 --replica-assignment 1:2,2:3'},
    {description: 'Let the broker validate without changing anything', command: '<%= config.bin %> <%= command.id %> orders --total 12 --dry-run'},
  ]

  static args = {
    topic: Args.string({description: 'Topic to grow (picked from a list on a terminal when left out).', ignoreStdin: true}),
  }

  static flags = {
    count: Flags.integer({summary: 'Number of partitions to add.', min: 1, exactlyOne: ['count', 'total']}),
    total: Flags.integer({summary: 'New total number of partitions.', min: 1}),
    'replica-assignment': Flags.string({summary: 'Replicas of each new partition: broker ids joined by ":", partitions by "," (e.g. 1:2,2:3).'}),
    'dry-run': Flags.boolean({summary: 'Validate on the broker (validate_only) without changing anything.'}),
  }

  async run(): Promise<AddPartitionsResult> {
    const {args, flags} = await this.parse(PartitionsAdd)
    this.applyOutputFlags(flags)
    const [name] = await this.requireOrPick('topic', args.topic === undefined ? [] : [args.topic], flags, 'TOPIC')
    let assignments: number[][] | undefined
    try {
      assignments = flags['replica-assignment'] ? parseReplicaAssignment(flags['replica-assignment']) : undefined
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
    const connection = await this.connect(flags)
    const {growPartitions} = await import('../../kafka/topics.js')
    const topic = (await connection.metadata([name])).topics.find((t) => t.name === name && t.errorCode === 0)
    if (!topic) throw new KadmError(`topic ${name} does not exist`)
    const current = topic.partitions.length
    const total = flags.total ?? current + flags.count!
    return this.emit(await growPartitions(connection, name, total, {assignments, validateOnly: flags['dry-run'], timeoutMs: this.parseTimeout(flags.timeout), current}), renderAddPartitions)
  }
}
