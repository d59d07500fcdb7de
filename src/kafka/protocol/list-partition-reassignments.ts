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
    w.int32(request.timeoutMs)
    w.compactArray(request.topics, (w, t) => {
      w.compactString(t.topic).compactArray(t.partitions, (w, p) => w.int32(p)).tags()
    })
    w.tags()
  },
  decode(r) {
    r.int32() // throttle_time_ms
    const errorCode = r.int16()
    const errorMessage = r.compactString()
    const partitions: ListPartitionReassignmentsResponse['partitions'] = []
    r.compactArray(() => {
      const topic = r.compactString() ?? ''
      r.compactArray(() => {
        partitions.push({
          topic,
          partition: r.int32(),
          replicas: r.compactArray(() => r.int32()),
          adding: r.compactArray(() => r.int32()),
          removing: r.compactArray(() => r.int32()),
        })
        r.tags()
      })
      r.tags()
    })
    r.tags()
    return {errorCode, errorMessage, partitions}
  },
}
