import {KafkaProtocolError} from './errors.js'
import type {ApiSpec} from './transport.js'

export interface SupportedFeature {
  name: string
  minVersion: number
  maxVersion: number
}

export interface FinalizedFeature {
  name: string
  maxVersionLevel: number
  minVersionLevel: number
}

export interface ApiVersionsFeatures {
  /** What this broker can run. */
  supported: SupportedFeature[]
  /** What the cluster runs (the controller's finalized levels as this broker knows them), and their epoch; -1 when unknown. */
  finalized: FinalizedFeature[]
  finalizedEpoch: bigint
}

/**
 * ApiVersions v3-4 (KIP-511), for the feature levels it carries in tagged fields (KIP-584):
 * the features a broker supports and the cluster's finalized levels with their epoch, as
 * kafka-features.sh describe reads them. kafkajs sends its own ApiVersions on connect and keeps
 * only the API ranges.
 */
export const ApiVersions: ApiSpec<void, ApiVersionsFeatures> = {
  name: 'ApiVersions',
  apiKey: 18,
  minVersion: 3,
  // v4 (KIP-1022, Kafka 3.9): the brokers list the features whose lowest level is 0 too; to
  // older versions they leave those out (clients before it took 0 for "not supported").
  maxVersion: 4,
  flexibleFrom: 3,
  flexibleResponseHeader: false,
  encode(w) {
    w.compactString('kadm').compactString('0').tags()
  },
  decode(r) {
    const errorCode = r.int16()
    if (errorCode !== 0) throw new KafkaProtocolError(errorCode, null, 'ApiVersions')
    r.compactArray(() => {
      r.int16() // api_key
      r.int16() // min_version
      r.int16() // max_version
      r.tags()
    })
    r.int32() // throttle_time_ms
    const result: ApiVersionsFeatures = {supported: [], finalized: [], finalizedEpoch: -1n}
    r.taggedFields((tag) => {
      if (tag === 0) {
        result.supported = r.compactArray(() => {
          const feature = {name: r.compactString() ?? '', minVersion: r.int16(), maxVersion: r.int16()}
          r.tags()
          return feature
        })
      } else if (tag === 1) result.finalizedEpoch = r.int64()
      else if (tag === 2) {
        result.finalized = r.compactArray(() => {
          const feature = {name: r.compactString() ?? '', maxVersionLevel: r.int16(), minVersionLevel: r.int16()}
          r.tags()
          return feature
        })
      }
    })
    return result
  },
}
