import {formatDuration, parseDuration} from './duration.js'
import type {GroupLag} from './lag.js'
import {type PartitionState} from './partition-state.js'

/**
 * `kadm cluster check`: the classic operating mistakes, judged from one snapshot of the cluster
 * (metadata with health markers, topic configs, log dirs, groups with lag). Pure: the kafka layer
 * gathers the snapshot in one batched pass, this module turns it into findings.
 */

export const SEVERITIES = ['warn', 'error'] as const
export type Severity = (typeof SEVERITIES)[number]

export const CHECKS = {
  'offline-brokers': {category: 'replication', severity: 'error'},
  'offline-partitions': {category: 'replication', severity: 'error'},
  'under-min-isr': {category: 'replication', severity: 'error'},
  'under-replicated': {category: 'replication', severity: 'warn'},
  'replication-factor-1': {category: 'replication', severity: 'warn'},
  'min-isr-not-below-rf': {category: 'replication', severity: 'warn'},
  'min-isr-1': {category: 'replication', severity: 'warn'},
  'unclean-leader-election': {category: 'replication', severity: 'warn'},
  'partitions-per-broker': {category: 'capacity', severity: 'warn'},
  'partition-skew': {category: 'capacity', severity: 'warn'},
  'leader-skew': {category: 'capacity', severity: 'warn'},
  'preferred-leader-imbalance': {category: 'capacity', severity: 'warn'},
  'log-dir-full': {category: 'capacity', severity: 'warn'},
  'no-retention-limit': {category: 'capacity', severity: 'warn'},
  'group-lag': {category: 'consumers', severity: 'warn'},
  'offsets-below-log-start': {category: 'consumers', severity: 'error'},
  'empty-group': {category: 'consumers', severity: 'warn'},
  'segment-above-retention': {category: 'config', severity: 'warn'},
  'compact-without-keys': {category: 'config', severity: 'warn'},
} as const satisfies Record<string, {category: string; severity: Severity}>
export type CheckId = keyof typeof CHECKS
export const CHECK_IDS = Object.keys(CHECKS) as CheckId[]

export interface Thresholds {
  /** Replicas (leaders and followers) one broker may hold. */
  maxPartitionsPerBroker: number
  /** Percent above the average a broker's replicas or leaders may be. */
  maxSkewPercent: number
  /** Percent of a broker's preferred partitions another broker may lead (Kafka's leader.imbalance.per.broker.percentage). */
  maxLeaderImbalancePercent: number
  /** Percent of a log dir's volume that must stay free. */
  minFreeDiskPercent: number
  /** Records a group may be behind in total. */
  maxLag: number
  /** Age of a group's oldest unconsumed record, ms. */
  maxLagTimeMs: number
  /** How long an empty group may hold offsets, ms (from the last record it consumed). */
  maxEmptyGroupAgeMs: number
}

/** Each threshold's flag (and key under `checks:` in a context), its default and how it is parsed. */
export const THRESHOLDS: Record<keyof Thresholds, {flag: string; default: string; kind: 'count' | 'percent' | 'duration'; summary: string}> = {
  maxPartitionsPerBroker: {flag: 'max-partitions-per-broker', default: '4000', kind: 'count', summary: 'Replicas one broker may hold'},
  maxSkewPercent: {flag: 'max-skew', default: '25', kind: 'percent', summary: 'Percent above the average a broker\'s replicas or leaders may be'},
  maxLeaderImbalancePercent: {flag: 'max-leader-imbalance', default: '10', kind: 'percent', summary: 'Percent of a broker\'s preferred partitions that may be led elsewhere'},
  minFreeDiskPercent: {flag: 'min-free-disk', default: '10', kind: 'percent', summary: 'Percent of a log dir\'s volume that must stay free'},
  maxLag: {flag: 'max-lag', default: '10000', kind: 'count', summary: 'Records a group may be behind (total)'},
  maxLagTimeMs: {flag: 'max-lag-time', default: '5m', kind: 'duration', summary: 'Age of a group\'s oldest unconsumed record'},
  maxEmptyGroupAgeMs: {flag: 'max-empty-group-age', default: '7d', kind: 'duration', summary: 'How long an empty group may hold offsets'},
}

/**
 * Thresholds from, by precedence, the flags, the context's `checks:` mapping and the defaults.
 * Throws a one-line message naming where a bad value came from.
 */
export function resolveThresholds(flags: Record<string, string | undefined>, context: Record<string, string> = {}): Thresholds {
  const unknown = Object.keys(context).filter((k) => !Object.values(THRESHOLDS).some((t) => t.flag === k))
  if (unknown.length > 0) throw new Error(`checks: unknown threshold ${unknown.join(', ')} (known: ${Object.values(THRESHOLDS).map((t) => t.flag).join(', ')})`)
  const out = {} as Thresholds
  for (const [key, spec] of Object.entries(THRESHOLDS) as Array<[keyof Thresholds, (typeof THRESHOLDS)[keyof Thresholds]]>) {
    const given = flags[spec.flag]
    const where = given === undefined ? (context[spec.flag] === undefined ? 'default' : `checks: ${spec.flag}`) : `--${spec.flag}`
    const text = given ?? context[spec.flag] ?? spec.default
    let value: number | undefined
    if (spec.kind === 'duration') value = parseDuration(text)
    else if (/^\d+(\.\d+)?$/.test(text.trim())) value = Number(text)
    if (value === undefined || (spec.kind === 'count' && !Number.isInteger(value))) {
      throw new Error(`${where} "${text}" is not ${spec.kind === 'duration' ? 'a duration (e.g. 5m, 1d)' : spec.kind === 'percent' ? 'a percentage (e.g. 25)' : 'a whole number'}`)
    }
    out[key] = value
  }
  return out
}

export interface TopicConfigs {
  topic: string
  internal: boolean
  replicationFactor: number
  /** Config values by name (only the ones the checks read); a missing key is unknown. */
  configs: Record<string, string | null>
}

export interface LogDirState {
  broker: number
  logDir: string
  totalBytes: number | null
  usableBytes: number | null
}

export interface CheckSnapshot {
  /** Registered brokers. */
  brokers: number[]
  /** The partitions of the topics checked, with health markers. */
  partitions: PartitionState[]
  /** Leader and replicas of every partition of the cluster, whatever the topics checked: the broker-wide checks count them all. */
  placement: Array<{leader: number; replicas: readonly number[]}>
  topics: TopicConfigs[]
  logDirs: LogDirState[]
  /** Partitions (topic-N) of compacted topics where a sampled record (the first or the last) has a null key. */
  keyless: string[]
  groups: GroupLag[]
  /** Log start offset per "topic\u0000partition" of the groups' partitions. */
  logStarts: ReadonlyMap<string, number>
  /** Timestamp of the last record each empty group consumed, by group id (null: unknown). */
  lastConsumed: ReadonlyMap<string, number | null>
  /** When the offsets were read (epoch ms). */
  at: number
}

export interface Finding {
  check: CheckId
  category: string
  severity: Severity
  /** What it is about: one line. */
  message: string
  /** The topics, partitions (topic-N), brokers or groups concerned. */
  objects: string[]
  why: string
  /** The kadm command that inspects or fixes it. */
  fix: string
}

const MAX_LISTED_IN_FIX = 3
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
/** How much a broker may be above the average before skew counts: a few partitions are not skew. */
export const SKEW_MIN_PARTITIONS = 5

function topicArgs(topics: readonly string[]): string {
  return topics.length <= MAX_LISTED_IN_FIX ? topics.join(' ') : `${topics.slice(0, MAX_LISTED_IN_FIX).join(' ')} ...`
}

const isDeletePolicy = (policy: string | null | undefined) => (policy ?? 'delete').split(',').map((s) => s.trim()).includes('delete')
const numberOr = (value: string | null | undefined): number | null => (value === null || value === undefined || !/^-?\d+$/.test(value) ? null : Number(value))

/** The findings of the checks in `enabled` on the snapshot, errors first, then by check order. */
export function runChecks(s: CheckSnapshot, t: Thresholds, enabled: ReadonlySet<CheckId> = new Set(CHECK_IDS)): Finding[] {
  const findings: Finding[] = []
  const add = (check: CheckId, message: string, objects: string[], why: string, fix: string) => {
    if (!enabled.has(check) || objects.length === 0) return
    findings.push({check, category: CHECKS[check].category, severity: CHECKS[check].severity, message, objects, why, fix})
  }
  const partitionName = (p: PartitionState) => `${p.topic}-${p.partition}`
  const withMarker = (m: string) => s.partitions.filter((p) => p.markers.includes(m as PartitionState['markers'][number]))

  // Replication
  // A broker id in some replica set that the metadata does not list: it is down, fenced or shut down.
  const live = new Set(s.brokers)
  const missing = [...new Set(s.placement.flatMap((p) => p.replicas))].filter((b) => !live.has(b)).sort((a, b) => a - b)
  add('offline-brokers', `${plural(missing.length, 'broker')} holding replicas but not in the cluster's metadata (${missing.join(', ')}): down, fenced or shut down`, missing.map((b) => `broker ${b}`),
    'their replicas are out of sync: what they led moved or went offline, and the partitions they share with one more lost broker go offline', `kadm partitions list --broker ${missing[0] ?? 'ID'}`)
  const offline = withMarker('unavailable')
  add('offline-partitions', `${plural(offline.length, 'partition')} without a live leader`, offline.map(partitionName),
    'nobody can produce to or consume from them until a replica comes back', 'kadm partitions list --unavailable')
  const underMinIsr = withMarker('under-min-isr')
  add('under-min-isr', `${plural(underMinIsr.length, 'partition')} with fewer in-sync replicas than min.insync.replicas`, underMinIsr.map(partitionName),
    'producers with acks=all are refused (NOT_ENOUGH_REPLICAS)', 'kadm partitions list --under-min-isr')
  const under = withMarker('under-replicated')
  add('under-replicated', `${plural(under.length, 'partition')} with replicas out of sync`, under.map(partitionName),
    'one more broker lost and these partitions lose their redundancy or go offline', 'kadm partitions list --under-replicated')

  const userTopics = s.topics.filter((t) => !t.internal)
  const rf1 = userTopics.filter((t) => t.replicationFactor === 1).map((t) => t.topic)
  add('replication-factor-1', `${plural(rf1.length, 'topic')} with replication factor 1`, rf1,
    'losing the one broker that holds a partition stops it, and losing its disk loses its data', `kadm partitions set-replication-factor ${rf1[0] ?? 'TOPIC'} --replication-factor 3`)
  const minIsrOf = (t: TopicConfigs) => numberOr(t.configs['min.insync.replicas'])
  const blocking = userTopics.filter((t) => t.replicationFactor > 1 && (minIsrOf(t) ?? 0) >= t.replicationFactor).map((t) => t.topic)
  add('min-isr-not-below-rf', `${plural(blocking.length, 'topic')} with min.insync.replicas at or above the replication factor`, blocking,
    'with one broker down (a restart is enough) producers with acks=all are refused', `kadm configs set topic ${blocking[0] ?? 'NAME'} min.insync.replicas=<replication factor - 1>`)
  const minIsr1 = userTopics.filter((t) => t.replicationFactor >= 3 && minIsrOf(t) === 1).map((t) => t.topic)
  add('min-isr-1', `${plural(minIsr1.length, 'topic')} with min.insync.replicas 1 and replication factor 3 or more`, minIsr1,
    'a write acknowledged by acks=all may exist on the leader alone, and is lost with it', `kadm configs set topic ${minIsr1[0] ?? 'NAME'} min.insync.replicas=2`)
  const unclean = userTopics.filter((t) => t.configs['unclean.leader.election.enable'] === 'true').map((t) => t.topic)
  add('unclean-leader-election', `${plural(unclean.length, 'topic')} with unclean.leader.election.enable=true`, unclean,
    'an out-of-sync replica may become leader and acknowledged records are lost', `kadm configs set topic ${unclean[0] ?? 'NAME'} unclean.leader.election.enable=false`)

  // Capacity
  const replicas = new Map(s.brokers.map((b) => [b, 0]))
  const leaders = new Map(s.brokers.map((b) => [b, 0]))
  const preferred = new Map(s.brokers.map((b) => [b, 0]))
  const notLedByPreferred = new Map(s.brokers.map((b) => [b, 0]))
  for (const p of s.placement) {
    for (const r of p.replicas) if (replicas.has(r)) replicas.set(r, replicas.get(r)! + 1)
    if (leaders.has(p.leader)) leaders.set(p.leader, leaders.get(p.leader)! + 1)
    const first = p.replicas[0]
    if (first !== undefined && preferred.has(first)) {
      preferred.set(first, preferred.get(first)! + 1)
      if (p.leader !== first) notLedByPreferred.set(first, notLedByPreferred.get(first)! + 1)
    }
  }
  const crowded = [...replicas].filter(([, n]) => n > t.maxPartitionsPerBroker)
  add('partitions-per-broker', `${plural(crowded.length, 'broker')} with more than ${t.maxPartitionsPerBroker} replicas (${crowded.map(([b, n]) => `${b}: ${n}`).join(', ')})`, crowded.map(([b]) => `broker ${b}`),
    'every replica costs open files, memory and recovery time after a restart', 'kadm partitions sizes --by broker')
  const skewed = (counts: Map<number, number>) => {
    const values = [...counts.values()]
    if (values.length < 2) return []
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    return [...counts].filter(([, n]) => n - mean > Math.max(mean * t.maxSkewPercent / 100, SKEW_MIN_PARTITIONS)).map(([b, n]) => ({broker: b, count: n, mean}))
  }
  const replicaSkew = skewed(replicas)
  add('partition-skew', `${plural(replicaSkew.length, 'broker')} holding more than ${t.maxSkewPercent}% above the average of ${replicaSkew[0]?.mean.toFixed(1)} replicas (${replicaSkew.map((x) => `${x.broker}: ${x.count}`).join(', ')})`,
    replicaSkew.map((x) => `broker ${x.broker}`), 'the busiest broker fills its disk and saturates first', 'kadm partitions reassign plan --topic \'*\'')
  const leaderSkew = skewed(leaders)
  add('leader-skew', `${plural(leaderSkew.length, 'broker')} leading more than ${t.maxSkewPercent}% above the average of ${leaderSkew[0]?.mean.toFixed(1)} partitions (${leaderSkew.map((x) => `${x.broker}: ${x.count}`).join(', ')})`,
    leaderSkew.map((x) => `broker ${x.broker}`), 'leaders serve every produce and most fetches: their broker does most of the work', 'kadm partitions elect-leaders --all')
  const imbalanced = [...preferred].filter(([b, n]) => n > 0 && notLedByPreferred.get(b)! * 100 / n > t.maxLeaderImbalancePercent)
  add('preferred-leader-imbalance', `${plural(imbalanced.length, 'broker')} not leading more than ${t.maxLeaderImbalancePercent}% of the partitions it is preferred leader of (${imbalanced.map(([b, n]) => `${b}: ${notLedByPreferred.get(b)}/${n}`).join(', ')})`,
    imbalanced.map(([b]) => `broker ${b}`), 'leadership moved after a restart and did not come back: the load is uneven', 'kadm partitions elect-leaders --all')
  const full = s.logDirs.filter((d) => d.totalBytes !== null && d.usableBytes !== null && d.totalBytes > 0 && d.usableBytes * 100 / d.totalBytes < t.minFreeDiskPercent)
  add('log-dir-full', `${plural(full.length, 'log dir')} with less than ${t.minFreeDiskPercent}% free (${full.map((d) => `${d.broker}:${d.logDir} ${(d.usableBytes! * 100 / d.totalBytes!).toFixed(1)}%`).join(', ')})`,
    full.map((d) => `${d.broker}:${d.logDir}`), 'a broker whose log dir fills up takes it offline, with every partition in it', 'kadm partitions sizes --by logdir')
  const unbounded = userTopics.filter((t) => isDeletePolicy(t.configs['cleanup.policy']) && t.configs['retention.ms'] === '-1' && t.configs['retention.bytes'] === '-1').map((t) => t.topic)
  add('no-retention-limit', `${plural(unbounded.length, 'topic')} with neither retention.ms nor retention.bytes`, unbounded,
    'a delete-policy topic without a limit grows until the disk is full', `kadm configs set topic ${unbounded[0] ?? 'NAME'} retention.ms=604800000`)

  // Consumers
  const lagging = s.groups.filter((g) => g.totalLag > t.maxLag || (g.timeLagMs !== null && g.timeLagMs !== undefined && g.timeLagMs > t.maxLagTimeMs))
  add('group-lag', `${plural(lagging.length, 'group')} more than ${t.maxLag} records or ${formatDuration(t.maxLagTimeMs)} behind (${lagging.map((g) => `${g.groupId}: ${g.totalLag}${g.timeLagMs ? `, ${formatDuration(g.timeLagMs)}` : ''}`).join('; ')})`,
    lagging.map((g) => g.groupId), 'consumers that fall behind serve stale data, and fall off the log once retention deletes what they have not read', `kadm consumer-groups lag ${topicArgs(lagging.map((g) => g.groupId))}`)
  const lost: string[] = []
  const lostGroups = new Set<string>()
  for (const g of s.groups) {
    for (const p of g.partitions) {
      const start = s.logStarts.get(`${p.topic}\u0000${p.partition}`)
      if (p.committed !== null && start !== undefined && p.committed < start) {
        lost.push(`${g.groupId} ${p.topic}-${p.partition}`)
        lostGroups.add(g.groupId)
      }
    }
  }
  add('offsets-below-log-start', `${plural(lostGroups.size, 'group')} with committed offsets below the log start (${plural(lost.length, 'partition')})`, lost,
    'the records between the committed offset and the log start were deleted before the group read them', `kadm offsets reset --group ${[...lostGroups][0] ?? 'G'} --all-topics --to-earliest --execute`)
  const idle = s.groups.filter((g) => g.state === 'Empty' && g.partitions.some((p) => p.committed !== null)).flatMap((g) => {
    const last = s.lastConsumed.get(g.groupId)
    return last !== null && last !== undefined && s.at - last > t.maxEmptyGroupAgeMs ? [{group: g.groupId, age: s.at - last}] : []
  })
  add('empty-group', `${plural(idle.length, 'empty group')} that consumed nothing for more than ${formatDuration(t.maxEmptyGroupAgeMs)} (${idle.map((x) => `${x.group}: ${formatDuration(x.age)}`).join(', ')})`,
    idle.map((x) => x.group), 'a group nobody runs still holds offsets and shows up in lag alerts', `kadm consumer-groups delete ${topicArgs(idle.map((x) => x.group))}`)

  // Config hygiene
  const contradictions = userTopics.filter((t) => {
    if (!isDeletePolicy(t.configs['cleanup.policy'])) return false
    const retentionMs = numberOr(t.configs['retention.ms'])
    const segmentMs = numberOr(t.configs['segment.ms'])
    const retentionBytes = numberOr(t.configs['retention.bytes'])
    const segmentBytes = numberOr(t.configs['segment.bytes'])
    return (retentionMs !== null && retentionMs >= 0 && segmentMs !== null && segmentMs > retentionMs)
      || (retentionBytes !== null && retentionBytes >= 0 && segmentBytes !== null && segmentBytes > retentionBytes)
  }).map((t) => t.topic)
  add('segment-above-retention', `${plural(contradictions.length, 'topic')} whose segment.ms or segment.bytes is larger than retention.ms or retention.bytes`, contradictions,
    'retention deletes whole closed segments only: the active segment outgrows the retention asked for', `kadm configs get topic ${contradictions[0] ?? 'NAME'}`)
  const keylessTopics = [...new Set(s.keyless.map((p) => p.slice(0, p.lastIndexOf('-'))))].sort()
  add('compact-without-keys', `${plural(keylessTopics.length, 'compacted topic')} holding records without keys (${plural(s.keyless.length, 'partition')}: ${[...s.keyless].sort().join(', ')})`, keylessTopics,
    'compaction keeps the last record per key: the cleaner deletes keyless records, and producers that send no key are refused (INVALID_RECORD)', `kadm configs get topic ${keylessTopics[0] ?? 'NAME'}`)

  const order = (f: Finding) => (f.severity === 'error' ? 0 : 1) * 100 + CHECK_IDS.indexOf(f.check)
  return findings.sort((a, b) => order(a) - order(b))
}

/** Whether any finding is at or above the severity (for --fail-on). */
export function failsAt(findings: readonly Finding[], level: Severity): boolean {
  return findings.some((f) => SEVERITIES.indexOf(f.severity) >= SEVERITIES.indexOf(level))
}

/** What `cluster check` returns: the findings, what was checked and with which thresholds. */
export interface CheckReport {
  findings: Finding[]
  checked: {checks: number; brokers: number; topics: number; partitions: number; groups: number}
  thresholds: Thresholds
}

export function checkReport(s: CheckSnapshot, t: Thresholds, enabled: ReadonlySet<CheckId> = new Set(CHECK_IDS)): CheckReport {
  return {
    findings: runChecks(s, t, enabled),
    checked: {checks: enabled.size, brokers: s.brokers.length, topics: s.topics.length, partitions: s.partitions.length, groups: s.groups.length},
    thresholds: t,
  }
}

/** The checks to run: all, or `only` (ids or categories), minus `skip` (ids or categories). */
export function selectChecks(only: readonly string[], skip: readonly string[]): Set<CheckId> {
  const categories = new Set<string>(Object.values(CHECKS).map((c) => c.category))
  for (const name of [...only, ...skip]) {
    if (!CHECK_IDS.includes(name as CheckId) && !categories.has(name)) throw new Error(`"${name}" is neither a check nor a category (checks: ${CHECK_IDS.join(', ')}; categories: ${[...categories].join(', ')})`)
  }
  const matches = (id: CheckId, names: readonly string[]) => names.includes(id) || names.includes(CHECKS[id].category)
  return new Set(CHECK_IDS.filter((id) => (only.length === 0 || matches(id, only)) && !matches(id, skip)))
}
