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
    const v = w.versioned(version >= 2)
    if (version >= 1) w.int8(request.electionType === 'unclean' ? 1 : 0)
    v.structs(request.topics, (t) => v.str(t.topic).arr(t.partitions, (p) => w.int32(p)))
    w.int32(request.timeoutMs)
    v.tags()
  },
  decode(r, version) {
    const v = r.versioned(version >= 2)
    r.int32() // throttle_time_ms
    const errorCode = version >= 1 ? r.int16() : 0
    const results = v.topicPartitions((topic): ElectLeadersPartitionResult => ({topic, partition: r.int32(), errorCode: r.int16(), errorMessage: v.str()}))
    v.tags()
    return {errorCode, results}
  },
}
