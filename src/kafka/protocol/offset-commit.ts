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
    const flexible = version >= 8
    const str = (v: string | null) => (flexible ? w.compactString(v) : w.string(v))
    str(request.groupId)
    w.int32(-1) // generation_id_or_member_epoch: not a member
    str('') // member_id
    if (version >= 7) str(null) // group_instance_id
    if (version <= 4) w.int64(-1) // retention_time_ms: the broker's default
    const eachPartition = (_: unknown, p: {partition: number; offset: bigint}) => {
      w.int32(p.partition).int64(p.offset)
      if (version >= 6) w.int32(-1) // committed_leader_epoch: unknown
      str(null) // committed_metadata
      if (flexible) w.tags()
    }
    const eachTopic = (_: unknown, t: OffsetCommitRequest['topics'][number]) => {
      str(t.name)
      if (flexible) w.compactArray(t.partitions, eachPartition).tags()
      else w.array(t.partitions, eachPartition)
    }
    if (flexible) w.compactArray(request.topics, eachTopic).tags()
    else w.array(request.topics, eachTopic)
  },
  decode(r, version) {
    const flexible = version >= 8
    if (version >= 3) r.int32() // throttle_time_ms
    const out: OffsetCommitPartitionResult[] = []
    const readTopic = () => {
      const topic = (flexible ? r.compactString() : r.string()) ?? ''
      const readPartition = () => {
        out.push({topic, partition: r.int32(), errorCode: r.int16()})
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
