import type {ApiSpec} from './transport.js'

export interface DeleteShareGroupOffsetsRequest {
  groupId: string
  topics: string[]
}

export interface DeleteShareGroupOffsetsResponse {
  /** Group-level error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...); 0 when each topic says. */
  errorCode: number
  errorMessage: string | null
  topics: Array<{topic: string; errorCode: number; errorMessage: string | null}>
}

/**
 * DeleteShareGroupOffsets v0 (API 92, KIP-932, Kafka 4.1+): removes a share group's state for
 * whole topics (kafka-share-groups.sh --delete-offsets). The group must be empty.
 */
export const DeleteShareGroupOffsets: ApiSpec<DeleteShareGroupOffsetsRequest, DeleteShareGroupOffsetsResponse> = {
  name: 'DeleteShareGroupOffsets',
  apiKey: 92,
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  encode(w, request) {
    w.compactString(request.groupId)
    w.compactArray(request.topics, (w, topic) => w.compactString(topic).tags())
    w.tags()
  },
  decode(r) {
    r.int32() // throttle_time_ms
    const errorCode = r.int16()
    const errorMessage = r.compactString()
    const topics = r.compactArray((r) => {
      const topic = r.compactString() ?? ''
      r.uuid() // topic_id
      const t = {topic, errorCode: r.int16(), errorMessage: r.compactString()}
      r.tags()
      return t
    })
    r.tags()
    return {errorCode, errorMessage, topics}
  },
}
