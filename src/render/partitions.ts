import type {ChalkInstance} from 'chalk'

import {FAULT_MARKERS, type HealthSummary, PARTITION_MARKERS, type PartitionState} from '../domain/partition-state.js'
import type {SizeRow} from '../domain/partition-sizes.js'
import type {MoveSummary, ReassignmentPlan, VerifyResult} from '../domain/reassignment.js'
import type {LogDirMoveStatus} from '../domain/log-dirs.js'
import type {LogDirMoves} from '../kafka/log-dirs.js'
import type {ElectionResult, TruncateResult} from '../kafka/partitions.js'
import type {AddPartitionsResult} from '../kafka/topics.js'
import type {ApplyResult, CancelResult, GeneratedPlan, OngoingReassignment, VerifyReport} from '../kafka/reassignment.js'
import {type Column, renderTable} from './table.js'

const ids = (list: readonly number[]) => list.join(',')

export interface PartitionList {
  partitions: PartitionState[]
  summary: HealthSummary
}

export function renderPartitionList(data: PartitionList, chalk: ChalkInstance): string {
  const table = renderTable(data.partitions, [
    {header: 'TOPIC', value: (p) => p.topic, shrink: true},
    {header: 'PARTITION', value: (p) => p.partition, align: 'right'},
    {header: 'LEADER', value: (p) => (p.leader < 0 ? 'none' : p.leader), align: 'right'},
    {header: 'PREFERRED', value: (p) => p.preferredLeader, align: 'right'},
    {header: 'REPLICAS', value: (p) => ids(p.replicas)},
    {header: 'ISR', value: (p) => ids(p.isr)},
    {header: 'OFFLINE', value: (p) => (p.offlineReplicas.length ? ids(p.offlineReplicas) : '')},
    {header: 'MIN-ISR', value: (p) => p.minIsr, align: 'right'},
    {header: 'STATE', value: (p) => p.markers.join(' '), colour: (t, p) => (p.markers.some((m) => FAULT_MARKERS.includes(m)) ? chalk.red(t) : t ? chalk.yellow(t) : t)},
  ], chalk)
  const s = data.summary
  const lines = [`${s.partitions} partition(s), ${s.healthy} healthy`, ...PARTITION_MARKERS.filter((m) => s[m] > 0).map((m) => `${m}: ${s[m]}`)]
  return `${data.partitions.length > 0 ? table + '\n\n' : ''}${lines.join('\n')}`
}

export function renderAddPartitions(data: AddPartitionsResult): string {
  return `${data.validateOnly ? 'would grow' : 'grew'} ${data.topic} from ${data.before} to ${data.after} partitions${data.validateOnly ? ' (dry run, validated by the broker)' : ''}`
}

export function renderElection(data: {electionType: string; dryRun: boolean; results: ElectionResult[]}, chalk: ChalkInstance): string {
  if (data.results.length === 0) return `no partition ${data.dryRun ? 'would change' : 'needed'} a ${data.electionType} leader election`
  const table = renderTable(data.results, [
    {header: 'TOPIC', value: (r) => r.topic, shrink: true},
    {header: 'PARTITION', value: (r) => r.partition, align: 'right'},
    {header: 'RESULT', value: (r) => (r.outcome === 'failed' ? `failed: ${r.error}` : r.newLeader !== undefined ? `${r.outcome} (broker ${r.newLeader})` : r.outcome), colour: (t, r) => (r.outcome === 'failed' || r.outcome === 'not-eligible' ? chalk.red(t) : r.outcome === 'elected' || r.outcome === 'would-elect' ? chalk.green(t) : t)},
  ], chalk)
  return data.dryRun ? `${table}\n\n(dry run: nothing elected)` : table
}

export function renderTruncate(data: {dryRun: boolean; partitions: Array<TruncateResult & {target: number}>}, chalk: ChalkInstance): string {
  return renderTable(data.partitions, [
    {header: 'TOPIC', value: (r) => r.topic, shrink: true},
    {header: 'PARTITION', value: (r) => r.partition, align: 'right'},
    {header: 'START-BEFORE', value: (r) => r.before, align: 'right'},
    {header: data.dryRun ? 'WOULD-START-AT' : 'START-AFTER', value: (r) => (data.dryRun ? r.target : r.after), align: 'right'},
    {header: 'ERROR', value: (r) => r.error ?? '', colour: (t) => chalk.red(t)},
  ], chalk)
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/** 1536 -> "1.5 KiB": binary units, three significant digits. */
export function humanBytes(bytes: number | null): string {
  if (bytes === null) return '-'
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${UNITS[unit]}`
}

export function renderSizes(data: {by: string; rows: SizeRow[]; totalBytes: number; unreachable: Array<{broker: number; error: string}>; bytes: boolean}, chalk: ChalkInstance): string {
  const size = (n: number | null) => (data.bytes ? (n ?? '-') : humanBytes(n))
  const columns: Array<Column<SizeRow>> = [
    {header: data.by.toUpperCase(), value: (r: SizeRow) => r.name},
    {header: 'SIZE', value: (r: SizeRow) => size(r.bytes), align: 'right' as const},
    {header: 'REPLICAS', value: (r: SizeRow) => r.replicas, align: 'right' as const},
  ]
  if (data.by === 'partition') columns.push({header: 'PER BROKER', value: (r: SizeRow) => (r.perBroker ?? []).map((b) => `${b.broker}:${size(b.bytes)}`).join(' '), align: 'left' as const})
  if (data.by === 'logdir' || data.by === 'broker') {
    columns.push({header: 'USABLE', value: (r: SizeRow) => size(r.usableBytes ?? null), align: 'right' as const})
    columns.push({header: 'TOTAL', value: (r: SizeRow) => size(r.totalBytes ?? null), align: 'right' as const})
    if (data.rows.some((r) => r.error !== undefined)) {
      columns.push({header: 'STATE', value: (r: SizeRow) => (r.error === undefined ? 'online' : data.by === 'logdir' ? `offline (${r.error})` : r.error), align: 'left' as const, colour: (t: string) => (t === 'online' ? t : chalk.red(t))})
    }
  }
  const lines = [renderTable(data.rows, columns, chalk), '', `total on disk (all replicas): ${size(data.totalBytes)}`]
  for (const u of data.unreachable) lines.push(chalk.yellow(`broker ${u.broker} did not answer: ${u.error}`))
  return lines.join('\n')
}

function planJson(plan: ReassignmentPlan): string {
  return JSON.stringify(plan)
}

export function renderGeneratedPlan(data: GeneratedPlan & {summary: MoveSummary; files: string[]}): string {
  const s = data.summary
  return [
    'Current partition replica assignment (keep it to roll back)',
    planJson(data.current),
    '',
    'Proposed partition reassignment configuration',
    planJson(data.proposed),
    '',
    `${s.partitions} partition(s) move: ${s.replicasAdded} replica(s) to copy, ${s.replicasRemoved} to remove, ${s.leaderChanges} preferred leader change(s)`,
    ...data.files.map((f) => `wrote ${f}`),
  ].join('\n')
}

export function renderApply(data: ApplyResult, chalk: ChalkInstance): string {
  const lines: string[] = []
  if (data.started.length > 0) {
    lines.push(renderTable(data.started, [
      {header: 'TOPIC', value: (r) => r.topic, shrink: true},
      {header: 'PARTITION', value: (r) => r.partition, align: 'right'},
      {header: 'FROM', value: (r) => ids(r.from)},
      {header: 'TO', value: (r) => ids(r.to)},
    ], chalk), '')
  }
  for (const f of data.failed) lines.push(chalk.red(`${f.topic}-${f.partition}: ${f.error}`))
  const verb = data.dryRun ? 'would start' : 'started'
  lines.push(`${verb} ${data.started.length} reassignment(s); ${data.unchanged} partition(s) already in place${data.throttle !== null ? `; throttle ${humanBytes(data.throttle)}/s (removed by \`verify\`)` : ''}`)
  if (data.logDirs) lines.push('', renderLogDirMoves(data.logDirs, chalk))
  return lines.join('\n')
}

export function renderOngoing(data: {reassignments: OngoingReassignment[]}, chalk: ChalkInstance): string {
  if (data.reassignments.length === 0) return 'no partition reassignment in progress'
  return renderTable(data.reassignments, [
    {header: 'TOPIC', value: (r) => r.topic, shrink: true},
    {header: 'PARTITION', value: (r) => r.partition, align: 'right'},
    {header: 'REPLICAS', value: (r) => ids(r.replicas)},
    {header: 'ADDING', value: (r) => ids(r.adding)},
    {header: 'REMOVING', value: (r) => ids(r.removing)},
  ], chalk)
}

export function renderVerify(data: VerifyReport, chalk: ChalkInstance): string {
  const table = renderTable(data.partitions, [
    {header: 'TOPIC', value: (r: VerifyResult) => r.topic, shrink: true},
    {header: 'PARTITION', value: (r) => r.partition, align: 'right'},
    {header: 'TARGET', value: (r) => ids(r.target)},
    {header: 'REPLICAS', value: (r) => ids(r.replicas)},
    {header: 'STATE', value: (r) => r.state, colour: (t) => (t === 'complete' ? chalk.green(t) : chalk.yellow(t))},
  ], chalk)
  const done = data.partitions.filter((p) => p.state === 'complete').length
  const dirsDone = data.logDirs.filter((d) => d.state === 'complete').length
  const dirs = data.logDirs.length > 0 ? `, ${dirsDone}/${data.logDirs.length} log dir move(s)` : ''
  const tail = data.complete
    ? `reassignment complete (${done}/${data.partitions.length}${dirs})${data.throttlesCleared ? '; throttles removed' : ''}`
    : `reassignment not complete: ${done}/${data.partitions.length} partition(s)${dirs} done`
  return data.logDirs.length > 0 ? `${table}\n\n${renderLogDirStatuses(data.logDirs, chalk)}\n\n${tail}` : `${table}\n\n${tail}`
}

/** The log dir moves of `partitions move-log-dir` and of a plan with log_dirs. */
export function renderLogDirMoves(data: LogDirMoves & {waited?: LogDirMoveStatus[]}, chalk: ChalkInstance): string {
  const lines: string[] = []
  if (data.started.length > 0) {
    lines.push(renderTable(data.started, [
      {header: 'TOPIC', value: (r) => r.topic, shrink: true},
      {header: 'PARTITION', value: (r) => r.partition, align: 'right'},
      {header: 'BROKER', value: (r) => r.broker, align: 'right'},
      {header: 'FROM', value: (r) => r.from ?? '(not on the broker yet)'},
      {header: 'TO', value: (r) => r.dir},
    ], chalk), '')
  }
  for (const f of data.failed) lines.push(chalk.red(`${f.topic}-${f.partition} on broker ${f.broker}: ${f.error}`))
  lines.push(`${data.dryRun ? 'would start' : 'started'} ${data.started.length} log dir move(s); ${data.unchanged.length} replica(s) already in their log dir`)
  if (data.waited && data.waited.length > 0) {
    const done = data.waited.filter((s) => s.state === 'complete').length
    lines.push(done === data.waited.length ? `all ${done} move(s) complete` : chalk.yellow(`${done}/${data.waited.length} move(s) complete; ${data.waited.filter((s) => s.state !== 'complete').map((s) => `${s.topic}-${s.partition} on broker ${s.broker}: ${s.state}`).join(', ')}`))
  }
  return lines.join('\n')
}

export function renderLogDirStatuses(statuses: readonly LogDirMoveStatus[], chalk: ChalkInstance): string {
  return renderTable(statuses, [
    {header: 'TOPIC', value: (r: LogDirMoveStatus) => r.topic, shrink: true},
    {header: 'PARTITION', value: (r) => r.partition, align: 'right'},
    {header: 'BROKER', value: (r) => r.broker, align: 'right'},
    {header: 'TARGET DIR', value: (r) => r.dir},
    {header: 'CURRENT DIR', value: (r) => r.current ?? '-'},
    {header: 'COPYING TO', value: (r) => r.future ?? '-'},
    {header: 'STATE', value: (r) => r.state, colour: (t) => (t === 'complete' ? chalk.green(t) : chalk.yellow(t))},
  ], chalk)
}

export function renderCancel(data: CancelResult, chalk: ChalkInstance): string {
  const lines = data.cancelled.map((c) => `cancelled ${c.topic}-${c.partition}`)
  for (const f of data.failed) lines.push(chalk.red(`${f.topic}-${f.partition}: ${f.error}`))
  return lines.length > 0 ? lines.join('\n') : 'no partition reassignment in progress to cancel'
}
