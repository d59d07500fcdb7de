import {setTimeout as sleep} from 'node:timers/promises'

import {KadmError} from '../errors.js'
import {KafkaConnection} from './client.js'
import {DescribeQuorum, type QuorumState} from './protocol/describe-quorum.js'

export interface BrokerSummary {
  id: number
  host: string
  port: number
  rack: string | null
  /** Partitions this broker leads. */
  leaders: number
  /** Partition replicas this broker holds (leaders included). */
  replicas: number
}

export interface ControllerInfo {
  /** The active KRaft controller (DescribeQuorum leader), when the cluster answers DescribeQuorum. */
  activeControllerId: number | null
  /** What Metadata says; under KRaft brokers report a random broker here. */
  metadataControllerId: number
  voters: number[]
  source: 'DescribeQuorum' | 'Metadata'
  note?: string
}

export interface ClusterDescription {
  clusterId: string | null
  controller: ControllerInfo
  brokers: BrokerSummary[]
  topics: number
  partitions: number
}

async function quorum(connection: KafkaConnection): Promise<QuorumState | string> {
  try {
    return await connection.send(connection.seedBroker, DescribeQuorum, undefined)
  } catch (error) {
    return (error as Error).message
  }
}

/** Cluster id, controller and per-broker leader/replica counts, from one Metadata and one DescribeQuorum request. */
export async function describeCluster(connection: KafkaConnection): Promise<ClusterDescription> {
  const [metadata, quorumState] = await Promise.all([connection.metadata(null), quorum(connection)])
  const brokers = new Map<number, BrokerSummary>()
  for (const b of metadata.brokers) brokers.set(b.nodeId, {id: b.nodeId, host: b.host, port: b.port, rack: b.rack, leaders: 0, replicas: 0})
  let partitions = 0
  for (const topic of metadata.topics) {
    for (const p of topic.partitions) {
      partitions++
      const leader = brokers.get(p.leader)
      if (leader) leader.leaders++
      for (const r of p.replicas) {
        const broker = brokers.get(r)
        if (broker) broker.replicas++
      }
    }
  }
  const controller: ControllerInfo = typeof quorumState === 'string'
    ? {
      activeControllerId: null,
      metadataControllerId: metadata.controllerId,
      voters: [],
      source: 'Metadata',
      note: `DescribeQuorum failed (${quorumState}); under KRaft the controller id in Metadata is a random broker, not the active controller`,
    }
    : {
      activeControllerId: quorumState.leaderId,
      metadataControllerId: metadata.controllerId,
      voters: quorumState.voters.map((v) => v.replicaId).sort((a, b) => a - b),
      source: 'DescribeQuorum',
    }
  return {
    clusterId: metadata.clusterId,
    controller,
    brokers: [...brokers.values()].sort((a, b) => a.id - b.id),
    topics: metadata.topics.length,
    partitions,
  }
}

/** Which broker ids the cluster metadata lists right now. */
export async function registeredBrokers(connection: KafkaConnection): Promise<number[]> {
  const metadata = await connection.metadata([])
  return metadata.brokers.map((b) => b.nodeId).sort((a, b) => a - b)
}

/**
 * Polls the cluster until every id in `ids` is registered, calling `check` between attempts
 * (the launcher uses it to notice a broker process that died).
 */
export async function waitForBrokers(bootstrap: string, ids: number[], deadline: number, check: () => void): Promise<void> {
  let seen: number[] = []
  let lastError = ''
  while (Date.now() < deadline) {
    check()
    let connection: KafkaConnection | undefined
    try {
      connection = await KafkaConnection.open({bootstrapServers: bootstrap.split(','), source: 'local'}, {timeoutMs: 2000, verbose: false})
      seen = await registeredBrokers(connection)
      if (ids.every((id) => seen.includes(id))) return
    } catch (error) {
      lastError = (error as Error).message
    } finally {
      await connection?.close()
    }
    await sleep(500)
  }
  const missing = ids.filter((id) => !seen.includes(id))
  throw new KadmError(`brokers ${missing.join(', ')} did not join the cluster in time${lastError ? ` (last error: ${lastError})` : ''}`)
}
