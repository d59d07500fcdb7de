import {compareNames} from './order.js'
import {nameMatcher} from './name-match.js'

/**
 * Consumer lag maths: per partition, per topic, per group and for the cluster; lag as time (the
 * age of the oldest unconsumed record); consume/produce rates and time to catch up between two
 * samples. Pure: the kafka layer feeds it plain offsets.
 */

export interface TopicPartitionRef {
  topic: string
  partition: number
}

export interface LagMember {
  memberId: string
  instanceId: string | null
  clientId: string
  host: string
  assignment: TopicPartitionRef[]
}

export interface PartitionOwner {
  memberId: string
  clientId: string
  host: string
}

export interface PartitionLag {
  topic: string
  partition: number
  /** null: the group has no committed offset for this partition (not the same as lag 0). */
  committed: number | null
  /** null when the leader did not answer. */
  logEnd: number | null
  /** logEnd - committed, as Kafka's ConsumerGroupCommand computes it; null when either is unknown. */
  lag: number | null
  owner: PartitionOwner | null
  /** Timestamp (ms) of the oldest record not consumed yet; only when asked for and lag > 0. */
  oldestUnconsumedTimestamp?: number | null
  /**
   * The open transaction the group waits behind: its committed offset is the partition's last
   * stable offset, below the log end, so a read_committed consumer gets nothing more until that
   * transaction commits or aborts. Only when asked for (lag) and so.
   */
  openTransaction?: HeldBy
}

/** An open transaction holding a partition's last stable offset back. */
export interface HeldBy {
  lastStableOffset: number
  /** null when the leader did not say which producer (its producer state changed meanwhile). */
  producerId: number | null
  producerEpoch: number | null
  /** Last write of that producer (ms); null when unknown. */
  lastTimestamp: number | null
}

/**
 * Whether a group's partition waits behind an open transaction: committed exactly at the last
 * stable offset (where read_committed consumers stop) and records after it.
 */
export function heldAtLastStableOffset(committed: number | null, lastStableOffset: number | null, logEnd: number | null): boolean {
  return committed !== null && lastStableOffset !== null && logEnd !== null && committed === lastStableOffset && lastStableOffset < logEnd
}

export interface TopicLag {
  topic: string
  partitions: number
  /** Partitions with no committed offset. */
  withoutOffset: number
  lag: number
}

export interface MaxLag {
  topic: string
  partition: number
  lag: number
}

export interface LagTotals {
  totalLag: number
  maxLag: MaxLag | null
  topics: TopicLag[]
  /** Age (ms) of the oldest unconsumed record over all partitions, when time lag was asked for. */
  timeLagMs?: number | null
  /** Timestamp (ms) of that record. */
  oldestUnconsumedTimestamp?: number | null
}

export interface GroupInfo {
  groupId: string
  state: string
  type: string | null
  protocolType: string
  assignor: string
  coordinator: number
  members: LagMember[]
}

export interface GroupLag extends GroupInfo, LagTotals {
  partitions: PartitionLag[]
}

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`

export function partitionLag(committed: number | null, logEnd: number | null): number | null {
  if (committed === null || logEnd === null) return null
  return logEnd - committed
}

/**
 * One row per partition the group has a committed offset for or a member is assigned, like
 * `kafka-consumer-groups.sh --describe`: assigned partitions without a commit show committed null.
 */
export function buildPartitionLags(
  members: readonly LagMember[],
  committed: ReadonlyArray<TopicPartitionRef & {offset: number}>,
  logEnds: ReadonlyMap<string, number | null>,
): PartitionLag[] {
  const rows = new Map<string, PartitionLag>()
  const row = (topic: string, partition: number): PartitionLag => {
    const k = tpKey(topic, partition)
    let r = rows.get(k)
    if (!r) {
      r = {topic, partition, committed: null, logEnd: logEnds.get(k) ?? null, lag: null, owner: null}
      rows.set(k, r)
    }
    return r
  }
  for (const c of committed) row(c.topic, c.partition).committed = c.offset
  for (const m of members) {
    for (const a of m.assignment) row(a.topic, a.partition).owner = {memberId: m.memberId, clientId: m.clientId, host: m.host}
  }
  for (const r of rows.values()) r.lag = partitionLag(r.committed, r.logEnd)
  return [...rows.values()].sort((a, b) => compareNames(a.topic, b.topic) || a.partition - b.partition)
}

/** Key for log-end and timestamp maps. */
export function partitionKey(topic: string, partition: number): string {
  return tpKey(topic, partition)
}

/** Totals per topic and for the group, and the partition with the largest lag. */
export function lagTotals(partitions: readonly PartitionLag[], now?: number): LagTotals {
  const topics = new Map<string, TopicLag>()
  let totalLag = 0
  let maxLag: MaxLag | null = null
  let oldest: number | null = null
  let timeKnown = false
  let laggingWithoutTime = false
  for (const p of partitions) {
    let t = topics.get(p.topic)
    if (!t) {
      t = {topic: p.topic, partitions: 0, withoutOffset: 0, lag: 0}
      topics.set(p.topic, t)
    }
    t.partitions++
    if (p.committed === null) t.withoutOffset++
    if (p.lag !== null) {
      t.lag += p.lag
      totalLag += p.lag
      if (p.lag > 0 && (maxLag === null || p.lag > maxLag.lag)) maxLag = {topic: p.topic, partition: p.partition, lag: p.lag}
    }
    if (p.oldestUnconsumedTimestamp !== undefined) {
      timeKnown = true
      if (p.oldestUnconsumedTimestamp !== null && (oldest === null || p.oldestUnconsumedTimestamp < oldest)) oldest = p.oldestUnconsumedTimestamp
      if (p.oldestUnconsumedTimestamp === null && p.lag !== null && p.lag > 0) laggingWithoutTime = true
    }
  }
  const totals: LagTotals = {totalLag, maxLag, topics: [...topics.values()]}
  if (timeKnown && now !== undefined) {
    totals.timeLagMs = oldest !== null ? Math.max(0, now - oldest) : laggingWithoutTime ? null : 0
    totals.oldestUnconsumedTimestamp = oldest
  }
  return totals
}

export function buildGroupLag(info: GroupInfo, partitions: PartitionLag[], now?: number): GroupLag {
  return {...info, ...lagTotals(partitions, now), partitions}
}

/** `--topic` (names or globs, regexes with `regex`) and `--only-lagging` for describe: keeps the rows asked for and recomputes the totals. */
export function filterGroupLag(group: GroupLag, options: {topics?: string[]; regex?: boolean; onlyLagging?: boolean}, now?: number): GroupLag {
  const wanted = nameMatcher(options.topics ?? [], {regex: options.regex})
  const partitions = group.partitions.filter((p) =>
    wanted(p.topic) && (!options.onlyLagging || (p.lag !== null && p.lag > 0)))
  return buildGroupLag(group, partitions, now)
}

/** The partitions whose oldest unconsumed record's timestamp is worth fetching: those with lag. */
export function partitionsNeedingTimestamps(partitions: readonly PartitionLag[]): Array<TopicPartitionRef & {offset: number}> {
  return partitions
    .filter((p) => p.committed !== null && p.lag !== null && p.lag > 0)
    .map((p) => ({topic: p.topic, partition: p.partition, offset: p.committed!}))
}

export type GroupSort = 'name' | 'lag'

export function sortGroups<T extends {groupId: string; totalLag?: number | null}>(groups: T[], sort: GroupSort): T[] {
  const copy = [...groups]
  if (sort === 'lag') return copy.sort((a, b) => (b.totalLag ?? -1) - (a.totalLag ?? -1) || compareNames(a.groupId, b.groupId))
  return copy.sort((a, b) => compareNames(a.groupId, b.groupId))
}

/** Groups whose total lag exceeds the threshold, for `--fail-above`. */
export function groupsAbove<T extends {groupId: string; totalLag: number}>(groups: readonly T[], threshold: number): T[] {
  return groups.filter((g) => g.totalLag > threshold)
}

// ---- what list and lag print ----------------------------------------------------------

export interface GroupListRow {
  groupId: string
  state: string
  type: string | null
  protocolType: string
  assignor: string
  /** null for a group kadm does not describe (streams groups, classic groups of other protocols). */
  members: number | null
  topics: string[]
  /** null with --no-lag, and for groups without consumer offsets (share, streams, other protocols). */
  totalLag: number | null
}

export interface GroupList {
  groups: GroupListRow[]
}

export interface GroupLagSummary {
  groupId: string
  state: string
  members: number
  partitions: number
  /** Partitions with no committed offset. */
  withoutOffset: number
  totalLag: number
  maxLag: {topic: string; partition: number; lag: number} | null
  /** Age (ms) of the oldest unconsumed record; 0 without lag; null when unknown. */
  timeLagMs: number | null
  /** Timestamp (ms) of that record; null without lag or when unknown. */
  oldestUnconsumedTimestamp: number | null
  rates?: LagRates | null
  /** Partitions where the group waits behind an open transaction (see PartitionLag.openTransaction). */
  heldByTransactions?: Array<{topic: string; partition: number} & HeldBy>
}

export interface LagSummary {
  /** ISO time the offsets were read. */
  at: string
  totalLag: number
  maxLag: {groupId: string; topic: string; partition: number; lag: number} | null
  groups: GroupLagSummary[]
}

export function listRow(g: GroupLag, withLag: boolean): GroupListRow {
  const topics = new Set<string>([...g.partitions.map((p) => p.topic), ...g.members.flatMap((m) => m.assignment.map((a) => a.topic))])
  return {
    groupId: g.groupId,
    state: g.state,
    type: g.type,
    protocolType: g.protocolType,
    assignor: g.assignor,
    members: g.members.length,
    topics: [...topics].sort(),
    totalLag: withLag ? g.totalLag : null,
  }
}

export function summariseGroup(g: GroupLag, rates?: LagRates | null): GroupLagSummary {
  const summary: GroupLagSummary = {
    groupId: g.groupId,
    state: g.state,
    members: g.members.length,
    partitions: g.partitions.length,
    withoutOffset: g.partitions.filter((p) => p.committed === null).length,
    totalLag: g.totalLag,
    maxLag: g.maxLag,
    timeLagMs: g.timeLagMs ?? null,
    oldestUnconsumedTimestamp: g.oldestUnconsumedTimestamp ?? null,
  }
  if (rates !== undefined) summary.rates = rates
  const held = g.partitions.filter((p) => p.openTransaction).map((p) => ({topic: p.topic, partition: p.partition, ...p.openTransaction!}))
  if (held.length > 0) summary.heldByTransactions = held
  return summary
}

/** The cluster-wide view `consumer-groups lag` prints: per group, plus the total and the worst partition. */
export function summariseLag(groups: readonly GroupLag[], at: number, rates?: ReadonlyMap<string, LagRates | null>): LagSummary {
  let maxLag: LagSummary['maxLag'] = null
  for (const g of groups) {
    if (g.maxLag && (maxLag === null || g.maxLag.lag > maxLag.lag)) maxLag = {groupId: g.groupId, ...g.maxLag}
  }
  return {
    at: new Date(at).toISOString(),
    totalLag: groups.reduce((sum, g) => sum + g.totalLag, 0),
    maxLag,
    groups: groups.map((g) => summariseGroup(g, rates ? rates.get(g.groupId) ?? null : undefined)),
  }
}

// ---- --watch: rates and time to catch up --------------------------------------------------

export interface LagSample {
  /** ms since epoch when the offsets were read. */
  at: number
  committed: ReadonlyMap<string, number>
  logEnd: ReadonlyMap<string, number>
  lag: number
}

export interface LagRates {
  /** Records per second the group committed past between the samples. */
  consumeRate: number
  /** Records per second appended to the group's partitions. */
  produceRate: number
  /** Change of total lag per second (positive: falling behind). */
  lagRate: number
  /**
   * ms until lag reaches 0 at these rates; 0 when there is no lag; for a group that keeps up (its
   * lag did not grow by more than KEEPING_UP_SLACK of what was produced), the time to read the
   * records now behind; null ("never") when it is falling behind.
   */
  etaMs: number | null
}

/** How far back --watch measures rates: a trend, not the batch one poll happened to see. */
export const RATE_WINDOW_MS = 30_000
/** A group whose lag grew by at most this share of the records produced meanwhile keeps up. */
export const KEEPING_UP_SLACK = 0.05

/** The samples of a group that stay for the next rates: those within RATE_WINDOW_MS of `at`, and always the newest. */
export function rateWindow(samples: readonly LagSample[], at: number): LagSample[] {
  const kept = samples.filter((s) => at - s.at <= RATE_WINDOW_MS)
  return kept.length > 0 ? kept : samples.slice(-1)
}

export function sampleOf(at: number, partitions: readonly PartitionLag[]): LagSample {
  const committed = new Map<string, number>()
  const logEnd = new Map<string, number>()
  let lag = 0
  for (const p of partitions) {
    const k = tpKey(p.topic, p.partition)
    if (p.committed !== null) committed.set(k, p.committed)
    if (p.logEnd !== null) logEnd.set(k, p.logEnd)
    if (p.lag !== null) lag += p.lag
  }
  return {at, committed, logEnd, lag}
}

function delta(prev: ReadonlyMap<string, number>, cur: ReadonlyMap<string, number>): number {
  let sum = 0
  for (const [k, v] of cur) {
    const before = prev.get(k)
    if (before !== undefined) sum += Math.max(0, v - before)
  }
  return sum
}

/**
 * Rates between two samples of one group. Only partitions present in both count, so a partition
 * that appears (first commit) does not look like a burst of consumption.
 */
export function lagRates(prev: LagSample, cur: LagSample): LagRates | null {
  const seconds = (cur.at - prev.at) / 1000
  if (seconds <= 0) return null
  const produced = delta(prev.logEnd, cur.logEnd)
  const consumeRate = delta(prev.committed, cur.committed) / seconds
  const produceRate = produced / seconds
  const lagRate = (cur.lag - prev.lag) / seconds
  const keepingUp = consumeRate > 0 && cur.lag - prev.lag <= produced * KEEPING_UP_SLACK
  return {consumeRate, produceRate, lagRate, etaMs: etaMs(cur.lag, consumeRate, produceRate, keepingUp)}
}

export function etaMs(lag: number, consumeRate: number, produceRate: number, keepingUp = false): number | null {
  if (lag <= 0) return 0
  const net = consumeRate - produceRate
  if (net > 0) return Math.round((lag / net) * 1000)
  return keepingUp && consumeRate > 0 ? Math.round((lag / consumeRate) * 1000) : null
}

/**
 * oclif flags cannot take an optional value: `--watch` (or its alias `-w`) alone becomes
 * `--watch=<default>`, while `--watch 10` and `--watch=10` are left as they are.
 */
export function expandOptionalFlag(argv: readonly string[], names: readonly string[], defaultValue: string): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      out.push(...argv.slice(i))
      break
    }
    if (names.includes(arg) && !/^\d+(\.\d+)?$/.test(argv[i + 1] ?? '')) out.push(`${names[0]}=${defaultValue}`)
    else out.push(arg)
  }
  return out
}

/** Human durations for lag as time and ETAs: 850ms, 42s, 14m05s, 3h12m, 2d04h. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`
  const d = Math.floor(h / 24)
  return `${d}d${String(h % 24).padStart(2, '0')}h`
}
