import type {ApiSpec} from './transport.js'

/** AlterConfigOp.OpType as the broker numbers it. */
export const ALTER_CONFIG_OPS = {set: 0, delete: 1, append: 2, subtract: 3} as const
export type AlterConfigOp = keyof typeof ALTER_CONFIG_OPS

export interface IncrementalAlterConfigsRequest {
  resources: Array<{type: number; name: string; configs: Array<{name: string; op: number; value: string | null}>}>
  validateOnly: boolean
}

export interface IncrementalAlterConfigsResult {
  errorCode: number
  errorMessage: string | null
  type: number
  name: string
}

/**
 * IncrementalAlterConfigs v0-1 (KIP-339): changes only the keys it names. kafkajs has only
 * AlterConfigs, which replaces a resource's whole config and resets every key it does not send.
 */
export const IncrementalAlterConfigs: ApiSpec<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResult[]> = {
  name: 'IncrementalAlterConfigs',
  apiKey: 44,
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 1,
  encode(w, request, version) {
    const v = w.versioned(version >= 1)
    v.structs(request.resources, (res) => {
      w.int8(res.type)
      v.str(res.name).structs(res.configs, (c) => {
        v.str(c.name)
        w.int8(c.op)
        v.str(c.value)
      })
    })
    w.boolean(request.validateOnly)
    v.tags()
  },
  decode(r, version) {
    const v = r.versioned(version >= 1)
    r.int32() // throttle_time_ms
    const results = v.structs(() => ({errorCode: r.int16(), errorMessage: v.str(), type: r.int8(), name: v.str() ?? ''}))
    v.tags()
    return results
  },
}
