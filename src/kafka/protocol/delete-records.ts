import type {Writer} from './codec.js'
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
    const flexible = version >= 2
    const eachPartition = (w: Writer, p: {partition: number; offset: bigint}) => {
      w.int32(p.partition).int64(p.offset)
      if (flexible) w.tags()
    }
    const eachTopic = (w: Writer, t: DeleteRecordsRequest['topics'][number]) => {
      if (flexible) w.compactString(t.topic).compactArray(t.partitions, eachPartition).tags()
      else w.string(t.topic).array(t.partitions, eachPartition)
    }
    if (flexible) w.compactArray(request.topics, eachTopic)
    else w.array(request.topics, eachTopic)
    w.int32(request.timeoutMs)
    if (flexible) w.tags()
  },
  decode(r, version) {
    const flexible = version >= 2
    r.int32() // throttle_time_ms
    const out: DeleteRecordsPartition[] = []
    const readTopic = () => {
      const topic = (flexible ? r.compactString() : r.string()) ?? ''
      const readPartition = () => {
        out.push({topic, partition: r.int32(), lowWatermark: r.int64(), errorCode: r.int16()})
        if (flexible) r.tags()
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
    return out
  },
}
