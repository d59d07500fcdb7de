import {ZERO_UUID} from './codec.js'
import type {ApiSpec} from './transport.js'

export interface MetadataBroker {
  nodeId: number
  host: string
  port: number
  rack: string | null
}

export interface MetadataPartition {
  errorCode: number
  partition: number
  leader: number
  leaderEpoch: number
  replicas: number[]
  isr: number[]
  offlineReplicas: number[]
}

export interface MetadataTopic {
  errorCode: number
  name: string
  topicId: string
  isInternal: boolean
  partitions: MetadataPartition[]
}

export interface MetadataResponse {
  brokers: MetadataBroker[]
  clusterId: string | null
  controllerId: number
  topics: MetadataTopic[]
}

/**
 * Metadata v9-12 (flexible). kafkajs stops at v6, which has no topic ids; kadm needs them for
 * `topics describe`, and a null topic list asks for every topic in one round trip.
 */
export const Metadata: ApiSpec<{topics: string[] | null}, MetadataResponse> = {
  name: 'Metadata',
  apiKey: 3,
  minVersion: 9,
  maxVersion: 12,
  flexibleFrom: 9,
  encode(w, {topics}, version) {
    w.compactArray(topics, (w, name) => {
      if (version >= 10) w.uuid(ZERO_UUID)
      w.compactString(name).tags()
    })
    w.boolean(false) // allow_auto_topic_creation
    if (version <= 10) w.boolean(false) // include_cluster_authorized_operations
    w.boolean(false) // include_topic_authorized_operations
    w.tags()
  },
  decode(r, version) {
    r.int32() // throttle_time_ms
    const brokers = r.compactArray((r) => {
      const broker = {nodeId: r.int32(), host: r.compactString() ?? '', port: r.int32(), rack: r.compactString()}
      r.tags()
      return broker
    })
    const clusterId = r.compactString()
    const controllerId = r.int32()
    const topics = r.compactArray((r) => {
      const errorCode = r.int16()
      const name = r.compactString() ?? ''
      const topicId = version >= 10 ? r.uuid() : ZERO_UUID
      const isInternal = r.boolean()
      const partitions = r.compactArray((r) => {
        const p: MetadataPartition = {
          errorCode: r.int16(),
          partition: r.int32(),
          leader: r.int32(),
          leaderEpoch: r.int32(),
          replicas: r.int32s(true),
          isr: r.int32s(true),
          offlineReplicas: r.int32s(true),
        }
        r.tags()
        return p
      })
      r.int32() // topic_authorized_operations
      r.tags()
      return {errorCode, name, topicId, isInternal, partitions}
    })
    if (version <= 10) r.int32() // cluster_authorized_operations
    r.tags()
    return {brokers, clusterId, controllerId, topics}
  },
}
