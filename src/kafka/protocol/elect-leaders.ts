import type {Writer} from './codec.js'
import type {ApiSpec} from './transport.js'

export type ElectionType = 'preferred' | 'unclean'

export interface ElectLeadersRequest {
  electionType: ElectionType
  /** null elects leaders for every partition of the cluster. */
  topics: Array<{topic: string; partitions: number[]}> | null
  timeoutMs: number
}

export interface ElectLeadersPartitionResult {
  topic: string
  partition: number
  errorCode: number
  errorMessage: string | null
}

export interface ElectLeadersResponse {
  errorCode: number
  results: ElectLeadersPartitionResult[]
}

/**
 * ElectLeaders v0-2 (KIP-183, KIP-460). v0 only knows preferred elections; v1 adds the election
 * type and a top-level error; v2 is flexible. Brokers forward it to the active controller.
 */
export const ElectLeaders: ApiSpec<ElectLeadersRequest, ElectLeadersResponse> = {
  name: 'ElectLeaders',
  apiKey: 43,
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  encode(w, request, version) {
    const flexible = version >= 2
    if (version >= 1) w.int8(request.electionType === 'unclean' ? 1 : 0)
    const eachTopic = (w: Writer, t: {topic: string; partitions: number[]}) => {
      if (flexible) w.compactString(t.topic).compactArray(t.partitions, (w, p) => w.int32(p)).tags()
      else w.string(t.topic).array(t.partitions, (w, p) => w.int32(p))
    }
    if (flexible) w.compactArray(request.topics, eachTopic)
    else w.array(request.topics, eachTopic)
    w.int32(request.timeoutMs)
    if (flexible) w.tags()
  },
  decode(r, version) {
    const flexible = version >= 2
    r.int32() // throttle_time_ms
    const errorCode = version >= 1 ? r.int16() : 0
    const results: ElectLeadersPartitionResult[] = []
    const readTopic = () => {
      const topic = (flexible ? r.compactString() : r.string()) ?? ''
      const readPartition = () => {
        const partition = r.int32()
        const code = r.int16()
        const message = flexible ? r.compactString() : r.string()
        if (flexible) r.tags()
        results.push({topic, partition, errorCode: code, errorMessage: message})
      }
      if (flexible) {
        r.compactArray(readPartition)
        r.tags()
      } else r.array(readPartition)
    }
    if (flexible) {
      r.compactArray(readTopic)
      r.tags()
    } else r.array(readTopic)
    return {errorCode, results}
  },
}
