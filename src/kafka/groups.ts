import {setTimeout as sleep} from 'node:timers/promises'

import {buildGroupLag, buildPartitionLags, type GroupLag, heldAtLastStableOffset, partitionKey, type PartitionLag, partitionsNeedingTimestamps} from '../domain/lag.js'
import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {BrokerUnreachable, describeKafkaError} from './connection-errors.js'
import {findCoordinatorsOf} from './coordinators.js'
import {leadersOf, listOffsetsMany, toSafeNumber, type TopicPartition} from './offsets.js'
import {ConsumerGroupDescribe} from './protocol/consumer-group-describe.js'
import {DescribeGroups} from './protocol/describe-groups.js'
import {errorName, KafkaProtocolError} from './protocol/errors.js'
import {fetchFirstRecords, type FetchOneRequest, type FirstRecord} from './protocol/fetch-one.js'
import {FindCoordinator} from './protocol/find-coordinator.js'
import {ListGroups, type ListedGroup} from './protocol/list-groups.js'
import type {MetadataTopic} from './protocol/metadata.js'
import {OffsetFetch} from './protocol/offset-fetch.js'
import type {BrokerConnection} from './protocol/transport.js'
import {compareNames} from '../domain/order.js'
import {isLiteralName, selectNames} from '../domain/name-match.js'

/**
 * classic = the JoinGroup/SyncGroup protocol; consumer = the KIP-848 consumer rebalance protocol;
 * share = a share group (KIP-932, Kafka 4.1+); streams = a Kafka Streams group (KIP-1071).
 */
export type GroupType = 'classic' | 'consumer' | 'share' | 'streams'
export const GROUP_TYPES: readonly GroupType[] = ['classic', 'consumer', 'share', 'streams']

export interface GroupListing {
  groupId: string
  /** null when the broker is older than ListGroups v4. */
  state: string | null
  type: GroupType | null
  /** "consumer" for consumer groups; "" for groups that only commit offsets (no members ever joined). */
  protocolType: string
  coordinator: number
}

export interface GroupMember {
  memberId: string
  instanceId: string | null
  clientId: string
  host: string
  assignment: TopicPartition[]
}

export interface GroupDescription {
  groupId: string
  state: string
  /** null when the coordinator did not answer. */
  type: GroupType | null
  protocolType: string
  assignor: string
  coordinator: number
  members: GroupMember[]
}

export interface CommittedOffset extends TopicPartition {
  offset: number
}

/** ConsumerGroupDescribe answers these for groups it does not describe: classic groups, or 3.x brokers without the new protocol enabled. */
const NOT_A_CONSUMER_PROTOCOL_GROUP = new Set([69, 35]) // GROUP_ID_NOT_FOUND, UNSUPPORTED_VERSION
const RETRIABLE_GROUP_ERRORS = new Set([14, 15, 16]) // COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR

function supports(broker: BrokerConnection, apiKey: number, minVersion: number): boolean {
  const range = broker.versions?.[apiKey]
  return range !== undefined && range.maxVersion >= minVersion
}

/**
 * Every consumer group on the cluster: one ListGroups per broker, in parallel (each broker lists
 * the groups it coordinates). States and types are filtered by the broker where it can (v4/v5).
 * With `types`, every group of those types instead, whatever its protocol (as kafka-groups.sh
 * --list shows them); brokers older than ListGroups v5 report no type: their groups count as classic.
 */
export async function listGroups(connection: KafkaConnection, options: {states?: string[]; types?: readonly GroupType[]} = {}): Promise<GroupListing[]> {
  const {brokers} = await connection.metadata([])
  const states = options.states ?? []
  const types = options.types
  const perBroker = await Promise.all(brokers.map((b) => withCoordinatorRetry(async () => {
    try {
      const broker = await connection.broker(b.nodeId)
      const answer = await connection.send(broker, ListGroups, {statesFilter: states, typesFilter: [...(types ?? ['classic', 'consumer'])]})
      if (answer.errorCode !== 0) throw new KafkaProtocolError(answer.errorCode, null, `ListGroups on broker ${b.nodeId}`)
      return answer.groups.map((g) => ({g, coordinator: b.nodeId}))
    } catch (error) {
      // Each broker lists the groups it coordinates: the others' groups are still listed.
      if (!(error instanceof BrokerUnreachable)) throw error
      connection.noteGap(error, 'the groups it coordinates')
      return []
    }
  })))
  const wanted = new Set(states.map((s) => s.toLowerCase()))
  return perBroker.flat()
    .filter(({g}) => (types ? types.includes(groupTypeOf(g) ?? 'classic') : isConsumerGroup(g)))
    .filter(({g}) => wanted.size === 0 || g.groupState === null || wanted.has(g.groupState.toLowerCase()))
    .map(({g, coordinator}) => ({
      groupId: g.groupId,
      state: g.groupState,
      type: groupTypeOf(g),
      protocolType: g.protocolType,
      coordinator,
    }))
    .sort((a, b) => compareNames(a.groupId, b.groupId))
}

/** The type ListGroups v5+ reports (null before v5, or a type this kadm does not know). */
function groupTypeOf(g: ListedGroup): GroupType | null {
  return GROUP_TYPES.find((t) => t === g.groupType) ?? null
}

/** Consumer groups as Kafka's tools count them: protocol type "consumer", or "" (offsets committed without joining). */
function isConsumerGroup(g: ListedGroup): boolean {
  if (g.groupType !== null && g.groupType !== 'classic' && g.groupType !== 'consumer') return false
  return g.protocolType === 'consumer' || g.protocolType === ''
}

/**
 * The coordinator of each group: one FindCoordinator v4+ request for all of them (KIP-699),
 * or kafkajs's one-group-at-a-time lookup on brokers older than Kafka 3.0.
 */
export async function findCoordinators(connection: KafkaConnection, groupIds: string[]): Promise<Map<string, number>> {
  const result = new Map<string, number>()
  if (groupIds.length === 0) return result
  const seed = connection.seedBroker
  if (!supports(seed, FindCoordinator.apiKey, FindCoordinator.minVersion)) {
    await Promise.all(groupIds.map(async (g) => {
      const broker = await connection.coordinator(g)
      result.set(g, broker.nodeId ?? -1)
    }))
    return result
  }
  return findCoordinatorsOf(connection, 'group', groupIds, 5)
}

function byCoordinator(coordinators: Map<string, number>, groupIds: string[]): Map<number, string[]> {
  const out = new Map<number, string[]>()
  for (const g of groupIds) {
    const id = coordinators.get(g) ?? -1
    out.set(id, [...(out.get(id) ?? []), g])
  }
  return out
}

/** Decodes a classic consumer's assignment (ConsumerProtocolAssignment: version, [topic [partition]], user data). */
export function decodeConsumerAssignment(bytes: Buffer): TopicPartition[] {
  if (bytes.length < 6) return []
  const out: TopicPartition[] = []
  let pos = 2 // version
  const topics = bytes.readInt32BE(pos)
  pos += 4
  for (let t = 0; t < topics; t++) {
    const len = bytes.readInt16BE(pos)
    pos += 2
    const topic = bytes.subarray(pos, pos + len).toString('utf8')
    pos += len
    const n = bytes.readInt32BE(pos)
    pos += 4
    for (let i = 0; i < n; i++) {
      out.push({topic, partition: bytes.readInt32BE(pos)})
      pos += 4
    }
  }
  return out
}

async function describeOnCoordinator(connection: KafkaConnection, nodeId: number, groupIds: string[], known: Map<string, GroupType | null>): Promise<GroupDescription[]> {
  const broker = await connection.broker(nodeId)
  const out: GroupDescription[] = []
  let classic = groupIds.filter((g) => known.get(g) === 'classic')
  const maybeConsumer = groupIds.filter((g) => known.get(g) !== 'classic')
  if (maybeConsumer.length > 0 && supports(broker, ConsumerGroupDescribe.apiKey, 0)) {
    const answer = await connection.send(broker, ConsumerGroupDescribe, maybeConsumer)
    for (const g of answer) {
      if (NOT_A_CONSUMER_PROTOCOL_GROUP.has(g.errorCode)) classic.push(g.groupId)
      else if (g.errorCode !== 0) throw new KafkaProtocolError(g.errorCode, g.errorMessage, `describing group ${g.groupId}`)
      else {
        out.push({
          groupId: g.groupId,
          state: g.state,
          type: 'consumer',
          protocolType: 'consumer',
          assignor: g.assignor,
          coordinator: nodeId,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            instanceId: m.instanceId,
            clientId: m.clientId,
            host: m.clientHost,
            assignment: m.assignment.flatMap((a) => a.partitions.map((partition) => ({topic: a.topic, partition}))),
          })),
        })
      }
    }
  } else classic = [...classic, ...maybeConsumer]
  if (classic.length > 0) {
    const answer = await connection.send(broker, DescribeGroups, classic)
    for (const g of answer) {
      if (g.errorCode !== 0) throw new KafkaProtocolError(g.errorCode, null, `describing group ${g.groupId}`)
      out.push({
        groupId: g.groupId,
        state: g.state,
        type: 'classic',
        protocolType: g.protocolType,
        assignor: g.protocol,
        coordinator: nodeId,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          instanceId: m.groupInstanceId,
          clientId: m.clientId,
          host: m.clientHost,
          assignment: g.protocolType === 'consumer' ? decodeConsumerAssignment(m.assignment) : [],
        })),
      })
    }
  }
  return out
}

/** The state shown for a group whose coordinator did not answer: nothing else about it is known. */
export const COORDINATOR_UNREACHABLE = 'CoordinatorUnreachable'

function unreachableGroup(groupId: string, coordinator: number, type: GroupType | null): GroupDescription {
  return {groupId, state: COORDINATOR_UNREACHABLE, type, protocolType: '', assignor: '', coordinator, members: []}
}

/**
 * Retries a per-coordinator step when a coordinator moved or is still loading; `work` gets the
 * attempt number, so retries look coordinators up afresh instead of reusing a stale answer.
 */
export async function withCoordinatorRetry<T>(work: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work(attempt)
    } catch (error) {
      if (!(error instanceof KafkaProtocolError) || !RETRIABLE_GROUP_ERRORS.has(error.code) || attempt >= 3) throw error
      await sleep(200 * (attempt + 1))
    }
  }
}

/**
 * Describes groups with one request per coordinator: ConsumerGroupDescribe (API 69) for groups on
 * the KIP-848 consumer protocol, DescribeGroups for classic groups. `types` (from listGroups)
 * saves asking ConsumerGroupDescribe about groups already known to be classic.
 */
export async function describeGroups(
  connection: KafkaConnection,
  groupIds: string[],
  options: {coordinators?: Map<string, number>; types?: Map<string, GroupType | null>} = {},
): Promise<GroupDescription[]> {
  if (groupIds.length === 0) return []
  return withCoordinatorRetry(async (attempt) => {
    const coordinators = (attempt === 0 ? options.coordinators : undefined) ?? (await findCoordinators(connection, groupIds))
    const known = options.types ?? new Map()
    const parts = await Promise.all([...byCoordinator(coordinators, groupIds)].map(async ([nodeId, ids]) => {
      try {
        return await describeOnCoordinator(connection, nodeId, ids, known)
      } catch (error) {
        if (!(error instanceof BrokerUnreachable)) throw error
        connection.noteGap(error, `${ids.length} group(s) it coordinates`)
        return ids.map((groupId) => unreachableGroup(groupId, nodeId, known.get(groupId) ?? null))
      }
    }))
    const found = new Map(parts.flat().map((d) => [d.groupId, d]))
    return groupIds.map((g) => found.get(g)).filter((d): d is GroupDescription => d !== undefined)
  })
}

/**
 * Committed offsets of many groups: one OffsetFetch v8+ per coordinator for all its groups
 * (KIP-709), or one request per group on brokers older than Kafka 3.0.
 */
export async function fetchCommittedOffsets(
  connection: KafkaConnection,
  groupIds: string[],
  options: {coordinators?: Map<string, number>} = {},
): Promise<Map<string, CommittedOffset[]>> {
  const result = new Map<string, CommittedOffset[]>()
  if (groupIds.length === 0) return result
  return withCoordinatorRetry(async (attempt) => {
    const coordinators = (attempt === 0 ? options.coordinators : undefined) ?? (await findCoordinators(connection, groupIds))
    await Promise.all([...byCoordinator(coordinators, groupIds)].map(async ([nodeId, ids]) => {
      let broker: BrokerConnection
      try {
        broker = await connection.broker(nodeId)
      } catch (error) {
        // Its groups are described as CoordinatorUnreachable; their offsets stay unknown.
        if (!(error instanceof BrokerUnreachable)) throw error
        connection.noteGap(error, `committed offsets of ${ids.length} group(s)`)
        return
      }
      if (!supports(broker, OffsetFetch.apiKey, OffsetFetch.minVersion)) {
        const admin = await connection.admin()
        await Promise.all(ids.map(async (groupId) => {
          const topics = await connection.guard(admin.fetchOffsets({groupId}), `fetching offsets of group ${groupId}`)
          result.set(groupId, topics.flatMap((t) => t.partitions
            .filter((p) => Number(p.offset) >= 0)
            .map((p) => ({topic: t.topic, partition: p.partition, offset: Number(p.offset)}))))
        }))
        return
      }
      const answer = await connection.send(broker, OffsetFetch, {groups: ids.map((groupId) => ({groupId, topics: null}))})
      for (const g of answer) {
        if (g.errorCode !== 0) throw new KafkaProtocolError(g.errorCode, null, `fetching offsets of group ${g.groupId}`)
        const failed = g.partitions.find((p) => p.errorCode !== 0)
        if (failed) throw new KafkaProtocolError(failed.errorCode, null, `fetching offsets of group ${g.groupId} (${failed.topic}:${failed.partition})`)
        result.set(g.groupId, g.partitions
          .filter((p) => p.offset >= 0n)
          .map((p) => ({topic: p.topic, partition: p.partition, offset: toSafeNumber(p.offset, () => `committed offset of ${g.groupId} on ${p.topic}:${p.partition}`)})))
      }
    }))
    return result
  })
}

export interface RecordAt extends TopicPartition {
  offset: number
}

export const recordKey = (topic: string, partition: number, offset: number) => `${topic}\u0000${partition}\u0000${offset}`
const PARTITION_FETCH_BYTES = 64 * 1024
const SINGLE_FETCH_CONCURRENCY = 8

type Pending = {topic: string; partition: number; offsets: number[]}

/** The timestamp of the first record at or after each given offset (the oldest record a group has not consumed yet), or null when there is none. */
export async function recordTimestamps(connection: KafkaConnection, wanted: RecordAt[], metadata: MetadataTopic[]): Promise<Map<string, number | null>> {
  const records = await firstRecords(connection, wanted, metadata)
  return new Map([...records].map(([k, record]) => [k, record?.timestamp ?? null]))
}

/**
 * The first record at or after each given offset (its offset, timestamp and whether its key is
 * null), or null when there is none, by recordKey. One small Fetch per leader broker per round:
 * each partition is read once from its smallest wanted offset, and every wanted offset the answer
 * covers is resolved from it; offsets beyond it (other groups further ahead) take another round.
 */
export async function firstRecords(connection: KafkaConnection, wanted: RecordAt[], metadata: MetadataTopic[]): Promise<Map<string, FirstRecord | null>> {
  const found = new Map<string, FirstRecord | null>()
  const byLeader = leadersOf(metadata, wanted)
  await Promise.all([...byLeader].map(async ([leaderId, tps]) => {
    const pending = new Map<string, Pending>()
    for (const w of tps as RecordAt[]) {
      const k = `${w.topic}\u0000${w.partition}`
      const entry = pending.get(k) ?? {topic: w.topic, partition: w.partition, offsets: []}
      if (!entry.offsets.includes(w.offset)) entry.offsets.push(w.offset)
      pending.set(k, entry)
    }
    if (leaderId < 0) {
      for (const e of pending.values()) for (const o of e.offsets) found.set(recordKey(e.topic, e.partition, o), null)
      return
    }
    const broker = await connection.broker(leaderId)
    while (pending.size > 0) {
      const entries = [...pending.values()]
      for (const e of entries) e.offsets.sort((a, b) => a - b)
      const answers = await fetchFirst(connection, broker, entries)
      for (const e of entries) {
        const k = `${e.topic}\u0000${e.partition}`
        const answer = answers.get(k) ?? new Map<number, FirstRecord>()
        // The smallest offset was fetched from: unanswered, it has no record left to find.
        if (!answer.has(e.offsets[0])) {
          for (const o of e.offsets) found.set(recordKey(e.topic, e.partition, o), null)
          pending.delete(k)
          continue
        }
        for (const [o, record] of answer) found.set(recordKey(e.topic, e.partition, o), record)
        e.offsets = e.offsets.filter((o) => !answer.has(o))
        if (e.offsets.length === 0) pending.delete(k)
      }
    }
  }))
  return found
}

/** One Fetch for many partitions; those that come back without their first offset get a Fetch of their own. */
async function fetchFirst(connection: KafkaConnection, broker: BrokerConnection, entries: Pending[]): Promise<Map<string, Map<number, FirstRecord>>> {
  const out = new Map<string, Map<number, FirstRecord>>()
  const send = async (items: Pending[]) => {
    const byTopic = new Map<string, Pending[]>()
    for (const e of items) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e])
    const request: FetchOneRequest = {
      isolationLevel: 0,
      maxBytes: Math.max(1024 * 1024, items.length * PARTITION_FETCH_BYTES),
      topics: [...byTopic].map(([name, es]) => ({name, partitions: es.map((e) => ({partition: e.partition, offset: e.offsets[0], maxBytes: PARTITION_FETCH_BYTES, find: e.offsets}))})),
    }
    for (const p of await connection.send(broker, fetchFirstRecords(request), request)) {
      const answered = new Map<number, FirstRecord>()
      for (const f of p.found) if (f.record) answered.set(f.offset, f.record)
      if (answered.size > 0) out.set(`${p.topic}\u0000${p.partition}`, answered)
    }
  }
  await send(entries)
  // A broker returns a batch larger than the partition limit only for the first partition with
  // data (KIP-74): partitions that came back empty get a Fetch of their own.
  const missed = entries.filter((e) => !out.get(`${e.topic}\u0000${e.partition}`)?.has(e.offsets[0]))
  for (let i = 0; i < missed.length; i += SINGLE_FETCH_CONCURRENCY) {
    await Promise.all(missed.slice(i, i + SINGLE_FETCH_CONCURRENCY).map((e) => send([e])))
  }
  return out
}

/** Deletes groups (DeleteGroups via kafkajs, one request per coordinator); returns per-group errors. */
export async function deleteGroups(connection: KafkaConnection, groupIds: string[]): Promise<Array<{groupId: string; error: string | null}>> {
  const admin = await connection.admin()
  try {
    await admin.deleteGroups(groupIds)
    return groupIds.map((groupId) => ({groupId, error: null}))
  } catch (error) {
    // kafkajs reports per-group failures on the error's `groups`; anything else is a real failure.
    const groups = (error as {groups?: Array<{groupId: string; errorCode: number; error?: {type?: string; message?: string}}>}).groups
    if (!groups) throw describeKafkaError(error, connection.settings.bootstrapServers)
    const failed = new Map(groups.filter((g) => g.errorCode !== 0).map((g) => [g.groupId, g.error?.type ?? errorName(g.errorCode)]))
    return groupIds.map((groupId) => ({groupId, error: failed.get(groupId) ?? null}))
  }
}

export interface GroupSelection {
  /** Group ids to load, or null for every group. */
  ids: string[] | null
  /** Patterns that matched no group. */
  unmatched: string[]
}

/**
 * Groups selected as topics are, in every command that names groups: no names is every group;
 * a literal name is that group (whether it exists, loadGroupLags's `missing` tells); a glob, or
 * with `regex` a full-match regular expression, is matched against the groups ListGroups returns.
 */
export async function selectGroups(connection: KafkaConnection, names: readonly string[], options: {regex?: boolean; list?: () => Promise<string[]>} = {}): Promise<GroupSelection> {
  if (names.length === 0) return {ids: null, unmatched: []}
  const literal = names.filter((n) => isLiteralName(n, options))
  const patterns = names.filter((n) => !isLiteralName(n, options))
  if (patterns.length === 0) return {ids: [...new Set(literal)], unmatched: []}
  const ids = options.list ? await options.list() : (await listGroups(connection)).map((g) => g.groupId)
  const {selected, unmatched} = selectNames(ids.sort(compareNames), patterns, options)
  return {ids: [...new Set([...literal, ...selected])], unmatched}
}

/** The one wording for group ids that name no group. */
export function missingGroupsError(missing: readonly string[]): KadmError {
  return new KadmError(`consumer group${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist`)
}

/**
 * missingGroupsError, unless a missing id is a share or streams group (ListGroups v5+, only asked
 * on this error path): that group exists but is no consumer group, and the line says where to look.
 */
export async function missingConsumerGroupsError(connection: KafkaConnection, missing: readonly string[]): Promise<KadmError> {
  if (!supports(connection.seedBroker, ListGroups.apiKey, 5)) return missingGroupsError(missing)
  const others = new Map((await listGroups(connection, {types: ['share', 'streams']})).map((g) => [g.groupId, g.type]))
  const found = missing.find((g) => others.has(g))
  if (found === undefined) return missingGroupsError(missing)
  const type = others.get(found)
  return new KadmError(`group ${found} is a ${type} group, not a consumer group: see ${type === 'share' ? `kadm share-groups describe ${found}` : `kafka-streams-groups.sh --describe --group ${found}`}`)
}

export interface LoadOptions {
  /** Group ids, or null for every consumer group on the cluster. */
  groupIds: string[] | null
  states?: string[]
  /** Skip committed and log-end offsets (list --no-lag). */
  offsets?: boolean
  /** Also fetch the timestamp of the oldest unconsumed record of each lagging partition. */
  timeLag?: boolean
  /** Also read the log start offsets of the groups' partitions (LoadedGroups.logStarts). */
  logStarts?: boolean
  /** Also find lagging partitions where the group waits behind an open transaction (see PartitionLag.openTransaction). */
  openTransactions?: boolean
}

export interface LoadedGroups {
  /** When the offsets were read (ms), for rates and ages. */
  at: number
  groups: GroupLag[]
  /** Groups asked for by name that do not exist. */
  missing: string[]
  /** Log start offset per partitionKey, read with timeLag or logStarts. */
  logStarts: Map<string, number>
}

/**
 * Everything lag needs, batched: ListGroups per broker (or one FindCoordinator for named groups),
 * then per coordinator one describe and one OffsetFetch for all its groups, one ListOffsets per
 * leader for all partitions involved, and optionally one Fetch round per leader for record ages.
 */
export async function loadGroupLags(connection: KafkaConnection, options: LoadOptions): Promise<LoadedGroups> {
  let ids: string[]
  let coordinators: Map<string, number>
  const types = new Map<string, GroupType | null>()
  if (options.groupIds === null) {
    const listing = await listGroups(connection, {states: options.states})
    ids = listing.map((g) => g.groupId)
    coordinators = new Map(listing.map((g) => [g.groupId, g.coordinator]))
    for (const g of listing) types.set(g.groupId, g.type)
  } else {
    ids = [...new Set(options.groupIds)]
    if (ids.length === 0) return {at: Date.now(), groups: [], missing: [], logStarts: new Map()}
    coordinators = await findCoordinators(connection, ids)
  }
  const withOffsets = options.offsets !== false
  const [descriptions, committed] = await Promise.all([
    describeGroups(connection, ids, {coordinators, types}),
    withOffsets ? fetchCommittedOffsets(connection, ids, {coordinators}) : Promise.resolve(new Map<string, CommittedOffset[]>()),
  ])
  const missing: string[] = []
  const described = descriptions.filter((d) => {
    const exists = d.state !== 'Dead' || d.members.length > 0 || (committed.get(d.groupId)?.length ?? 0) > 0
    if (!exists && options.groupIds !== null) missing.push(d.groupId)
    return exists
  }).filter((d) => !options.states || options.states.length === 0 || options.states.some((s) => s.toLowerCase() === d.state.toLowerCase()))

  const partitions = new Map<string, TopicPartition>()
  for (const d of described) {
    for (const c of committed.get(d.groupId) ?? []) partitions.set(partitionKey(c.topic, c.partition), c)
    for (const m of d.members) for (const a of m.assignment) partitions.set(partitionKey(a.topic, a.partition), a)
  }
  const logEnds = new Map<string, number | null>()
  let metadata: MetadataTopic[] = []
  const logStarts = new Map<string, number>()
  if (withOffsets && partitions.size > 0) {
    metadata = (await connection.metadata([...new Set([...partitions.values()].map((p) => p.topic))])).topics
    const tps = [...partitions.values()]
    const [latest, earliest = []] = await listOffsetsMany(connection, tps, options.timeLag || options.logStarts ? ['latest', 'earliest'] : ['latest'], {metadata})
    for (const o of latest) logEnds.set(partitionKey(o.topic, o.partition), o.offset)
    for (const o of earliest) if (o.offset !== null) logStarts.set(partitionKey(o.topic, o.partition), o.offset)
  }
  const at = Date.now()
  const rows = new Map(described.map((d) => [d.groupId, withOffsets ? buildPartitionLags(d.members, committed.get(d.groupId) ?? [], logEnds) : []]))
  if (withOffsets && options.timeLag) {
    // Records below the log start are gone (retention, delete-records): the oldest unconsumed
    // record that still exists is the first one at or after the log start.
    const readFrom = (topic: string, partition: number, committed: number) => Math.max(committed, logStarts.get(partitionKey(topic, partition)) ?? 0)
    const wanted = [...rows.values()].flatMap(partitionsNeedingTimestamps)
      .map((w) => ({...w, offset: readFrom(w.topic, w.partition, w.offset)}))
      .filter((w) => w.offset < (logEnds.get(partitionKey(w.topic, w.partition)) ?? Number.POSITIVE_INFINITY))
    const timestamps = await recordTimestamps(connection, wanted, metadata)
    for (const list of rows.values()) {
      for (const p of list) {
        p.oldestUnconsumedTimestamp = p.committed !== null && p.lag !== null && p.lag > 0
          ? timestamps.get(recordKey(p.topic, p.partition, readFrom(p.topic, p.partition, p.committed))) ?? null
          : null
      }
    }
  }
  if (withOffsets && options.openTransactions) await findHeldPartitions(connection, [...rows.values()].flat(), logEnds, metadata)
  const now = Date.now()
  const groups = described.map((d) => buildGroupLag(d, rows.get(d.groupId) ?? [], now))
  return {at, groups, missing, logStarts}
}

/**
 * Marks the lagging partitions whose group waits at the last stable offset (ListOffsets
 * read_committed, one per leader) with the open transaction there (DescribeProducers, one per
 * leader, only for those partitions): the producer whose transaction starts at that offset.
 */
async function findHeldPartitions(connection: KafkaConnection, rows: PartitionLag[], logEnds: Map<string, number | null>, metadata: MetadataTopic[]): Promise<void> {
  const lagging = rows.filter((p) => p.lag !== null && p.lag > 0)
  if (lagging.length === 0) return
  const tps = [...new Map(lagging.map((p) => [partitionKey(p.topic, p.partition), {topic: p.topic, partition: p.partition}])).values()]
  const [stable] = await listOffsetsMany(connection, tps, ['latest'], {metadata, isolation: 'read_committed'})
  const lso = new Map(stable.map((o) => [partitionKey(o.topic, o.partition), o.offset]))
  const held = lagging.filter((p) => heldAtLastStableOffset(p.committed, lso.get(partitionKey(p.topic, p.partition)) ?? null, logEnds.get(partitionKey(p.topic, p.partition)) ?? null))
  if (held.length === 0) return
  const {describeProducers} = await import('./transactions.js')
  const heldTps = [...new Map(held.map((p) => [partitionKey(p.topic, p.partition), {topic: p.topic, partition: p.partition}])).values()]
  const states = new Map((await describeProducers(connection, heldTps, {metadata})).map((s) => [partitionKey(s.topic, s.partition), s.producers]))
  for (const p of held) {
    const lastStableOffset = lso.get(partitionKey(p.topic, p.partition))!
    const producer = states.get(partitionKey(p.topic, p.partition))?.find((s) => s.currentTransactionStartOffset === lastStableOffset)
    p.openTransaction = {lastStableOffset, producerId: producer?.producerId ?? null, producerEpoch: producer?.producerEpoch ?? null, lastTimestamp: producer && producer.lastTimestamp >= 0 ? producer.lastTimestamp : null}
  }
}
