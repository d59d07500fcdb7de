import type {Reader, Writer} from './codec.js'
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
  encode(w: Writer, request, version) {
    const flexible = version >= 1
    const str = (s: string | null) => (flexible ? w.compactString(s) : w.string(s))
    const eachConfig = (_: Writer, c: IncrementalAlterConfigsRequest['resources'][number]['configs'][number]) => {
      str(c.name)
      w.int8(c.op)
      str(c.value)
      if (flexible) w.tags()
    }
    const eachResource = (_: Writer, res: IncrementalAlterConfigsRequest['resources'][number]) => {
      w.int8(res.type)
      str(res.name)
      if (flexible) w.compactArray(res.configs, eachConfig).tags()
      else w.array(res.configs, eachConfig)
    }
    if (flexible) w.compactArray(request.resources, eachResource)
    else w.array(request.resources, eachResource)
    w.boolean(request.validateOnly)
    if (flexible) w.tags()
  },
  decode(r: Reader, version) {
    const flexible = version >= 1
    const str = () => (flexible ? r.compactString() : r.string())
    r.int32() // throttle_time_ms
    const each = () => {
      const result = {errorCode: r.int16(), errorMessage: str(), type: r.int8(), name: str() ?? ''}
      if (flexible) r.tags()
      return result
    }
    const results = flexible ? r.compactArray(each) : r.array(each)
    if (flexible) r.tags()
    return results
  },
}
