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
    w.int32(request.timeoutMs)
    w.compactArray(request.topics, (w, t) => {
      w.compactString(t.topic)
      w.compactArray(t.partitions, (w, p) => {
        w.int32(p.partition)
        w.compactArray(p.replicas, (w, id) => w.int32(id))
        w.tags()
      })
      w.tags()
    })
    w.tags()
  },
  decode(r) {
    r.int32() // throttle_time_ms
    const errorCode = r.int16()
    const errorMessage = r.compactString()
    const results: AlterPartitionReassignmentsResponse['results'] = []
    r.compactArray(() => {
      const topic = r.compactString() ?? ''
      r.compactArray(() => {
        results.push({topic, partition: r.int32(), errorCode: r.int16(), errorMessage: r.compactString()})
        r.tags()
      })
      r.tags()
    })
    r.tags()
    return {errorCode, errorMessage, results}
  },
}
