import type {ChalkInstance} from 'chalk'

import type {PlanRow} from '../domain/offset-reset.js'
import {renderKeyValues, renderTable, unknownIfFailed} from './table.js'

export interface ShownPartition {
  topic: string
  partition: number
  earliestOffset: number | null
  latestOffset: number | null
  /** With --time: the first offset at or after the time (null: none), and that record's timestamp. */
  offsetAtTime?: number | null
  timestampAtTime?: string | null
  /** With --group: the committed offset (null: none) and latest - committed. */
  committedOffset?: number | null
  lag?: number | null
  error?: string
}

export interface OffsetsShowResult {
  /** The instant --time resolved to (ISO-8601, UTC), "earliest"/"latest", or null without --time. */
  time: string | null
  group: string | null
  partitions: ShownPartition[]
}

export function renderOffsetsShow(data: OffsetsShowResult, chalk: ChalkInstance): string {
  const columns: Parameters<typeof renderTable<ShownPartition>>[1][number][] = [
    {header: 'TOPIC', value: (r) => r.topic, shrink: true},
    {header: 'PARTITION', value: (r) => r.partition, align: 'right'},
    {header: 'EARLIEST', value: (r) => unknownIfFailed(r, r.earliestOffset), align: 'right'},
    {header: 'LATEST', value: (r) => unknownIfFailed(r, r.latestOffset), align: 'right'},
  ]
  if (data.time !== null) {
    columns.push({header: 'AT-TIME', value: (r) => unknownIfFailed(r, r.offsetAtTime), align: 'right'})
    if (data.time !== 'earliest' && data.time !== 'latest') columns.push({header: 'RECORD-TIME', value: (r) => r.timestampAtTime})
  }
  if (data.group !== null) {
    columns.push({header: 'COMMITTED', value: (r) => r.committedOffset, align: 'right'})
    columns.push({header: 'LAG', value: (r) => r.lag, align: 'right', colour: (t, r) => ((r.lag ?? 0) > 0 ? chalk.yellow(t) : t)})
  }
  if (data.partitions.some((p) => p.error)) columns.push({header: 'ERROR', value: (r) => r.error, colour: (t) => chalk.red(t)})
  const head: Array<[string, string]> = []
  if (data.time !== null) head.push(['Time', data.time])
  if (data.group !== null) head.push(['Group', data.group])
  const table = renderTable(data.partitions, columns, chalk)
  return head.length ? `${renderKeyValues(head, chalk)}\n\n${table}` : table
}

export interface OffsetResetResult {
  /** dry-run: nothing was committed; execute: every row carries its commit status in `error`. */
  mode: 'dry-run' | 'execute'
  target: string
  /** The instant --to-datetime / --by-duration resolved to (ISO-8601, UTC); null for other targets. */
  resolvedTime: string | null
  groups: Array<{group: string; state: string; rows: PlanRow[]}>
  warnings: string[]
  /** With --execute: the CSV holding the offsets before the reset (for --from-file). */
  undoFile: string | null
}

const signed = (n: number | null) => (n === null ? null : n > 0 ? `+${n}` : String(n))

export function renderOffsetReset(data: OffsetResetResult, chalk: ChalkInstance): string {
  const rows = data.groups.flatMap((g) => g.rows)
  const columns: Parameters<typeof renderTable<PlanRow>>[1][number][] = [
    {header: 'GROUP', value: (r) => r.group, shrink: true},
    {header: 'TOPIC', value: (r) => r.topic, shrink: true},
    {header: 'PARTITION', value: (r) => r.partition, align: 'right'},
    {header: 'CURRENT', value: (r) => r.currentOffset, align: 'right'},
    {header: 'NEW', value: (r) => r.newOffset, align: 'right'},
    {header: 'CHANGE', value: (r) => signed(r.change), align: 'right'},
    {header: 'LAG-AFTER', value: (r) => r.lagAfter, align: 'right'},
  ]
  if (data.mode === 'execute') {
    columns.push({header: 'STATUS', value: (r) => r.error ?? 'committed', colour: (t, r) => (r.error ? chalk.red(t) : chalk.green(t))})
  }
  const head: Array<[string, string]> = [['Target', data.target]]
  if (data.resolvedTime) head.push(['Resolved time', data.resolvedTime])
  const footer = data.mode === 'dry-run'
    ? chalk.dim('Dry run: nothing was committed. Add --execute to apply this plan.')
    : `${rows.filter((r) => !r.error).length} of ${rows.length} partition(s) committed.`
  return `${renderKeyValues(head, chalk)}\n\n${rows.length ? renderTable(rows, columns, chalk) : 'Nothing to reset.'}\n\n${footer}`
}

export interface DeletedOffset {
  topic: string
  partition: number
  /** The committed offset before the delete (null: none). */
  committedOffset: number | null
  /** dry-run: "would delete"; else "deleted" or Kafka's error. */
  status: string
  reason?: string
}

export interface OffsetsDeleteResult {
  group: string
  mode: 'dry-run' | 'execute'
  partitions: DeletedOffset[]
}

export function renderOffsetsDelete(data: OffsetsDeleteResult, chalk: ChalkInstance): string {
  const ok = new Set(['deleted', 'would delete'])
  const columns: Parameters<typeof renderTable<DeletedOffset>>[1][number][] = [
    {header: 'TOPIC', value: (r) => r.topic, shrink: true},
    {header: 'PARTITION', value: (r) => r.partition, align: 'right'},
    {header: 'COMMITTED', value: (r) => r.committedOffset, align: 'right'},
    {header: 'STATUS', value: (r) => r.status, colour: (t, r) => (ok.has(r.status) ? chalk.green(t) : chalk.red(t))},
  ]
  if (data.partitions.some((p) => p.reason)) columns.push({header: 'REASON', value: (r) => r.reason})
  const table = renderTable(data.partitions, columns, chalk)
  return data.mode === 'dry-run' ? `${table}\n\n${chalk.dim('Dry run: nothing was deleted.')}` : table
}
