import type {ApiSpec} from './transport.js'

export interface OffsetDeleteRequest {
  groupId: string
  topics: Array<{name: string; partitions: number[]}>
}

export interface OffsetDeleteResponse {
  /** Group-level error (e.g. GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP); 0 when each partition says. */
  errorCode: number
  partitions: Array<{topic: string; partition: number; errorCode: number}>
}

/**
 * OffsetDelete v0 (KIP-496, Kafka 2.4+), which kafkajs lacks. The coordinator refuses a partition
 * the group is still subscribed to with GROUP_SUBSCRIBED_TO_TOPIC and deletes the others.
 */
export const OffsetDelete: ApiSpec<OffsetDeleteRequest, OffsetDeleteResponse> = {
  name: 'OffsetDelete',
  apiKey: 47,
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: Number.POSITIVE_INFINITY,
  encode(w, request) {
    w.string(request.groupId)
    w.array(request.topics, (w, t) => {
      w.string(t.name).array(t.partitions, (w, p) => w.int32(p))
    })
  },
  decode(r) {
    const errorCode = r.int16()
    r.int32() // throttle_time_ms
    const partitions = r.versioned(false).topicPartitions((topic) => ({topic, partition: r.int32(), errorCode: r.int16()}))
    return {errorCode, partitions}
  },
}
