import type {ApiSpec} from './transport.js'

export interface OffsetCommitRequest {
  groupId: string
  topics: Array<{name: string; partitions: Array<{partition: number; offset: bigint}>}>
}

export interface OffsetCommitPartitionResult {
  topic: string
  partition: number
  errorCode: number
}

/**
 * OffsetCommit v2-9 the way Kafka's AdminClient (alterConsumerGroupOffsets) sends it: generation
 * -1 and an empty member id, straight to the group coordinator. The coordinator accepts it only
 * while the group has no members, so kadm never joins the group or waits for a rebalance
 * (kafkajs's setOffsets/resetOffsets do both).
 */
export const OffsetCommit: ApiSpec<OffsetCommitRequest, OffsetCommitPartitionResult[]> = {
  name: 'OffsetCommit',
  apiKey: 8,
  minVersion: 2,
  maxVersion: 9,
  flexibleFrom: 8,
  encode(w, request, version) {
    const v = w.versioned(version >= 8)
    v.str(request.groupId)
    w.int32(-1) // generation_id_or_member_epoch: not a member
    v.str('') // member_id
    if (version >= 7) v.str(null) // group_instance_id
    if (version <= 4) w.int64(-1) // retention_time_ms: the broker's default
    v.structs(request.topics, (t) => {
      v.str(t.name).structs(t.partitions, (p) => {
        w.int32(p.partition).int64(p.offset)
        if (version >= 6) w.int32(-1) // committed_leader_epoch: unknown
        v.str(null) // committed_metadata
      })
    })
    v.tags()
  },
  decode(r, version) {
    const v = r.versioned(version >= 8)
    if (version >= 3) r.int32() // throttle_time_ms
    const out = v.topicPartitions((topic): OffsetCommitPartitionResult => ({topic, partition: r.int32(), errorCode: r.int16()}))
    v.tags()
    return out
  },
}
