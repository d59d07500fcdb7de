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
    const v = w.versioned(version >= 2)
    v.structs(topics, (t) => v.str(t.topic).arr(t.partitions, (p) => w.int32(p)))
    v.tags()
  },
  decode(r, version) {
    const v = r.versioned(version >= 2)
    r.int32() // throttle_time_ms
    const errorCode = version >= 3 ? r.int16() : 0
    const results = v.structs((): LogDirResult => {
      const code = r.int16()
      const logDir = v.str() ?? ''
      const partitions = v.topicPartitions((topic): LogDirPartition => ({topic, partition: r.int32(), size: r.int64(), offsetLag: r.int64(), isFuture: r.boolean()}))
      const totalBytes = version >= 4 ? r.int64() : -1n
      const usableBytes = version >= 4 ? r.int64() : -1n
      return {errorCode: code, logDir, partitions, totalBytes, usableBytes}
    })
    v.tags()
    return {errorCode, results}
  },
}
