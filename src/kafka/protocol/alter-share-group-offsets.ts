import type {ApiSpec} from './transport.js'

export interface AlterShareGroupOffsetsRequest {
  groupId: string
  offsets: Array<{topic: string; partition: number; startOffset: number}>
}

export interface AlterShareGroupOffsetsResponse {
  /** Group-level error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...); 0 when each partition says. */
  errorCode: number
  errorMessage: string | null
  partitions: Array<{topic: string; partition: number; errorCode: number; errorMessage: string | null}>
}

/**
 * AlterShareGroupOffsets v0 (API 91, KIP-932, Kafka 4.1+): sets a share group's start offset on
 * partitions (kafka-share-groups.sh --reset-offsets). The group must be empty.
 */
export const AlterShareGroupOffsets: ApiSpec<AlterShareGroupOffsetsRequest, AlterShareGroupOffsetsResponse> = {
  name: 'AlterShareGroupOffsets',
  apiKey: 91,
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  encode(w, request) {
    w.compactString(request.groupId)
    const byTopic = new Map<string, Array<{partition: number; startOffset: number}>>()
    for (const o of request.offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o])
    w.compactArray([...byTopic], (w, [topic, partitions]) => {
      w.compactString(topic)
      w.compactArray(partitions, (w, p) => w.int32(p.partition).int64(p.startOffset).tags())
      w.tags()
    })
    w.tags()
  },
  decode(r) {
    r.int32() // throttle_time_ms
    const errorCode = r.int16()
    const errorMessage = r.compactString()
    const partitions = r.compactArray((r) => {
      const topic = r.compactString() ?? ''
      r.uuid() // topic_id
      const list = r.compactArray((r) => {
        const p = {topic, partition: r.int32(), errorCode: r.int16(), errorMessage: r.compactString()}
        r.tags()
        return p
      })
      r.tags()
      return list
    }).flat()
    r.tags()
    return {errorCode, errorMessage, partitions}
  },
}
