import type {ApiSpec} from './transport.js'

export interface ListPartitionReassignmentsResponse {
  errorCode: number
  errorMessage: string | null
  partitions: Array<{topic: string; partition: number; replicas: number[]; adding: number[]; removing: number[]}>
}

/**
 * ListPartitionReassignments v0 (KIP-455, flexible). kafkajs has it, but its typings name the
 * fields differently from what it returns; kadm reads the response itself. null topics: all.
 */
export const ListPartitionReassignments: ApiSpec<{timeoutMs: number; topics: Array<{topic: string; partitions: number[]}> | null}, ListPartitionReassignmentsResponse> = {
  name: 'ListPartitionReassignments',
  apiKey: 46,
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  encode(w, request) {
    const v = w.versioned(true)
    w.int32(request.timeoutMs)
    v.structs(request.topics, (t) => v.str(t.topic).arr(t.partitions, (p) => w.int32(p)))
    v.tags()
  },
  decode(r) {
    const v = r.versioned(true)
    r.int32() // throttle_time_ms
    const errorCode = r.int16()
    const errorMessage = v.str()
    const partitions = v.topicPartitions((topic) => ({
      topic,
      partition: r.int32(),
      replicas: v.int32s(),
      adding: v.int32s(),
      removing: v.int32s(),
    }))
    v.tags()
    return {errorCode, errorMessage, partitions}
  },
}
