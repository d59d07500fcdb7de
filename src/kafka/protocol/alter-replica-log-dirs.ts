import type {ApiSpec} from './transport.js'

export interface AlterReplicaLogDirsRequest {
  /** Per absolute log dir path, the partitions (of this broker's replicas) to move into it. */
  dirs: Array<{path: string; topics: Array<{topic: string; partitions: number[]}>}>
}

export interface AlterReplicaLogDirsResponse {
  results: Array<{topic: string; partition: number; errorCode: number}>
}

/**
 * AlterReplicaLogDirs v1-2 (KIP-113; v0 was removed by Kafka 4.0, v1 has its layout, v2 is
 * flexible). Sent to the broker that holds the replicas: it copies each replica into a "future"
 * log in the target dir and swaps it in once caught up. kafkajs does not have it.
 */
export const AlterReplicaLogDirs: ApiSpec<AlterReplicaLogDirsRequest, AlterReplicaLogDirsResponse> = {
  name: 'AlterReplicaLogDirs',
  apiKey: 34,
  minVersion: 1,
  maxVersion: 2,
  flexibleFrom: 2,
  encode(w, {dirs}, version) {
    const v = w.versioned(version >= 2)
    v.structs(dirs, (d) => {
      v.str(d.path).structs(d.topics, (t) => v.str(t.topic).arr(t.partitions, (p) => w.int32(p)))
    })
    v.tags()
  },
  decode(r, version) {
    const v = r.versioned(version >= 2)
    r.int32() // throttle_time_ms
    const results = v.topicPartitions((topic) => ({topic, partition: r.int32(), errorCode: r.int16()}))
    v.tags()
    return {results}
  },
}
