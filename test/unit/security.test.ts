import {describe, expect, it} from 'vitest'

import {describeKafkaError} from '../../src/kafka/connection-errors.js'
import {jwtExpiry, tokenCache} from '../../src/kafka/oauthbearer.js'
import {scramFormatArgs, secureListeners, secureProperties, securityFiles} from '../../src/local/security.js'

const jwt = (claims: object) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`

describe('OAUTHBEARER token cache', () => {
  it('reads exp from a JWT and nothing from other tokens', () => {
    expect(jwtExpiry(jwt({sub: 'a', exp: 1234}))).toBe(1234)
    expect(jwtExpiry('opaque-token')).toBeUndefined()
    expect(jwtExpiry('a.not-base64-json.c')).toBeUndefined()
  })

  it('runs the token command once, and again only when the JWT is about to expire', async () => {
    let now = 1_000_000_000
    let calls = 0
    const token = tokenCache(async () => jwt({n: ++calls, exp: now / 1000 + 3600}), () => now)
    await token()
    await token()
    expect(calls).toBe(1)
    now += 3600_000 - 30_000
    await token()
    expect(calls).toBe(2)
  })
})

describe('connection error lines', () => {
  const tls = (message: string, code?: string) => Object.assign(new Error(message), {name: 'KafkaJSConnectionError', code})

  it('names TLS causes without OpenSSL noise', () => {
    const alert = '803C62422E7F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 42\n'
    expect(describeKafkaError(tls(`Connection error: ${alert}`), ['k:9093']).message)
      .toBe('TLS error connecting to k:9093: the broker requires a client certificate (mutual TLS) and none is configured (tls.cert, tls.key) (sslv3 alert bad certificate; SSL alert number 42)')
    expect(describeKafkaError(tls(`Connection error: ${alert}`), ['k:9093'], {clientCertificate: true}).message).toMatch(/the broker rejected the client certificate/)
    expect(describeKafkaError(tls('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'), ['k:9093']).message).toMatch(/not signed by a trusted CA/)
    expect(describeKafkaError(tls("Hostname/IP does not match certificate's altnames: Host: k. is not in the cert's altnames: DNS:x", 'ERR_TLS_CERT_ALTNAME_INVALID'), ['k:9093']).message).toMatch(/host name verification failed/)
  })

  it('explains authorization failures and a cluster without an authorizer', () => {
    const protocol = (type: string, message: string) => Object.assign(new Error(message), {name: 'KafkaJSProtocolError', type})
    expect(describeKafkaError(protocol('TOPIC_AUTHORIZATION_FAILED', 'Not authorized to access topics: [Topic authorization failed]'), ['k:1']).message)
      .toBe('not authorized: Not authorized to access topics: [Topic authorization failed]')
    expect(describeKafkaError(protocol('SECURITY_DISABLED', 'Security features are disabled'), ['k:1']).message).toMatch(/no authorizer/)
  })

  it('says authentication for SASL failures, with the broker address', () => {
    const error = Object.assign(new Error('SASL SCRAM SHA256 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256'), {name: 'KafkaJSSASLAuthenticationError', broker: 'k:9092'})
    expect(describeKafkaError(error, ['x:1']).message).toBe('authentication failed at k:9092: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256')
  })
})

describe('secured local broker settings', () => {
  it('puts each listener on its own odd port and wires certificates, SASL and the authorizer', () => {
    const files = securityFiles('/data')
    const props = secureProperties(46_093, 46_193, files)
    const ports = Object.values(secureListeners(46_093))
    expect(ports.every((p) => p % 2 === 1)).toBe(true)
    expect(new Set(ports).size).toBe(ports.length)
    expect(props.listeners).toBe('PLAINTEXT://127.0.0.1:46093,TLS://127.0.0.1:46095,MTLS://127.0.0.1:46097,SASL://127.0.0.1:46099,SASLTLS://127.0.0.1:46101,WRONGHOST://127.0.0.1:46103,CONTROLLER://127.0.0.1:46193')
    expect(props['listener.security.protocol.map']).toContain('SASLTLS:SASL_SSL')
    expect(props['listener.name.mtls.ssl.client.auth']).toBe('required')
    expect(props['ssl.truststore.location']).toBe('/data/security/ca.pem')
    expect(props['super.users']).toBe('User:ANONYMOUS;User:admin;User:CN=kadm-client')
    expect(props['listener.name.sasl.oauthbearer.sasl.jaas.config']).toMatch(/OAuthBearerLoginModule required/)
    expect(scramFormatArgs()).toContain('SCRAM-SHA-512=[name=alice,password=alice-secret]')
  })
})
