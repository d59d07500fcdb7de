import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {ExitCode, KadmError, UsageError} from '../../errors.js'
import {parseTruncateOffset} from '../../domain/partition-args.js'
import {planTruncation} from '../../domain/truncation.js'
import type {TruncateResult} from '../../kafka/partitions.js'
import {renderTruncate} from '../../render/partitions.js'

interface TruncateOutput {
  topic: string
  dryRun: boolean
  /** One per partition whose target was clamped. */
  warnings: string[]
  partitions: Array<TruncateResult & {target: number; requestedOffset?: number}>
}

export default class PartitionsTruncate extends ClusterCommand {
  static summary = 'Delete the records of a topic before an offset (DeleteRecords).'
  static description = 'Moves the log start offset of partitions up, as kafka-delete-records.sh does; the records before it are gone for every consumer. "end" deletes everything up to the high watermark. Every partition is checked before anything is deleted: an offset beyond the high watermark is clamped to it and one before the log start leaves the partition alone, each with a warning, in the dry run as in the real run. Asks for confirmation on a terminal; needs --yes otherwise.'
  static examples = [
    {description: 'Delete everything before offset 1000 in every partition', command: '<%= config.bin %> <%= command.id %> orders --before 1000 --yes'},
    {description: 'Per partition', command: '<%= config.bin %> <%= command.id %> orders --partition 0=500 --partition 3=end --yes'},
    {description: 'Empty the topic (keep it and its configs)', command: '<%= config.bin %> <%= command.id %> orders --before end --yes'},
    {description: 'Preview', command: '<%= config.bin %> <%= command.id %> orders --before 1000 --dry-run'},
  ]

  static args = {
    topic: Args.string({description: 'Topic to truncate (picked from a list on a terminal when left out).', ignoreStdin: true}),
  }

  static flags = {
    before: Flags.string({summary: 'Offset (or "end") for every partition of the topic.', exactlyOne: ['before', 'partition']}),
    partition: Flags.string({char: 'p', summary: 'PARTITION=OFFSET (or PARTITION=end), repeatable.', multiple: true, multipleNonGreedy: true}),
    'dry-run': Flags.boolean({summary: 'Show the current log start offsets and the targets; delete nothing.'}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation.'}),
  }

  async run(): Promise<TruncateOutput> {
    const {args, flags} = await this.parse(PartitionsTruncate)
    this.applyOutputFlags(flags)
    const perPartition = new Map<number, number>()
    for (const item of flags.partition ?? []) {
      const m = /^(\d+)=(.+)$/.exec(item)
      if (!m) throw new UsageError(`--partition "${item}": expected PARTITION=OFFSET`)
      perPartition.set(Number(m[1]), parseTruncateOffset(m[2], '--partition'))
    }
    const everywhere = flags.before === undefined ? undefined : parseTruncateOffset(flags.before, '--before')
    const [name] = await this.requireOrPick('topic', args.topic === undefined ? [] : [args.topic], flags, 'TOPIC')
    const connection = await this.connect(flags)
    const metadata = await connection.metadata([name])
    const topic = metadata.topics.find((t) => t.name === name)
    if (!topic || topic.errorCode !== 0) throw new KadmError(`topic ${name} does not exist`)
    const existing = topic.partitions.map((p) => p.partition).sort((a, b) => a - b)
    const missing = [...perPartition.keys()].filter((p) => !existing.includes(p))
    if (missing.length > 0) throw new UsageError(`${name} has no partition ${missing.join(', ')} (it has ${existing.length})`)
    const targets = existing
      .filter((p) => everywhere !== undefined || perPartition.has(p))
      .map((partition) => ({topic: name, partition, offset: everywhere ?? perPartition.get(partition)!}))
    const {deleteRecords} = await import('../../kafka/partitions.js')
    const {listOffsetsMany} = await import('../../kafka/offsets.js')
    const [earliest, latest] = await listOffsetsMany(connection, targets, ['earliest', 'latest'])
    const plan = planTruncation(targets.map((t, i) => ({
      topic: t.topic, partition: t.partition, requested: t.offset, logStartOffset: earliest[i].offset, logEndOffset: latest[i].offset,
      ...(earliest[i].error || latest[i].error ? {error: earliest[i].error ?? latest[i].error} : {}),
    })))
    if (plan.problems.length > 0) {
      for (const line of plan.problems.slice(1)) this.note(`error: ${line}`)
      throw new KadmError(`${plan.problems[0]}${plan.problems.length > 1 ? ` (and ${plan.problems.length - 1} more above)` : ''}; nothing was deleted`)
    }
    for (const w of plan.warnings) this.warning(w)
    const shown = (r: (typeof plan.rows)[number]) => ({target: r.target, ...(r.requestedOffset === undefined ? {} : {requestedOffset: r.requestedOffset})})
    if (flags['dry-run']) {
      return this.emit({topic: name, dryRun: true, warnings: plan.warnings, partitions: plan.rows.map((r) => ({
        topic: r.topic, partition: r.partition, before: r.before, after: null, ...shown(r),
      }))}, renderTruncate)
    }
    const deleting = plan.rows.filter((r) => r.deletes)
    if (deleting.length > 0) await this.confirmUnlessYes(flags.yes, 'deleting records cannot be undone', `Delete records of ${name} in ${deleting.length} partition(s)? This cannot be undone.`)
    const results = new Map((deleting.length === 0 ? [] : await deleteRecords(connection, deleting.map((r) => ({topic: r.topic, partition: r.partition, offset: r.target})))).map((r) => [r.partition, r]))
    const partitions = plan.rows.map((r) => ({...(results.get(r.partition) ?? {topic: r.topic, partition: r.partition, before: r.before, after: r.before}), ...shown(r)}))
    const out = await this.emit({topic: name, dryRun: false, warnings: plan.warnings, partitions}, renderTruncate)
    if (partitions.some((r) => r.error)) process.exitCode = ExitCode.failure
    return out
  }
}
