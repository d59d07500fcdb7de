import type {ApiSpec} from './transport.js'

/** Special timestamps ListOffsets understands. */
export const EARLIEST_TIMESTAMP = -2
export const LATEST_TIMESTAMP = -1
/** The offset of the record with the highest timestamp (v7+, Kafka 3.0+). */
export const MAX_TIMESTAMP = -3

/** One timestamp (or special timestamp) for every partition asked: all kadm ever needs. */
export interface ListOffsetsRequest {
  isolationLevel: 0 | 1
  timestamp: number
  topics: Array<{name: string; partitions: number[]}>
}

export interface ListOffsetsPartition {
  topic: string
  partition: number
  errorCode: number
  /** -1 when the broker has no record at or after the asked timestamp. */
  offset: number
  timestamp: number
}

/**
 * ListOffsets v2-7, with every partition's error reported rather than the whole request failing
 * (kafkajs throws on the first partition error and only reads READ_COMMITTED offsets in its admin).
 */
export const ListOffsets: ApiSpec<ListOffsetsRequest, ListOffsetsPartition[]> = {
  name: 'ListOffsets',
  apiKey: 2,
  minVersion: 2,
  maxVersion: 7,
  flexibleFrom: 6,
  encode(w, request, version) {
    const v = w.versioned(version >= 6)
    w.int32(-1).int8(request.isolationLevel)
    v.structs(request.topics, (t) => {
      v.str(t.name).structs(t.partitions, (partition) => {
        w.int32(partition)
        if (version >= 4) w.int32(-1) // current_leader_epoch: unknown
        w.int64(request.timestamp)
      })
    })
    v.tags()
  },
  decode(r, version) {
    const v = r.versioned(version >= 6)
    r.int32() // throttle_time_ms
    // One flat list, read in plain loops: a response can hold thousands of partitions.
    const out: ListOffsetsPartition[] = []
    v.eachStruct(() => {
      const topic = v.str() ?? ''
      v.eachStruct(() => {
        const partition = r.int32()
        const errorCode = r.int16()
        const timestamp = r.int64n()
        const offset = r.int64n()
        if (version >= 4) r.int32() // leader_epoch
        out.push({topic, partition, errorCode, offset, timestamp})
      })
    })
    v.tags()
    return out
  },
}
