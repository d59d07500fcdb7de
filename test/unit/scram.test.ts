import {createHash, createHmac} from 'node:crypto'
import {describe, expect, it} from 'vitest'

import {planDeletion, planPasswordChange, saltedPassword, scramMechanism} from '../../src/domain/scram.js'

describe('saltedPassword', () => {
  // RFC 7677 section 3: the SCRAM-SHA-256 exchange of user "user" with password "pencil". The
  // client proof it prints is ClientKey XOR HMAC(StoredKey, AuthMessage), all from SaltedPassword.
  it('gives the SaltedPassword of the RFC 7677 example (its client proof matches)', () => {
    const salted = saltedPassword('SCRAM-SHA-256', 'pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096)
    const clientKey = createHmac('sha256', salted).update('Client Key').digest()
    const storedKey = createHash('sha256').update(clientKey).digest()
    const authMessage = 'n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0'
    const signature = createHmac('sha256', storedKey).update(authMessage).digest()
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]))
    expect(proof.toString('base64')).toBe('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')
  })

  it('is as long as the mechanism\'s hash', () => {
    expect(saltedPassword('SCRAM-SHA-512', 'x', Buffer.from('salt'), 4096)).toHaveLength(64)
    expect(saltedPassword('SCRAM-SHA-256', 'x', Buffer.from('salt'), 4096)).toHaveLength(32)
  })
})

describe('plans', () => {
  it('marks the mechanisms a user already has as replaced', () => {
    const current = {user: 'a', credentials: [{mechanism: 'SCRAM-SHA-512' as const, iterations: 4096}]}
    expect(planPasswordChange('a', current, ['SCRAM-SHA-512', 'SCRAM-SHA-256', 'SCRAM-SHA-512'], 8192)).toEqual([
      {user: 'a', mechanism: 'SCRAM-SHA-256', iterations: 8192, action: 'create'},
      {user: 'a', mechanism: 'SCRAM-SHA-512', iterations: 8192, action: 'replace'},
    ])
  })

  it('deletes every mechanism by default, only those named otherwise, and refuses one the user lacks', () => {
    const users = [{user: 'a', credentials: [{mechanism: 'SCRAM-SHA-256' as const, iterations: 4096}, {mechanism: 'SCRAM-SHA-512' as const, iterations: 8192}]}]
    expect(planDeletion(users, []).map((r) => r.mechanism)).toEqual(['SCRAM-SHA-256', 'SCRAM-SHA-512'])
    expect(planDeletion(users, ['SCRAM-SHA-512'])).toEqual([{user: 'a', mechanism: 'SCRAM-SHA-512', iterations: 8192, action: 'delete'}])
    expect(() => planDeletion([{user: 'b', credentials: [users[0].credentials[0]]}], ['SCRAM-SHA-512'])).toThrow('user b has no SCRAM-SHA-512 credential (it has SCRAM-SHA-256)')
    expect(() => scramMechanism('scram-sha-1')).toThrow('unknown SCRAM mechanism "scram-sha-1"')
  })
})
