import {setTimeout as sleep} from 'node:timers/promises'

import {KadmError} from '../errors.js'
import {type BrokerLogDirs, checkLogDirTargets, type LogDirMoveStatus, logDirMoveStatuses, type LogDirTarget, placeOf, replicaPlaces} from '../domain/log-dirs.js'
import type {KafkaConnection} from './client.js'
import {BrokerUnreachable} from './connection-errors.js'
import {describeLogDirs} from './partitions.js'
import {AlterReplicaLogDirs} from './protocol/alter-replica-log-dirs.js'
import {errorName} from './protocol/errors.js'
import type {MetadataTopic} from './protocol/metadata.js'

/**
 * Every broker's log dirs and where the replicas of `topics` are in them (DescribeLogDirs).
 * Changes need a complete picture: when a broker in `needed` does not answer, this throws and
 * nothing is changed.
 */
export async function brokerLogDirs(connection: KafkaConnection, topics: MetadataTopic[], needed: readonly number[], consequence = 'nothing was changed'): Promise<BrokerLogDirs[]> {
  const described = await describeLogDirs(connection, topics)
  const silent = described.unreachable.find((u) => needed.includes(u.broker))
  if (silent) throw new KadmError(`broker ${silent.broker} did not answer DescribeLogDirs (${silent.error}): ${consequence}`)
  const brokers = new Map<number, BrokerLogDirs>()
  const of = (id: number) => brokers.get(id) ?? brokers.set(id, {broker: id, dirs: [], replicas: []}).get(id)!
  for (const d of described.logDirs) of(d.broker).dirs.push({path: d.logDir, error: d.error ?? null})
  for (const r of described.replicas) of(r.broker).replicas.push({topic: r.topic, partition: r.partition, dir: r.logDir, future: r.future})
  return [...brokers.values()]
}

export interface LogDirMoves {
  dryRun: boolean
  /** Moves sent to the brokers (in a dry run: that would be); `from` is null for a replica not on its broker yet. */
  started: Array<LogDirTarget & {from: string | null}>
  /** Replicas already in their target dir, with no copy under way. */
  unchanged: LogDirTarget[]
  failed: Array<LogDirTarget & {error: string}>
}

/**
 * A replica the broker does not host (yet): AlterReplicaLogDirs answers so for a replica that a
 * reassignment is still bringing to the broker, and takes it once the replica is there.
 */
const NOT_THERE_YET = new Set(['REPLICA_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION', 'NOT_LEADER_OR_FOLLOWER'])

const targetKey = (t: LogDirTarget) => `${t.topic}\u0000${t.partition}\u0000${t.broker}`

/** One AlterReplicaLogDirs per broker, in parallel; the error of each target (null when accepted). */
async function sendMoves(connection: KafkaConnection, targets: readonly LogDirTarget[]): Promise<Map<string, string | null>> {
  const byBroker = new Map<number, LogDirTarget[]>()
  for (const t of targets) byBroker.set(t.broker, [...(byBroker.get(t.broker) ?? []), t])
  const out = new Map<string, string | null>()
  await Promise.all([...byBroker].map(async ([id, mine]) => {
    const dirs = new Map<string, Map<string, number[]>>()
    for (const t of mine) {
      const topics = dirs.get(t.dir) ?? dirs.set(t.dir, new Map()).get(t.dir)!
      topics.set(t.topic, [...(topics.get(t.topic) ?? []), t.partition])
    }
    try {
      const answer = await connection.send(await connection.broker(id), AlterReplicaLogDirs, {
        dirs: [...dirs].map(([path, topics]) => ({path, topics: [...topics].map(([topic, partitions]) => ({topic, partitions}))})),
      })
      const codes = new Map(answer.results.map((r) => [`${r.topic}\u0000${r.partition}`, r.errorCode]))
      for (const t of mine) {
        const code = codes.get(`${t.topic}\u0000${t.partition}`)
        out.set(targetKey(t), code === undefined ? 'NO_RESPONSE' : code === 0 ? null : errorName(code))
      }
    } catch (error) {
      const reason = error instanceof BrokerUnreachable ? `did not answer: ${error.reason}` : (error as Error).message
      for (const t of mine) out.set(targetKey(t), `broker ${id} ${reason}`)
    }
  }))
  return out
}

/**
 * Moves replicas to the given log dirs of their brokers (AlterReplicaLogDirs). Every target is
 * checked against the brokers' log dirs first (a path that is not one, an offline dir, a broker
 * that does not answer), so a bad target changes nothing. The broker copies the replica into a
 * "future" log in the target dir and swaps it in once caught up.
 *
 * With `waitMs`, a replica that is not on its broker yet (a reassignment is bringing it there) is
 * asked for again every 200 ms until it is taken or the time is up, as kafka-reassign-partitions.sh
 * --execute does with its --timeout.
 */
export async function moveReplicaLogDirs(connection: KafkaConnection, targets: readonly LogDirTarget[], brokers: readonly BrokerLogDirs[], options: {dryRun: boolean; waitMs?: number}): Promise<LogDirMoves> {
  const problems = checkLogDirTargets(targets, brokers)
  if (problems.length > 0) throw new KadmError(`${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}: nothing was changed`)
  const places = replicaPlaces(brokers)
  const result: LogDirMoves = {dryRun: options.dryRun, started: [], unchanged: [], failed: []}
  const from = new Map<string, string | null>()
  const pending: LogDirTarget[] = []
  for (const t of targets) {
    const place = placeOf(places, t)
    if (place.current === t.dir && place.future === null) result.unchanged.push(t)
    else {
      from.set(targetKey(t), place.current)
      pending.push(t)
    }
  }
  if (options.dryRun) return {...result, started: pending.map((t) => ({...t, from: from.get(targetKey(t)) ?? null}))}
  const deadline = Date.now() + (options.waitMs ?? 0)
  while (pending.length > 0) {
    const answers = await sendMoves(connection, pending)
    const waiting: LogDirTarget[] = []
    for (const t of pending) {
      const error = answers.get(targetKey(t)) ?? null
      if (error === null) result.started.push({...t, from: from.get(targetKey(t)) ?? null})
      else if (NOT_THERE_YET.has(error) && Date.now() < deadline) waiting.push(t)
      else result.failed.push({...t, error: NOT_THERE_YET.has(error) ? `${error} (broker ${t.broker} holds no replica of ${t.topic}-${t.partition})` : error})
    }
    pending.splice(0, pending.length, ...waiting)
    if (pending.length > 0) await sleep(200)
  }
  return result
}

/**
 * The replicas `partitions move-log-dir` moves: of the given partitions of `topic` (all when null),
 * those on `broker`. A partition named explicitly with no replica on the broker is an error.
 */
export async function replicasOnBroker(connection: KafkaConnection, topic: string, partitions: number[] | null, broker: number): Promise<{meta: MetadataTopic; partitions: number[]}> {
  const metadata = await connection.metadata([topic])
  if (!metadata.brokers.some((b) => b.nodeId === broker)) throw new KadmError(`broker ${broker} is not in the cluster (brokers: ${metadata.brokers.map((b) => b.nodeId).sort((a, b) => a - b).join(', ')})`)
  const meta = metadata.topics.find((t) => t.name === topic)
  if (!meta || meta.errorCode !== 0) throw new KadmError(`topic ${topic} does not exist`)
  const existing = meta.partitions.map((p) => p.partition).sort((a, b) => a - b)
  const missing = (partitions ?? []).filter((p) => !existing.includes(p))
  if (missing.length > 0) throw new KadmError(`${topic} has no partition ${missing.join(', ')} (it has ${existing.length})`)
  const wanted = meta.partitions.filter((p) => partitions === null || partitions.includes(p.partition)).sort((a, b) => a.partition - b.partition)
  const elsewhere = wanted.filter((p) => !p.replicas.includes(broker))
  if (partitions !== null && elsewhere.length > 0) {
    const p = elsewhere[0]
    throw new KadmError(`broker ${broker} holds no replica of ${topic}-${p.partition} (replicas: ${p.replicas.join(',')})`)
  }
  const on = wanted.filter((p) => p.replicas.includes(broker)).map((p) => p.partition)
  if (on.length === 0) throw new KadmError(`broker ${broker} holds no replica of ${topic}`)
  return {meta, partitions: on}
}

/** Polls DescribeLogDirs every 500 ms until no target replica is still being copied (`--wait`). */
export async function waitForLogDirMoves(connection: KafkaConnection, targets: readonly LogDirTarget[], topics: MetadataTopic[]): Promise<LogDirMoveStatus[]> {
  const needed = [...new Set(targets.map((t) => t.broker))]
  for (;;) {
    const statuses = logDirMoveStatuses(targets, await brokerLogDirs(connection, topics, needed, 'the moves started go on'))
    if (statuses.every((s) => s.state !== 'in-progress')) return statuses
    await sleep(500)
  }
}
