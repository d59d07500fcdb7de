import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {BrokerUnreachable} from './connection-errors.js'
import {findCoordinators, withCoordinatorRetry} from './groups.js'
import {brokerAddress} from './kafkajs.js'
import {KafkaProtocolError} from './protocol/errors.js'
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

/** Share groups need ListGroups v5 (group types) and ShareGroupDescribe v1: Kafka 4.1 or newer. */
function requireShareGroups(broker: BrokerConnection): void {
  const describe = broker.versions?.[ShareGroupDescribe.apiKey]
  const list = broker.versions?.[ListGroups.apiKey]
  if (!describe || describe.maxVersion < 1 || !list || list.maxVersion < 5) {
    throw new KadmError(`share groups need Kafka 4.1 or newer: broker ${brokerAddress(broker)} does not support ShareGroupDescribe v1`)
  }
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
