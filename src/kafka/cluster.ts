import {setTimeout as sleep} from 'node:timers/promises'

import {KadmError} from '../errors.js'
import {KafkaConnection} from './client.js'
import {BrokerUnreachable} from './connection-errors.js'
import {featureLevelName} from '../domain/features.js'
import {ApiVersions} from './protocol/api-versions.js'
import {DescribeQuorum, type QuorumReplica, type QuorumState} from './protocol/describe-quorum.js'

export interface BrokerSummary {
  id: number
  /** null for a voter the metadata does not list (its address is not known). */
  host: string | null
  port: number | null
  rack: string | null
  /**
   * ok: registered and answering; unreachable: registered but did not answer (down, frozen,
   * restarting: the controller has not fenced it yet); unregistered: a KRaft voter the cluster
   * metadata does not list (fenced, or never started).
   */
  status: 'ok' | 'unreachable' | 'unregistered'
  /** Why it is not ok. */
  error?: string
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
  /** Voters that do not fetch from the quorum leader (down or frozen): for how long in ms, null when not since its election. */
  laggingVoters: Array<{id: number; sinceMs: number | null}>
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
    return await connection.sendAny(DescribeQuorum, undefined)
  } catch (error) {
    return (error as Error).message
  }
}

/** Cluster id, controller and per-broker leader/replica counts, from one Metadata and one DescribeQuorum request. */
export async function describeCluster(connection: KafkaConnection): Promise<ClusterDescription> {
  const [metadata, quorumState] = await Promise.all([connection.metadata(null), quorum(connection)])
  const brokers = new Map<number, BrokerSummary>()
  for (const b of metadata.brokers) brokers.set(b.nodeId, {id: b.nodeId, host: b.host, port: b.port, rack: b.rack, status: 'ok', leaders: 0, replicas: 0})
  // Registered is not the same as up: until the controller fences a dead broker (seconds), the
  // metadata still lists it. Each broker is asked for itself, in parallel, within --timeout.
  await Promise.all([...brokers.values()].map(async (b) => {
    try {
      await connection.broker(b.id)
    } catch (error) {
      if (!(error instanceof BrokerUnreachable)) throw error
      b.status = 'unreachable'
      b.error = error.reason
    }
  }))
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
      laggingVoters: [],
      source: 'Metadata',
      note: `DescribeQuorum failed (${quorumState}); under KRaft the controller id in Metadata is a random broker, not the active controller`,
    }
    : {
      activeControllerId: quorumState.leaderId,
      metadataControllerId: metadata.controllerId,
      voters: quorumState.voters.map((v) => v.replicaId).sort((a, b) => a - b),
      laggingVoters: laggingVoters(quorumState),
      source: 'DescribeQuorum',
    }
  // In combined mode (as `kadm local` runs) the voters are brokers too, so a voter missing from the
  // metadata is a broker that is fenced or down; dedicated controllers have ids of their own.
  const combined = controller.voters.some((id) => brokers.has(id))
  for (const id of combined ? controller.voters : []) {
    if (!brokers.has(id)) {
      brokers.set(id, {id, host: null, port: null, rack: null, status: 'unregistered', error: 'a KRaft voter missing from the cluster metadata (fenced or down)', leaders: 0, replicas: 0})
    }
  }
  return {
    clusterId: metadata.clusterId,
    controller,
    brokers: [...brokers.values()].sort((a, b) => a.id - b.id),
    topics: metadata.topics.length,
    partitions,
  }
}

/** A voter that fetches this long after the others is taken as not answering (Kafka's controllers fetch every few hundred ms). */
const VOTER_LAG_MS = 5_000

/**
 * Voters that do not fetch from the quorum leader: no fetch since it was elected, or none for a
 * while compared with the freshest voter (the timestamps are the leader's clock).
 */
function laggingVoters(state: QuorumState): Array<{id: number; sinceMs: number | null}> {
  const fetched = state.voters.map((v) => Number(v.lastFetchTimestamp)).filter((t) => t > 0)
  const newest = fetched.length > 0 ? Math.max(...fetched) : 0
  return state.voters
    .filter((v) => v.replicaId !== state.leaderId)
    .map((v) => ({id: v.replicaId, last: Number(v.lastFetchTimestamp)}))
    .filter((v) => v.last <= 0 || newest - v.last > VOTER_LAG_MS)
    .map((v) => ({id: v.id, sinceMs: v.last <= 0 ? null : newest - v.last}))
}

export interface QuorumMember {
  id: number
  role: 'leader' | 'follower' | 'observer'
  /** The member's metadata log directory (Kafka 3.9+); null from older brokers. */
  directoryId: string | null
  logEndOffset: number
  /** Records behind the leader's log end offset. */
  lag: number
  /** The leader's clock, epoch ms; null when unknown. */
  lastFetchTimestamp: number | null
  lastCaughtUpTimestamp: number | null
  /** False for a follower or observer that has not fetched from the leader for a while (down or frozen). */
  fetching: boolean
  /** Its listeners as NAME://host:port (Kafka 3.9+). */
  endpoints: string[]
}

export interface QuorumDescription {
  clusterId: string | null
  leaderId: number
  leaderEpoch: number
  highWatermark: number
  /**
   * How far the voter furthest behind is, in records and in ms of the leader's clock (null when a
   * timestamp is unknown), as kafka-metadata-quorum.sh's MaxFollowerLag and MaxFollowerLagTimeMs.
   */
  maxFollowerLag: number
  maxFollowerLagTimeMs: number | null
  members: QuorumMember[]
}

/**
 * The KRaft quorum as its leader sees it (DescribeQuorum, which brokers forward to the active
 * controller): leader and epoch, high watermark, and each voter and observer with its log end,
 * lag and last fetch, as kafka-metadata-quorum.sh describe --status and --replication.
 */
export async function describeQuorum(connection: KafkaConnection): Promise<QuorumDescription> {
  const [state, metadata] = await Promise.all([connection.sendAny(DescribeQuorum, undefined), connection.metadata([])])
  const leader = state.voters.find((v) => v.replicaId === state.leaderId)
  const leaderEnd = Number(leader?.logEndOffset ?? state.highWatermark)
  const stale = new Set(laggingVoters({...state, voters: [...state.voters, ...state.observers]}).map((v) => v.id))
  const time = (t: bigint) => (t > 0n ? Number(t) : null)
  const member = (role: QuorumMember['role']) => (r: QuorumReplica): QuorumMember => ({
    id: r.replicaId,
    role,
    directoryId: r.directoryId,
    logEndOffset: Number(r.logEndOffset),
    lag: leaderEnd - Number(r.logEndOffset),
    lastFetchTimestamp: time(r.lastFetchTimestamp),
    lastCaughtUpTimestamp: time(r.lastCaughtUpTimestamp),
    fetching: role === 'leader' || !stale.has(r.replicaId),
    endpoints: state.endpoints.get(r.replicaId) ?? [],
  })
  // Furthest behind: the voter with the lowest log end (the leader when none is behind).
  const furthest = state.voters.reduce((a, b) => (b.logEndOffset < a.logEndOffset ? b : a), leader ?? state.voters[0])
  const caughtUp = (r?: QuorumReplica) => (r ? time(r.lastCaughtUpTimestamp) : null)
  const leaderCaughtUp = caughtUp(leader)
  const furthestCaughtUp = caughtUp(furthest)
  return {
    clusterId: metadata.clusterId,
    leaderId: state.leaderId,
    leaderEpoch: state.leaderEpoch,
    highWatermark: Number(state.highWatermark),
    maxFollowerLag: leaderEnd - Number(furthest?.logEndOffset ?? leaderEnd),
    maxFollowerLagTimeMs: furthest === leader ? 0 : leaderCaughtUp === null || furthestCaughtUp === null ? null : leaderCaughtUp - furthestCaughtUp,
    members: [
      ...(leader ? [member('leader')(leader)] : []),
      ...state.voters.filter((v) => v !== leader).map(member('follower')),
      ...state.observers.map(member('observer')),
    ],
  }
}

export interface FeatureState {
  name: string
  /** The levels every broker that answered can run (the highest minimum, the lowest maximum). */
  supportedMinVersion: number
  supportedMaxVersion: number
  /** The level the cluster runs; 0 when not finalized (off). */
  finalizedVersionLevel: number
  /** The same, by name (metadata.version: "4.4-IV2"; other features: the number). */
  supportedMin: string
  supportedMax: string
  finalized: string
}

export interface FeaturesDescription {
  /** The epoch of the finalized levels (it grows with every change of the cluster's metadata). */
  epoch: number
  features: FeatureState[]
  /** Brokers that did not answer (their supported levels are not counted; named on stderr, exit 4). */
  unreachable: number[]
}

/**
 * The cluster's features, as kafka-features.sh describe: what the brokers support and what is
 * finalized, from ApiVersions v3 asked of every broker in parallel (a broker that does not answer
 * is left out and named; the finalized levels are the freshest any broker knows).
 */
export async function describeFeatures(connection: KafkaConnection): Promise<FeaturesDescription> {
  const unreachable: number[] = []
  const answers = (await Promise.all((await registeredBrokers(connection)).map(async (id) => {
    try {
      return await connection.send(await connection.broker(id), ApiVersions, undefined)
    } catch (error) {
      if (!(error instanceof BrokerUnreachable)) throw error
      unreachable.push(id)
      connection.noteGap(error, 'the feature levels it supports')
      return undefined
    }
  }))).filter((a) => a !== undefined)
  if (!answers.length) throw new KadmError('no broker answered ApiVersions')
  const newest = answers.reduce((a, b) => (b.finalizedEpoch > a.finalizedEpoch ? b : a))
  const names = new Set(answers.flatMap((a) => a.supported.map((f) => f.name)))
  const features = [...names].sort().map((name): FeatureState => {
    const ranges = answers.map((a) => a.supported.find((f) => f.name === name))
    const supportedMinVersion = Math.max(...ranges.map((r) => r?.minVersion ?? 0))
    const supportedMaxVersion = Math.min(...ranges.map((r) => r?.maxVersion ?? 0))
    const finalizedVersionLevel = newest.finalized.find((f) => f.name === name)?.maxVersionLevel ?? 0
    return {
      name,
      supportedMinVersion,
      supportedMaxVersion,
      finalizedVersionLevel,
      supportedMin: featureLevelName(name, supportedMinVersion),
      supportedMax: featureLevelName(name, supportedMaxVersion),
      finalized: featureLevelName(name, finalizedVersionLevel),
    }
  })
  return {epoch: Number(newest.finalizedEpoch), features, unreachable: unreachable.sort((a, b) => a - b)}
}

/** Which broker ids the cluster metadata lists right now. */
export async function registeredBrokers(connection: KafkaConnection): Promise<number[]> {
  const metadata = await connection.metadata([])
  return metadata.brokers.map((b) => b.nodeId).sort((a, b) => a - b)
}

/**
 * Polls the cluster until every id in `ids` is registered and answers itself, calling `check` between attempts
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
      // Registered is not enough: a broker restarted before the controller fenced it is still
      // registered while its new process starts. Each must answer on its own address.
      if (ids.every((id) => seen.includes(id))) {
        await Promise.all(ids.map((id) => connection!.metadataFrom(id, [])))
        return
      }
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
