import {KadmError, oneLine} from '../errors.js'

interface KafkaJsLikeError extends Error {
  type?: string
  code?: string
  retriable?: boolean
  originalError?: unknown
  broker?: string
  cause?: unknown
}

/** kafkajs wraps the real cause in retry errors: unwrap to the innermost one. */
function innermost(error: KafkaJsLikeError): KafkaJsLikeError {
  let current = error
  for (let i = 0; i < 5; i++) {
    const next = current.originalError ?? (current.name?.startsWith('KafkaJS') ? current.cause : undefined)
    if (!(next instanceof Error)) break
    current = next as KafkaJsLikeError
  }
  return current
}

/**
 * Network causes, each with its own words. A connection that ends before the broker ever answered
 * is what a TLS or SASL mismatch looks like; one that ends after answers is a broker going away.
 */
const NETWORK_CAUSES: Array<[RegExp, string | ((answeredBefore: boolean) => string)]> = [
  [/ECONNREFUSED/, 'connection refused (is a broker listening there?)'],
  [/ENOTFOUND|EAI_AGAIN/, 'host name not found'],
  [/EHOSTUNREACH|ENETUNREACH/, 'host unreachable'],
  [/ECONNRESET|EPIPE|socket hang up/i, (answered) => answered
    ? 'connection reset by the broker (restarting or gone?)'
    : 'connection reset by the server (TLS or SASL mismatch?)'],
  [/Closed connection|Connection closed|Not connected/i, (answered) => answered
    ? 'connection closed by the broker (restarting or shutting down?)'
    : 'connection closed by the server before it answered (TLS or SASL mismatch?)'],
  [/[Cc]onnection timeout|ETIMEDOUT/, 'connection timed out'],
]

/** Errors that say a broker cannot be reached now (another broker may well answer), as opposed to a refusal or a misconfiguration. */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof BrokerUnreachable) return true
  if (error instanceof KadmError) return false
  const err = innermost(error as KafkaJsLikeError)
  const message = err.message ?? ''
  if (err.name === 'KafkaJSRequestTimeoutError' || err.name === 'KafkaJSConnectionClosedError') return true
  if (err.name === 'KafkaJSSASLAuthenticationError' || /certificate|SSL|TLS|CERT_|self[- ]signed|wrong version number/i.test(message)) return false
  return NETWORK_CAUSES.some(([pattern]) => pattern.test(message) || pattern.test(err.code ?? ''))
}

/** A refusal by the brokers' authorizer (an ACL missing): asking again gives the same answer. */
export function isAuthorizationError(error: unknown): boolean {
  const err = innermost(error as KafkaJsLikeError)
  return Boolean(err.type?.endsWith('AUTHORIZATION_FAILED')) || /not authorized|AUTHORIZATION_FAILED/i.test(err.message ?? '')
}

/** A broker that did not answer: refused, reset, closed or silent (frozen) past the timeout. */
export class BrokerUnreachable extends KadmError {
  constructor(readonly nodeId: number | null, readonly address: string, readonly reason: string) {
    super(`${nodeId === null ? 'broker' : `broker ${nodeId}`} (${address}) did not answer: ${reason}`)
    this.name = 'BrokerUnreachable'
  }
}

/** The cause of an unreachable broker in a few words, for BrokerUnreachable. */
export function unreachableReason(error: unknown, answeredBefore: boolean, timeoutMs: number): string {
  if (error instanceof BrokerUnreachable) return error.reason
  const err = innermost(error as KafkaJsLikeError)
  if (err.name === 'KafkaJSRequestTimeoutError' || /timed out/.test(err.message ?? '')) return `no answer within ${timeoutMs / 1000}s (frozen or overloaded?)`
  for (const [pattern, cause] of NETWORK_CAUSES) {
    if (pattern.test(err.message ?? '') || pattern.test(err.code ?? '')) return typeof cause === 'string' ? cause : cause(answeredBefore)
  }
  return oneLine(err.message ?? String(error))
}

/** Who is at the other end of a TLS connection, for the words of a failed handshake. */
export interface TlsPeer {
  /** "broker", "schema registry". */
  name: string
  /** Where its CA is set: "the context's tls.ca". */
  caSetting: string
  /** What a plain port was mistaken for: "a TLS listener", "an HTTPS port". */
  listener: string
  /** What skips host name verification, if anything does. */
  skipHostCheck?: string
}

const BROKER_PEER: TlsPeer = {name: 'broker', caSetting: 'the context\'s tls.ca', listener: 'a TLS listener', skipHostCheck: '--insecure skips the check, for testing only'}

/** Causes of a failed TLS handshake, from Node's and OpenSSL's wording. */
const TLS_CAUSES: Array<[RegExp, (peer: TlsPeer, hasClientCert: boolean) => string]> = [
  [/bad decrypt|bad password read|BAD_DECRYPT/i, () => 'cannot decrypt the client key: wrong key passphrase'],
  [/self[- ]signed certificate|unable to (get local issuer|verify the first) certificate|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|SELF_SIGNED/i,
    (peer) => `the ${peer.name} certificate is not signed by a trusted CA (check ${peer.caSetting})`],
  [/certificate has expired|CERT_HAS_EXPIRED/i, (peer) => `the ${peer.name} certificate has expired`],
  [/does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID/i,
    (peer) => `host name verification failed: the ${peer.name} certificate is not valid for this address${peer.skipHostCheck ? ` (${peer.skipHostCheck})` : ''}`],
  [/alert (bad certificate|certificate required)|SSL alert number (42|116)\b/i, (peer, hasClientCert) => hasClientCert
    ? `the ${peer.name} rejected the client certificate`
    : `the ${peer.name} requires a client certificate (mutual TLS) and none is configured (tls.cert, tls.key)`],
  [/alert certificate expired|SSL alert number 45\b/i, (peer) => `the ${peer.name} rejected the client certificate as expired`],
  [/alert (certificate unknown|unknown ca)|SSL alert number (46|48)\b/i, (peer) => `the ${peer.name} does not trust the client certificate (unknown CA, or expired)`],
  [/disconnected before secure TLS connection|wrong version number|packet length too long/i,
    (peer) => `the TLS handshake failed: is this ${peer.listener}?`],
]

/**
 * A failed TLS handshake in a few words, its cause first and OpenSSL's words after (in brackets),
 * or undefined when the error is not about TLS. One wording for brokers and the schema registry.
 */
export function tlsFailure(error: {message?: string; code?: string}, peer: TlsPeer, hasClientCert = false): string | undefined {
  const message = oneLine(error.message ?? '')
  const isTls = /certificate|self[- ]signed|SSL|TLS|CERT_|unable to verify|wrong version number|packet length too long|bad decrypt/i.test(message) || /^ERR_(SSL|TLS)|CERT/.test(error.code ?? '')
  if (!isTls) return undefined
  const detail = tlsDetail(message)
  const cause = TLS_CAUSES.find(([pattern]) => pattern.test(message) || pattern.test(error.code ?? ''))?.[1]
  return cause ? `${cause(peer, hasClientCert)} (${detail})` : detail
}

/** Drops OpenSSL's error-stack noise ("8037...:error:0A000416:SSL routines:...:../deps/openssl/...:1601:"). */
function tlsDetail(message: string): string {
  return message
    .replace(/^Connection error: /, '')
    .replace(/^(write|read) E[A-Z]+ /, '') // the system call Node names ("write EPROTO")
    // Node 24's advice about its own flag: kadm's CA is the context's tls.ca (or schema-registry ca).
    .replace(/; if the root CA is installed locally, try running Node\.js with --use-system-ca/, '')
    .replace(/[0-9A-F]{8,}:error:[0-9A-F]+:[^:]*routines:[^:]*:/g, '')
    .replace(/:[^:\s]*deps\/openssl[^:]*:\d+:/g, '; ')
    .replace(/[:;\s]+$/, '')
}

export interface ErrorContext {
  /** A client certificate was configured (to tell "missing" from "rejected"). */
  clientCertificate?: boolean
  /** The broker answered earlier on this connection: a closed socket then means it went away. */
  answeredBefore?: boolean
}

/**
 * Turns a kafkajs or socket error into one line that names the address and the cause:
 * network, TLS, authentication or authorization, so the operator knows where to look.
 */
export function describeKafkaError(error: unknown, servers: string[], context: ErrorContext = {}): KadmError {
  if (error instanceof KadmError) return error
  const err = innermost(error as KafkaJsLikeError)
  if (err instanceof KadmError) return err
  const message = oneLine(err.message ?? String(error))
  const where = err.broker ?? servers.join(',')
  if (err.name === 'KafkaJSSASLAuthenticationError' || /SASL|[Aa]uthentication failed/.test(message)) {
    return new KadmError(`authentication failed at ${where}: ${message.replace(/^SASL [\w -]+? authentication failed: /, '')}`)
  }
  const tls = tlsFailure({message, code: err.code}, BROKER_PEER, Boolean(context.clientCertificate))
  if (tls !== undefined) return new KadmError(`TLS error connecting to ${where}: ${tls}`)
  if (err.type === 'SECURITY_DISABLED') {
    return new KadmError(`${message}: the brokers have no authorizer (authorizer.class.name), so they keep no ACLs`)
  }
  if (isAuthorizationError(err)) {
    return new KadmError(`not authorized: ${message}`)
  }
  for (const [pattern, cause] of NETWORK_CAUSES) {
    if (pattern.test(message) || pattern.test(err.code ?? '')) {
      return new KadmError(`cannot connect to ${where}: ${typeof cause === 'string' ? cause : cause(Boolean(context.answeredBefore))}`)
    }
  }
  if (err.name === 'KafkaJSConnectionError' || err.name === 'KafkaJSNonRetriableError') {
    return new KadmError(`cannot connect to ${where}: ${message}`)
  }
  if (err.name === 'KafkaJSRequestTimeoutError') return new KadmError(`request to ${where} timed out: ${message}`)
  if (err.name === 'KafkaProtocolError' || err.name?.startsWith('KafkaJS')) return new KadmError(message)
  return new KadmError(message, {cause: error})
}
