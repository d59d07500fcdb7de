import type {ChalkInstance} from 'chalk'

import {formatDuration, type GroupLag, type HeldBy, type GroupLagSummary, type GroupList, type LagRates, type LagSummary, type PartitionLag} from '../domain/lag.js'
import {renderKeyValues, renderTable, shortOnTerminal} from './table.js'
import {compareNames} from '../domain/order.js'

const lagColour = (chalk: ChalkInstance) => (text: string, lag: number | null | undefined) =>
  lag === null || lag === undefined ? text : lag > 0 ? chalk.yellow(text) : chalk.green(text)

const stateColour = (chalk: ChalkInstance) => (text: string) =>
  text === 'Stable' ? chalk.green(text) : text === 'Dead' || text === 'CoordinatorUnreachable' ? chalk.red(text) : /Rebalance|Assigning|Reconciling/.test(text) ? chalk.yellow(text) : text

export function renderGroupList(data: GroupList, chalk: ChalkInstance): string {
  if (data.groups.length === 0) return 'No consumer groups.'
  return renderTable(data.groups, [
    {header: 'GROUP', value: (g) => g.groupId, shrink: true},
    {header: 'STATE', value: (g) => g.state, colour: stateColour(chalk)},
    {header: 'TYPE', value: (g) => g.type},
    {header: 'PROTOCOL', value: (g) => g.protocolType || '(none)'},
    {header: 'ASSIGNOR', value: (g) => g.assignor || null},
    {header: 'MEMBERS', value: (g) => g.members, align: 'right'},
    {header: 'TOPICS', value: (g) => (g.topics.length > 0 ? g.topics.join(',') : null), shrink: true},
    {header: 'LAG', value: (g) => g.totalLag, align: 'right', colour: (t, g) => lagColour(chalk)(t, g.totalLag)},
  ], chalk)
}

/** Terminal columns a member id gets in an OWNER cell ("consumer-1-4f0c…"). */
const MEMBER_ID_WIDTH = 16

function ownerText(p: PartitionLag): string | null {
  // Member ids are long (client id and a UUID): on a terminal, enough of one to tell members apart.
  return p.owner ? `${shortOnTerminal(p.owner.memberId, MEMBER_ID_WIDTH)} (${p.owner.clientId}@${p.owner.host})` : null
}

export function renderGroupDescription(group: GroupLag, chalk: ChalkInstance): string {
  const header = renderKeyValues([
    ['Group', group.groupId],
    ['State', stateColour(chalk)(group.state)],
    ['Type', group.type === null ? null : `${group.type}${group.protocolType ? ` (protocol type ${group.protocolType})` : ''}`],
    ['Coordinator', `broker ${group.coordinator}`],
    ['Assignor', group.assignor || null],
    ['Members', group.members.length],
    ['Total lag', lagColour(chalk)(String(group.totalLag), group.totalLag)],
    ['Max lag', group.maxLag ? `${group.maxLag.lag} on ${group.maxLag.topic}:${group.maxLag.partition}` : null],
  ], chalk)
  const parts = [header]
  if (group.members.length > 0) {
    parts.push(renderTable(group.members, [
      {header: 'MEMBER-ID', value: (m) => m.memberId, shrink: true},
      {header: 'INSTANCE-ID', value: (m) => m.instanceId, shrink: true},
      {header: 'CLIENT-ID', value: (m) => m.clientId, shrink: true},
      {header: 'HOST', value: (m) => m.host, shrink: true},
      {header: 'PARTITIONS', value: (m) => compactAssignment(m.assignment)},
    ], chalk))
  }
  if (group.partitions.length > 0) {
    type Row = {topic: string; partition: string; committed: string | number | null; logEnd: number | null; lag: number | null; owner: string | null; total?: boolean}
    const rows: Row[] = []
    for (const t of group.topics) {
      for (const p of group.partitions.filter((x) => x.topic === t.topic)) {
        rows.push({topic: p.topic, partition: String(p.partition), committed: p.committed ?? 'none', logEnd: p.logEnd, lag: p.lag, owner: ownerText(p)})
      }
      rows.push({topic: t.topic, partition: 'total', committed: null, logEnd: null, lag: t.lag, owner: null, total: true})
    }
    parts.push(renderTable(rows, [
      {header: 'TOPIC', value: (r) => r.topic, colour: (t, r) => (r.total ? chalk.dim(t) : t), shrink: true},
      {header: 'PARTITION', value: (r) => r.partition, align: 'right', colour: (t, r) => (r.total ? chalk.dim(t) : t)},
      {header: 'COMMITTED', value: (r) => (r.total ? '' : r.committed), align: 'right', colour: (t) => (t === 'none' ? chalk.dim(t) : t)},
      {header: 'LOG-END', value: (r) => (r.total ? '' : r.logEnd), align: 'right'},
      {header: 'LAG', value: (r) => r.lag, align: 'right', colour: (t, r) => lagColour(chalk)(r.total ? chalk.bold(t) : t, r.lag)},
      {header: 'OWNER', value: (r) => (r.total ? '' : r.owner), shrink: true},
    ], chalk))
  } else if (group.state === 'CoordinatorUnreachable') {
    parts.push(chalk.red(`Its coordinator (broker ${group.coordinator}) did not answer: members and committed offsets are unknown.`))
  } else parts.push(chalk.dim('No committed offsets and no assigned partitions.'))
  return parts.join('\n\n')
}

export function renderGroupDescriptions(data: {groups: GroupLag[]}, chalk: ChalkInstance): string {
  if (data.groups.length === 0) return 'No consumer groups.'
  return data.groups.map((g) => renderGroupDescription(g, chalk)).join('\n\n' + chalk.dim('─'.repeat(40)) + '\n\n')
}

/** "orders:0-2,5 payments:1" */
export function compactAssignment(assignment: ReadonlyArray<{topic: string; partition: number}>): string | null {
  if (assignment.length === 0) return null
  const byTopic = new Map<string, number[]>()
  for (const a of assignment) byTopic.set(a.topic, [...(byTopic.get(a.topic) ?? []), a.partition])
  return [...byTopic].sort(([a], [b]) => compareNames(a, b)).map(([topic, ps]) => {
    const sorted = [...new Set(ps)].sort((a, b) => a - b)
    const ranges: string[] = []
    for (let i = 0; i < sorted.length; i++) {
      let j = i
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
      ranges.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]))
      i = j
    }
    return `${topic}:${ranges.join(',')}`
  }).join(' ')
}

const timeLagText = (ms: number | null) => (ms === null ? null : ms === 0 ? '0s' : formatDuration(ms))
const rate = (r: number | undefined) => (r === undefined ? null : r.toFixed(1))
const etaText = (r: LagRates | null | undefined) => (r === undefined || r === null ? null : r.etaMs === null ? 'never' : formatDuration(r.etaMs))

/**
 * The lag table and the total. With `maxGroups` (a --watch screen) and more groups than that:
 * the ones with the most lag, and one line counting the others and their lag.
 */
export function renderLagSummary(data: LagSummary, chalk: ChalkInstance, options: {maxGroups?: number} = {}, now = Date.now()): string {
  if (data.groups.length === 0) return 'No consumer groups.'
  const watching = data.groups.some((g) => g.rates !== undefined)
  let shown = data.groups
  let more = ''
  if (options.maxGroups !== undefined && data.groups.length > options.maxGroups) {
    const worst = [...data.groups].sort((a, b) => (b.totalLag ?? -1) - (a.totalLag ?? -1)).slice(0, options.maxGroups)
    const kept = new Set(worst)
    shown = data.groups.filter((g) => kept.has(g))
    const rest = data.groups.filter((g) => !kept.has(g))
    more = `\n${chalk.dim(`… ${rest.length} more group${rest.length === 1 ? '' : 's'} with ${rest.reduce((sum, g) => sum + (g.totalLag ?? 0), 0)} lag in all (the terminal is too short to show them)`)}`
  }
  const table = renderTable(shown, [
    {header: 'GROUP', value: (g) => g.groupId, shrink: true},
    {header: 'STATE', value: (g) => g.state, colour: stateColour(chalk)},
    {header: 'MEMBERS', value: (g) => g.members, align: 'right'},
    {header: 'PARTITIONS', value: (g) => g.partitions, align: 'right'},
    {header: 'LAG', value: (g) => g.totalLag, align: 'right', colour: (t, g) => lagColour(chalk)(t, g.totalLag)},
    {header: 'MAX-LAG', value: (g) => g.maxLag?.lag, align: 'right'},
    {header: 'MAX-LAG-PARTITION', value: (g) => (g.maxLag ? `${g.maxLag.topic}:${g.maxLag.partition}` : null), shrink: true},
    {header: 'TIME-LAG', value: (g) => timeLagText(g.timeLagMs), align: 'right'},
    ...(watching
      ? [
        {header: 'CONSUME/S', value: (g: GroupLagSummary) => rate(g.rates?.consumeRate), align: 'right' as const},
        {header: 'PRODUCE/S', value: (g: GroupLagSummary) => rate(g.rates?.produceRate), align: 'right' as const},
        {header: 'ETA', value: (g: GroupLagSummary) => etaText(g.rates), align: 'right' as const},
      ]
      : []),
  ], chalk)
  const max = data.maxLag ? `, max ${data.maxLag.lag} (${data.maxLag.groupId} on ${data.maxLag.topic}:${data.maxLag.partition})` : ''
  const held = shown.flatMap((g) => (g.heldByTransactions ?? []).map((h) => chalk.yellow(heldLine(g.groupId, h, now))))
  return `${table}${more}\n\n${chalk.bold('Total lag:')} ${data.totalLag} over ${data.groups.length} group${data.groups.length === 1 ? '' : 's'}${max}${held.length > 0 ? `\n\n${held.join('\n')}` : ''}`
}

/** "g waits behind an open transaction on t:0 ...": what read_committed consumers of the group see. */
export function heldLine(groupId: string, h: {topic: string; partition: number} & HeldBy, now: number): string {
  const who = h.producerId === null ? 'a producer the leader no longer lists' : `producer ${h.producerId} (epoch ${h.producerEpoch})`
  const age = h.lastTimestamp === null ? '' : `, last written ${formatDuration(now - h.lastTimestamp)} ago`
  return `${groupId} waits behind an open transaction on ${h.topic}:${h.partition}: read_committed consumers stop at the last stable offset ${h.lastStableOffset}, held by ${who}${age} (see kadm transactions describe-producers ${h.topic}:${h.partition})`
}

/** One plain line per group per sample, for --watch without a terminal (logs, pipes). */
export function renderLagLines(data: LagSummary): string {
  return data.groups.map((g) => [
    data.at,
    `group=${g.groupId}`,
    `state=${g.state}`,
    `lag=${g.totalLag}`,
    `max-lag=${g.maxLag ? `${g.maxLag.lag}@${g.maxLag.topic}:${g.maxLag.partition}` : 0}`,
    `time-lag=${timeLagText(g.timeLagMs) ?? '-'}`,
    `consume/s=${rate(g.rates?.consumeRate) ?? '-'}`,
    `produce/s=${rate(g.rates?.produceRate) ?? '-'}`,
    `eta=${etaText(g.rates) ?? '-'}`,
  ].join(' ')).join('\n')
}

export interface DeleteResult {
  dryRun: boolean
  groups: Array<{groupId: string; deleted: boolean; error: string | null}>
}

export function renderDeleteResult(data: DeleteResult, chalk: ChalkInstance): string {
  return renderTable(data.groups, [
    {header: 'GROUP', value: (g) => g.groupId, shrink: true},
    {header: 'STATUS', value: (g) => (data.dryRun ? 'would delete' : g.deleted ? 'deleted' : `failed: ${g.error}`), colour: (t) => (t === 'deleted' ? chalk.green(t) : t.startsWith('failed') ? chalk.red(t) : t)},
  ], chalk)
}
