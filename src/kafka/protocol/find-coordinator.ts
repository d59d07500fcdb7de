import type {ApiSpec} from './transport.js'

export interface FindCoordinatorRequest {
  /** 0 = group, 1 = transaction. */
  keyType: 0 | 1
  keys: string[]
}

export interface Coordinator {
  key: string
  nodeId: number
  host: string
  port: number
  errorCode: number
  errorMessage: string | null
}

/**
 * FindCoordinator v4+ (Kafka 3.0+, KIP-699): many group keys in one request, one answer per key.
 * Older brokers take one key per request; kadm then falls back to kafkajs's own lookup.
 */
export const FindCoordinator: ApiSpec<FindCoordinatorRequest, Coordinator[]> = {
  name: 'FindCoordinator',
  apiKey: 10,
  minVersion: 4,
  maxVersion: 6,
  flexibleFrom: 3,
  encode(w, request) {
    w.int8(request.keyType)
    w.compactArray(request.keys, (w, key) => w.compactString(key))
    w.tags()
  },
  decode(r) {
    r.int32() // throttle_time_ms
    const coordinators = r.compactArray((r) => {
      const c: Coordinator = {
        key: r.compactString() ?? '',
        nodeId: r.int32(),
        host: r.compactString() ?? '',
        port: r.int32(),
        errorCode: r.int16(),
        errorMessage: r.compactString(),
      }
      r.tags()
      return c
    })
    r.tags()
    return coordinators
  },
}
