import {setTimeout as sleep} from 'node:timers/promises'

import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {errorName} from './protocol/errors.js'
import {FindCoordinator} from './protocol/find-coordinator.js'

/** FindCoordinator's key types, what kadm calls their keys, and the authorizer's refusal of each. */
const KEY_TYPES = {
  group: {keyType: 0, name: 'group', refused: 'GROUP_AUTHORIZATION_FAILED'},
  transaction: {keyType: 1, name: 'transactional id', refused: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'},
} as const

/**
 * The coordinator of each key, asked of any broker in one FindCoordinator v4+ request for all of
 * them (KIP-699). Keys whose coordinator is loading or moving are asked again, up to `attempts`
 * times in all, waiting a little longer each time; a refusal by the authorizer is one line at once
 * (asking again gives the same answer).
 */
export async function findCoordinatorsOf(connection: KafkaConnection, kind: keyof typeof KEY_TYPES, keys: string[], attempts: number): Promise<Map<string, number>> {
  const {keyType, name, refused} = KEY_TYPES[kind]
  const result = new Map<string, number>()
  let pending = [...new Set(keys)]
  for (let attempt = 1; pending.length > 0; attempt++) {
    const answer = await connection.sendAny(FindCoordinator, {keyType, keys: pending})
    const failed: string[] = []
    let lastError = ''
    for (const c of answer) {
      if (c.errorCode === 0) result.set(c.key, c.nodeId)
      else {
        failed.push(c.key)
        lastError = errorName(c.errorCode)
      }
    }
    if (failed.length > 0 && lastError === refused) throw new KadmError(`not authorized: ${name} ${failed[0]} (${refused})`)
    if (failed.length > 0 && attempt >= attempts) throw new KadmError(`cannot find the coordinator of ${name} ${failed[0]}: ${lastError}`)
    if (failed.length > 0) await sleep(200 * attempt)
    pending = failed
  }
  return result
}
