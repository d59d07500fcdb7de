import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {BrokerUnreachable} from './connection-errors.js'
import {findCoordinators, selectGroups, withCoordinatorRetry} from './groups.js'
import {brokerAddress} from './kafkajs.js'
import {planGroupReset, type PartitionFacts, type PlanRow, type ResetTarget, type TopicScope} from '../domain/offset-reset.js'
import {atCoordinator, resolvePartitions} from './group-offsets.js'
import {listOffsetsMany} from './offsets.js'
import {AlterShareGroupOffsets} from './protocol/alter-share-group-offsets.js'
import {DeleteShareGroupOffsets} from './protocol/delete-share-group-offsets.js'
import {DescribeShareGroupOffsets} from './protocol/describe-share-group-offsets.js'
import {errorName, KafkaProtocolError} from './protocol/errors.js'
import {ListGroups} from './protocol/list-groups.js'
import {ShareGroupDescribe} from './protocol/share-group-describe.js'
import type {BrokerConnection} from './protocol/transport.js'
import {compareNames} from '../domain/order.js'

export interface ShareGroupListing {
  groupId: string
  state: string | null
  coordinator: number
}

export interface ShareGroupMember {
  memberId: string
  clientId: string
  host: string
  rack: string | null
  memberEpoch: number
  subscribedTopics: string[]
  assignment: Array<{topic: string; partition: number}>
}

export interface ShareGroupDescription {
  groupId: string
  state: string
  coordinator: number
  groupEpoch: number
  assignmentEpoch: number
  assignor: string
  members: ShareGroupMember[]
}

const GROUP_ID_NOT_FOUND = 69
const RETRIABLE_COORDINATOR_ERRORS = new Set([14, 15, 16]) // COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR

/**
 * Share groups need ListGroups v5 (group types) and ShareGroupDescribe v1: Kafka 4.1 or newer;
 * `also` names a further share-group API the command sends (offsets: 4.1 as well).
 */
export function requireShareGroups(broker: BrokerConnection, also?: {name: string; apiKey: number}): void {
  const describe = broker.versions?.[ShareGroupDescribe.apiKey]
  const list = broker.versions?.[ListGroups.apiKey]
  if (!describe || describe.maxVersion < 1 || !list || list.maxVersion < 5) {
    throw new KadmError(`share groups need Kafka 4.1 or newer: broker ${brokerAddress(broker)} does not support ShareGroupDescribe v1`)
  }
  if (also && !broker.versions?.[also.apiKey]) throw new KadmError(`share group offsets need Kafka 4.1 or newer: broker ${brokerAddress(broker)} does not support ${also.name}`)
}

/** Every share group: ListGroups (type share) to every broker, each listing the groups it coordinates. */
export async function listShareGroups(connection: KafkaConnection, options: {states?: string[]} = {}): Promise<ShareGroupListing[]> {
  const {brokers} = await connection.metadata([])
  requireShareGroups(connection.seedBroker)
  const perBroker = await Promise.all(brokers.map((b) => withCoordinatorRetry(async () => {
    try {
      const broker = await connection.broker(b.nodeId)
      const answer = await connection.send(broker, ListGroups, {statesFilter: options.states ?? [], typesFilter: ['share']})
      if (answer.errorCode !== 0) throw new KafkaProtocolError(answer.errorCode, null, `ListGroups on broker ${b.nodeId}`)
      return answer.groups.filter((g) => g.groupType === 'share').map((g) => ({groupId: g.groupId, state: g.groupState, coordinator: b.nodeId}))
    } catch (error) {
      if (!(error instanceof BrokerUnreachable)) throw error
      connection.noteGap(error, 'the share groups it coordinates')
      return []
    }
  })))
  return perBroker.flat().sort((a, b) => compareNames(a.groupId, b.groupId))
}

/**
 * Share groups described by their coordinators (ShareGroupDescribe), one request per coordinator;
 * null for a group that does not exist. A coordinator that does not answer is a gap.
 */
export async function describeShareGroups(connection: KafkaConnection, groupIds: string[]): Promise<Map<string, ShareGroupDescription | null>> {
  requireShareGroups(connection.seedBroker)
  return withCoordinatorRetry(async () => {
    const coordinators = await findCoordinators(connection, groupIds)
    const byCoordinator = new Map<number, string[]>()
    for (const g of groupIds) byCoordinator.set(coordinators.get(g)!, [...(byCoordinator.get(coordinators.get(g)!) ?? []), g])
    const result = new Map<string, ShareGroupDescription | null>()
    await Promise.all([...byCoordinator].map(async ([nodeId, ids]) => {
      try {
        const answer = await connection.send(await connection.broker(nodeId), ShareGroupDescribe, ids)
        for (const g of answer) {
          if (g.errorCode === GROUP_ID_NOT_FOUND) {
            result.set(g.groupId, null)
            continue
          }
          if (g.errorCode !== 0) throw new KafkaProtocolError(g.errorCode, g.errorMessage, `describing share group ${g.groupId}`)
          result.set(g.groupId, {
            groupId: g.groupId,
            state: g.state,
            coordinator: nodeId,
            groupEpoch: g.groupEpoch,
            assignmentEpoch: g.assignmentEpoch,
            assignor: g.assignor,
            members: g.members.map((m) => ({
              memberId: m.memberId,
              clientId: m.clientId,
              host: m.clientHost,
              rack: m.rackId,
              memberEpoch: m.memberEpoch,
              subscribedTopics: [...m.subscribedTopics].sort(compareNames),
              assignment: m.assignment.flatMap((a) => a.partitions.map((partition) => ({topic: a.topic, partition})))
                .sort((x, y) => compareNames(x.topic, y.topic) || x.partition - y.partition),
            })),
          })
        }
      } catch (error) {
        if (!(error instanceof BrokerUnreachable)) throw error
        connection.noteGap(error, `share group${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`)
      }
    }))
    return result
  })
}

export interface ShareGroupOffset {
  topic: string
  partition: number
  /** The share-partition start offset: the first record the group has not yet finished with. */
  startOffset: number
}

/**
 * The start offsets of share groups (DescribeShareGroupOffsets), one request per coordinator;
 * null for a group that does not exist. Partitions the group has no state for are left out.
 */
export async function shareGroupOffsets(connection: KafkaConnection, groupIds: string[]): Promise<Map<string, ShareGroupOffset[] | null>> {
  requireShareGroups(connection.seedBroker, DescribeShareGroupOffsets)
  return withCoordinatorRetry(async () => {
    const coordinators = await findCoordinators(connection, groupIds)
    const byCoordinator = new Map<number, string[]>()
    for (const g of groupIds) byCoordinator.set(coordinators.get(g)!, [...(byCoordinator.get(coordinators.get(g)!) ?? []), g])
    const result = new Map<string, ShareGroupOffset[] | null>()
    await Promise.all([...byCoordinator].map(async ([nodeId, ids]) => {
      const answer = await connection.send(await connection.broker(nodeId), DescribeShareGroupOffsets, ids)
      for (const g of answer) {
        if (g.errorCode === GROUP_ID_NOT_FOUND) {
          result.set(g.groupId, null)
          continue
        }
        if (g.errorCode !== 0) throw new KafkaProtocolError(g.errorCode, g.errorMessage, `reading the offsets of share group ${g.groupId}`)
        const failed = g.partitions.find((p) => p.errorCode !== 0)
        if (failed) throw new KafkaProtocolError(failed.errorCode, failed.errorMessage, `reading the offsets of share group ${g.groupId} (${failed.topic}:${failed.partition})`)
        result.set(g.groupId, g.partitions.filter((p) => p.startOffset >= 0)
          .map(({topic, partition, startOffset}) => ({topic, partition, startOffset}))
          .sort((a, b) => compareNames(a.topic, b.topic) || a.partition - b.partition))
      }
    }))
    return result
  })
}

/** A refusal of the whole request (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...) as one line. */
function groupRefusal(code: number, message: string | null, what: string): KadmError {
  return new KadmError(`${what}: ${errorName(code)}${message ? ` (${message})` : ''}`)
}

/** Sets a share group's start offsets (AlterShareGroupOffsets at its coordinator); each partition's error name, or null. */
export async function alterShareGroupOffsets(connection: KafkaConnection, group: string, offsets: ShareGroupOffset[]): Promise<Array<{topic: string; partition: number; error: string | null}>> {
  requireShareGroups(connection.seedBroker, AlterShareGroupOffsets)
  const answer = await atCoordinator(connection, group, undefined, async (broker) => {
    const a = await connection.send(broker, AlterShareGroupOffsets, {groupId: group, offsets})
    if (RETRIABLE_COORDINATOR_ERRORS.has(a.errorCode)) throw new KafkaProtocolError(a.errorCode, a.errorMessage, `resetting the offsets of share group ${group}`)
    return a
  })
  if (answer.errorCode !== 0) throw groupRefusal(answer.errorCode, answer.errorMessage, `share group ${group} refused the reset; nothing was changed`)
  return answer.partitions.map((p) => ({topic: p.topic, partition: p.partition, error: p.errorCode === 0 ? null : errorName(p.errorCode)}))
}

/** Removes a share group's state for whole topics (DeleteShareGroupOffsets); each topic's error name, or null. */
export async function deleteShareGroupOffsets(connection: KafkaConnection, group: string, topics: string[]): Promise<Array<{topic: string; error: string | null}>> {
  requireShareGroups(connection.seedBroker, DeleteShareGroupOffsets)
  const answer = await atCoordinator(connection, group, undefined, async (broker) => {
    const a = await connection.send(broker, DeleteShareGroupOffsets, {groupId: group, topics})
    if (RETRIABLE_COORDINATOR_ERRORS.has(a.errorCode)) throw new KafkaProtocolError(a.errorCode, a.errorMessage, `deleting the offsets of share group ${group}`)
    return a
  })
  if (answer.errorCode !== 0) throw groupRefusal(answer.errorCode, answer.errorMessage, `share group ${group} refused to delete its offsets; nothing was changed`)
  return answer.topics.map((t) => ({topic: t.topic, error: t.errorCode === 0 ? null : errorName(t.errorCode)}))
}

export interface ShareResetRequest {
  group: string
  scopes: TopicScope[]
  /** Every partition the group has a start offset for. */
  allTopics: boolean
  target: ResetTarget
}

export interface PreparedShareReset {
  state: string
  rows: PlanRow[]
  warnings: string[]
  /** Reasons the plan cannot be applied (all-or-nothing). */
  problems: string[]
}

/**
 * A share group's reset planned as kafka-share-groups.sh --reset-offsets plans it, with the
 * planning `offsets reset` uses (clamping into [log start, log end]): the group must have no
 * members (one that does not exist is created by the reset, state Dead in the plan); CURRENT is
 * its start offset (DescribeShareGroupOffsets), absent where it has no state for the partition.
 */
export async function prepareShareReset(connection: KafkaConnection, request: ShareResetRequest): Promise<PreparedShareReset> {
  const {group, target} = request
  requireShareGroups(connection.seedBroker, AlterShareGroupOffsets)
  const [described, offsets] = await Promise.all([describeShareGroups(connection, [group]), shareGroupOffsets(connection, [group])])
  const description = described.get(group)
  const current = offsets.get(group)
  if (description === undefined) throw new KadmError(`share group ${group}: its coordinator did not answer; nothing was changed`)
  // As kafka-share-groups.sh: resetting a group that does not exist creates it with these start offsets.
  const existing = description !== null && current !== null && current !== undefined
  if (description && description.members.length > 0) throw new KadmError(activeShareGroupMessage(description))
  const key = (tp: {topic: string; partition: number}) => `${tp.topic}\u0000${tp.partition}`
  const startOf = new Map((current ?? []).map((o) => [key(o), o.startOffset]))
  const resolved = request.allTopics
    ? {partitions: (current ?? []).map(({topic, partition}) => ({topic, partition})), metadata: (await connection.metadata([...new Set((current ?? []).map((o) => o.topic))])).topics}
    : await resolvePartitions(connection, request.scopes)
  const {partitions, metadata} = resolved
  const timestamp = target.kind === 'datetime' || target.kind === 'duration' ? target.timestamp : undefined
  const [starts, ends, atTime = []] = partitions.length === 0 ? [[], []] : await listOffsetsMany(connection, partitions,
    timestamp === undefined ? ['earliest', 'latest'] : ['earliest', 'latest', {timestamp}], {metadata})
  const problems = [...starts, ...ends, ...atTime].filter((o) => o.error).map((o) => `cannot read the offsets of ${o.topic}:${o.partition}: ${o.error}`)
  const facts: PartitionFacts[] = partitions.map((tp, i) => ({
    ...tp,
    logStartOffset: starts[i].offset ?? 0,
    logEndOffset: ends[i].offset ?? 0,
    committedOffset: startOf.get(key(tp)) ?? null,
    requestedOffset: timestamp === undefined ? undefined : atTime[i].offset,
  }))
  const plan = planGroupReset(group, target, facts)
  return {state: existing ? description.state : 'Dead', rows: plan.rows, warnings: plan.warnings, problems: [...new Set([...problems, ...plan.problems])]}
}

/** One line naming the members that keep a share group from being changed. */
export function activeShareGroupMessage(group: ShareGroupDescription): string {
  const shown = group.members.slice(0, 3).map((m) => `${m.memberId} (${m.clientId}${m.host ? ' ' + m.host : ''})`)
  const more = group.members.length > 3 ? ` and ${group.members.length - 3} more` : ''
  return `share group ${group.groupId} is ${group.state} with ${group.members.length} active member(s): ${shown.join(', ')}${more}; stop its share consumers first (only an Empty share group can be changed)`
}

/**
 * Share groups selected as every command selects groups: a literal name is that group (whether it
 * exists, describeShareGroups says); a glob, or with `regex` a full-match regular expression, is
 * matched against the share groups ListGroups returns.
 */
export async function selectShareGroups(connection: KafkaConnection, names: readonly string[], options: {regex?: boolean} = {}): Promise<{ids: string[]; unmatched: string[]}> {
  requireShareGroups(connection.seedBroker)
  const selection = await selectGroups(connection, names, {...options, list: async () => (await listShareGroups(connection)).map((g) => g.groupId)})
  return {ids: selection.ids ?? [], unmatched: selection.unmatched}
}
