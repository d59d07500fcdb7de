import {pbkdf2Sync, randomBytes} from 'node:crypto'

import {UsageError} from '../errors.js'

/** The SCRAM mechanisms Kafka knows, by the number ScramMechanism gives them on the wire. */
export const SCRAM_MECHANISMS = {
  'SCRAM-SHA-256': {code: 1, hash: 'sha256', bytes: 32},
  'SCRAM-SHA-512': {code: 2, hash: 'sha512', bytes: 64},
} as const
export type ScramMechanism = keyof typeof SCRAM_MECHANISMS

/** The iteration counts a Kafka broker accepts for both mechanisms (ScramMechanism.minIterations, and its upper bound). */
export const MIN_ITERATIONS = 4096
export const MAX_ITERATIONS = 16_384
/** What kafka-configs uses when `iterations=` is left out. */
export const DEFAULT_ITERATIONS = 4096

export function scramMechanism(name: string): ScramMechanism {
  const upper = name.toUpperCase()
  if (!(upper in SCRAM_MECHANISMS)) throw new UsageError(`unknown SCRAM mechanism "${name}": use scram-sha-256 or scram-sha-512`)
  return upper as ScramMechanism
}

export function mechanismName(code: number): ScramMechanism | `UNKNOWN(${number})` {
  const found = Object.entries(SCRAM_MECHANISMS).find(([, m]) => m.code === code)
  return found ? found[0] as ScramMechanism : `UNKNOWN(${code})`
}

export function checkIterations(iterations: number): number {
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new UsageError(`--iterations must be a whole number from ${MIN_ITERATIONS} to ${MAX_ITERATIONS} (what Kafka accepts), got ${iterations}`)
  }
  return iterations
}

/**
 * Hi(password, salt, iterations) of RFC 5802, which is PBKDF2 with the mechanism's HMAC and an
 * output as long as its hash: the SaltedPassword a broker stores (with the salt and the count)
 * and checks logins against. Kafka takes the password's UTF-8 bytes as they are (no SASLprep).
 */
export function saltedPassword(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): Buffer {
  const {hash, bytes} = SCRAM_MECHANISMS[mechanism]
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, bytes, hash)
}

/** A fresh random salt for each credential, as Kafka's admin client makes one per upsertion. */
export function newSalt(): Buffer {
  return randomBytes(32)
}

export interface ScramCredential {
  mechanism: ScramMechanism | `UNKNOWN(${number})`
  iterations: number
}

export interface ScramUser {
  user: string
  credentials: ScramCredential[]
}

export function sortUsers(users: ScramUser[]): ScramUser[] {
  for (const u of users) u.credentials.sort((a, b) => a.mechanism.localeCompare(b.mechanism))
  return users.sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))
}

export interface ScramPlanRow {
  user: string
  mechanism: ScramMechanism
  iterations: number
  action: 'create' | 'replace' | 'delete'
}

/** What setting `user`'s password for `mechanisms` does: a new credential, or one that replaces the user's current one. */
export function planPasswordChange(user: string, current: ScramUser | undefined, mechanisms: readonly ScramMechanism[], iterations: number): ScramPlanRow[] {
  const had = new Set(current?.credentials.map((c) => c.mechanism))
  return [...new Set(mechanisms)].sort().map((mechanism) => ({user, mechanism, iterations, action: had.has(mechanism) ? 'replace' : 'create'}))
}

/**
 * The credentials a deletion removes: those of `mechanisms` (every one the user has when none is
 * named). A named mechanism the user lacks is an error, as the broker would refuse it.
 */
export function planDeletion(users: readonly ScramUser[], mechanisms: readonly ScramMechanism[]): ScramPlanRow[] {
  return users.flatMap((u) => {
    const lacking = mechanisms.filter((m) => !u.credentials.some((c) => c.mechanism === m))
    if (lacking.length > 0) throw new UsageError(`user ${u.user} has no ${lacking.join(' or ')} credential (it has ${u.credentials.map((c) => c.mechanism).join(', ')})`)
    return u.credentials
      .filter((c) => mechanisms.length === 0 || mechanisms.includes(c.mechanism as ScramMechanism))
      .map((c) => ({user: u.user, mechanism: c.mechanism as ScramMechanism, iterations: c.iterations, action: 'delete' as const}))
  })
}
