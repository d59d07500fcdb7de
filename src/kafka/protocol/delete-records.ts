import type {ApiSpec} from './transport.js'

export interface DeleteRecordsRequest {
  topics: Array<{topic: string; partitions: Array<{partition: number; offset: bigint}>}>
  timeoutMs: number
}

export interface DeleteRecordsPartition {
  topic: string
  partition: number
  /** The partition's new log start offset. */
  lowWatermark: bigint
  errorCode: number
}

/**
 * DeleteRecords v0-2 (v2 flexible), sent to each partition's leader. kadm speaks it itself to get
 * every partition's new low watermark and error back (kafkajs throws them away).
 */
export const DeleteRecords: ApiSpec<DeleteRecordsRequest, DeleteRecordsPartition[]> = {
  name: 'DeleteRecords',
  apiKey: 21,
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  encode(w, request, version) {
    const v = w.versioned(version >= 2)
    v.structs(request.topics, (t) => v.str(t.topic).structs(t.partitions, (p) => w.int32(p.partition).int64(p.offset)))
    w.int32(request.timeoutMs)
    v.tags()
  },
  decode(r, version) {
    const v = r.versioned(version >= 2)
    r.int32() // throttle_time_ms
    const out = v.topicPartitions((topic): DeleteRecordsPartition => ({topic, partition: r.int32(), lowWatermark: r.int64(), errorCode: r.int16()}))
    v.tags()
    return out
  },
}
