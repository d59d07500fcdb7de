import {execFile} from 'node:child_process'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {KadmError} from '../errors.js'
import {exists} from './files.js'

const run = promisify(execFile)

/**
 * Users every secured local broker knows (PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512). `admin` is a
 * super user; `alice` has no rights until ACLs grant them. A loopback-only test cluster, so the
 * passwords are fixed and documented.
 */
export const LOCAL_USERS = {admin: 'admin-secret', alice: 'alice-secret'} as const

/** The subject of the client certificate, a super user on the mTLS listener. */
export const CLIENT_CERT_SUBJECT = 'CN=kadm-client'

/** Passphrase of the encrypted copy of the client key (client-encrypted.key). */
export const CLIENT_KEY_PASSPHRASE = 'client-key-secret'

const KEYSTORE_PASSWORD = 'broker-keystore-secret'

export interface SecureListeners {
  /** TLS, server certificate only (SSL). */
  tls: number
  /** Mutual TLS: a client certificate signed by the local CA is required (SSL, ssl.client.auth=required). */
  mtls: number
  /** SASL over plaintext: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER (unsecured JWT). */
  sasl: number
  /** The same SASL mechanisms over TLS (SASL_SSL). */
  saslTls: number
  /** TLS with a certificate for another host name, to show hostname verification at work. */
  wrongHost: number
}

/** Files written into <data-dir>/security: PEM unless named otherwise. */
export interface SecurityFiles {
  dir: string
  ca: string
  clientCert: string
  clientKey: string
  /** The client key encrypted with CLIENT_KEY_PASSPHRASE. */
  clientKeyEncrypted: string
  /** A client certificate signed by the local CA whose validity ended yesterday. */
  expiredClientCert: string
  expiredClientKey: string
  /** A CA that signed nothing the broker uses. */
  wrongCa: string
  /** A client certificate signed by the wrong CA. */
  untrustedClientCert: string
  untrustedClientKey: string
}

export interface LocalSecurity {
  listeners: SecureListeners
  files: SecurityFiles
  /** Broker settings that add the secured listeners, an authorizer and super users. */
  properties: Record<string, string>
  /** Extra `kafka.tools.StorageTool format` arguments: the SCRAM users. */
  formatArgs: string[]
}

/**
 * Secured listeners take every other port after the plaintext one (so one broker only). With an
 * odd base port inside the ephemeral range all listeners stay on odd ports, which Linux leaves to
 * bind(): connect() takes even ports first, and the broker's own connection to its controller
 * would otherwise sometimes grab a listener's port before the listener binds it.
 */
export function secureListeners(plaintextPort: number): SecureListeners {
  return {tls: plaintextPort + 2, mtls: plaintextPort + 4, sasl: plaintextPort + 6, saslTls: plaintextPort + 8, wrongHost: plaintextPort + 10}
}

export function securityFiles(dataDir: string): SecurityFiles {
  const dir = join(dataDir, 'security')
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
    clientKeyEncrypted: join(dir, 'client-encrypted.key'),
    expiredClientCert: join(dir, 'expired-client.pem'),
    expiredClientKey: join(dir, 'expired-client.key'),
    wrongCa: join(dir, 'wrong-ca.pem'),
    untrustedClientCert: join(dir, 'untrusted-client.pem'),
    untrustedClientKey: join(dir, 'untrusted-client.key'),
  }
}

const brokerKeystore = (dir: string) => join(dir, 'broker.p12')
const wrongHostKeystore = (dir: string) => join(dir, 'wrong-host-broker.p12')

function jaasPlain(): string {
  const users = Object.entries(LOCAL_USERS).map(([name, password]) => `user_${name}="${password}"`).join(' ')
  return `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${LOCAL_USERS.admin}" ${users};`
}

/**
 * One broker, one listener per way of connecting. Inter-broker and controller traffic stays on
 * plaintext loopback listeners whose ANONYMOUS principal is a super user, so the authorizer only
 * restricts the SASL principals that are not (alice).
 */
export function secureProperties(port: number, controllerPort: number, files: SecurityFiles): Record<string, string> {
  const l = secureListeners(port)
  const listeners: Array<[string, string, number]> = [
    ['PLAINTEXT', 'PLAINTEXT', port],
    ['TLS', 'SSL', l.tls],
    ['MTLS', 'SSL', l.mtls],
    ['SASL', 'SASL_PLAINTEXT', l.sasl],
    ['SASLTLS', 'SASL_SSL', l.saslTls],
    ['WRONGHOST', 'SSL', l.wrongHost],
  ]
  const props: Record<string, string> = {
    listeners: [...listeners.map(([name, , p]) => `${name}://127.0.0.1:${p}`), `CONTROLLER://127.0.0.1:${controllerPort}`].join(','),
    'advertised.listeners': listeners.map(([name, , p]) => `${name}://127.0.0.1:${p}`).join(','),
    'listener.security.protocol.map': ['CONTROLLER:PLAINTEXT', ...listeners.map(([name, protocol]) => `${name}:${protocol}`)].join(','),
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': brokerKeystore(files.dir),
    'ssl.keystore.password': KEYSTORE_PASSWORD,
    'ssl.key.password': KEYSTORE_PASSWORD,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': files.ca,
    'listener.name.mtls.ssl.client.auth': 'required',
    'listener.name.wronghost.ssl.keystore.location': wrongHostKeystore(files.dir),
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': `User:ANONYMOUS;User:admin;User:${CLIENT_CERT_SUBJECT}`,
  }
  for (const name of ['sasl', 'sasltls']) {
    props[`listener.name.${name}.plain.sasl.jaas.config`] = jaasPlain()
    for (const scram of ['scram-sha-256', 'scram-sha-512']) {
      props[`listener.name.${name}.${scram}.sasl.jaas.config`] = 'org.apache.kafka.common.security.scram.ScramLoginModule required;'
    }
    // Kafka's unsecured-JWT mode: the default validator accepts any alg=none token with sub and exp.
    props[`listener.name.${name}.oauthbearer.sasl.jaas.config`] = 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="admin";'
  }
  return props
}

/** `--add-scram` arguments creating every local user for both SCRAM mechanisms at format time. */
export function scramFormatArgs(): string[] {
  return ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((mechanism) =>
    Object.entries(LOCAL_USERS).flatMap(([name, password]) => ['--add-scram', `${mechanism}=[name=${name},password=${password}]`]))
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, {cwd})
  } catch (error) {
    const e = error as NodeJS.ErrnoException & {stderr?: string}
    if (e.code === 'ENOENT') throw new KadmError('openssl was not found on PATH: kadm local needs it to make certificates for --secure')
    throw new KadmError(`openssl ${args[0]} failed: ${(e.stderr ?? e.message).trim().split('\n')[0]}`)
  }
}

/** A key and a certificate signed by `ca` (or self-signed when `ca` is undefined). */
async function certificate(dir: string, name: string, subject: string, options: {ca?: string; days: number; san?: string}): Promise<void> {
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir)
  if (!options.ca) {
    await openssl(['x509', '-req', '-in', `${name}.csr`, '-key', `${name}.key`, '-days', String(options.days), '-out', `${name}.pem`,
      '-extfile', 'ca.ext'], dir)
    return
  }
  const extfile = `${name}.ext`
  await writeFile(join(dir, extfile), options.san ? `subjectAltName=${options.san}\n` : 'basicConstraints=CA:FALSE\n')
  await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${options.ca}.pem`, '-CAkey', `${options.ca}.key`, '-CAcreateserial',
    '-days', String(options.days), '-out', `${name}.pem`, '-extfile', extfile], dir)
}

/**
 * Generates, once per data directory, a CA, broker certificates (one for 127.0.0.1/localhost, one
 * for another host name), client certificates (valid, expired, signed by another CA) and keystores.
 */
export async function generateCertificates(files: SecurityFiles): Promise<void> {
  if (await exists(brokerKeystore(files.dir))) return
  const dir = files.dir
  await mkdir(dir, {recursive: true, mode: 0o700})
  await writeFile(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n')
  await certificate(dir, 'ca', '/CN=kadm local CA', {days: 3650})
  await certificate(dir, 'wrong-ca', '/CN=kadm wrong CA', {days: 3650})
  await certificate(dir, 'broker', '/CN=localhost', {ca: 'ca', days: 3650, san: 'IP:127.0.0.1,DNS:localhost'})
  await certificate(dir, 'wrong-host-broker', '/CN=kafka.example.invalid', {ca: 'ca', days: 3650, san: 'DNS:kafka.example.invalid'})
  await certificate(dir, 'client', `/${CLIENT_CERT_SUBJECT}`, {ca: 'ca', days: 3650})
  await certificate(dir, 'expired-client', `/${CLIENT_CERT_SUBJECT}`, {ca: 'ca', days: -1})
  await certificate(dir, 'untrusted-client', `/${CLIENT_CERT_SUBJECT}`, {ca: 'wrong-ca', days: 3650})
  await openssl(['pkcs8', '-topk8', '-in', 'client.key', '-out', 'client-encrypted.key', '-passout', `pass:${CLIENT_KEY_PASSPHRASE}`], dir)
  for (const name of ['wrong-host-broker', 'broker']) {
    await openssl(['pkcs12', '-export', '-in', `${name}.pem`, '-inkey', `${name}.key`, '-certfile', 'ca.pem', '-name', 'broker',
      '-out', `${name}.p12`, '-passout', `pass:${KEYSTORE_PASSWORD}`], dir)
  }
}

/** Everything `startCluster` needs to start one broker with the secured listeners, certificates made. */
export async function prepareLocalSecurity(dataDir: string, port: number): Promise<LocalSecurity> {
  const files = securityFiles(dataDir)
  await generateCertificates(files)
  return {
    listeners: secureListeners(port),
    files,
    properties: secureProperties(port, port + 100, files),
    formatArgs: scramFormatArgs(),
  }
}

/** What `kadm local start --secure` prints: where each way of connecting listens, and with what. */
export interface SecureSummary {
  listeners: Record<keyof SecureListeners, string>
  ca: string
  clientCert: string
  clientKey: string
  users: Record<string, string>
  oauthbearer: string
}

export function secureSummary(security: LocalSecurity): SecureSummary {
  const address = (port: number) => `127.0.0.1:${port}`
  const l = security.listeners
  return {
    listeners: {tls: address(l.tls), mtls: address(l.mtls), sasl: address(l.sasl), saslTls: address(l.saslTls), wrongHost: address(l.wrongHost)},
    ca: security.files.ca,
    clientCert: security.files.clientCert,
    clientKey: security.files.clientKey,
    users: {...LOCAL_USERS},
    oauthbearer: 'unsecured JWT (alg none) with a "sub" claim and an "exp" claim',
  }
}

/** Was the cluster in this data directory formatted with the secured listeners? */
export async function isSecured(propertiesFile: string): Promise<boolean> {
  try {
    return (await readFile(propertiesFile, 'utf8')).includes('SASLTLS://')
  } catch {
    return false
  }
}
