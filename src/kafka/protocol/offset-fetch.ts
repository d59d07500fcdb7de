import type {ApiSpec} from './transport.js'

export interface OffsetFetchRequest {
  groupId: string
  /** null: every partition the group has committed. */
  topics: Array<{name: string; partitions: number[]}> | null
}

export interface OffsetFetchResponse {
  errorCode: number
  partitions: Array<{topic: string; partition: number; offset: bigint; metadata: string | null; errorCode: number}>
}

/**
 * OffsetFetch v2-7 for one group. kafkajs has it, but throws away the whole answer on the first
 * partition error; kadm reports errors per partition.
 */
export const OffsetFetch: ApiSpec<OffsetFetchRequest, OffsetFetchResponse> = {
  name: 'OffsetFetch',
  apiKey: 9,
  minVersion: 2,
  maxVersion: 7,
  flexibleFrom: 6,
  encode(w, request, version) {
    const flexible = version >= 6
    const str = (v: string | null) => (flexible ? w.compactString(v) : w.string(v))
    str(request.groupId)
    const eachTopic = (_: unknown, t: {name: string; partitions: number[]}) => {
      str(t.name)
      if (flexible) w.compactArray(t.partitions, (w, p) => w.int32(p)).tags()
      else w.array(t.partitions, (w, p) => w.int32(p))
    }
    if (flexible) w.compactArray(request.topics, eachTopic)
    else w.array(request.topics, eachTopic)
    if (version >= 7) w.boolean(false) // require_stable
    if (flexible) w.tags()
  },
  decode(r, version) {
    const flexible = version >= 6
    const str = () => (flexible ? r.compactString() : r.string())
    if (version >= 3) r.int32() // throttle_time_ms
    const partitions: OffsetFetchResponse['partitions'] = []
    const readTopic = () => {
      const topic = str() ?? ''
      const readPartition = () => {
        const partition = r.int32()
        const offset = r.int64()
        if (version >= 5) r.int32() // committed_leader_epoch
        const metadata = str()
        const errorCode = r.int16()
        if (flexible) r.tags()
        partitions.push({topic, partition, offset, metadata, errorCode})
      }
      if (flexible) {
        r.compactArray(readPartition)
        r.tags()
      } else r.array(readPartition)
    }
    if (flexible) r.compactArray(readTopic)
    else r.array(readTopic)
    const errorCode = r.int16()
    if (flexible) r.tags()
    return {errorCode, partitions}
  },
}
