import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {parseReplicaAssignment} from '../../domain/partition-args.js'
import type {AddPartitionsResult} from '../../kafka/partitions.js'
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
    topic: Args.string({description: 'Topic to grow.', required: true, ignoreStdin: true}),
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
    const assignments = flags['replica-assignment'] ? parseReplicaAssignment(flags['replica-assignment']) : undefined
    const connection = await this.connect(flags)
    const {addPartitions} = await import('../../kafka/partitions.js')
    let total = flags.total
    if (total === undefined) {
      const metadata = await connection.metadata([args.topic])
      const topic = metadata.topics.find((t) => t.name === args.topic && t.errorCode === 0)
      total = (topic?.partitions.length ?? 0) + flags.count!
    }
    return this.emit(await addPartitions(connection, args.topic, total, assignments, flags['dry-run']), renderAddPartitions)
  }
}
