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

const NETWORK_CAUSES: Array<[RegExp, string]> = [
  [/ECONNREFUSED/, 'connection refused (is a broker listening there?)'],
  [/ENOTFOUND|EAI_AGAIN/, 'host name not found'],
  [/EHOSTUNREACH|ENETUNREACH/, 'host unreachable'],
  [/ECONNRESET|socket hang up|Closed connection/i, 'connection closed by the server (TLS or SASL mismatch?)'],
  [/[Cc]onnection timeout|ETIMEDOUT/, 'connection timed out'],
]

/**
 * Turns a kafkajs or socket error into one line that names the address and the cause:
 * network, TLS, authentication or authorization, so the operator knows where to look.
 */
export function describeKafkaError(error: unknown, servers: string[]): KadmError {
  if (error instanceof KadmError) return error
  const err = innermost(error as KafkaJsLikeError)
  const message = oneLine(err.message ?? String(error))
  const where = err.broker ?? servers.join(',')
  if (err.name === 'KafkaJSSASLAuthenticationError' || /SASL|[Aa]uthentication failed/.test(message)) {
    return new KadmError(`authentication failed at ${where}: ${message.replace(/^SASL \w+ authentication failed: /, '')}`)
  }
  if (/certificate|self[- ]signed|SSL|TLS|CERT_|unable to verify|wrong version number/i.test(message) || /^ERR_(SSL|TLS)|CERT/.test(err.code ?? '')) {
    return new KadmError(`TLS error connecting to ${where}: ${message}`)
  }
  if (err.type?.endsWith('AUTHORIZATION_FAILED') || /not authorized|AUTHORIZATION_FAILED/i.test(message)) {
    return new KadmError(`not authorized: ${message}`)
  }
  for (const [pattern, cause] of NETWORK_CAUSES) {
    if (pattern.test(message) || pattern.test(err.code ?? '')) return new KadmError(`cannot connect to ${where}: ${cause}`)
  }
  if (err.name === 'KafkaJSConnectionError' || err.name === 'KafkaJSNonRetriableError') {
    return new KadmError(`cannot connect to ${where}: ${message}`)
  }
  if (err.name === 'KafkaJSRequestTimeoutError') return new KadmError(`request to ${where} timed out: ${message}`)
  if (err.name === 'KafkaProtocolError' || err.name?.startsWith('KafkaJS')) return new KadmError(message)
  return new KadmError(message, {cause: error})
}
