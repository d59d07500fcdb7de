import type {Writer} from './codec.js'
import type {ApiSpec} from './transport.js'

export interface LogDirPartition {
  topic: string
  partition: number
  size: bigint
  offsetLag: bigint
  isFuture: boolean
}

export interface LogDirResult {
  errorCode: number
  logDir: string
  partitions: LogDirPartition[]
  /** Volume size and free space (v4+, Kafka 3.3+); -1 when unknown. */
  totalBytes: bigint
  usableBytes: bigint
}

export interface DescribeLogDirsResponse {
  errorCode: number
  results: LogDirResult[]
}

/**
 * DescribeLogDirs v1-4 (v0 was removed by Kafka 4.0). Answered by each broker for its own log
 * dirs only, so a cluster-wide view sends one request per broker. `null` topics: every partition.
 */
export const DescribeLogDirs: ApiSpec<{topics: Array<{topic: string; partitions: number[]}> | null}, DescribeLogDirsResponse> = {
  name: 'DescribeLogDirs',
  apiKey: 35,
  minVersion: 1,
  maxVersion: 4,
  flexibleFrom: 2,
  encode(w, {topics}, version) {
    const flexible = version >= 2
    const eachTopic = (w: Writer, t: {topic: string; partitions: number[]}) => {
      if (flexible) w.compactString(t.topic).compactArray(t.partitions, (w, p) => w.int32(p)).tags()
      else w.string(t.topic).array(t.partitions, (w, p) => w.int32(p))
    }
    if (flexible) w.compactArray(topics, eachTopic).tags()
    else w.array(topics, eachTopic)
  },
  decode(r, version) {
    const flexible = version >= 2
    r.int32() // throttle_time_ms
    const errorCode = version >= 3 ? r.int16() : 0
    const str = () => (flexible ? r.compactString() : r.string()) ?? ''
    const arr = <T>(each: () => T): T[] => (flexible ? r.compactArray(each) : r.array(each))
    const results = arr(() => {
      const code = r.int16()
      const logDir = str()
      const partitions: LogDirPartition[] = []
      arr(() => {
        const topic = str()
        arr(() => {
          partitions.push({topic, partition: r.int32(), size: r.int64(), offsetLag: r.int64(), isFuture: r.boolean()})
          if (flexible) r.tags()
        })
        if (flexible) r.tags()
      })
      const totalBytes = version >= 4 ? r.int64() : -1n
      const usableBytes = version >= 4 ? r.int64() : -1n
      if (flexible) r.tags()
      return {errorCode: code, logDir, partitions, totalBytes, usableBytes}
    })
    if (flexible) r.tags()
    return {errorCode, results}
  },
}
