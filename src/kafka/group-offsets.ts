import {partitionLists, resolveScopes, type TopicScope} from '../domain/offset-reset.js'
import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {type CommittedOffset, fetchCommittedOffsets, findCoordinators, withCoordinatorRetry} from './groups.js'
import type {TopicPartition} from './offsets.js'
import {errorName, KafkaProtocolError} from './protocol/errors.js'
import type {MetadataTopic} from './protocol/metadata.js'
import {OffsetCommit} from './protocol/offset-commit.js'
import {OffsetDelete} from './protocol/offset-delete.js'
import type {BrokerConnection} from './protocol/transport.js'
import {compareNames} from '../domain/order.js'
import {isLiteralName} from '../domain/name-match.js'
import {pickTopics} from './topics.js'

/*
 * What `kadm offsets` adds to src/kafka/groups.ts: committing and deleting a group's offsets.
 * Finding coordinators, describing groups and reading committed offsets are groups.ts's.
 */

export type {CommittedOffset} from './groups.js'

const NOT_COORDINATOR = new Set([14, 15, 16]) // COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR

const sortPartitions = <T extends TopicPartition>(list: T[]): T[] => list.sort((a, b) => compareNames(a.topic, b.topic) || a.partition - b.partition)

function byTopic(partitions: TopicPartition[]): Array<{name: string; partitions: number[]}> {
  const map = new Map<string, number[]>()
  for (const tp of partitions) {
    const list = map.get(tp.topic)
    if (list) list.push(tp.partition)
    else map.set(tp.topic, [tp.partition])
  }
  return [...map].map(([name, ps]) => ({name, partitions: ps}))
}

/**
 * Runs `work` at the group's coordinator (from `coordinators` when the caller already looked it
 * up), with groups.ts's retries: an answer carrying a coordinator error is thrown so that the
 * retry finds the coordinator afresh.
 */
export async function atCoordinator<T>(connection: KafkaConnection, group: string, coordinators: Map<string, number> | undefined, work: (broker: BrokerConnection) => Promise<T>): Promise<T> {
  return withCoordinatorRetry(async (attempt) => {
    const known = attempt === 0 ? coordinators?.get(group) : undefined
    const nodeId = known ?? (await findCoordinators(connection, [group])).get(group) ?? -1
    return work(await connection.broker(nodeId))
  })
}

/** The partitions `scopes` name (a bare topic: all its partitions), from one Metadata request; a missing topic or partition is an error. */
/**
 * Scopes as every command selects topics: a glob (orders-*, with the scope's partitions, orders-*:0)
 * stands for each topic it matches, internal ones only by exact name; an exact name stays as it is
 * (resolvePartitions says whether it exists). One Metadata request for every topic, only when a
 * glob is given.
 */
export async function expandScopes(connection: KafkaConnection, scopes: readonly TopicScope[]): Promise<{scopes: TopicScope[]; unmatched: string[]}> {
  if (scopes.every((s) => isLiteralName(s.topic))) return {scopes: [...scopes], unmatched: []}
  const {topics} = await connection.metadata(null)
  const out: TopicScope[] = []
  const unmatched: string[] = []
  for (const scope of scopes) {
    if (isLiteralName(scope.topic)) {
      out.push(scope)
      continue
    }
    const picked = pickTopics(topics, {patterns: [scope.topic]}).topics
    if (picked.length === 0) unmatched.push(scope.topic)
    for (const t of picked) out.push({topic: t.name, partitions: scope.partitions})
  }
  return {scopes: out, unmatched}
}

export async function resolvePartitions(connection: KafkaConnection, scopes: TopicScope[]): Promise<{partitions: TopicPartition[]; metadata: MetadataTopic[]}> {
  const {topics: metadata} = await connection.metadata([...new Set(scopes.map((s) => s.topic))])
  const {partitions, missing, missingTopics} = resolveScopes(scopes, partitionLists(metadata))
  if (missingTopics.length) throw new KadmError(`topic ${missingTopics.join(', ')} does not exist`)
  if (missing.length) throw new KadmError(`partition ${missing.map((m) => `${m.topic}:${m.partition}`).join(', ')} does not exist`)
  return {partitions, metadata}
}

/** One group's committed offsets (all of them, or those of `partitions`), sorted by topic and partition. */
export async function committedOffsetsOf(connection: KafkaConnection, group: string, partitions: TopicPartition[] | null = null): Promise<CommittedOffset[]> {
  const all = (await fetchCommittedOffsets(connection, [group])).get(group) ?? []
  if (partitions === null) return sortPartitions(all)
  const wanted = new Set(partitions.map((tp) => `${tp.topic}\u0000${tp.partition}`))
  return sortPartitions(all.filter((c) => wanted.has(`${c.topic}\u0000${c.partition}`)))
}

export interface PartitionResult extends TopicPartition {
  /** null on success, else Kafka's error name. */
  error: string | null
}

/**
 * Commits offsets as an administrator (generation -1, no member id) at the coordinator: one
 * request for the whole group, as Kafka's AdminClient does.
 */
export async function commitGroupOffsets(connection: KafkaConnection, group: string, offsets: CommittedOffset[], options: {coordinators?: Map<string, number>} = {}): Promise<PartitionResult[]> {
  if (offsets.length === 0) return []
  const topics = new Map<string, Array<{partition: number; offset: bigint}>>()
  for (const o of offsets) {
    const entry = {partition: o.partition, offset: BigInt(o.offset)}
    const list = topics.get(o.topic)
    if (list) list.push(entry)
    else topics.set(o.topic, [entry])
  }
  const results = await atCoordinator(connection, group, options.coordinators, async (broker) => {
    const answer = await connection.send(broker, OffsetCommit, {groupId: group, topics: [...topics].map(([name, partitions]) => ({name, partitions}))})
    const moved = answer.find((r) => NOT_COORDINATOR.has(r.errorCode))
    if (moved) throw new KafkaProtocolError(moved.errorCode, null, `committing the offsets of group ${group}`)
    return answer
  })
  return results.map((r) => ({topic: r.topic, partition: r.partition, error: r.errorCode === 0 ? null : errorName(r.errorCode)}))
}

export interface DeleteOffsetsResult {
  /** A group-level refusal (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...), or null. */
  groupError: string | null
  partitions: PartitionResult[]
}

/** OffsetDelete: removes the group's committed offsets for partitions it no longer subscribes to. */
export async function deleteGroupOffsets(connection: KafkaConnection, group: string, partitions: TopicPartition[]): Promise<DeleteOffsetsResult> {
  if (partitions.length === 0) throw new KadmError('no partitions to delete offsets for')
  const answer = await atCoordinator(connection, group, undefined, async (broker) => {
    const a = await connection.send(broker, OffsetDelete, {groupId: group, topics: byTopic(partitions)})
    if (NOT_COORDINATOR.has(a.errorCode)) throw new KafkaProtocolError(a.errorCode, null, `deleting the offsets of group ${group}`)
    return a
  })
  return {
    groupError: answer.errorCode === 0 ? null : errorName(answer.errorCode),
    partitions: answer.partitions.map((p) => ({topic: p.topic, partition: p.partition, error: p.errorCode === 0 ? null : errorName(p.errorCode)})),
  }
}
