import type {ApiSpec} from './transport.js'

export interface ActiveProducer {
  producerId: bigint
  producerEpoch: number
  lastSequence: number
  /** -1 when unknown. */
  lastTimestamp: number
  /** -1 when the producer has not been part of a transaction the coordinator finished. */
  coordinatorEpoch: number
  /** The first offset of its open transaction, -1 when none is open. */
  currentTxnStartOffset: number
}

export interface PartitionProducers {
  topic: string
  partition: number
  errorCode: number
  errorMessage: string | null
  producers: ActiveProducer[]
}

/**
 * DescribeProducers v0 (KIP-664, Kafka 3.0; flexible): the producer state a replica keeps for
 * each of its partitions (the leader's unless sent to a follower), many partitions per request.
 */
export const DescribeProducers: ApiSpec<Array<{topic: string; partitions: number[]}>, PartitionProducers[]> = {
  name: 'DescribeProducers',
  apiKey: 61,
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  encode(w, topics) {
    w.compactArray(topics, (w, t) => {
      w.compactString(t.topic).compactArray(t.partitions, (w, p) => w.int32(p)).tags()
    })
    w.tags()
  },
  decode(r) {
    r.int32() // throttle_time_ms
    const out: PartitionProducers[] = []
    r.compactArray((r) => {
      const topic = r.compactString() ?? ''
      r.compactArray((r) => {
        const partition = r.int32()
        const errorCode = r.int16()
        const errorMessage = r.compactString()
        const producers = r.compactArray((r) => {
          const p: ActiveProducer = {
            producerId: r.int64(),
            producerEpoch: r.int32(),
            lastSequence: r.int32(),
            lastTimestamp: r.int64n(),
            coordinatorEpoch: r.int32(),
            currentTxnStartOffset: r.int64n(),
          }
          r.tags()
          return p
        })
        r.tags()
        out.push({topic, partition, errorCode, errorMessage, producers})
      })
      r.tags()
    })
    r.tags()
    return out
  },
}
