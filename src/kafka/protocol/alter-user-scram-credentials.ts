import type {ApiSpec} from './transport.js'

export interface ScramUpsertion {
  user: string
  mechanism: number
  iterations: number
  salt: Buffer
  saltedPassword: Buffer
}

export interface AlterUserScramCredentialsRequest {
  deletions: Array<{user: string; mechanism: number}>
  upsertions: ScramUpsertion[]
}

export interface AlterUserScramCredentialsResult {
  user: string
  errorCode: number
  errorMessage: string | null
}

/**
 * AlterUserScramCredentials v0 (KIP-554, Kafka 2.7+; flexible from v0): the client sends the
 * salted password it computed (RFC 5802 Hi()), never the password. A broker forwards it to the
 * controller. One result per user, whatever the number of its deletions and upsertions.
 */
export const AlterUserScramCredentials: ApiSpec<AlterUserScramCredentialsRequest, AlterUserScramCredentialsResult[]> = {
  name: 'AlterUserScramCredentials',
  apiKey: 51,
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  encode(w, request) {
    const v = w.versioned(true)
    v.structs(request.deletions, (d) => {
      v.str(d.user)
      w.int8(d.mechanism)
    })
    v.structs(request.upsertions, (u) => {
      v.str(u.user)
      w.int8(u.mechanism).int32(u.iterations).compactBytes(u.salt).compactBytes(u.saltedPassword)
    })
    v.tags()
  },
  decode(r) {
    const v = r.versioned(true)
    r.int32() // throttle_time_ms
    const results = v.structs((): AlterUserScramCredentialsResult => ({user: v.str() ?? '', errorCode: r.int16(), errorMessage: v.str()}))
    v.tags()
    return results
  },
}
