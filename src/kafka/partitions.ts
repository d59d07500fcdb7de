import {KadmError} from '../errors.js'
import {isLiteralName, type NameMatchOptions, selectNames} from '../domain/name-match.js'
import {type PartitionState, withState} from '../domain/partition-state.js'
import type {KafkaConnection} from './client.js'
import {BrokerUnreachable} from './connection-errors.js'
import {describeConfigs, MIN_ISR, minIsrFrom} from './configs.js'
import {leadersOf, listOffsets, toSafeNumber, type TopicPartition} from './offsets.js'
import {DeleteRecords} from './protocol/delete-records.js'
import {DescribeLogDirs} from './protocol/describe-log-dirs.js'
import {ElectLeaders, type ElectionType} from './protocol/elect-leaders.js'
import {errorName} from './protocol/errors.js'
import {ListPartitionReassignments, type ListPartitionReassignmentsResponse} from './protocol/list-partition-reassignments.js'
import type {MetadataResponse, MetadataTopic} from './protocol/metadata.js'

export interface TopicPatternOptions extends NameMatchOptions {
  excludeInternal?: boolean
  /** Called with the patterns (globs or regexes) that matched no topic; a literal name that matches nothing throws instead. */
  onUnmatched?: (patterns: string[]) => void
}

/**
 * Topics of the metadata selected by names or patterns (name-match.ts: globs, or full-match
 * regexes with `regex`), sorted; internal ones left out on request. A literal name that is not a
 * topic is an error; a pattern that matches nothing is reported to `onUnmatched`.
 */
export function topicsOf(metadata: MetadataResponse, patterns?: string[], options: TopicPatternOptions = {}): MetadataTopic[] {
  const candidates = metadata.topics.filter((t) => t.errorCode === 0 && !(options.excludeInternal && t.isInternal))
  const {selected, unmatched} = selectNames(candidates.map((t) => t.name), patterns ?? [], options)
  const missing = unmatched.filter((p) => isLiteralName(p, options))
  if (missing.length > 0) throw new KadmError(`topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist`)
  if (unmatched.length > 0) options.onUnmatched?.(unmatched)
  const names = new Set(selected)
  return candidates.filter((t) => names.has(t.name)).sort((a, b) => (a.name < b.name ? -1 : 1))
}

/**
 * min.insync.replicas of each topic (configs.ts's DescribeConfigs). Throws when the brokers could
 * not describe a topic (e.g. no DescribeConfigs right), so the caller can warn.
 */
async function minIsrOf(connection: KafkaConnection, topics: string[]): Promise<Map<string, number>> {
  const results = await describeConfigs(connection, topics.map((name) => ({type: 'topic' as const, name})), {keys: [MIN_ISR]})
  const failed = results.find((r) => r.error !== undefined)
  if (failed) throw new KadmError(`topic ${failed.name}: ${failed.error}`)
  return minIsrFrom(results)
}

/** Every partition of the selected topics with leader, replicas, ISR and health markers. */
export async function describePartitions(connection: KafkaConnection, options: TopicPatternOptions & {topics?: string[]; onWarning?: (message: string) => void} = {}): Promise<PartitionState[]> {
  const metadata = await connection.metadata(null)
  const topics = topicsOf(metadata, options.topics, options)
  let minIsr = new Map<string, number>()
  try {
    minIsr = await minIsrOf(connection, topics.map((t) => t.name))
  } catch (error) {
    // Without DescribeConfigs rights the rest of the health picture is still worth showing.
    options.onWarning?.(`cannot read min.insync.replicas (${(error as Error).message}): min-ISR markers left out`)
  }
  let adding = new Map<string, number[]>()
  try {
    adding = await addingReplicasFor(connection, topics)
  } catch (error) {
    options.onWarning?.(`cannot list reassignments (${(error as Error).message}): replicas being added count as out of sync`)
  }
  return partitionStates(topics, minIsr, adding, new Set(metadata.brokers.map((b) => b.nodeId)))
}

/**
 * Each partition of `topics`, in partition order, with its health markers: `minIsr` by topic name,
 * `adding` (the replicas a reassignment is adding) by addingReplicasFor's key, `live` the brokers
 * the metadata lists.
 */
export function partitionStates(topics: readonly MetadataTopic[], minIsr: ReadonlyMap<string, number>, adding: ReadonlyMap<string, number[]>, live: ReadonlySet<number>): PartitionState[] {
  return topics.flatMap((t) => [...t.partitions].sort((a, b) => a.partition - b.partition).map((p) => withState({
    topic: t.name,
    partition: p.partition,
    leader: p.leader,
    replicas: p.replicas,
    isr: p.isr,
    offlineReplicas: p.offlineReplicas,
    addingReplicas: adding.get(`${t.name}\u0000${p.partition}`) ?? [],
  }, minIsr.get(t.name) ?? null, live)))
}

/** ListPartitionReassignments: the reassignments in progress of the given partitions (null: everywhere). */
export async function fetchReassignments(connection: KafkaConnection, filter: Array<{topic: string; partitions: number[]}> | null): Promise<ListPartitionReassignmentsResponse['partitions']> {
  const answer = await connection.sendAny(ListPartitionReassignments, {timeoutMs: Math.max(connection.options.timeoutMs, 1000), topics: filter})
  if (answer.errorCode !== 0) throw new KadmError(`cannot list reassignments: ${errorName(answer.errorCode)}${answer.errorMessage ? ` (${answer.errorMessage})` : ''}`)
  return answer.partitions
}

/**
 * addingReplicas, asked only when a partition of `topics` has replicas outside its ISR: only then
 * can a reassignment change a health marker. The request is answered by the active controller:
 * while that one is frozen or failing over it waits, and holds back every later request on the
 * broker connection it was sent on (a broker serves a connection's requests in order).
 */
export async function addingReplicasFor(connection: KafkaConnection, topics: ReadonlyArray<{partitions: ReadonlyArray<{replicas: number[]; isr: number[]}>}>): Promise<Map<string, number[]>> {
  const lagging = topics.some((t) => t.partitions.some((p) => p.replicas.some((r) => !p.isr.includes(r))))
  return lagging ? addingReplicas(connection) : new Map()
}

/** The replicas being added, per "topic\u0000partition", of every reassignment in progress (usually few, so asked for all). */
export async function addingReplicas(connection: KafkaConnection): Promise<Map<string, number[]>> {
  const ongoing = await fetchReassignments(connection, null)
  return new Map(ongoing.filter((p) => p.adding.length > 0).map((p) => [`${p.topic}\u0000${p.partition}`, p.adding]))
}

/** 'would-elect' and 'not-eligible' come from a dry run's prediction. */
export type ElectionOutcome = 'elected' | 'already-leader' | 'failed' | 'would-elect' | 'not-eligible'

export interface ElectionResult extends TopicPartition {
  outcome: ElectionOutcome
  /** The leader a dry run expects. */
  newLeader?: number
  error?: string
}

const ELECTION_NOT_NEEDED = 84

/** ElectLeaders for the given partitions (null: every partition of the cluster). */
export async function electLeaders(connection: KafkaConnection, type: ElectionType, partitions: TopicPartition[] | null): Promise<ElectionResult[]> {
  let topics: Array<{topic: string; partitions: number[]}> | null = null
  if (partitions) {
    const byTopic = new Map<string, number[]>()
    for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition])
    topics = [...byTopic].map(([topic, ps]) => ({topic, partitions: ps}))
  }
  const range = connection.seedBroker.versions?.[ElectLeaders.apiKey]
  if (type === 'unclean' && range && range.maxVersion < 1) throw new KadmError('this cluster only supports preferred leader elections (ElectLeaders v0)')
  const answer = await connection.sendAny(ElectLeaders, {electionType: type, topics, timeoutMs: Math.max(connection.options.timeoutMs, 1000)})
  if (answer.errorCode !== 0) throw new KadmError(`leader election failed: ${errorName(answer.errorCode)}`)
  return answer.results
    .map((r): ElectionResult => {
      if (r.errorCode === 0) return {topic: r.topic, partition: r.partition, outcome: 'elected'}
      if (r.errorCode === ELECTION_NOT_NEEDED) return {topic: r.topic, partition: r.partition, outcome: 'already-leader'}
      return {topic: r.topic, partition: r.partition, outcome: 'failed', error: `${errorName(r.errorCode)}${r.errorMessage ? `: ${r.errorMessage}` : ''}`}
    })
    .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1))
}

export interface TruncateResult extends TopicPartition {
  /** Log start offset before and after. */
  before: number | null
  after: number | null
  error?: string
}

/**
 * DeleteRecords: moves each partition's log start offset up to the given offset (-1: its high
 * watermark), one request per leader broker.
 */
export async function deleteRecords(connection: KafkaConnection, targets: Array<TopicPartition & {offset: number}>): Promise<TruncateResult[]> {
  const metadata = await connection.metadata([...new Set(targets.map((t) => t.topic))])
  const earliest = await listOffsets(connection, targets, 'earliest', {metadata: metadata.topics})
  const results = new Map<string, TruncateResult>()
  const k = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`
  const offsetOf = new Map(targets.map((t) => [k(t), t.offset]))
  await Promise.all([...leadersOf(metadata.topics, targets)].map(async ([leader, tps]) => {
    if (leader < 0) {
      for (const tp of tps) results.set(k(tp), {...tp, before: null, after: null, error: 'LEADER_NOT_AVAILABLE'})
      return
    }
    const byTopic = new Map<string, number[]>()
    for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition])
    const broker = await connection.broker(leader)
    const answer = await connection.send(broker, DeleteRecords, {
      timeoutMs: Math.max(connection.options.timeoutMs, 1000),
      topics: [...byTopic].map(([topic, ps]) => ({topic, partitions: ps.map((partition) => ({partition, offset: BigInt(offsetOf.get(k({topic, partition}))!)}))})),
    })
    for (const p of answer) {
      const r: TruncateResult = {topic: p.topic, partition: p.partition, before: null, after: null}
      if (p.errorCode === 0) r.after = toSafeNumber(p.lowWatermark, () => `low watermark of ${p.topic}:${p.partition}`)
      else r.error = errorName(p.errorCode)
      results.set(k(p), r)
    }
  }))
  return earliest.map((e) => ({...(results.get(k(e)) ?? {topic: e.topic, partition: e.partition, after: null, error: 'NO_RESPONSE'}), before: e.offset}))
}

export interface ReplicaSize extends TopicPartition {
  broker: number
  logDir: string
  bytes: number
  /** How far this replica's log end is behind the high watermark (or, for a future log, the current one). */
  offsetLag: number
  /** A replica being moved between log dirs of the broker (AlterReplicaLogDirs). */
  future: boolean
}

export interface LogDirUsage {
  broker: number
  logDir: string
  bytes: number
  /** Volume size and free bytes (Kafka 3.3+), null when the broker does not say. */
  totalBytes: number | null
  usableBytes: number | null
  error?: string
}

export interface LogDirSizes {
  replicas: ReplicaSize[]
  logDirs: LogDirUsage[]
  /** Brokers that did not answer (their replicas are missing from the sizes). */
  unreachable: Array<{broker: number; error: string}>
}

/** DescribeLogDirs on every live broker in parallel, for the given topics (all when omitted). */
export async function describeLogDirs(connection: KafkaConnection, topics?: MetadataTopic[]): Promise<LogDirSizes> {
  // The caller's topics say where their replicas are; without them, every topic's metadata does.
  const metadata = await connection.metadata(topics ? [] : null)
  const request = {topics: topics ? topics.map((t) => ({topic: t.name, partitions: t.partitions.map((p) => p.partition)})) : null}
  const out: LogDirSizes = {replicas: [], logDirs: [], unreachable: []}
  // A broker that holds replicas but is not registered (fenced, or down for a while) cannot be
  // asked: its replicas are missing, and said to be.
  const registered = new Set(metadata.brokers.map((b) => b.nodeId))
  const holders = new Set((topics ?? metadata.topics).flatMap((t) => t.partitions.flatMap((p) => p.replicas)))
  for (const id of [...holders].filter((h) => !registered.has(h))) {
    const missing = new BrokerUnreachable(id, 'no address', 'not in the cluster metadata (fenced or down)')
    connection.noteGap(missing, 'the sizes of its replicas')
    out.unreachable.push({broker: id, error: missing.reason})
  }
  await Promise.all(metadata.brokers.map(async (b) => {
    try {
      const broker = await connection.broker(b.nodeId)
      const answer = await connection.send(broker, DescribeLogDirs, request)
      if (answer.errorCode !== 0) throw new Error(errorName(answer.errorCode))
      for (const dir of answer.results) {
        let bytes = 0
        for (const p of dir.partitions) {
          const size = Number(p.size)
          bytes += size
          out.replicas.push({topic: p.topic, partition: p.partition, broker: b.nodeId, logDir: dir.logDir, bytes: size, offsetLag: Number(p.offsetLag), future: p.isFuture})
        }
        const usage: LogDirUsage = {
          broker: b.nodeId,
          logDir: dir.logDir,
          bytes,
          totalBytes: dir.totalBytes >= 0n ? Number(dir.totalBytes) : null,
          usableBytes: dir.usableBytes >= 0n ? Number(dir.usableBytes) : null,
        }
        if (dir.errorCode !== 0) usage.error = errorName(dir.errorCode)
        out.logDirs.push(usage)
      }
    } catch (error) {
      if (error instanceof BrokerUnreachable) connection.noteGap(error, 'the sizes of its replicas')
      out.unreachable.push({broker: b.nodeId, error: error instanceof BrokerUnreachable ? error.reason : (error as Error).message})
    }
  }))
  out.replicas.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition || a.broker - b.broker : a.topic < b.topic ? -1 : 1))
  out.logDirs.sort((a, b) => a.broker - b.broker || (a.logDir < b.logDir ? -1 : 1))
  out.unreachable.sort((a, b) => a.broker - b.broker)
  return out
}
