import {isLogDirEntry} from './log-dirs.js'

/**
 * Partition reassignment plans in the JSON layout of kafka-reassign-partitions.sh
 * ({"version":1,"partitions":[{"topic","partition","replicas"}]}), their generation and checks.
 */

export interface PlannedPartition {
  topic: string
  partition: number
  replicas: number[]
  /** Kafka's optional per-replica log dirs: "any" or the absolute path of a log dir of that replica's broker. */
  log_dirs?: string[]
}

export interface ReassignmentPlan {
  version: 1
  partitions: PlannedPartition[]
}

export interface BrokerInfo {
  id: number
  rack: string | null
}

export interface CurrentPartition {
  topic: string
  partition: number
  replicas: number[]
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`

function sortPartitions<T extends {topic: string; partition: number}>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1))
}

export function toPlan(partitions: readonly CurrentPartition[]): ReassignmentPlan {
  return {version: 1, partitions: sortPartitions(partitions.map((p) => ({topic: p.topic, partition: p.partition, replicas: [...p.replicas]})))}
}

/** Parses and checks a plan file; throws an Error naming the first problem. */
export function parsePlan(text: string): ReassignmentPlan {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`)
  }
  const partitions = (data as {partitions?: unknown})?.partitions
  if (!Array.isArray(partitions)) throw new Error('expected {"version":1,"partitions":[...]}')
  const version = (data as {version?: unknown}).version
  if (version !== undefined && version !== 1) throw new Error(`unsupported plan version ${String(version)} (expected 1)`)
  const seen = new Set<string>()
  const out: PlannedPartition[] = partitions.map((p: unknown, i: number) => {
    const {topic, partition, replicas, log_dirs: logDirs} = (p ?? {}) as Record<string, unknown>
    const where = `partitions[${i}]`
    if (typeof topic !== 'string' || topic === '') throw new Error(`${where}: "topic" must be a non-empty string`)
    if (!Number.isInteger(partition) || (partition as number) < 0) throw new Error(`${where}: "partition" must be an integer >= 0`)
    if (!Array.isArray(replicas) || replicas.length === 0 || !replicas.every((r) => Number.isInteger(r) && r >= 0)) {
      throw new Error(`${where} (${topic}-${String(partition)}): "replicas" must be a non-empty list of broker ids`)
    }
    if (new Set(replicas).size !== replicas.length) throw new Error(`${where} (${topic}-${String(partition)}): duplicate broker in replicas ${JSON.stringify(replicas)}`)
    const k = key(topic, partition as number)
    if (seen.has(k)) throw new Error(`${where}: ${topic}-${String(partition)} appears twice`)
    seen.add(k)
    if (logDirs !== undefined) {
      if (!Array.isArray(logDirs) || logDirs.length !== replicas.length) throw new Error(`${where}: "log_dirs" must list one dir per replica`)
      const bad = logDirs.find((d) => !isLogDirEntry(d))
      if (bad !== undefined) throw new Error(`${where} (${topic}-${String(partition)}): log dir ${JSON.stringify(bad)} is neither "any" nor an absolute path`)
    }
    const entry: PlannedPartition = {topic, partition: partition as number, replicas: replicas as number[]}
    if (logDirs !== undefined) entry.log_dirs = logDirs as string[]
    return entry
  })
  return {version: 1, partitions: out}
}

/** Problems a plan has against the cluster: unknown partitions or brokers. Empty when it can be applied. */
export function checkPlan(plan: ReassignmentPlan, current: readonly CurrentPartition[], brokers: readonly number[]): string[] {
  const known = new Set(current.map((p) => key(p.topic, p.partition)))
  const ids = new Set(brokers)
  const problems: string[] = []
  for (const p of plan.partitions) {
    if (!known.has(key(p.topic, p.partition))) problems.push(`${p.topic}-${p.partition} does not exist`)
    const unknown = p.replicas.filter((r) => !ids.has(r))
    if (unknown.length > 0) problems.push(`${p.topic}-${p.partition}: broker ${unknown.join(', ')} is not in the cluster`)
  }
  return problems
}

export interface PlanOptions {
  /** Brokers the topics should live on. */
  brokers: readonly BrokerInfo[]
  /** Replication factor per topic; a topic's current one when absent. */
  replicationFactor?: ReadonlyMap<string, number> | number
}

interface Loads {
  replicas: Map<number, number>
  leaders: Map<number, number>
}

/**
 * A balanced plan that moves as little as possible: per topic, every broker ends with replica and
 * preferred-leader counts within one of each other; replicas already on a target broker stay put;
 * with racks, a partition's replicas go to distinct racks while there are racks left. Unlike
 * kafka-reassign-partitions.sh --generate (random start broker), the plan is deterministic and
 * an already balanced topic gets no moves.
 */
export function planReassignment(current: readonly CurrentPartition[], options: PlanOptions): ReassignmentPlan {
  const brokers = [...options.brokers].sort((a, b) => a.id - b.id)
  if (brokers.length === 0) throw new Error('no target brokers')
  const rackOf = new Map(brokers.map((b) => [b.id, b.rack]))
  const racks = new Set(brokers.map((b) => b.rack).filter((r): r is string => r !== null))
  const rackAware = racks.size > 0
  if (rackAware && brokers.some((b) => b.rack === null)) throw new Error(`brokers ${brokers.filter((b) => b.rack === null).map((b) => b.id).join(', ')} have no rack while others do`)
  const global: Loads = {replicas: new Map(), leaders: new Map()}
  const byTopic = new Map<string, CurrentPartition[]>()
  for (const p of sortPartitions([...current])) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p])
  const out: PlannedPartition[] = []
  for (const [topic, partitions] of byTopic) {
    const rf = typeof options.replicationFactor === 'number'
      ? options.replicationFactor
      : options.replicationFactor?.get(topic) ?? partitions[0].replicas.length
    if (rf < 1) throw new Error(`replication factor of ${topic} must be at least 1`)
    if (rf > brokers.length) throw new Error(`replication factor ${rf} for ${topic} is larger than the ${brokers.length} target broker(s)`)
    const planned = planTopic(partitions, rf, brokers.map((b) => b.id), rackOf, rackAware ? racks.size : 0, global)
    out.push(...planned)
  }
  return {version: 1, partitions: out}
}

function inc(map: Map<number, number>, id: number, by = 1): void {
  map.set(id, (map.get(id) ?? 0) + by)
}

function planTopic(partitions: CurrentPartition[], rf: number, ids: number[], rackOf: Map<number, string | null>, rackCount: number, global: Loads): PlannedPartition[] {
  const load = new Map(ids.map((id) => [id, 0]))
  const racksOf = (replicas: number[]) => new Set(replicas.map((r) => rackOf.get(r)))
  /** A broker may join a partition if its rack is new to it, or every rack is already used. */
  const rackOk = (replicas: number[], candidate: number) => {
    if (rackCount === 0) return true
    const used = racksOf(replicas)
    return !used.has(rackOf.get(candidate)) || used.size >= Math.min(rf, rackCount)
  }
  // 1. Keep replicas already on target brokers (leader first), as many as the factor allows.
  const sets = partitions.map((p) => {
    const kept: number[] = []
    for (const r of p.replicas) {
      if (kept.length < rf && load.has(r) && !kept.includes(r) && rackOk(kept, r)) kept.push(r)
    }
    for (const r of kept) inc(load, r)
    return kept
  })
  const score = (id: number) => [load.get(id)!, global.replicas.get(id) ?? 0, id]
  const less = (a: number, b: number) => {
    const [x, y] = [score(a), score(b)]
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]
  }
  // 2. Fill empty slots with the least loaded broker that fits.
  for (const set of sets) {
    while (set.length < rf) {
      const candidates = ids.filter((id) => !set.includes(id))
      const fitting = candidates.filter((id) => rackOk(set, id))
      const pick = (fitting.length > 0 ? fitting : candidates).sort(less)[0]
      set.push(pick)
      inc(load, pick)
    }
  }
  // 3. Even out: move a replica from the most to the least loaded broker until they are within one.
  for (let guard = 0; guard < partitions.length * rf * ids.length; guard++) {
    const sorted = [...ids].sort(less)
    const low = sorted[0]
    const high = sorted.at(-1)!
    if (load.get(high)! - load.get(low)! <= 1) break
    let moved = false
    for (let i = sets.length - 1; i >= 0 && !moved; i--) {
      const set = sets[i]
      const at = set.indexOf(high)
      if (at < 0 || set.includes(low)) continue
      const others = set.filter((r) => r !== high)
      if (rackOf.get(low) !== rackOf.get(high) && !rackOk(others, low)) continue
      set[at] = low
      inc(load, high, -1)
      inc(load, low)
      moved = true
    }
    if (!moved) break
  }
  // 4. Preferred leaders: keep the current leader while its broker leads no more than its share.
  const cap = Math.ceil(partitions.length / ids.length)
  const leaders = new Map<number, number>()
  const leaderOf: number[] = new Array(sets.length).fill(-1)
  partitions.forEach((p, i) => {
    const first = p.replicas[0]
    if (sets[i].includes(first) && (leaders.get(first) ?? 0) < cap) {
      leaderOf[i] = first
      inc(leaders, first)
    }
  })
  sets.forEach((set, i) => {
    if (leaderOf[i] >= 0) return
    const pick = [...set].sort((a, b) => (leaders.get(a) ?? 0) - (leaders.get(b) ?? 0) || (global.leaders.get(a) ?? 0) - (global.leaders.get(b) ?? 0) || a - b)[0]
    leaderOf[i] = pick
    inc(leaders, pick)
  })
  return partitions.map((p, i) => {
    const rest = sets[i].filter((r) => r !== leaderOf[i])
    // Followers keep their current order so an unchanged partition compares equal.
    rest.sort((a, b) => rank(p.replicas, a) - rank(p.replicas, b))
    const replicas = [leaderOf[i], ...rest]
    for (const r of replicas) inc(global.replicas, r)
    inc(global.leaders, leaderOf[i])
    return {topic: p.topic, partition: p.partition, replicas}
  })
}

function rank(list: number[], id: number): number {
  const i = list.indexOf(id)
  return i < 0 ? list.length : i
}

/** Only the partitions whose replica list changes. */
export function changedPartitions(plan: ReassignmentPlan, current: readonly CurrentPartition[]): PlannedPartition[] {
  const now = new Map(current.map((p) => [key(p.topic, p.partition), p.replicas]))
  return plan.partitions.filter((p) => {
    const replicas = now.get(key(p.topic, p.partition))
    return !replicas || replicas.join(',') !== p.replicas.join(',')
  })
}

export interface MoveSummary {
  partitions: number
  /** Replicas that have to be copied to a new broker. */
  replicasAdded: number
  replicasRemoved: number
  leaderChanges: number
}

export function summariseMoves(plan: ReassignmentPlan, current: readonly CurrentPartition[]): MoveSummary {
  const now = new Map(current.map((p) => [key(p.topic, p.partition), p.replicas]))
  const summary: MoveSummary = {partitions: 0, replicasAdded: 0, replicasRemoved: 0, leaderChanges: 0}
  for (const p of plan.partitions) {
    const before = now.get(key(p.topic, p.partition)) ?? []
    if (before.join(',') === p.replicas.join(',')) continue
    summary.partitions++
    summary.replicasAdded += p.replicas.filter((r) => !before.includes(r)).length
    summary.replicasRemoved += before.filter((r) => !p.replicas.includes(r)).length
    if (before[0] !== p.replicas[0]) summary.leaderChanges++
  }
  return summary
}

export type VerifyState = 'complete' | 'in-progress' | 'not-started'

export interface VerifyResult {
  topic: string
  partition: number
  target: number[]
  replicas: number[]
  state: VerifyState
}

/**
 * Compares a plan with the cluster: complete when the replica list equals the target and no
 * reassignment of the partition is under way (as kafka-reassign-partitions.sh --verify decides).
 */
export function verifyPlan(plan: ReassignmentPlan, current: readonly CurrentPartition[], ongoing: ReadonlySet<string>): VerifyResult[] {
  const now = new Map(current.map((p) => [key(p.topic, p.partition), p.replicas]))
  return plan.partitions.map((p) => {
    const replicas = now.get(key(p.topic, p.partition)) ?? []
    const moving = ongoing.has(key(p.topic, p.partition))
    const state: VerifyState = moving ? 'in-progress' : replicas.join(',') === p.replicas.join(',') ? 'complete' : 'not-started'
    return {topic: p.topic, partition: p.partition, target: p.replicas, replicas, state}
  })
}

export const reassignmentKey = key

export interface ThrottleSettings {
  /** Per topic: leader.replication.throttled.replicas and follower.replication.throttled.replicas values. */
  topics: Array<{topic: string; leaderReplicas: string; followerReplicas: string}>
  /** Brokers that get leader/follower.replication.throttled.rate. */
  brokers: number[]
}

/**
 * The throttle configs ReassignPartitionsCommand sets: leaders throttle the replicas that exist
 * now (they serve the copy), followers throttle the replicas being added; the rate goes on every
 * broker involved, old or new.
 */
export function throttleSettings(moves: readonly PlannedPartition[], current: readonly CurrentPartition[]): ThrottleSettings {
  const now = new Map(current.map((p) => [key(p.topic, p.partition), p.replicas]))
  const leader = new Map<string, string[]>()
  const follower = new Map<string, string[]>()
  const brokers = new Set<number>()
  for (const p of sortPartitions([...moves])) {
    const before = now.get(key(p.topic, p.partition)) ?? []
    const added = p.replicas.filter((r) => !before.includes(r))
    if (added.length === 0) continue
    leader.set(p.topic, [...(leader.get(p.topic) ?? []), ...before.map((r) => `${p.partition}:${r}`)])
    follower.set(p.topic, [...(follower.get(p.topic) ?? []), ...added.map((r) => `${p.partition}:${r}`)])
    for (const r of [...before, ...p.replicas]) brokers.add(r)
  }
  return {
    topics: [...leader.keys()].map((topic) => ({topic, leaderReplicas: leader.get(topic)!.join(','), followerReplicas: follower.get(topic)!.join(',')})),
    brokers: [...brokers].sort((a, b) => a - b),
  }
}

const RATE_UNITS: Record<string, number> = {'': 1, b: 1, k: 1000, kb: 1000, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3}

/** "50000000", "50MB", "48MiB/s" -> bytes per second; undefined when not a rate. */
export function parseByteRate(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*(?:\/s)?\s*$/i.exec(text)
  if (!m) return undefined
  const unit = RATE_UNITS[m[2].toLowerCase()]
  if (unit === undefined) return undefined
  const rate = Math.floor(Number(m[1]) * unit)
  return rate > 0 ? rate : undefined
}

/** Kafka's --topics-to-move-json-file layout: {"topics":[{"topic":"a"}],"version":1}. */
export function parseTopicsFile(text: string): string[] {
  const topics = (JSON.parse(text) as {topics?: Array<{topic?: unknown}>})?.topics
  if (!Array.isArray(topics) || !topics.every((t) => typeof t?.topic === 'string')) throw new Error('expected {"topics":[{"topic":"name"}],"version":1}')
  return topics.map((t) => t.topic as string)
}
