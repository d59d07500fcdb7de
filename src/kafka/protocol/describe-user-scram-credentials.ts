import type {ApiSpec} from './transport.js'

export interface ScramCredentialInfo {
  /** ScramMechanism as the broker numbers it: 1 SCRAM-SHA-256, 2 SCRAM-SHA-512. */
  mechanism: number
  iterations: number
}

export interface DescribeUserScramCredentialsResult {
  user: string
  errorCode: number
  errorMessage: string | null
  credentials: ScramCredentialInfo[]
}

export interface DescribeUserScramCredentialsResponse {
  errorCode: number
  errorMessage: string | null
  results: DescribeUserScramCredentialsResult[]
}

/**
 * DescribeUserScramCredentials v0 (KIP-554, Kafka 2.7+; flexible from v0): the mechanisms and
 * iteration counts of each user's SCRAM credentials, never the salt or salted password. `null`
 * users: every user that has one.
 */
export const DescribeUserScramCredentials: ApiSpec<{users: string[] | null}, DescribeUserScramCredentialsResponse> = {
  name: 'DescribeUserScramCredentials',
  apiKey: 50,
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  encode(w, {users}) {
    const v = w.versioned(true)
    v.structs(users, (name) => v.str(name))
    v.tags()
  },
  decode(r) {
    const v = r.versioned(true)
    r.int32() // throttle_time_ms
    const errorCode = r.int16()
    const errorMessage = v.str()
    const results = v.structs((): DescribeUserScramCredentialsResult => ({
      user: v.str() ?? '',
      errorCode: r.int16(),
      errorMessage: v.str(),
      credentials: v.structs(() => ({mechanism: r.int8(), iterations: r.int32()})),
    }))
    v.tags()
    return {errorCode, errorMessage, results}
  },
}
