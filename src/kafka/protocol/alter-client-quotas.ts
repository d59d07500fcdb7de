import type {QuotaEntityPart} from './describe-client-quotas.js'
import type {ApiSpec} from './transport.js'

export interface AlterClientQuotasRequest {
  entries: Array<{entity: QuotaEntityPart[]; ops: Array<{key: string; value: number; remove: boolean}>}>
  validateOnly: boolean
}

export interface AlterClientQuotasResult {
  errorCode: number
  errorMessage: string | null
  entity: QuotaEntityPart[]
}

/** AlterClientQuotas v0-1 (KIP-546, Kafka 2.6+; v1 flexible): sets or removes quota keys of entities; a broker forwards it to the controller. */
export const AlterClientQuotas: ApiSpec<AlterClientQuotasRequest, AlterClientQuotasResult[]> = {
  name: 'AlterClientQuotas',
  apiKey: 49,
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 1,
  encode(w, request, version) {
    const v = w.versioned(version >= 1)
    v.structs(request.entries, (e) => {
      v.structs(e.entity, (p) => v.str(p.type).str(p.name))
      v.structs(e.ops, (op) => {
        v.str(op.key)
        w.float64(op.value).boolean(op.remove)
      })
    })
    w.boolean(request.validateOnly)
    v.tags()
  },
  decode(r, version) {
    const v = r.versioned(version >= 1)
    r.int32() // throttle_time_ms
    const results = v.structs((): AlterClientQuotasResult => ({
      errorCode: r.int16(),
      errorMessage: v.str(),
      entity: v.structs(() => ({type: v.str() ?? '', name: v.str()})),
    }))
    v.tags()
    return results
  },
}
