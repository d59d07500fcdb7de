import {setTimeout as sleep} from 'node:timers/promises'

import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {BrokerUnreachable} from './connection-errors.js'
import {errorName} from './protocol/errors.js'
import {EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, ListOffsets} from './protocol/list-offsets.js'
import type {MetadataTopic} from './protocol/metadata.js'

export interface TopicPartition {
  topic: string
  partition: number
}

/** Which offset to look up: earliest, latest, or the first offset at or after a timestamp (ms). */
export type OffsetSpec = 'earliest' | 'latest' | {timestamp: number}

export interface PartitionOffset extends TopicPartition {
  /** null when the broker answered with an error (see `error`) or has no offset for the timestamp. */
  offset: number | null
  /** Timestamp of the record found (timestamp look-ups only), -1 otherwise. */
  timestamp: number
  error?: string
  /** The leader did not answer (down, frozen, restarting): the offset is unknown, not absent. */
  unreachable?: boolean
}

export type IsolationLevel = 'read_uncommitted' | 'read_committed'

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)

/**
 * Offsets fit a JS number up to 2^53; beyond that precision would be lost, so say so. `what`
 * names the value for that error, built only then (this runs once per partition).
 */
export function toSafeNumber(value: bigint, what: () => string): number {
  if (value > MAX_SAFE || value < MIN_SAFE) throw new KadmError(`${what()} ${value} exceeds 2^53 and cannot be shown exactly`)
  return Number(value)
}

/** Groups partitions by the broker that leads them (-1: none), from metadata the caller already has. */
export function leadersOf(topics: MetadataTopic[], partitions: TopicPartition[]): Map<number, TopicPartition[]> {
  const leaders = new Map<string, Map<number, number>>()
  for (const t of topics) leaders.set(t.name, new Map(t.partitions.map((p) => [p.partition, p.leader])))
  const byLeader = new Map<number, TopicPartition[]>()
  for (const tp of partitions) {
    const id = leaders.get(tp.topic)?.get(tp.partition) ?? -1
    const list = byLeader.get(id)
    if (list) list.push(tp)
    else byLeader.set(id, [tp])
  }
  return byLeader
}

/** One ListOffsets spec: earliest, latest, or a timestamp in ms. */
function timestampOf(spec: OffsetSpec): number {
  return spec === 'earliest' ? EARLIEST_TIMESTAMP : spec === 'latest' ? LATEST_TIMESTAMP : spec.timestamp
}

/**
 * Looks up offsets with one ListOffsets request per leader broker, all brokers in parallel.
 * Pass `metadata` when the caller already fetched it, to save a round trip. Answers come in the
 * order of `partitions`.
 */
export async function listOffsets(
  connection: KafkaConnection,
  partitions: TopicPartition[],
  spec: OffsetSpec,
  options: {metadata?: MetadataTopic[]; isolation?: IsolationLevel} = {},
): Promise<PartitionOffset[]> {
  const [found] = await listOffsetsMany(connection, partitions, [spec], options)
  return found
}

/**
 * Several look-ups of the same partitions (e.g. earliest and latest) at once: the partitions are
 * grouped by leader once, and each leader gets one ListOffsets request per spec, spread over the
 * two connections kafkajs keeps to it, so the broker answers them in parallel. Returns one list
 * per spec, each in the order of `partitions`.
 */
export async function listOffsetsMany(
  connection: KafkaConnection,
  partitions: TopicPartition[],
  specs: OffsetSpec[],
  options: ListOffsetsOptions = {},
): Promise<PartitionOffset[][]> {
  const results = await listOffsetsOnce(connection, partitions, specs, options)
  if (options.leaders === 'caller') return results
  // A leader that moved (an election, a broker restarting) answers with an error that names it:
  // those partitions are asked again of their new leaders, with fresh metadata, within --timeout.
  const deadline = Date.now() + connection.options.timeoutMs
  for (let attempt = 1; ; attempt++) {
    const retry = partitions.map((_, i) => i).filter((i) => results.some((list) => list[i].error !== undefined && LEADER_MOVED.has(list[i].error!)))
    if (retry.length === 0 || Date.now() + 100 * attempt > deadline) return results
    await sleep(100 * attempt)
    const again = await listOffsetsOnce(connection, retry.map((i) => partitions[i]), specs, {isolation: options.isolation})
    retry.forEach((at, j) => {
      for (let k = 0; k < specs.length; k++) results[k][at] = again[k][j]
    })
  }
}

/** ListOffsets errors that a leader moving explains: asking the new leader answers them. */
const LEADER_MOVED = new Set(['NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'REQUEST_TIMED_OUT', 'OFFSET_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION'])

export interface ListOffsetsOptions {
  /** The caller's metadata, to save a round trip. */
  metadata?: MetadataTopic[]
  isolation?: IsolationLevel
  /**
   * resolve (default): partitions whose leader moved are asked again of the new leader within
   * --timeout, and those of a leader that does not answer get the error and a recorded gap.
   * caller: for a caller that follows leaders itself (console consume): moved-leader errors are
   * returned as they are, and a leader that does not answer throws BrokerUnreachable.
   */
  leaders?: 'resolve' | 'caller'
}

async function listOffsetsOnce(
  connection: KafkaConnection,
  partitions: TopicPartition[],
  specs: OffsetSpec[],
  options: ListOffsetsOptions,
): Promise<PartitionOffset[][]> {
  if (partitions.length === 0) return specs.map(() => [])
  const topics = options.metadata ?? (await connection.metadata([...new Set(partitions.map((p) => p.topic))])).topics
  // Where each partition's answer goes: thousands of partitions are common, so no string key each.
  const slot = new Map<string, Map<number, number>>()
  partitions.forEach((tp, i) => {
    const byPartition = slot.get(tp.topic)
    if (!byPartition) slot.set(tp.topic, new Map([[tp.partition, i]]))
    else if (!byPartition.has(tp.partition)) byPartition.set(tp.partition, i)
  })
  const results: PartitionOffset[][] = specs.map(() => new Array<PartitionOffset>(partitions.length))
  const answer = (i: number, found: PartitionOffset) => {
    const at = slot.get(found.topic)?.get(found.partition)
    if (at !== undefined) results[i][at] = found
  }
  await Promise.all([...leadersOf(topics, partitions)].map(async ([leaderId, tps]) => {
    if (leaderId < 0) {
      for (let i = 0; i < specs.length; i++) for (const tp of tps) answer(i, {...tp, offset: null, timestamp: -1, error: 'LEADER_NOT_AVAILABLE'})
      return
    }
    const byTopic = new Map<string, number[]>()
    for (const tp of tps) {
      const list = byTopic.get(tp.topic)
      if (list) list.push(tp.partition)
      else byTopic.set(tp.topic, [tp.partition])
    }
    const requestTopics = [...byTopic].map(([name, ps]) => ({name, partitions: ps}))
    try {
      await askLeader(leaderId, requestTopics)
    } catch (error) {
      if (!(error instanceof BrokerUnreachable) || options.leaders === 'caller') throw error
      connection.noteGap(error, `offsets of ${tps.length} partition(s) it leads`)
      for (let i = 0; i < specs.length; i++) for (const tp of tps) answer(i, {...tp, offset: null, timestamp: -1, error: error.message, unreachable: true})
    }
  }))
  async function askLeader(leaderId: number, requestTopics: Array<{name: string; partitions: number[]}>): Promise<void> {
    const broker = await connection.broker(leaderId)
    await Promise.all(specs.map(async (spec, i) => {
      const response = await connection.send(broker, ListOffsets, {
        isolationLevel: options.isolation === 'read_committed' ? 1 : 0,
        timestamp: timestampOf(spec),
        topics: requestTopics,
      }, {connection: i % 2 === 0 ? 0 : 1})
      for (const p of response) {
        const found: PartitionOffset = {topic: p.topic, partition: p.partition, offset: null, timestamp: -1}
        if (p.errorCode !== 0) found.error = errorName(p.errorCode)
        else if (p.offset >= 0) {
          found.offset = p.offset
          found.timestamp = p.timestamp
        }
        answer(i, found)
      }
    }))
  }
  for (const list of results) {
    for (let at = 0; at < list.length; at++) {
      // A partition asked twice shares the answer of its first mention.
      const first = slot.get(partitions[at].topic)?.get(partitions[at].partition) ?? at
      list[at] ??= list[first] ?? {...partitions[at], offset: null, timestamp: -1, error: 'NO_RESPONSE'}
    }
  }
  return results
}
