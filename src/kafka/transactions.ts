import {setTimeout as sleep} from 'node:timers/promises'

import {type AbortSpec, hangingTransactions, type OpenTransaction, type ProducerState, staleOpenTransactions} from '../domain/transactions.js'
import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {brokerAddress} from './kafkajs.js'
import {BrokerUnreachable} from './connection-errors.js'
import {toSafeNumber, type TopicPartition} from './offsets.js'
import {DescribeProducers} from './protocol/describe-producers.js'
import {DescribeTransactions} from './protocol/describe-transactions.js'
import {findCoordinatorsOf} from './coordinators.js'
import {KafkaProtocolError} from './protocol/errors.js'
import {ListTransactions} from './protocol/list-transactions.js'
import type {MetadataTopic} from './protocol/metadata.js'
import {type BrokerConnection, negotiateVersion} from './protocol/transport.js'
import {WriteTxnMarkers} from './protocol/write-txn-markers.js'
import {compareNames} from '../domain/order.js'

export interface TransactionListing {
  transactionalId: string
  coordinator: number
  producerId: number
  state: string
}

export interface TransactionFilters {
  states?: string[]
  producerIds?: number[]
  /** Only transactions running longer than this (ListTransactions v1, Kafka 3.8+). */
  longerThanMs?: number
  /** Only transactional ids matching this regular expression (ListTransactions v2, Kafka 4.1+). */
  transactionalIdPattern?: string
}

export interface TransactionDescription {
  transactionalId: string
  coordinator: number
  producerId: number
  producerEpoch: number
  state: string
  timeoutMs: number
  /** null when no transaction is open. */
  startTimeMs: number | null
  partitions: TopicPartition[]
}

export interface PartitionProducerStates extends TopicPartition {
  /** The broker that answered: the leader, or the replica asked for. */
  broker: number
  producers: ProducerState[]
}

const TRANSACTIONAL_ID_NOT_FOUND = 105
const RETRIABLE_COORDINATOR = new Set([14, 15, 16]) // COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR

const id = (value: bigint, what: string) => toSafeNumber(value, () => what)

/** One line naming the Kafka release a request needs, when the broker `broker` is older. */
function requireVersion(broker: BrokerConnection, spec: {name: string; apiKey: number}, minVersion: number, release: string, what: string): void {
  const range = broker.versions?.[spec.apiKey]
  if (!range || range.maxVersion < minVersion) throw new KadmError(`${what} needs Kafka ${release} or newer: broker ${brokerAddress(broker)} does not support ${spec.name} v${minVersion}`)
}

/**
 * Every transaction the coordinators know: one ListTransactions per broker, in parallel (each
 * broker lists the transactional ids it coordinates). A broker that does not answer is a gap.
 */
export async function listTransactions(connection: KafkaConnection, filters: TransactionFilters = {}): Promise<TransactionListing[]> {
  const {brokers} = await connection.metadata([])
  const perBroker = await Promise.all(brokers.map(async (b) => {
    try {
      const broker = await connection.broker(b.nodeId)
      requireVersion(broker, ListTransactions, 0, '3.0', 'listing transactions')
      if (filters.longerThanMs !== undefined) requireVersion(broker, ListTransactions, 1, '3.8', '--longer-than')
      if (filters.transactionalIdPattern !== undefined) requireVersion(broker, ListTransactions, 2, '4.1', '--transactional-id-pattern')
      const answer = await connection.send(broker, ListTransactions, {
        stateFilters: filters.states ?? [],
        producerIdFilters: (filters.producerIds ?? []).map(BigInt),
        durationFilterMs: filters.longerThanMs ?? -1,
        transactionalIdPattern: filters.transactionalIdPattern ?? null,
      })
      if (answer.errorCode !== 0) throw new KafkaProtocolError(answer.errorCode, null, `ListTransactions on broker ${b.nodeId}`)
      if (answer.unknownStateFilters.length > 0) throw new KadmError(`unknown transaction state${answer.unknownStateFilters.length > 1 ? 's' : ''}: ${answer.unknownStateFilters.join(', ')}`, {hint: 'states: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, Dead, PrepareEpochFence'})
      return answer.transactions.map((t) => ({transactionalId: t.transactionalId, coordinator: b.nodeId, producerId: id(t.producerId, 'producer id'), state: t.state}))
    } catch (error) {
      if (!(error instanceof BrokerUnreachable)) throw error
      connection.noteGap(error, 'the transactions it coordinates')
      return []
    }
  }))
  return perBroker.flat().sort((a, b) => compareNames(a.transactionalId, b.transactionalId))
}

/**
 * The coordinator's state of each transactional id (DescribeTransactions to its coordinator); null
 * for an id the coordinator does not know. A coordinator that does not answer is a gap, and its
 * ids are left out.
 */
export async function describeTransactions(connection: KafkaConnection, transactionalIds: string[]): Promise<Map<string, TransactionDescription | null>> {
  const result = new Map<string, TransactionDescription | null>()
  let pending = [...new Set(transactionalIds)]
  for (let attempt = 0; pending.length > 0; attempt++) {
    const coordinators = await findCoordinatorsOf(connection, 'transaction', pending, 6)
    const byCoordinator = new Map<number, string[]>()
    for (const t of pending) byCoordinator.set(coordinators.get(t)!, [...(byCoordinator.get(coordinators.get(t)!) ?? []), t])
    const retry: string[] = []
    await Promise.all([...byCoordinator].map(async ([nodeId, ids]) => {
      try {
        const answer = await connection.send(await connection.broker(nodeId), DescribeTransactions, ids)
        for (const d of answer) {
          if (d.errorCode === TRANSACTIONAL_ID_NOT_FOUND) result.set(d.transactionalId, null)
          else if (RETRIABLE_COORDINATOR.has(d.errorCode) && attempt < 4) retry.push(d.transactionalId)
          else if (d.errorCode !== 0) throw new KafkaProtocolError(d.errorCode, null, `describing transactional id ${d.transactionalId}`)
          else {
            result.set(d.transactionalId, {
              transactionalId: d.transactionalId,
              coordinator: nodeId,
              producerId: id(d.producerId, 'producer id'),
              producerEpoch: d.producerEpoch,
              state: d.state,
              timeoutMs: d.timeoutMs,
              startTimeMs: d.startTimeMs < 0 ? null : d.startTimeMs,
              partitions: d.topics.flatMap((t) => t.partitions.map((partition) => ({topic: t.topic, partition}))),
            })
          }
        }
      } catch (error) {
        if (!(error instanceof BrokerUnreachable)) throw error
        connection.noteGap(error, `the state of transactional id${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`)
      }
    }))
    if (retry.length > 0) await sleep(300)
    pending = retry
  }
  return result
}

/**
 * The producer states of partitions, one DescribeProducers per leader (or all to `brokerId`, a
 * replica of each). Partitions whose broker does not answer are left out and reported as a gap;
 * a partition error fails the command with the partition named.
 */
export async function describeProducers(connection: KafkaConnection, partitions: TopicPartition[], options: {brokerId?: number; metadata?: MetadataTopic[]} = {}): Promise<PartitionProducerStates[]> {
  const topics = [...new Set(partitions.map((p) => p.topic))]
  const metadata = options.metadata ?? (await connection.metadata(topics)).topics
  const byBroker = new Map<number, TopicPartition[]>()
  for (const tp of partitions) {
    const topic = metadata.find((t) => t.name === tp.topic)
    if (!topic || topic.errorCode === 3) throw new KadmError(`topic ${tp.topic} does not exist`)
    const known = topic.partitions.find((p) => p.partition === tp.partition)
    if (!known) throw new KadmError(`topic ${tp.topic} has no partition ${tp.partition}`)
    const target = options.brokerId ?? known.leader
    if (target < 0) throw new KadmError(`partition ${tp.topic}:${tp.partition} has no leader`)
    byBroker.set(target, [...(byBroker.get(target) ?? []), tp])
  }
  const parts = await Promise.all([...byBroker].map(async ([nodeId, list]) => {
    const request = [...new Set(list.map((p) => p.topic))].map((topic) => ({topic, partitions: list.filter((p) => p.topic === topic).map((p) => p.partition)}))
    try {
      const broker = await connection.broker(nodeId)
      requireVersion(broker, DescribeProducers, 0, '3.0', 'describing producers')
      const answer = await connection.send(broker, DescribeProducers, request)
      return answer.map((p): PartitionProducerStates => {
        if (p.errorCode !== 0) throw new KafkaProtocolError(p.errorCode, p.errorMessage, `describing producers of ${p.topic}:${p.partition} on broker ${nodeId}`)
        return {
          topic: p.topic,
          partition: p.partition,
          broker: nodeId,
          producers: p.producers.map((s) => ({
            producerId: id(s.producerId, 'producer id'),
            producerEpoch: s.producerEpoch,
            lastSequence: s.lastSequence,
            lastTimestamp: s.lastTimestamp,
            coordinatorEpoch: s.coordinatorEpoch,
            currentTransactionStartOffset: s.currentTxnStartOffset < 0 ? null : s.currentTxnStartOffset,
          })),
        }
      })
    } catch (error) {
      if (!(error instanceof BrokerUnreachable)) throw error
      connection.noteGap(error, `the producers of ${list.length} partition(s)`)
      return []
    }
  }))
  return parts.flat().sort((a, b) => compareNames(a.topic, b.topic) || a.partition - b.partition)
}

export interface HangingSearch {
  brokerId?: number
  topic?: string
  partition?: number
  maxTimeoutMs: number
}

/**
 * kafka-transactions.sh find-hanging: the partitions to search (of `topic`, or every partition
 * `brokerId` holds a replica of), their open transactions older than the largest transaction
 * timeout, and of those the ones no coordinator will complete (see hangingTransactions).
 */
export async function findHangingTransactions(connection: KafkaConnection, search: HangingSearch): Promise<OpenTransaction[]> {
  const metadata = (await connection.metadata(search.topic === undefined ? null : [search.topic])).topics.filter((t) => !t.isInternal || search.topic !== undefined)
  if (search.topic !== undefined && (metadata.length === 0 || metadata[0].errorCode === 3)) throw new KadmError(`topic ${search.topic} does not exist`)
  const partitions: TopicPartition[] = metadata.flatMap((t) => t.partitions
    .filter((p) => search.partition === undefined || p.partition === search.partition)
    .filter((p) => search.brokerId === undefined || p.replicas.includes(search.brokerId))
    .map((p) => ({topic: t.name, partition: p.partition})))
  if (search.topic !== undefined && search.partition !== undefined && partitions.length === 0 && search.brokerId === undefined) throw new KadmError(`topic ${search.topic} has no partition ${search.partition}`)
  if (partitions.length === 0) return []
  const states = await describeProducers(connection, partitions, {brokerId: search.brokerId, metadata})
  const candidates = staleOpenTransactions(states, Date.now(), search.maxTimeoutMs)
  if (candidates.length === 0) return []
  const producerIds = [...new Set(candidates.map((c) => c.producer.producerId))]
  const listed = await listTransactions(connection, {producerIds})
  const transactionalIds = new Map(listed.filter((l) => producerIds.includes(l.producerId)).map((l) => [l.producerId, l.transactionalId]))
  const described = await describeTransactions(connection, [...new Set(transactionalIds.values())])
  return hangingTransactions(candidates, transactionalIds, described)
}

/** Writes the abort marker of one transaction to its partition's leader (WriteTxnMarkers), as Admin.abortTransaction does. */
export async function abortTransaction(connection: KafkaConnection, spec: AbortSpec): Promise<void> {
  const {topics} = await connection.metadata([spec.topic])
  const leader = topics[0]?.partitions.find((p) => p.partition === spec.partition)?.leader ?? -1
  if (leader < 0) throw new KadmError(`partition ${spec.topic}:${spec.partition} has no leader`)
  const broker = await connection.broker(leader)
  negotiateVersion(WriteTxnMarkers, broker)
  const results = await connection.send(broker, WriteTxnMarkers, [{
    producerId: BigInt(spec.producerId),
    producerEpoch: spec.producerEpoch,
    commit: false,
    topics: [{topic: spec.topic, partitions: [spec.partition]}],
    coordinatorEpoch: spec.coordinatorEpoch,
  }])
  const failed = results.find((r) => r.errorCode !== 0)
  if (failed) throw new KafkaProtocolError(failed.errorCode, null, `aborting the transaction of producer ${spec.producerId} on ${spec.topic}:${spec.partition}`)
}
