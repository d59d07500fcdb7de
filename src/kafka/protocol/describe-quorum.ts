import {KafkaProtocolError} from './errors.js'
import type {ApiSpec} from './transport.js'

export interface QuorumReplica {
  replicaId: number
  logEndOffset: bigint
  lastFetchTimestamp: bigint
  lastCaughtUpTimestamp: bigint
}

export interface QuorumState {
  leaderId: number
  leaderEpoch: number
  highWatermark: bigint
  voters: QuorumReplica[]
  observers: QuorumReplica[]
}

const METADATA_TOPIC = '__cluster_metadata'

/**
 * DescribeQuorum v0-1 on the KRaft metadata log. Brokers forward it to the active controller,
 * which is the only way a broker-side client learns who leads the quorum: the controller id in
 * Metadata and DescribeCluster responses is a random broker under KRaft.
 */
export const DescribeQuorum: ApiSpec<void, QuorumState> = {
  name: 'DescribeQuorum',
  apiKey: 55,
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 0,
  encode(w) {
    w.compactArray([METADATA_TOPIC], (w, topic) => {
      w.compactString(topic).compactArray([0], (w, p) => w.int32(p).tags()).tags()
    })
    w.tags()
  },
  decode(r, version) {
    const errorCode = r.int16()
    if (errorCode !== 0) throw new KafkaProtocolError(errorCode, null, 'DescribeQuorum')
    const replica = (): QuorumReplica => {
      const state = {
        replicaId: r.int32(),
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
        if (partitionError !== 0) throw new KafkaProtocolError(partitionError, null, 'DescribeQuorum')
        result = {
          leaderId: r.int32(),
          leaderEpoch: r.int32(),
          highWatermark: r.int64(),
          voters: r.compactArray(replica),
          observers: r.compactArray(replica),
        }
        r.tags()
      })
      r.tags()
    })
    r.tags()
    if (!result) throw new KafkaProtocolError(-1, 'no partition in the response', 'DescribeQuorum')
    return result
  },
}
