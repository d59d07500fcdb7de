import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {groupSizes, SIZE_GROUPS, type SizeGroup, type SizeRow, sortSizes} from '../../domain/partition-sizes.js'
import {renderSizes} from '../../render/partitions.js'
import {noMatchWarning, selectionFlags, topicPatterns} from '../../topic-flags.js'

interface SizesOutput {
  by: SizeGroup
  rows: SizeRow[]
  /** Bytes on disk over every replica of the selection. */
  totalBytes: number
  unreachable: Array<{broker: number; error: string}>
}

export default class PartitionsSizes extends ClusterCommand {
  static summary = 'Bytes on disk per partition, topic, broker or log dir (DescribeLogDirs).'
  static description = `Asks every live broker for its log dirs in parallel. A partition's size is its largest replica; a topic's is the sum of its partitions (the data once); broker and log-dir rows are what the replicas take on that disk, with the volume's usable and total bytes (Kafka 3.3+). Sizes are binary units in tables, bytes in JSON/YAML (or with --bytes).`
  static examples = [
    {description: 'Largest partitions first', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Per topic, for topics matching a glob', command: "<%= config.bin %> <%= command.id %> --by topic --topic 'orders*'"},
    {description: 'Disk use per broker log dir', command: '<%= config.bin %> <%= command.id %> --by logdir'},
    {description: 'Exact bytes, sorted by name', command: '<%= config.bin %> <%= command.id %> --bytes --sort name'},
  ]

  static flags = {
    topic: Flags.string({char: 't', summary: 'Topic name or glob (regular expression with --regex); repeatable.', multiple: true, multipleNonGreedy: true}),
    ...selectionFlags,
    by: Flags.string({summary: 'What one row sums up.', options: [...SIZE_GROUPS], default: 'partition'}),
    sort: Flags.string({summary: 'Row order.', options: ['size', 'name'], default: 'size'}),
    bytes: Flags.boolean({summary: 'Show exact bytes instead of KiB/MiB/GiB in the table.'}),
  }

  async run(): Promise<SizesOutput> {
    const {flags} = await this.parse(PartitionsSizes)
    this.applyOutputFlags(flags)
    const patterns = flags.topic ? topicPatterns(flags.topic, flags.regex) : undefined
    const connection = await this.connect(flags)
    const {describeLogDirs, topicsOf} = await import('../../kafka/partitions.js')
    const topics = patterns ? topicsOf(await connection.metadata(null), patterns, {regex: flags.regex, onUnmatched: (p) => this.warning(noMatchWarning(p))}) : undefined
    const sizes = await describeLogDirs(connection, topics)
    const by = flags.by as SizeGroup
    const rows = sortSizes(groupSizes(sizes.replicas, sizes.logDirs, by), flags.sort as 'size' | 'name')
    const data: SizesOutput = {by, rows, totalBytes: sizes.replicas.reduce((n, r) => n + r.bytes, 0), unreachable: sizes.unreachable}
    return this.emit(data, (d, chalk) => renderSizes({...d, bytes: flags.bytes}, chalk))
  }
}
