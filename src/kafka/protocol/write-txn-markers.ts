import type {ApiSpec} from './transport.js'

export interface TxnMarker {
  producerId: bigint
  producerEpoch: number
  /** false = abort, true = commit. */
  commit: boolean
  topics: Array<{topic: string; partitions: number[]}>
  coordinatorEpoch: number
}

export interface TxnMarkerResult {
  producerId: bigint
  topic: string
  partition: number
  errorCode: number
}

/**
 * WriteTxnMarkers v1-2 (flexible; v1 is the lowest Kafka 4 accepts), sent to a partition's leader,
 * as Kafka's Admin.abortTransaction does (KIP-664) to close a hanging transaction. v2 (KIP-1228)
 * adds the marker's transaction version, sent as 0 (its default), as the admin client does.
 */
export const WriteTxnMarkers: ApiSpec<TxnMarker[], TxnMarkerResult[]> = {
  name: 'WriteTxnMarkers',
  apiKey: 27,
  minVersion: 1,
  maxVersion: 2,
  flexibleFrom: 1,
  encode(w, markers, version) {
    w.compactArray(markers, (w, m) => {
      w.int64(m.producerId).int16(m.producerEpoch).boolean(m.commit)
      w.compactArray(m.topics, (w, t) => {
        w.compactString(t.topic).compactArray(t.partitions, (w, p) => w.int32(p)).tags()
      })
      w.int32(m.coordinatorEpoch)
      if (version >= 2) w.int8(0)
      w.tags()
    })
    w.tags()
  },
  decode(r) {
    const out: TxnMarkerResult[] = []
    r.compactArray((r) => {
      const producerId = r.int64()
      r.compactArray((r) => {
        const topic = r.compactString() ?? ''
        r.compactArray((r) => {
          out.push({producerId, topic, partition: r.int32(), errorCode: r.int16()})
          r.tags()
        })
        r.tags()
      })
      r.tags()
    })
    r.tags()
    return out
  },
}
