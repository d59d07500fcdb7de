import type {ApiSpec} from './transport.js'

/** FeatureUpdate.UpgradeType as the broker numbers it. */
export const UPGRADE_TYPES = {upgrade: 1, 'safe-downgrade': 2, 'unsafe-downgrade': 3} as const
export type UpgradeType = keyof typeof UPGRADE_TYPES

export interface UpdateFeaturesRequest {
  timeoutMs: number
  /** Level 0 disables the feature (a downgrade). */
  updates: Array<{feature: string; level: number; upgradeType: UpgradeType}>
  validateOnly: boolean
}

export interface UpdateFeaturesResponse {
  errorCode: number
  errorMessage: string | null
  /** Per feature up to v1; v2 (Kafka 3.9) has no per-feature results: the top-level error covers every feature. */
  results: Array<{feature: string; errorCode: number; errorMessage: string | null}>
}

/**
 * UpdateFeatures v1-2 (KIP-584, upgrade types and validateOnly from KIP-778, Kafka 3.3): sets
 * the cluster's finalized feature levels, as kafka-features.sh upgrade/downgrade/disable. A
 * broker forwards it to the active controller, which checks every broker supports the level.
 * kafkajs does not have it. Flexible in every version.
 */
export const UpdateFeatures: ApiSpec<UpdateFeaturesRequest, UpdateFeaturesResponse> = {
  name: 'UpdateFeatures',
  apiKey: 57,
  // v0 has only allowDowngrade: no safe/unsafe downgrade and no validateOnly.
  minVersion: 1,
  maxVersion: 2,
  since: '3.3',
  flexibleFrom: 0,
  encode(w, request) {
    w.int32(request.timeoutMs)
    w.compactArray(request.updates, (_, u) => w.compactString(u.feature).int16(u.level).int8(UPGRADE_TYPES[u.upgradeType]).tags())
    w.boolean(request.validateOnly)
    w.tags()
  },
  decode(r, version) {
    r.int32() // throttle_time_ms
    const errorCode = r.int16()
    const errorMessage = r.compactString()
    const results = version >= 2 ? [] : r.compactArray(() => {
      const result = {feature: r.compactString() ?? '', errorCode: r.int16(), errorMessage: r.compactString()}
      r.tags()
      return result
    })
    r.tags()
    return {errorCode, errorMessage, results}
  },
}
