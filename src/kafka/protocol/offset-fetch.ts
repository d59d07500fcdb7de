import type {ApiSpec} from './transport.js'

export interface OffsetFetchRequest {
  /** topics null = every partition the group has committed. */
  groups: Array<{groupId: string; topics: Array<{name: string; partitions: number[]}> | null}>
}

export interface CommittedOffset {
  topic: string
  partition: number
  /** -1 when the group has no committed offset for the partition. */
  offset: bigint
  metadata: string | null
  errorCode: number
}

export interface GroupOffsets {
  groupId: string
  errorCode: number
  partitions: CommittedOffset[]
}

/**
 * OffsetFetch v8-9 (Kafka 3.0+, KIP-709): committed offsets of many groups in one request to
 * their coordinator. v9 adds member id/epoch (sent null/-1, as an admin client does). v10 (4.x)
 * switched to topic ids; v9 is still served. For older brokers kadm asks group by group.
 */
export const OffsetFetch: ApiSpec<OffsetFetchRequest, GroupOffsets[]> = {
  name: 'OffsetFetch',
  apiKey: 9,
  minVersion: 8,
  maxVersion: 9,
  flexibleFrom: 6,
  encode(w, request, version) {
    const v = w.versioned(true)
    v.structs(request.groups, (g) => {
      v.str(g.groupId)
      if (version >= 9) {
        v.str(null) // member_id
        w.int32(-1) // member_epoch
      }
      v.structs(g.topics, (t) => v.str(t.name).arr(t.partitions, (p) => w.int32(p)))
    })
    w.boolean(false) // require_stable: like Kafka's tools
    v.tags()
  },
  decode(r) {
    const v = r.versioned(true)
    r.int32() // throttle_time_ms
    const groups = v.structs(() => {
      const groupId = v.str() ?? ''
      const partitions = v.topicPartitions((topic): CommittedOffset => {
        const partition = r.int32()
        const offset = r.int64()
        r.int32() // committed_leader_epoch
        const metadata = v.str()
        const errorCode = r.int16()
        return {topic, partition, offset, metadata, errorCode}
      })
      const errorCode = r.int16()
      return {groupId, errorCode, partitions}
    })
    v.tags()
    return groups
  },
}
