import type {ApiSpec} from './transport.js'

export interface DescribedTransaction {
  errorCode: number
  transactionalId: string
  state: string
  timeoutMs: number
  /** -1 when no transaction is open. */
  startTimeMs: number
  producerId: bigint
  producerEpoch: number
  /** The partitions of the open transaction; while it commits or aborts, those still without a marker. */
  topics: Array<{topic: string; partitions: number[]}>
}

/**
 * DescribeTransactions v0 (KIP-664, Kafka 3.0; flexible), sent to the transactional id's
 * coordinator (FindCoordinator key type 1).
 */
export const DescribeTransactions: ApiSpec<string[], DescribedTransaction[]> = {
  name: 'DescribeTransactions',
  apiKey: 65,
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  encode(w, transactionalIds) {
    w.compactArray(transactionalIds, (w, id) => w.compactString(id))
    w.tags()
  },
  decode(r) {
    r.int32() // throttle_time_ms
    const states = r.compactArray((r) => {
      const d: DescribedTransaction = {
        errorCode: r.int16(),
        transactionalId: r.compactString() ?? '',
        state: r.compactString() ?? '',
        timeoutMs: r.int32(),
        startTimeMs: r.int64n(),
        producerId: r.int64(),
        producerEpoch: r.int16(),
        topics: r.compactArray((r) => {
          const t = {topic: r.compactString() ?? '', partitions: r.int32s(true)}
          r.tags()
          return t
        }),
      }
      r.tags()
      return d
    })
    r.tags()
    return states
  },
}
