import {describe, expect, it} from 'vitest'

import {KadmError} from '../../src/errors.js'
import {describeKafkaError, tlsFailure} from '../../src/kafka/connection-errors.js'

function kafkajsError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), {name, ...extra})
}

describe('describeKafkaError', () => {
  const servers = ['k1:9092', 'k2:9092']

  it('names the network cause and the address', () => {
    const refused = kafkajsError('KafkaJSNumberOfRetriesExceeded', 'retries', {
      originalError: kafkajsError('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 10.0.0.1:9092', {broker: 'k1:9092'}),
    })
    expect(describeKafkaError(refused, servers).message).toBe('cannot connect to k1:9092: connection refused (is a broker listening there?)')
    expect(describeKafkaError(kafkajsError('KafkaJSConnectionError', 'getaddrinfo ENOTFOUND nope'), servers).message)
      .toBe('cannot connect to k1:9092,k2:9092: host name not found')
    expect(describeKafkaError(kafkajsError('KafkaJSConnectionError', 'Connection timeout', {broker: 'k2:9092'}), servers).message)
      .toBe('cannot connect to k2:9092: connection timed out')
  })

  it('tells authentication from TLS from authorization', () => {
    expect(describeKafkaError(kafkajsError('KafkaJSSASLAuthenticationError', 'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512', {broker: 'k1:9093'}), servers).message)
      .toMatch(/^authentication failed at k1:9093: /)
    expect(describeKafkaError(Object.assign(new Error('self-signed certificate in certificate chain'), {code: 'SELF_SIGNED_CERT_IN_CHAIN'}), servers).message)
      .toBe("TLS error connecting to k1:9092,k2:9092: the broker certificate is not signed by a trusted CA (check the context's tls.ca) (self-signed certificate in certificate chain)")
    expect(describeKafkaError(kafkajsError('KafkaJSProtocolError', 'Not authorized to access topics: [Topic authorization failed]', {type: 'TOPIC_AUTHORIZATION_FAILED'}), servers).message)
      .toBe('not authorized: Not authorized to access topics: [Topic authorization failed]')
  })

  it('keeps kadm errors and makes every message one line', () => {
    const own = new KadmError('already clear')
    expect(describeKafkaError(own, servers)).toBe(own)
    expect(describeKafkaError(new Error('first\n  second'), servers).message).toBe('first second')
  })
})

describe('tlsFailure', () => {
  const registry = {name: 'schema registry', caSetting: 'the context\'s schema-registry ca', listener: 'an HTTPS port'}

  it('names the peer and where its CA is set, with Node\'s words after, without the system call', () => {
    expect(tlsFailure({message: 'unable to verify the first certificate', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'}, registry))
      .toBe('the schema registry certificate is not signed by a trusted CA (check the context\'s schema-registry ca) (unable to verify the first certificate)')
    // Node 24 adds advice about its own --use-system-ca flag, which is not how kadm is given a CA.
    expect(tlsFailure({message: 'unable to verify the first certificate; if the root CA is installed locally, try running Node.js with --use-system-ca', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'}, registry))
      .toBe('the schema registry certificate is not signed by a trusted CA (check the context\'s schema-registry ca) (unable to verify the first certificate)')
    expect(tlsFailure({message: 'write EPROTO 40E7B5A1F07F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:355:\n', code: 'EPROTO'}, registry))
      .toBe('the TLS handshake failed: is this an HTTPS port? (wrong version number)')
    expect(tlsFailure({message: 'Hostname/IP does not match certificate\'s altnames: IP: 10.0.0.9 is not in the cert\'s list: 127.0.0.1', code: 'ERR_TLS_CERT_ALTNAME_INVALID'}, registry))
      .toBe('host name verification failed: the schema registry certificate is not valid for this address (Hostname/IP does not match certificate\'s altnames: IP: 10.0.0.9 is not in the cert\'s list: 127.0.0.1)')
  })

  it('is undefined for errors that are not about TLS', () => {
    expect(tlsFailure({message: 'connect ECONNREFUSED 127.0.0.1:8081', code: 'ECONNREFUSED'}, registry)).toBeUndefined()
  })
})
