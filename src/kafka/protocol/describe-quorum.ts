import {KafkaProtocolError} from './errors.js'
import type {ApiSpec} from './transport.js'

export interface QuorumReplica {
  replicaId: number
  /** The replica's metadata log directory (v2, KIP-853); null from older brokers. */
  directoryId: string | null
  logEndOffset: bigint
  /** -1 when unknown (and for the leader itself before Kafka 3.9). */
  lastFetchTimestamp: bigint
  lastCaughtUpTimestamp: bigint
}

export interface QuorumState {
  leaderId: number
  leaderEpoch: number
  highWatermark: bigint
  voters: QuorumReplica[]
  observers: QuorumReplica[]
  /** Each node's listeners as "NAME://host:port" (v2); empty from older brokers. */
  endpoints: Map<number, string[]>
}

const METADATA_TOPIC = '__cluster_metadata'

/**
 * DescribeQuorum v0-2 on the KRaft metadata log. Brokers forward it to the active controller,
 * which is the only way a broker-side client learns who leads the quorum: the controller id in
 * Metadata and DescribeCluster responses is a random broker under KRaft. v2 (Kafka 3.9) adds
 * each replica's directory id and the voters' and observers' listeners.
 */
export const DescribeQuorum: ApiSpec<void, QuorumState> = {
  name: 'DescribeQuorum',
  apiKey: 55,
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 0,
  encode(w) {
    w.compactArray([METADATA_TOPIC], (w, topic) => {
      w.compactString(topic).compactArray([0], (w, p) => w.int32(p).tags()).tags()
    })
    w.tags()
  },
  decode(r, version) {
    const errorCode = r.int16()
    const errorMessage = version >= 2 ? r.compactString() : null
    if (errorCode !== 0) throw new KafkaProtocolError(errorCode, errorMessage, 'DescribeQuorum')
    const replica = (): QuorumReplica => {
      const replicaId = r.int32()
      const state = {
        replicaId,
        directoryId: version >= 2 ? r.uuid() : null,
        logEndOffset: r.int64(),
        lastFetchTimestamp: version >= 1 ? r.int64() : -1n,
        lastCaughtUpTimestamp: version >= 1 ? r.int64() : -1n,
      }
      r.tags()
      return state
    }
    let result: QuorumState | undefined
    r.compactArray(() => {
      r.compactString()
      r.compactArray(() => {
        r.int32() // partition_index
        const partitionError = r.int16()
        const partitionMessage = version >= 2 ? r.compactString() : null
        if (partitionError !== 0) throw new KafkaProtocolError(partitionError, partitionMessage, 'DescribeQuorum')
        result = {
          leaderId: r.int32(),
          leaderEpoch: r.int32(),
          highWatermark: r.int64(),
          voters: r.compactArray(replica),
          observers: r.compactArray(replica),
          endpoints: new Map(),
        }
        r.tags()
      })
      r.tags()
    })
    if (!result) throw new KafkaProtocolError(-1, 'no partition in the response', 'DescribeQuorum')
    if (version >= 2) {
      const endpoints = result.endpoints
      r.compactArray(() => {
        const nodeId = r.int32()
        const listeners = r.compactArray(() => {
          const name = r.compactString()
          const host = r.compactString() ?? ''
          const port = r.int16() & 0xffff
          r.tags()
          return `${name}://${host.includes(':') ? `[${host}]` : host}:${port}`
        })
        r.tags()
        endpoints.set(nodeId, listeners)
      })
    }
    r.tags()
    return result
  },
}
