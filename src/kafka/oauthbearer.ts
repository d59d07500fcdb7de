import type {AuthenticationProviderArgs, Mechanism} from 'kafkajs'

import {KadmError, oneLine} from '../errors.js'

const SOH = '\u0001'

/** kafkajs frames SASL auth bytes with an int32 length, in both directions. */
function framed(payload: string): Buffer {
  const body = Buffer.from(payload)
  const buffer = Buffer.alloc(4 + body.length)
  buffer.writeInt32BE(body.length)
  body.copy(buffer, 4)
  return buffer
}

function unframed(buffer: Buffer | undefined): string {
  if (!buffer || buffer.length <= 4) return ''
  return buffer.subarray(4, 4 + buffer.readInt32BE(0)).toString()
}

/** `{"status":"invalid_token"}` -> `invalid_token`. */
function challengeStatus(challenge: string): string {
  try {
    const status = (JSON.parse(challenge) as {status?: unknown}).status
    if (typeof status === 'string') return status
  } catch {}
  return oneLine(challenge)
}

/** The `exp` claim of a JWT in seconds, when the token is one. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1]
  if (!payload) return undefined
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString()) as {exp?: unknown}).exp
    return typeof exp === 'number' ? exp : undefined
  } catch {
    return undefined
  }
}

/**
 * Hands out a token, asking `fetch` (the context's token command) again only when there is none
 * yet or the cached JWT expires within a minute: a long-running command keeps authenticating new
 * connections without running the command for each of them.
 */
export function tokenCache(fetch: () => Promise<string>, now = () => Date.now()): () => Promise<string> {
  let cached: string | undefined
  return async () => {
    const exp = cached === undefined ? undefined : jwtExpiry(cached)
    if (cached === undefined || (exp !== undefined && exp * 1000 - now() < 60_000)) cached = await fetch()
    return cached
  }
}

/**
 * SASL/OAUTHBEARER (RFC 7628) as Kafka speaks it. kafkajs's own implementation takes the server's
 * error challenge for success and then reads the failure as the next response; this one sees the
 * challenge, completes the exchange with the %x01 the RFC asks for and fails with the server's reason.
 */
export function oauthBearerMechanism(token: () => Promise<string>): Mechanism {
  return {
    mechanism: 'oauthbearer',
    authenticationProvider: ({host, port, saslAuthenticate}: AuthenticationProviderArgs) => ({
      authenticate: async () => {
        const value = await token()
        const challenge = await saslAuthenticate<string>({
          request: {encode: async () => framed(`n,,${SOH}auth=Bearer ${value}${SOH}${SOH}`)},
          response: {decode: async (bytes: Buffer) => bytes, parse: (bytes: Buffer) => unframed(bytes)},
        })
        if (!challenge) return
        // Completing the exchange makes the broker log the failure; its reply repeats the challenge.
        await saslAuthenticate({request: {encode: async () => framed(SOH)}}).catch(() => {})
        const failure = new KadmError(`authentication failed at ${host}:${port}: the broker rejected the OAUTHBEARER token (${challengeStatus(challenge)})`)
        Object.assign(failure, {retriable: false})
        throw failure
      },
    }),
  }
}
