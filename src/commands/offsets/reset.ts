import * as Flags from '@oclif/core/flags'
import {randomBytes} from 'node:crypto'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {ClusterCommand} from '../../cluster-command.js'
import {stateDir} from '../../config/paths.js'
import {CsvError, formatOffsetCsv, parseOffsetCsv} from '../../domain/offset-csv.js'
import {describeTarget, parseTopicScope, PlanError, resetTargetFromFlags, type ResetTarget} from '../../domain/offset-reset.js'
import {formatInstant} from '../../domain/time-spec.js'
import {KadmError, UsageError} from '../../errors.js'
import {TIME_HELP, timezoneFlag} from '../../flags/time.js'
import {type OffsetResetResult, renderOffsetReset} from '../../render/offsets.js'

const TARGET = 'TARGET (exactly one)'

export default class OffsetsReset extends ClusterCommand {
  static summary = "Reset a consumer group's committed offsets: dry run by default, --execute to commit, with an undo file."
  static description = `Every target of kafka-consumer-groups.sh --reset-offsets, computed the same way: targets outside [log start, log end] are clamped with a warning; a time with no record at or after it goes to the log end. The group must be Empty or Dead (kadm names the active members otherwise); a group that does not exist yet gets its offsets created.

Offsets are committed with one admin-style OffsetCommit per group sent to its coordinator (generation -1, no member id): kadm never joins the group. If any part of the plan is invalid nothing is committed. With --execute the previous offsets are first written to an undo CSV that --from-file accepts.`
  static examples = [
    {description: 'Preview a reset of every partition of a topic to the start', command: '<%= config.bin %> <%= command.id %> --group billing --topic orders --to-earliest'},
    {description: 'Rewind two partitions to a point in time (naive times are UTC) and apply it', command: '<%= config.bin %> <%= command.id %> --group billing --topic orders:0,2 --to-datetime 2026-01-01T00:00:00 --execute'},
    {description: 'Skip one poison record on every partition the group consumes', command: '<%= config.bin %> <%= command.id %> --group billing --all-topics --shift-by 1 --execute'},
    {description: 'Undo a reset with the file --execute wrote', command: '<%= config.bin %> <%= command.id %> --group billing --from-file ~/.local/state/kadm/kadm-undo-billing-20260101T000000.000Z-4242-a1b2c3.csv --execute'},
    {description: 'Export the plan as Kafka-compatible CSV', command: '<%= config.bin %> <%= command.id %> --group billing --topic orders --by-duration PT2H --export > plan.csv'},
    {description: 'The plan as JSON, for scripts', command: '<%= config.bin %> <%= command.id %> --group billing --topic orders --to-latest -o json'},
  ]

  static flags = {
    group: Flags.string({char: 'g', summary: 'Consumer group, or a glob of existing groups (repeatable).', multiple: true, multipleNonGreedy: true, exclusive: ['all-groups']}),
    'all-groups': Flags.boolean({summary: 'Every consumer group of the cluster.'}),
    topic: Flags.string({char: 't', summary: 'Topic or glob (orders-*), or topic:partition[,partition...] (repeatable).', multiple: true, multipleNonGreedy: true, exclusive: ['all-topics']}),
    'all-topics': Flags.boolean({summary: 'Every partition the group has committed offsets for.'}),
    'to-earliest': Flags.boolean({summary: 'The log start offset.', helpGroup: TARGET}),
    'to-latest': Flags.boolean({summary: 'The log end offset.', helpGroup: TARGET}),
    'to-current': Flags.boolean({summary: 'The committed offset (log end where there is none).', helpGroup: TARGET}),
    'to-offset': Flags.string({summary: 'This offset on every partition.', helpGroup: TARGET}),
    'shift-by': Flags.string({summary: 'Move the committed offset by ±N (e.g. 1 or -100).', helpGroup: TARGET}),
    'to-datetime': Flags.string({summary: `First offset at or after this time: ${TIME_HELP}.`, helpGroup: TARGET}),
    'by-duration': Flags.string({summary: 'First offset at or after now minus PnDTnHnMnS or 1h30m.', helpGroup: TARGET}),
    'from-file': Flags.string({summary: "A CSV plan: topic,partition,offset or group,topic,partition,offset (Kafka's --export, kadm's undo file).", helpGroup: TARGET}),
    'from-group': Flags.string({summary: "Copy another group's committed offsets.", helpGroup: TARGET}),
    timezone: timezoneFlag('a --to-datetime'),
    execute: Flags.boolean({summary: 'Commit the plan (the default is a dry run).', exclusive: ['dry-run']}),
    'dry-run': Flags.boolean({summary: 'Only print the plan (the default).'}),
    export: Flags.boolean({summary: 'Print the plan as CSV (kafka-consumer-groups.sh --export) instead of a table.'}),
    'undo-file': Flags.string({summary: 'Where --execute writes the previous offsets. Default: a new kadm-undo-<group>-<time>-<pid>-<random>.csv in $XDG_STATE_HOME/kadm (~/.local/state/kadm).'}),
  }

  async run(): Promise<OffsetResetResult> {
    const {flags} = await this.parse(OffsetsReset)
    this.applyOutputFlags(flags)
    if (!flags.group?.length && !flags['all-groups']) throw new UsageError('say which group: --group G (repeatable) or --all-groups')
    const now = Date.now()
    let requested: ReturnType<typeof resetTargetFromFlags>
    let scopes: ReturnType<typeof parseTopicScope>[]
    try {
      requested = resetTargetFromFlags(flags, now)
      scopes = (flags.topic ?? []).map(parseTopicScope)
    } catch (error) {
      if (error instanceof PlanError) throw new UsageError(error.message)
      throw error
    }
    if (!scopes.length && !flags['all-topics'] && requested.kind !== 'file' && requested.kind !== 'group') {
      throw new UsageError('say which partitions: --topic t[:p,p] (repeatable) or --all-topics')
    }
    const connection = await this.connect(flags)
    scopes = await this.expandTopicScopes(connection, scopes)
    const {listGroups} = await import('../../kafka/groups.js')
    // Groups by name or glob; a name needs no group yet (a reset can create its offsets).
    const selection = flags['all-groups'] ? {ids: null} : await this.selectGroups(connection, [...new Set(flags.group)])
    const groups = selection.ids ?? (await listGroups(connection)).map((g) => g.groupId)
    if (groups.length === 0) throw new KadmError(flags['all-groups'] ? 'the cluster has no consumer groups' : 'no group to reset')
    const target: ResetTarget = requested.kind === 'file' ? await this.readPlan(requested.path, groups) : requested

    const {applyReset, prepareReset} = await import('../../kafka/offset-reset.js')
    const prepared = await prepareReset(connection, {groups, scopes, allTopics: flags['all-topics'], target})
    for (const warning of prepared.warnings) this.warning(warning)
    if (prepared.refusals.length) {
      for (const line of prepared.refusals.slice(1)) this.note(`error: ${line}`)
      throw new KadmError(prepared.refusals[0])
    }
    if (prepared.problems.length) {
      for (const line of prepared.problems.slice(1)) this.note(`error: ${line}`)
      const more = prepared.problems.length > 1 ? ` (and ${prepared.problems.length - 1} more problem(s) above)` : ''
      throw new KadmError(`${prepared.problems[0]}${more}; nothing was committed`)
    }
    const result: OffsetResetResult = {
      mode: flags.execute ? 'execute' : 'dry-run',
      target: describeTarget(target),
      resolvedTime: target.kind === 'datetime' || target.kind === 'duration' ? formatInstant(target.timestamp) : null,
      groups: prepared.groups,
      warnings: prepared.warnings,
      undoFile: null,
    }
    const rows = prepared.groups.flatMap((g) => g.rows)
    if (flags.execute && rows.length) {
      result.undoFile = await this.writeUndo(flags['undo-file'], prepared.groups, now)
      await applyReset(connection, prepared.groups, prepared.coordinators)
    }
    if (flags.export) {
      process.stdout.write(formatOffsetCsv(rows.map((r) => ({group: r.group, topic: r.topic, partition: r.partition, offset: r.newOffset})), groups.length > 1))
    } else {
      await this.emit(result, renderOffsetReset)
    }
    const failed = rows.filter((r) => r.error)
    if (failed.length) {
      throw new KadmError(`${failed.length} of ${rows.length} partition(s) were not committed (${failed.slice(0, 3).map((r) => `${r.group} ${r.topic}:${r.partition} ${r.error}`).join(', ')})`)
    }
    return result
  }

  private async readPlan(path: string, groups: string[]): Promise<ResetTarget> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      throw new KadmError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
    try {
      return {kind: 'file', path, offsets: parseOffsetCsv(text, groups)}
    } catch (error) {
      if (error instanceof CsvError) throw new KadmError(`${path}: ${error.message}`)
      throw error
    }
  }

  /** Saves the offsets before the reset (written before committing, so a failed commit still leaves it). */
  private async writeUndo(path: string | undefined, groups: OffsetResetResult['groups'], now: number): Promise<string> {
    const rows = groups.flatMap((g) => g.rows)
    const previous = rows.filter((r) => r.currentOffset !== null)
    // Milliseconds, pid and a random suffix, created exclusively: runs in the same instant (a loop, two shells) never share a file.
    const stamp = formatInstant(now).replace(/[-:]/g, '')
    const name = `kadm-undo-${groups.length === 1 ? groups[0].group.replace(/[^\w.-]/g, '_') : 'groups'}-${stamp}-${process.pid}-${randomBytes(3).toString('hex')}.csv`
    const file = path ? resolve(path) : join(stateDir(), name)
    const csv = formatOffsetCsv(previous.map((r) => ({group: r.group, topic: r.topic, partition: r.partition, offset: r.currentOffset!})), groups.length > 1)
    try {
      if (!path) await mkdir(stateDir(), {recursive: true, mode: 0o700})
      await writeFile(file, csv, {flag: path ? 'w' : 'wx'})
    } catch (error) {
      throw new KadmError(`cannot write the undo file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; nothing was committed`)
    }
    this.note(`undo file: ${file} (restore with: kadm offsets reset ${groups.length === 1 ? `--group ${groups[0].group}` : groups.map((g) => `--group ${g.group}`).join(' ')} --from-file ${file} --execute)`)
    const without = rows.length - previous.length
    if (without) this.warning(`${without} partition(s) had no committed offset: the undo file cannot remove the offsets created for them (use kadm offsets delete)`)
    return file
  }
}
