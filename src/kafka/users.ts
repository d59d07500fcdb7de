import {type ScramMechanism, type ScramUser, mechanismName, newSalt, SCRAM_MECHANISMS, saltedPassword, sortUsers} from '../domain/scram.js'
import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {AlterUserScramCredentials, type AlterUserScramCredentialsRequest} from './protocol/alter-user-scram-credentials.js'
import {DescribeUserScramCredentials} from './protocol/describe-user-scram-credentials.js'
import {errorName, KafkaProtocolError} from './protocol/errors.js'
import {untilBrokersShow} from './propagation.js'

const RESOURCE_NOT_FOUND = 91

/**
 * The SCRAM credentials (mechanisms and iterations) of `users`, or of every user that has one
 * when `users` is null. Users without any are returned in `missing`. The controller's metadata
 * is on every broker: any one answers, or `broker` alone.
 */
export async function describeScramUsers(connection: KafkaConnection, users: string[] | null, broker?: number): Promise<{users: ScramUser[]; missing: string[]}> {
  const request = {users: users && [...new Set(users)]}
  const response = broker === undefined
    ? await connection.sendAny(DescribeUserScramCredentials, request)
    : await connection.send(await connection.broker(broker), DescribeUserScramCredentials, request)
  if (response.errorCode !== 0) throw new KafkaProtocolError(response.errorCode, response.errorMessage, 'DescribeUserScramCredentials')
  const found: ScramUser[] = []
  const missing: string[] = []
  for (const r of response.results) {
    if (r.errorCode === RESOURCE_NOT_FOUND) missing.push(r.user)
    else if (r.errorCode !== 0) throw new KafkaProtocolError(r.errorCode, r.errorMessage, `user ${r.user}`)
    else found.push({user: r.user, credentials: r.credentials.map((c) => ({mechanism: mechanismName(c.mechanism), iterations: c.iterations}))})
  }
  return {users: sortUsers(found), missing: missing.sort()}
}

export interface ScramChange {
  upsert: Array<{user: string; mechanism: ScramMechanism; iterations: number; password: string}>
  delete: Array<{user: string; mechanism: ScramMechanism}>
}

/**
 * AlterUserScramCredentials: each password salted here with a fresh salt (the broker never sees
 * it). A KRaft controller takes one change per user per request (two are DUPLICATE_RESOURCE, even
 * for two mechanisms), so the changes go in rounds, each with at most one change of each user.
 * Each request is sent once, as the broker forwards it to the controller and a retry could not
 * tell a change made from one refused. A refusal names what was changed before it. Then waits
 * until every broker shows the change (untilBrokersShow).
 */
export async function alterScramCredentials(connection: KafkaConnection, change: ScramChange): Promise<void> {
  const rounds: AlterUserScramCredentialsRequest[] = []
  const roundOf = new Map<string, number>()
  const slot = (user: string) => {
    const i = roundOf.get(user) ?? 0
    roundOf.set(user, i + 1)
    rounds[i] ??= {deletions: [], upsertions: []}
    return rounds[i]
  }
  for (const d of change.delete) slot(d.user).deletions.push({user: d.user, mechanism: SCRAM_MECHANISMS[d.mechanism].code})
  for (const u of change.upsert) {
    const salt = newSalt()
    slot(u.user).upsertions.push({user: u.user, mechanism: SCRAM_MECHANISMS[u.mechanism].code, iterations: u.iterations, salt, saltedPassword: saltedPassword(u.mechanism, u.password, salt, u.iterations)})
  }
  const changed: string[] = []
  for (const round of rounds) {
    const results = await connection.sendToController(AlterUserScramCredentials, round, Math.max(connection.options.timeoutMs, 30_000))
    const refused = results.filter((r) => r.errorCode !== 0)
    const describe = (user: string) => [
      ...round.deletions.filter((d) => d.user === user).map((d) => `${user} ${mechanismName(d.mechanism)} deleted`),
      ...round.upsertions.filter((u) => u.user === user).map((u) => `${user} ${mechanismName(u.mechanism)} set`),
    ]
    changed.push(...results.filter((r) => r.errorCode === 0).flatMap((r) => describe(r.user)))
    if (refused.length > 0) {
      const why = refused.map((r) => `${r.user}: ${errorName(r.errorCode)}${r.errorMessage ? ` (${r.errorMessage})` : ''}`).join('; ')
      throw new KadmError(`cannot change the SCRAM credentials of ${why}${changed.length > 0 ? `; done: ${changed.join(', ')}` : ''}`)
    }
  }
  // Brokers learn credentials from the metadata log: return once each lists every one set (with
  // its iterations) and none deleted, so a client logging in next is not refused by one behind.
  // A password replaced at the same iterations cannot be told from the old one: not waited for.
  const users = [...new Set([...change.upsert, ...change.delete].map((c) => c.user))]
  await untilBrokersShow(connection, 'changed', async (id) => {
    const {users: shown} = await describeScramUsers(connection, users, id)
    const credential = (user: string, mechanism: ScramMechanism) =>
      shown.find((u) => u.user === user)?.credentials.find((c) => c.mechanism === mechanismName(SCRAM_MECHANISMS[mechanism].code))
    return change.upsert.every((u) => credential(u.user, u.mechanism)?.iterations === u.iterations) &&
      change.delete.every((d) => credential(d.user, d.mechanism) === undefined)
  })
}
