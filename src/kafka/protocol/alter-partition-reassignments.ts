import type {ApiSpec} from './transport.js'

export interface AlterPartitionReassignmentsRequest {
  timeoutMs: number
  /** replicas null cancels the partition's reassignment in progress. */
  topics: Array<{topic: string; partitions: Array<{partition: number; replicas: number[] | null}>}>
}

export interface AlterPartitionReassignmentsResponse {
  errorCode: number
  errorMessage: string | null
  results: Array<{topic: string; partition: number; errorCode: number; errorMessage: string | null}>
}

/**
 * AlterPartitionReassignments v0 (KIP-455, flexible from v0). kafkajs has it but cannot send a
 * null replica list (a cancel) and throws away per-partition errors, so kadm speaks it itself.
 * Brokers forward it to the active controller.
 */
export const AlterPartitionReassignments: ApiSpec<AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse> = {
  name: 'AlterPartitionReassignments',
  apiKey: 45,
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  encode(w, request) {
    const v = w.versioned(true)
    w.int32(request.timeoutMs)
    v.structs(request.topics, (t) => {
      v.str(t.topic).structs(t.partitions, (p) => {
        w.int32(p.partition)
        v.arr(p.replicas, (id) => w.int32(id))
      })
    })
    v.tags()
  },
  decode(r) {
    const v = r.versioned(true)
    r.int32() // throttle_time_ms
    const errorCode = r.int16()
    const errorMessage = v.str()
    const results = v.topicPartitions((topic) => ({topic, partition: r.int32(), errorCode: r.int16(), errorMessage: v.str()}))
    v.tags()
    return {errorCode, errorMessage, results}
  },
}
