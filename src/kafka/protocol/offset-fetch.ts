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
    w.compactArray(request.groups, (w, g) => {
      w.compactString(g.groupId)
      if (version >= 9) w.compactString(null).int32(-1) // member_id, member_epoch
      w.compactArray(g.topics, (w, t) => {
        w.compactString(t.name).compactArray(t.partitions, (w, p) => w.int32(p)).tags()
      })
      w.tags()
    })
    w.boolean(false) // require_stable: like Kafka's tools
    w.tags()
  },
  decode(r) {
    r.int32() // throttle_time_ms
    const groups = r.compactArray((r) => {
      const groupId = r.compactString() ?? ''
      const partitions: CommittedOffset[] = []
      r.compactArray((r) => {
        const topic = r.compactString() ?? ''
        r.compactArray((r) => {
          const partition = r.int32()
          const offset = r.int64()
          r.int32() // committed_leader_epoch
          const metadata = r.compactString()
          const errorCode = r.int16()
          r.tags()
          partitions.push({topic, partition, offset, metadata, errorCode})
        })
        r.tags()
      })
      const errorCode = r.int16()
      r.tags()
      return {groupId, errorCode, partitions}
    })
    r.tags()
    return groups
  },
}
