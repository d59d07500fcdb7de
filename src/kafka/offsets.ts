import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
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
}

export type IsolationLevel = 'read_uncommitted' | 'read_committed'

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`

/** Offsets fit a JS number up to 2^53; beyond that precision would be lost, so say so. */
export function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new KadmError(`${what} ${value} exceeds 2^53 and cannot be shown exactly`)
  }
  return Number(value)
}

/** Groups partitions by the broker that leads them, from metadata the caller already has. */
export function leadersOf(topics: MetadataTopic[], partitions: TopicPartition[]): Map<number, TopicPartition[]> {
  const leader = new Map<string, number>()
  for (const t of topics) for (const p of t.partitions) leader.set(key(t.name, p.partition), p.leader)
  const byLeader = new Map<number, TopicPartition[]>()
  for (const tp of partitions) {
    const id = leader.get(key(tp.topic, tp.partition)) ?? -1
    const list = byLeader.get(id)
    if (list) list.push(tp)
    else byLeader.set(id, [tp])
  }
  return byLeader
}

/**
 * Looks up offsets with one ListOffsets request per leader broker, all brokers in parallel.
 * Pass `metadata` when the caller already fetched it, to save a round trip.
 */
export async function listOffsets(
  connection: KafkaConnection,
  partitions: TopicPartition[],
  spec: OffsetSpec,
  options: {metadata?: MetadataTopic[]; isolation?: IsolationLevel} = {},
): Promise<PartitionOffset[]> {
  if (partitions.length === 0) return []
  const topics = options.metadata ?? (await connection.metadata([...new Set(partitions.map((p) => p.topic))])).topics
  const timestamp = spec === 'earliest' ? EARLIEST_TIMESTAMP : spec === 'latest' ? LATEST_TIMESTAMP : BigInt(spec.timestamp)
  const results = new Map<string, PartitionOffset>()
  await Promise.all([...leadersOf(topics, partitions)].map(async ([leaderId, tps]) => {
    if (leaderId < 0) {
      for (const tp of tps) results.set(key(tp.topic, tp.partition), {...tp, offset: null, timestamp: -1, error: 'LEADER_NOT_AVAILABLE'})
      return
    }
    const byTopic = new Map<string, number[]>()
    for (const tp of tps) {
      const list = byTopic.get(tp.topic)
      if (list) list.push(tp.partition)
      else byTopic.set(tp.topic, [tp.partition])
    }
    const broker = await connection.broker(leaderId)
    const answer = await connection.send(broker, ListOffsets, {
      isolationLevel: options.isolation === 'read_committed' ? 1 : 0,
      topics: [...byTopic].map(([name, ps]) => ({name, partitions: ps.map((partition) => ({partition, timestamp}))})),
    })
    for (const p of answer) {
      const found: PartitionOffset = {topic: p.topic, partition: p.partition, offset: null, timestamp: -1}
      if (p.errorCode !== 0) found.error = errorName(p.errorCode)
      else if (p.offset >= 0n) {
        found.offset = toSafeNumber(p.offset, `offset of ${p.topic}:${p.partition}`)
        found.timestamp = Number(p.timestamp)
      }
      results.set(key(p.topic, p.partition), found)
    }
  }))
  return partitions.map((tp) => results.get(key(tp.topic, tp.partition)) ?? {...tp, offset: null, timestamp: -1, error: 'NO_RESPONSE'})
}
