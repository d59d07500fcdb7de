import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {describeTarget, parseTopicScope, PlanError, resetTargetFromFlags} from '../../domain/offset-reset.js'
import {formatInstant} from '../../domain/time-spec.js'
import {KadmError, UsageError} from '../../errors.js'
import {TIME_HELP, timezoneFlag} from '../../flags/time.js'
import {type OffsetResetResult, renderOffsetReset} from '../../render/offsets.js'

const TARGET = 'TARGET (exactly one)'

export default class ShareGroupsResetOffsets extends ClusterCommand {
  static summary = "Reset a share group's start offsets: dry run by default, --execute to apply; as kafka-share-groups.sh --reset-offsets."
  static description = `A share group's start offset on a partition is the first record it has not finished with: its members fetch from there. The targets are those of \`kadm offsets reset\`, computed the same way (targets outside [log start, log end] are clamped with a warning; a time with no record at or after it goes to the log end); CURRENT is the group's start offset (DescribeShareGroupOffsets), empty where the group has no state for the partition.

The group must be Empty (kadm names the active members otherwise); as with kafka-share-groups.sh, a group that does not exist yet is created with the new start offsets. --execute sends one AlterShareGroupOffsets to the group's coordinator (Kafka 4.1+); if any part of the plan is invalid nothing is changed. On brokers older than 4.1, one line says share groups need Kafka 4.1.`
  static examples = [
    {description: 'Preview a reset of every partition of a topic to the start', command: '<%= config.bin %> <%= command.id %> order-workers --topic orders --to-earliest'},
    {description: 'Skip everything not yet delivered on two partitions, and apply it', command: '<%= config.bin %> <%= command.id %> order-workers --topic orders:0,2 --to-latest --execute'},
    {description: 'Replay the last two hours of every partition the group has state for', command: '<%= config.bin %> <%= command.id %> order-workers --all-topics --by-duration PT2H --execute'},
  ]

  static args = {
    group: Args.string({description: 'The share group.', required: true, ignoreStdin: true}),
  }

  static flags = {
    topic: Flags.string({char: 't', summary: 'Topic, or topic:partition[,partition...] (repeatable).', multiple: true, multipleNonGreedy: true, exclusive: ['all-topics']}),
    'all-topics': Flags.boolean({summary: 'Every partition the group has a start offset for.'}),
    'to-earliest': Flags.boolean({summary: 'The log start offset.', helpGroup: TARGET}),
    'to-latest': Flags.boolean({summary: 'The log end offset.', helpGroup: TARGET}),
    'to-current': Flags.boolean({summary: 'The current start offset (log end where there is none).', helpGroup: TARGET}),
    'to-offset': Flags.string({summary: 'This offset on every partition.', helpGroup: TARGET}),
    'shift-by': Flags.string({summary: 'Move the start offset by ±N (e.g. 1 or -100).', helpGroup: TARGET}),
    'to-datetime': Flags.string({summary: `First offset at or after this time: ${TIME_HELP}.`, helpGroup: TARGET}),
    'by-duration': Flags.string({summary: 'First offset at or after now minus PnDTnHnMnS or 1h30m.', helpGroup: TARGET}),
    timezone: timezoneFlag('a --to-datetime'),
    execute: Flags.boolean({summary: 'Apply the plan (the default is a dry run).', exclusive: ['dry-run']}),
    'dry-run': Flags.boolean({summary: 'Only print the plan (the default).'}),
  }

  async run(): Promise<OffsetResetResult> {
    const {args, flags} = await this.parse(ShareGroupsResetOffsets)
    this.applyOutputFlags(flags)
    let target: ReturnType<typeof resetTargetFromFlags>
    let scopes: ReturnType<typeof parseTopicScope>[]
    try {
      target = resetTargetFromFlags(flags, Date.now())
      scopes = (flags.topic ?? []).map(parseTopicScope)
    } catch (error) {
      if (error instanceof PlanError) throw new UsageError(error.message)
      throw error
    }
    if (target.kind === 'file' || target.kind === 'group') throw new UsageError('share groups are reset to one of --to-earliest, --to-latest, --to-current, --to-offset, --shift-by, --to-datetime, --by-duration')
    if (!scopes.length && !flags['all-topics']) throw new UsageError('say which partitions: --topic t[:p,p] (repeatable) or --all-topics')
    const connection = await this.connect(flags)
    const {alterShareGroupOffsets, prepareShareReset} = await import('../../kafka/share-groups.js')
    const prepared = await prepareShareReset(connection, {group: args.group, scopes, allTopics: flags['all-topics'], target})
    for (const warning of prepared.warnings) this.warning(warning)
    if (prepared.problems.length) {
      for (const line of prepared.problems.slice(1)) this.note(`error: ${line}`)
      const more = prepared.problems.length > 1 ? ` (and ${prepared.problems.length - 1} more problem(s) above)` : ''
      throw new KadmError(`${prepared.problems[0]}${more}; nothing was changed`)
    }
    const result: OffsetResetResult = {
      mode: flags.execute ? 'execute' : 'dry-run',
      target: describeTarget(target),
      resolvedTime: target.kind === 'datetime' || target.kind === 'duration' ? formatInstant(target.timestamp) : null,
      groups: [{group: args.group, state: prepared.state, rows: prepared.rows}],
      warnings: prepared.warnings,
      undoFile: null,
    }
    if (flags.execute && prepared.rows.length) {
      const answers = await alterShareGroupOffsets(connection, args.group, prepared.rows.map((r) => ({topic: r.topic, partition: r.partition, startOffset: r.newOffset})))
      const errors = new Map(answers.map((a) => [`${a.topic}\u0000${a.partition}`, a.error]))
      for (const row of prepared.rows) row.error = errors.has(`${row.topic}\u0000${row.partition}`) ? errors.get(`${row.topic}\u0000${row.partition}`)! : 'NO_RESPONSE'
    }
    await this.emit(result, renderOffsetReset)
    const failed = prepared.rows.filter((r) => r.error)
    if (failed.length) {
      throw new KadmError(`${failed.length} of ${prepared.rows.length} partition(s) were not reset (${failed.slice(0, 3).map((r) => `${r.topic}:${r.partition} ${r.error}`).join(', ')})`)
    }
    return result
  }
}
