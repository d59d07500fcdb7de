import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import type {TopicPartition} from './offsets.js'
import {toSafeNumber} from './offsets.js'
import {ConsumerGroupDescribe} from './protocol/consumer-group-describe.js'
import {DescribeGroups} from './protocol/describe-groups.js'
import {errorName, KafkaProtocolError} from './protocol/errors.js'
import {OffsetCommit} from './protocol/offset-commit.js'
import {OffsetDelete} from './protocol/offset-delete.js'
import {OffsetFetch} from './protocol/offset-fetch.js'
import type {BrokerConnection} from './protocol/transport.js'

export interface CommittedOffset extends TopicPartition {
  offset: number
}

export interface GroupMember {
  memberId: string
  clientId: string
  clientHost: string
}

export interface GroupState {
  group: string
  /** Empty, Stable, PreparingRebalance, CompletingRebalance, Dead, ... (Dead also means "no such group"). */
  state: string
  /** classic (JoinGroup) or consumer (KIP-848); null when the group does not exist. */
  protocol: 'classic' | 'consumer' | null
  members: GroupMember[]
}

const NOT_COORDINATOR = new Set([14, 15, 16])

function byTopic(partitions: TopicPartition[]): Array<{name: string; partitions: number[]}> {
  const map = new Map<string, number[]>()
  for (const tp of partitions) {
    const list = map.get(tp.topic)
    if (list) list.push(tp.partition)
    else map.set(tp.topic, [tp.partition])
  }
  return [...map].map(([name, ps]) => ({name, partitions: ps}))
}

const ATTEMPTS = 6

/**
 * Runs `work` against the group's coordinator, looking the coordinator up again (with a short
 * back-off) while it is moving or still loading the group: right after __consumer_offsets is
 * created or a broker restarts, coordinators answer NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS.
 */
async function atCoordinator<T>(connection: KafkaConnection, group: string, work: (broker: BrokerConnection) => Promise<T>, retry: (result: T) => boolean = () => false): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const broker = await coordinatorOf(connection, group)
    try {
      const result = await work(broker)
      if (attempt < ATTEMPTS && retry(result)) {
        forgetCoordinator(connection, group)
        await new Promise((r) => setTimeout(r, 100 * attempt))
        continue
      }
      return result
    } catch (error) {
      const code = (error as {code?: number}).code
      if (attempt < ATTEMPTS && code !== undefined && NOT_COORDINATOR.has(code)) {
        forgetCoordinator(connection, group)
        await new Promise((r) => setTimeout(r, 100 * attempt))
        continue
      }
      throw error
    }
  }
}

/** Coordinators found during this run, so describing, reading and committing a group cost one FindCoordinator. */
const coordinators = new WeakMap<KafkaConnection, Map<string, Promise<BrokerConnection>>>()

function coordinatorOf(connection: KafkaConnection, group: string): Promise<BrokerConnection> {
  let known = coordinators.get(connection)
  if (!known) coordinators.set(connection, (known = new Map()))
  let found = known.get(group)
  if (!found) {
    found = connection.coordinator(group)
    found.catch(() => known.delete(group))
    known.set(group, found)
  }
  return found
}

function forgetCoordinator(connection: KafkaConnection, group: string): void {
  coordinators.get(connection)?.delete(group)
}

/** The group's committed offsets (all of them, or for `partitions`); partitions without a commit are left out. */
export async function fetchCommittedOffsets(connection: KafkaConnection, group: string, partitions: TopicPartition[] | null = null): Promise<CommittedOffset[]> {
  const answer = await atCoordinator(connection, group,
    (broker) => connection.send(broker, OffsetFetch, {groupId: group, topics: partitions ? byTopic(partitions) : null}),
    (a) => NOT_COORDINATOR.has(a.errorCode))
  if (answer.errorCode !== 0) throw new KafkaProtocolError(answer.errorCode, null, `reading the committed offsets of group ${group}`)
  const out: CommittedOffset[] = []
  for (const p of answer.partitions) {
    if (p.errorCode !== 0) throw new KafkaProtocolError(p.errorCode, null, `reading the committed offset of group ${group} on ${p.topic}:${p.partition}`)
    if (p.offset >= 0n) out.push({topic: p.topic, partition: p.partition, offset: toSafeNumber(p.offset, `committed offset of ${p.topic}:${p.partition}`)})
  }
  return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
}

/**
 * The group's state and members. Groups on the new consumer protocol (KIP-848) look Dead to
 * DescribeGroups on Kafka 4, so a Dead answer is checked with ConsumerGroupDescribe when the
 * coordinator speaks it.
 */
export async function describeGroupState(connection: KafkaConnection, group: string): Promise<GroupState> {
  return atCoordinator(connection, group, async (broker) => {
    // Both questions at once when the coordinator speaks ConsumerGroupDescribe: a Dead answer
    // from DescribeGroups then costs no extra round trip.
    const [[described], modernAnswer] = await Promise.all([
      connection.send(broker, DescribeGroups, {groupIds: [group]}),
      broker.versions?.[ConsumerGroupDescribe.apiKey] ? connection.send(broker, ConsumerGroupDescribe, {groupIds: [group]}) : Promise.resolve([]),
    ])
    const modern = modernAnswer[0]
    if (described && NOT_COORDINATOR.has(described.errorCode)) throw new KafkaProtocolError(described.errorCode, null, 'DescribeGroups')
    if (described && described.errorCode === 0 && described.state !== 'Dead') {
      return {
        group,
        state: described.state,
        protocol: 'classic',
        members: described.members.map(({memberId, clientId, clientHost}) => ({memberId, clientId, clientHost})),
      }
    }
    if (described && described.errorCode !== 0 && described.errorCode !== 69) {
      throw new KafkaProtocolError(described.errorCode, null, `describing group ${group}`)
    }
    if (modern && NOT_COORDINATOR.has(modern.errorCode)) throw new KafkaProtocolError(modern.errorCode, null, 'ConsumerGroupDescribe')
    if (modern && modern.errorCode === 0) {
      return {
        group,
        state: modern.state,
        protocol: 'consumer',
        members: modern.members.map(({memberId, clientId, clientHost}) => ({memberId, clientId, clientHost})),
      }
    }
    return {group, state: 'Dead', protocol: null, members: []}
  })
}

export interface PartitionResult extends TopicPartition {
  /** null on success, else Kafka's error name. */
  error: string | null
}

/**
 * Commits offsets as an administrator (generation -1, no member id) at the coordinator: one
 * request for the whole group, as Kafka's AdminClient does.
 */
export async function commitGroupOffsets(connection: KafkaConnection, group: string, offsets: CommittedOffset[]): Promise<PartitionResult[]> {
  if (offsets.length === 0) return []
  const topics = new Map<string, Array<{partition: number; offset: bigint}>>()
  for (const o of offsets) {
    const entry = {partition: o.partition, offset: BigInt(o.offset)}
    const list = topics.get(o.topic)
    if (list) list.push(entry)
    else topics.set(o.topic, [entry])
  }
  const results = await atCoordinator(connection, group,
    (broker) => connection.send(broker, OffsetCommit, {groupId: group, topics: [...topics].map(([name, partitions]) => ({name, partitions}))}),
    (rs) => rs.some((r) => NOT_COORDINATOR.has(r.errorCode)))
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
  const answer = await atCoordinator(connection, group,
    (broker) => connection.send(broker, OffsetDelete, {groupId: group, topics: byTopic(partitions)}),
    (a) => NOT_COORDINATOR.has(a.errorCode))
  return {
    groupError: answer.errorCode === 0 ? null : errorName(answer.errorCode),
    partitions: answer.partitions.map((p) => ({topic: p.topic, partition: p.partition, error: p.errorCode === 0 ? null : errorName(p.errorCode)})),
  }
}

/** Every consumer group the cluster knows (ListGroups on every broker, through kafkajs). */
export async function listConsumerGroupIds(connection: KafkaConnection): Promise<string[]> {
  const admin = await connection.admin()
  const {groups} = await connection.guard(admin.listGroups(), 'ListGroups request')
  return groups.filter((g) => g.protocolType === 'consumer' || g.protocolType === '').map((g) => g.groupId).sort()
}
