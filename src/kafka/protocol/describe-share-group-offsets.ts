import type {ApiSpec} from './transport.js'

export interface ShareGroupStartOffset {
  topic: string
  partition: number
  /** The share-partition start offset: -1 where the group has not started on the partition. */
  startOffset: number
  errorCode: number
  errorMessage: string | null
}

export interface DescribedShareGroupOffsets {
  groupId: string
  errorCode: number
  errorMessage: string | null
  partitions: ShareGroupStartOffset[]
}

/**
 * DescribeShareGroupOffsets v0-1 (API 90, KIP-932, Kafka 4.1+): each share group's start offset
 * on every partition it has state for (topics null), many groups per coordinator in one request.
 * v1 adds each partition's lag, which kadm does not read.
 */
export const DescribeShareGroupOffsets: ApiSpec<string[], DescribedShareGroupOffsets[]> = {
  name: 'DescribeShareGroupOffsets',
  apiKey: 90,
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 0,
  encode(w, groupIds) {
    w.compactArray(groupIds, (w, id) => {
      w.compactString(id)
      w.compactArray(null, () => {}) // topics: null, every partition
      w.tags()
    })
    w.tags()
  },
  decode(r, version) {
    r.int32() // throttle_time_ms
    const groups = r.compactArray((r) => {
      const groupId = r.compactString() ?? ''
      const partitions = r.compactArray((r) => {
        const topic = r.compactString() ?? ''
        r.uuid() // topic_id
        const list = r.compactArray((r) => {
          const partition = r.int32()
          const startOffset = r.int64n()
          r.int32() // leader_epoch
          if (version >= 1) r.int64() // lag
          const p = {topic, partition, startOffset, errorCode: r.int16(), errorMessage: r.compactString()}
          r.tags()
          return p
        })
        r.tags()
        return list
      }).flat()
      const g = {groupId, errorCode: r.int16(), errorMessage: r.compactString(), partitions}
      r.tags()
      return g
    })
    r.tags()
    return groups
  },
}
