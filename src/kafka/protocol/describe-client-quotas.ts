import type {ApiSpec} from './transport.js'

/** One part of a quota entity: `name` null is the type's default entity. */
export interface QuotaEntityPart {
  type: string
  name: string | null
}

/** How a filter component matches its entity type: exactly `match`, the default entity, or any (including the default). */
export const QUOTA_MATCH = {exact: 0, default: 1, any: 2} as const

export interface DescribeClientQuotasRequest {
  components: Array<{type: string; match: number; name: string | null}>
  /** Only entities with no other part than those the components name. */
  strict: boolean
}

export interface ClientQuotaEntry {
  entity: QuotaEntityPart[]
  values: Array<{key: string; value: number}>
}

export interface DescribeClientQuotasResponse {
  errorCode: number
  errorMessage: string | null
  entries: ClientQuotaEntry[]
}

/** DescribeClientQuotas v0-1 (KIP-546, Kafka 2.6+; v1 flexible): the quotas of the entities that match a filter. */
export const DescribeClientQuotas: ApiSpec<DescribeClientQuotasRequest, DescribeClientQuotasResponse> = {
  name: 'DescribeClientQuotas',
  apiKey: 48,
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 1,
  encode(w, request, version) {
    const v = w.versioned(version >= 1)
    v.structs(request.components, (c) => {
      v.str(c.type)
      w.int8(c.match)
      v.str(c.name)
    })
    w.boolean(request.strict)
    v.tags()
  },
  decode(r, version) {
    const v = r.versioned(version >= 1)
    r.int32() // throttle_time_ms
    const errorCode = r.int16()
    const errorMessage = v.str()
    // A null array (on error) reads as no entries.
    const entries = v.structs((): ClientQuotaEntry => ({
      entity: v.structs(() => ({type: v.str() ?? '', name: v.str()})),
      values: v.structs(() => ({key: v.str() ?? '', value: r.float64()})),
    }))
    v.tags()
    return {errorCode, errorMessage, entries}
  },
}
