import {chmod, mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parse, stringify} from 'yaml'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import type {LocalState} from '../../src/local/cluster.js'
import {compareVersions} from '../../src/local/versions.js'
import {
  CLIENT_KEY_PASSPHRASE, LOCAL_USERS, type SecureListeners, type SecureSummary, secureListeners, type SecurityFiles, securityFiles,
} from '../../src/local/security.js'
import {kadm, kadmJson, ROOT, type RunResult, uniqueName} from '../helpers/kadm.js'
import {describeScramWithConfigCommand, kafkaTool} from '../helpers/kafka-tools.js'
import {runProcess} from '../helpers/process.js'

/*
 * A private single-broker Kafka with one listener per way of connecting (TLS, mTLS, SASL over
 * plaintext and over TLS, a TLS listener whose certificate names another host), SCRAM users made
 * at format time, unsecured-JWT OAUTHBEARER and StandardAuthorizer: `kadm local start --secure`,
 * stopped by PID with `kadm local stop` at the end.
 */
// Odd, so every listener port is odd (see secureListeners).
const PORT = Number(process.env.KADM_TEST_SECURE_PORT ?? 18_093)
const dir = join(ROOT, '.kadm-test', `secure-${PORT}`)
const configFile = join(dir, 'config.yaml')
const tokenFile = join(dir, 'token.jwt')
const tokenCalls = join(dir, 'token-calls')
const TIMEOUT = ['--timeout', '3s']

let state: (LocalState & {secure: SecureSummary}) | undefined
let security: {listeners: SecureListeners; files: SecurityFiles}
let contexts: Record<string, Record<string, unknown>>
let token: string

function unsecuredJwt(subject: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  return `${b64({alg: 'none'})}.${b64({sub: subject, iat: now, exp: now + 3600})}.`
}

function buildContexts(): Record<string, Record<string, unknown>> {
  const f = security.files
  const l = security.listeners
  const at = (port: number) => [`127.0.0.1:${port}`]
  const sasl = (mechanism: string, username: string, password: string) => ({mechanism, username, password})
  const tls = {ca: f.ca}
  return {
    tls: {'bootstrap-servers': at(l.tls), tls},
    mtls: {'bootstrap-servers': at(l.mtls), tls: {ca: f.ca, cert: f.clientCert, key: f.clientKey}},
    'mtls-encrypted-key': {'bootstrap-servers': at(l.mtls), tls: {ca: f.ca, cert: f.clientCert, key: f.clientKeyEncrypted, 'key-passphrase-env': 'KADM_TEST_KEY_PASS'}},
    plain: {'bootstrap-servers': at(l.sasl), sasl: sasl('plain', 'admin', LOCAL_USERS.admin)},
    'scram-sha-256': {'bootstrap-servers': at(l.sasl), sasl: sasl('scram-sha-256', 'admin', LOCAL_USERS.admin)},
    'scram-sha-512': {'bootstrap-servers': at(l.sasl), sasl: {mechanism: 'scram-sha-512', username: 'admin', 'password-command': `printf %s ${LOCAL_USERS.admin}`}},
    'plain-tls': {'bootstrap-servers': at(l.saslTls), tls, sasl: sasl('plain', 'admin', LOCAL_USERS.admin)},
    'scram-sha-256-tls': {'bootstrap-servers': at(l.saslTls), tls, sasl: {mechanism: 'scram-sha-256', username: 'admin', 'password-env': 'KADM_TEST_PASSWORD'}},
    'scram-sha-512-tls': {'bootstrap-servers': at(l.saslTls), tls, sasl: sasl('scram-sha-512', 'admin', LOCAL_USERS.admin)},
    oauth: {'bootstrap-servers': at(l.sasl), sasl: {mechanism: 'oauthbearer', 'token-command': `echo run >> ${tokenCalls}; cat ${tokenFile}`}},
    'oauth-tls': {'bootstrap-servers': at(l.saslTls), tls, sasl: {mechanism: 'oauthbearer', 'token-command': `cat ${tokenFile}`}},
    alice: {'bootstrap-servers': at(l.sasl), sasl: sasl('scram-sha-512', 'alice', LOCAL_USERS.alice)},
    // Failures, each with one cause.
    'wrong-password': {'bootstrap-servers': at(l.sasl), sasl: sasl('scram-sha-256', 'admin', 'not-the-password')},
    'wrong-password-tls': {'bootstrap-servers': at(l.saslTls), tls, sasl: sasl('plain', 'alice', 'not-the-password')},
    'bad-token': {'bootstrap-servers': at(l.sasl), sasl: {mechanism: 'oauthbearer', token: 'not-a-jwt'}},
    'token-command-fails': {'bootstrap-servers': at(l.sasl), sasl: {mechanism: 'oauthbearer', 'token-command': 'echo oops >&2; exit 3'}},
    'wrong-key-passphrase': {'bootstrap-servers': at(l.mtls), tls: {ca: f.ca, cert: f.clientCert, key: f.clientKeyEncrypted, 'key-passphrase': 'not-the-password'}},
    'wrong-ca': {'bootstrap-servers': at(l.tls), tls: {ca: f.wrongCa}},
    'wrong-host': {'bootstrap-servers': at(l.wrongHost), tls},
    'expired-cert': {'bootstrap-servers': at(l.mtls), tls: {ca: f.ca, cert: f.expiredClientCert, key: f.expiredClientKey}},
    'untrusted-cert': {'bootstrap-servers': at(l.mtls), tls: {ca: f.ca, cert: f.untrustedClientCert, key: f.untrustedClientKey}},
    'missing-cert': {'bootstrap-servers': at(l.mtls), tls},
    'tls-to-plaintext': {'bootstrap-servers': at(PORT), tls},
    'nothing-listening': {'bootstrap-servers': at(PORT + 12), tls},
  }
}

const ENV = {KADM_TEST_KEY_PASS: CLIENT_KEY_PASSPHRASE, KADM_TEST_PASSWORD: LOCAL_USERS.admin}

async function run(args: string[], input?: string): Promise<RunResult> {
  return kadm([...args, '--config-file', configFile], {env: ENV, input, timeoutMs: 30_000})
}

/** A client that is not kadm, reading and writing a topic over the listener and mechanism of one context. */
interface OtherClient {
  name: string
  /** The values of the topic's first `count` records. */
  read(topic: string, count: number): Promise<string[]>
  write(topic: string, value: string): Promise<void>
}

/** A Java client properties file (mode 600) that logs in with SCRAM as `username`, for Kafka's tools. */
async function scramProperties(name: string, login: {protocol: string; mechanism: string; username: string; password: string; ca?: string}): Promise<string> {
  const properties = join(dir, `${name}.properties`)
  const lines = [
    `security.protocol=${login.protocol}`,
    `sasl.mechanism=${login.mechanism.toUpperCase()}`,
    `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${login.username}" password="${login.password}";`,
    ...(login.ca ? ['ssl.truststore.type=PEM', `ssl.truststore.location=${login.ca}`] : []),
  ]
  await writeFile(properties, lines.join('\n') + '\n', {mode: 0o600})
  return properties
}

/**
 * kcat with the librdkafka settings that match context `name`; Kafka's console tools with a client
 * properties file for SCRAM, which the machine's librdkafka (2.0) cannot do against Kafka 4.x
 * (its client-final-message repeats the nonce; 4.x checks it strictly: librdkafka#4895).
 */
async function otherClient(name: string): Promise<OtherClient> {
  const context = contexts[name] as {'bootstrap-servers': string[]; tls?: {ca: string; cert?: string; key?: string}; sasl?: {mechanism: string; username?: string}}
  const address = context['bootstrap-servers'][0]
  const {tls, sasl} = context
  const protocol = sasl ? (tls ? 'SASL_SSL' : 'SASL_PLAINTEXT') : 'SSL'
  const password = (username = 'admin') => LOCAL_USERS[username as keyof typeof LOCAL_USERS]
  if (sasl?.mechanism.startsWith('scram')) {
    const properties = await scramProperties(name, {protocol, mechanism: sasl.mechanism, username: sasl.username!, password: password(sasl.username), ca: tls?.ca})
    // 4.2 renamed --consumer.config and --producer.config (KIP-1147); the old names print a warning on stdout.
    const renamed = compareVersions(inject('kafkaVersion'), '4.2.0') >= 0
    return {
      name: 'Kafka\'s console tools',
      read: async (topic, count) => {
        const read = await kafkaTool(inject('kafkaVersion'), 'ConsoleConsumer', ['--bootstrap-server', address, '--topic', topic, '--from-beginning', '--max-messages', String(count), '--timeout-ms', '30000', renamed ? '--command-config' : '--consumer.config', properties])
        expect(read.code, read.stderr).toBe(0)
        return read.stdout.split('\n').filter(Boolean)
      },
      write: async (topic, value) => {
        const written = await kafkaTool(inject('kafkaVersion'), 'ConsoleProducer', ['--bootstrap-server', address, '--topic', topic, renamed ? '--command-config' : '--producer.config', properties], {input: `${value}\n`})
        expect(written.code, written.stderr).toBe(0)
      },
    }
  }
  const settings: Record<string, string> = {'security.protocol': protocol}
  if (tls) settings['ssl.ca.location'] = tls.ca
  if (tls?.cert) Object.assign(settings, {'ssl.certificate.location': tls.cert, 'ssl.key.location': tls.key!})
  if (tls?.key === security.files.clientKeyEncrypted) settings['ssl.key.password'] = CLIENT_KEY_PASSPHRASE
  if (sasl?.mechanism === 'plain') Object.assign(settings, {'sasl.mechanisms': 'PLAIN', 'sasl.username': sasl.username!, 'sasl.password': password(sasl.username)})
  // An unsecured JWT (alg none) for principal admin, as the broker's validator accepts.
  if (sasl?.mechanism === 'oauthbearer') Object.assign(settings, {'sasl.mechanisms': 'OAUTHBEARER', 'enable.sasl.oauthbearer.unsecure.jwt': 'true', 'sasl.oauthbearer.config': 'principal=admin'})
  const kcat = ['-b', address, ...Object.entries(settings).flatMap(([key, value]) => ['-X', `${key}=${value}`])]
  return {
    name: 'kcat',
    read: async (topic, count) => {
      const read = await runProcess('kcat', ['-C', ...kcat, '-t', topic, '-c', String(count), '-e', '-q', '-f', '%s\n'], {timeoutMs: 30_000})
      expect(read.code, read.stderr).toBe(0)
      return read.stdout.split('\n').filter(Boolean)
    },
    write: async (topic, value) => {
      const written = await runProcess('kcat', ['-P', ...kcat, '-t', topic], {input: `${value}\n`, timeoutMs: 30_000})
      expect(written.code, written.stderr).toBe(0)
    },
  }
}

/** `kadm local start --secure`, the command a user runs, on a private port and data directory. */
beforeAll(async () => {
  await kadm(['local', 'stop', '--purge', '--data-dir', dir])
  await mkdir(dir, {recursive: true})
  const started = await kadm(['local', 'start', '--secure', '--port', String(PORT), '--data-dir', dir, '--kafka-version', inject('kafkaVersion'), '-o', 'json'], {timeoutMs: 240_000})
  process.stderr.write(started.stderr.replace(/^/gm, '[secure kafka] '))
  if (started.code !== 0) throw new Error(`kadm local start --secure failed: ${started.stderr}`)
  state = JSON.parse(started.stdout) as LocalState & {secure: SecureSummary}
  expect(state.secure.listeners.saslTls).toBe(`127.0.0.1:${PORT + 8}`)
  security = {listeners: secureListeners(PORT), files: securityFiles(dir)}
  token = unsecuredJwt('admin')
  await writeFile(tokenFile, token + '\n')
  contexts = buildContexts()
  await writeFile(configFile, stringify({contexts}), {mode: 0o600})
  await chmod(configFile, 0o600)
}, 300_000)

afterAll(async () => {
  if (state) {
    const stopped = await kadm(['local', 'stop', '--purge', '--data-dir', dir])
    expect(stopped.code, stopped.stderr).toBe(0)
  }
  await rm(dir, {recursive: true, force: true})
})

describe('each mechanism against a real secured broker', () => {
  const mechanisms = [
    ['tls', 'tls'], ['mtls', 'mtls'], ['mtls-encrypted-key', 'mtls'],
    ['plain', 'sasl'], ['scram-sha-256', 'sasl'], ['scram-sha-512', 'sasl'], ['oauth', 'sasl'],
    ['plain-tls', 'saslTls'], ['scram-sha-256-tls', 'saslTls'], ['scram-sha-512-tls', 'saslTls'], ['oauth-tls', 'saslTls'],
  ] as const

  it.each(mechanisms)('%s: cluster describe, topics create, console produce and consume (as a group), checked by another client over the same mechanism', async (name, listener) => {
    const cluster = await kadmJson<{brokers: Array<{id: number; port: number}>}>(['cluster', 'describe', '--context', name, ...TIMEOUT, '--config-file', configFile], {env: ENV})
    expect(cluster.brokers).toEqual([expect.objectContaining({id: 1, port: security.listeners[listener]})])

    const topic = uniqueName(`sec-${name}`)
    const created = await run(['topics', 'create', topic, '-p', '1', '-r', '1', '--context', name, ...TIMEOUT])
    expect(created.code, created.stderr).toBe(0)
    const other = await otherClient(name)
    // kadm writes; the other client reads it back over the same listener and mechanism.
    const produced = await run(['console', 'produce', topic, '--context', name, '-q'], `written by kadm over ${name}\n`)
    expect(produced.code, produced.stderr).toBe(0)
    expect(await other.read(topic, 1)).toEqual([`written by kadm over ${name}`])
    // The other client writes; kadm reads both as a member of a group (coordinator, join, commit).
    await other.write(topic, `written by ${other.name} over ${name}`)
    const consumed = await run(['console', 'consume', topic, '--from-beginning', '-e', '-q', '--group', uniqueName('sec-group'), '--context', name])
    expect({code: consumed.code, stdout: consumed.stdout, stderr: consumed.stderr}).toEqual({code: 0, stdout: `written by kadm over ${name}\nwritten by ${other.name} over ${name}\n`, stderr: ''})
  })

  it('runs the token command when a token is needed, once per run (the token is cached until near its expiry, an hour away)', async () => {
    await rm(tokenCalls, {force: true})
    const result = await run(['cluster', 'describe', '--context', 'oauth', ...TIMEOUT])
    expect(result.code).toBe(0)
    expect(await readFile(tokenCalls, 'utf8')).toBe('run\n')
  })

  it('--insecure connects despite a certificate for another host, with a loud warning', async () => {
    const result = await run(['cluster', 'describe', '--context', 'wrong-host', '--insecure', ...TIMEOUT])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/warning: TLS certificate and host name verification is OFF \(--insecure\)/)
  })
})

describe('contexts add, with each TLS and SASL flag, makes contexts console produce and consume use', () => {
  // Contexts made by the command a user runs; kcat on the broker's plaintext listener is the oracle.
  const addedFile = join(dir, 'added.yaml')
  const plaintext = () => `127.0.0.1:${PORT}`
  const cases: Array<[string, () => string[]]> = [
    ['mtls, key passphrase from an environment variable', () => ['-b', `127.0.0.1:${security.listeners.mtls}`, '--tls-ca', security.files.ca, '--tls-cert', security.files.clientCert, '--tls-key', security.files.clientKeyEncrypted, '--tls-key-passphrase-env', 'KADM_TEST_KEY_PASS']],
    ['mtls, key passphrase from a command', () => ['-b', `127.0.0.1:${security.listeners.mtls}`, '--tls-ca', security.files.ca, '--tls-cert', security.files.clientCert, '--tls-key', security.files.clientKeyEncrypted, '--tls-key-passphrase-command', `printf %s ${CLIENT_KEY_PASSPHRASE}`]],
    ['tls with system CAs, verification off', () => ['-b', `127.0.0.1:${security.listeners.tls}`, '--tls', '--tls-insecure']],
    ['scram-sha-512, password from an environment variable', () => ['-b', `127.0.0.1:${security.listeners.sasl}`, '--sasl-mechanism', 'scram-sha-512', '--sasl-username', 'admin', '--sasl-password-env', 'KADM_TEST_PASSWORD']],
    ['scram-sha-256 over TLS, password from a command', () => ['-b', `127.0.0.1:${security.listeners.saslTls}`, '--tls-ca', security.files.ca, '--sasl-mechanism', 'scram-sha-256', '--sasl-username', 'admin', '--sasl-password-command', `printf %s ${LOCAL_USERS.admin}`]],
    ['plain, password inline', () => ['-b', `127.0.0.1:${security.listeners.sasl}`, '--sasl-mechanism', 'plain', '--sasl-username', 'admin', '--sasl-password', LOCAL_USERS.admin]],
    ['oauthbearer, token from a command', () => ['-b', `127.0.0.1:${security.listeners.sasl}`, '--sasl-mechanism', 'oauthbearer', '--sasl-token-command', `cat ${tokenFile}`]],
    ['oauthbearer over TLS, token from an environment variable', () => ['-b', `127.0.0.1:${security.listeners.saslTls}`, '--tls-ca', security.files.ca, '--sasl-mechanism', 'oauthbearer', '--sasl-token-env', 'KADM_TEST_TOKEN']],
  ]
  const env = () => ({...ENV, KADM_TEST_TOKEN: token})

  it.each(cases)('%s', async (what, flags) => {
    const name = uniqueName('added')
    const added = await kadm(['contexts', 'add', name, ...flags(), '--config-file', addedFile], {env: env()})
    expect(added.code, added.stderr).toBe(0)
    const topic = uniqueName('sec-added')
    const created = await kadm(['topics', 'create', topic, '-p', '1', '-r', '1', '--context', name, '--config-file', addedFile, ...TIMEOUT], {env: env()})
    expect(created.code, created.stderr).toBe(0)
    // kadm writes over the secured listener; kcat reads it back over the plaintext one.
    const produced = await kadm(['console', 'produce', topic, '--context', name, '--config-file', addedFile, '-q'], {env: env(), input: `written over ${what}\n`})
    expect(produced.code, produced.stderr).toBe(0)
    const read = await runProcess('kcat', ['-C', '-b', plaintext(), '-t', topic, '-e', '-q'], {timeoutMs: 30_000})
    expect(read.stdout).toBe(`written over ${what}\n`)
    // kcat writes over the plaintext listener; kadm reads it over the secured one.
    expect((await runProcess('kcat', ['-P', '-b', plaintext(), '-t', topic], {input: 'from kcat\n', timeoutMs: 30_000})).code).toBe(0)
    const consumed = await kadm(['console', 'consume', topic, '--from-beginning', '-e', '-q', '--context', name, '--config-file', addedFile], {env: env()})
    expect({code: consumed.code, out: consumed.stdout}).toEqual({code: 0, out: `written over ${what}\nfrom kcat\n`})
  })

  it('--use makes the new context current; --force replaces one of the same name', async () => {
    const name = uniqueName('added-current')
    const first = ['contexts', 'add', name, '-b', `127.0.0.1:${security.listeners.sasl}`, '--sasl-mechanism', 'scram-sha-512', '--sasl-username', 'admin', '--sasl-password', 'wrong', '--use', '--config-file', addedFile]
    expect((await kadm(first)).code).toBe(0)
    expect((await kadm(first)).code).toBe(1)
    const fixed = await kadm(['contexts', 'add', name, '-b', `127.0.0.1:${security.listeners.sasl}`, '--sasl-mechanism', 'scram-sha-512', '--sasl-username', 'admin', '--sasl-password', LOCAL_USERS.admin, '--force', '--config-file', addedFile])
    expect(fixed.code, fixed.stderr).toBe(0)
    // No --context: the current one, which now has the right password.
    const described = await kadmJson<{brokers: Array<{port: number}>}>(['cluster', 'describe', '--config-file', addedFile, ...TIMEOUT])
    expect(described.brokers.map((b) => b.port)).toEqual([security.listeners.sasl])
  })
})

describe('failures: one line naming the cause, non-zero exit, within --timeout', () => {
  const cases: Array<[string, RegExp]> = [
    ['wrong-password', /^error: authentication failed at 127\.0\.0\.1:\d+: .*invalid credentials.*SCRAM-SHA-256/],
    ['wrong-password-tls', /^error: authentication failed at 127\.0\.0\.1:\d+: .*Invalid username or password/],
    ['bad-token', /^error: authentication failed at 127\.0\.0\.1:\d+: the broker rejected the OAUTHBEARER token \(invalid_token\)/],
    ['token-command-fails', /^error: OAUTHBEARER token: the command configured to print it failed \(exit 3\)$/],
    ['wrong-key-passphrase', /^error: TLS error connecting to 127\.0\.0\.1:\d+: cannot decrypt the client key: wrong key passphrase/],
    ['wrong-ca', /^error: TLS error connecting to 127\.0\.0\.1:\d+: the broker certificate is not signed by a trusted CA/],
    ['wrong-host', /^error: TLS error connecting to 127\.0\.0\.1:\d+: host name verification failed/],
    ['expired-cert', /^error: TLS client certificate .*expired-client\.pem expired on /],
    ['untrusted-cert', /^error: TLS error connecting to 127\.0\.0\.1:\d+: the broker does not trust the client certificate/],
    ['missing-cert', /^error: TLS error connecting to 127\.0\.0\.1:\d+: the broker requires a client certificate \(mutual TLS\) and none is configured/],
    ['tls-to-plaintext', /^error: TLS error connecting to 127\.0\.0\.1:\d+: the TLS handshake failed: is this a TLS listener\?/],
    ['nothing-listening', /^error: cannot connect to 127\.0\.0\.1:\d+: connection refused/],
  ]

  it.each(cases)('%s', async (name, expected) => {
    const result = await run(['cluster', 'describe', '--context', name, ...TIMEOUT])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines, result.stderr).toHaveLength(1)
    expect(lines[0]).toMatch(expected)
    expect(result.stderr).not.toContain('not-the-password')
  })
})

describe('secrets never printed', () => {
  it('contexts show redacts inline passwords and tokens', async () => {
    for (const name of ['plain', 'bad-token']) {
      const result = await run(['contexts', 'show', name])
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('<redacted>')
      expect(result.stdout).not.toContain(LOCAL_USERS.admin)
      expect(result.stdout).not.toContain('not-a-jwt')
    }
    const fromCommand = await run(['contexts', 'show', 'oauth', '-o', 'json'])
    expect(JSON.parse(fromCommand.stdout).sasl['token-command']).toContain('cat ')
    expect(fromCommand.stdout).not.toContain(token)
  })

  it('--verbose logs and error messages leave out passwords, key passphrases and tokens', async () => {
    const secrets = [LOCAL_USERS.admin, CLIENT_KEY_PASSPHRASE, token, token.split('.')[1]]
    for (const name of ['scram-sha-512-tls', 'oauth', 'mtls-encrypted-key', 'plain']) {
      const result = await run(['cluster', 'describe', '--context', name, '--verbose', ...TIMEOUT])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain('kafkajs')
      for (const secret of secrets) expect(result.stdout + result.stderr).not.toContain(secret)
    }
    const failed = await run(['cluster', 'describe', '--context', 'wrong-password', '--verbose', ...TIMEOUT])
    expect(failed.code).toBe(1)
    expect(failed.stdout + failed.stderr).not.toContain('not-the-password')
  })

  it('warns when the config file holding inline secrets is readable by others', async () => {
    const quiet = await run(['cluster', 'describe', '--context', 'plain', ...TIMEOUT])
    expect(quiet.stderr).not.toContain('readable by others')
    await chmod(configFile, 0o644)
    try {
      const loud = await run(['cluster', 'describe', '--context', 'plain', ...TIMEOUT])
      expect(loud.code).toBe(0)
      expect(loud.stderr).toContain(`warning: ${configFile} holds secrets and is readable by others: chmod 600 ${configFile}`)
    } finally {
      await chmod(configFile, 0o600)
    }
  })
})

describe('acls with StandardAuthorizer', () => {
  it('says so when the cluster has no authorizer', async () => {
    const result = await kadm(['acls', 'list', '-b', inject('bootstrap'), ...TIMEOUT])
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe('error: Security features are disabled: the brokers have no authorizer (authorizer.class.name), so they keep no ACLs')
  })

  it('a principal without READ gets an authorization error; kadm acls create/list/delete change that', async () => {
    const topic = uniqueName('sec-acl')
    const group = uniqueName('sec-acl-group')
    expect((await run(['topics', 'create', topic, '-p', '1', '-r', '1', '--context', 'scram-sha-512', ...TIMEOUT])).code).toBe(0)
    expect((await run(['console', 'produce', topic, '--context', 'scram-sha-512', '-q'], 'secret plans\n')).code).toBe(0)
    const readAsAlice = (args: string[]) => run(['console', 'consume', topic, '--from-beginning', '-e', '-q', '--context', 'alice', ...TIMEOUT, ...args])

    // alice has no ACLs: reading fails, with one line that says why.
    const denied = await readAsAlice([])
    expect([denied.code, denied.stdout, denied.stderr]).toEqual([1, '', `error: not authorized: topic ${topic} (TOPIC_AUTHORIZATION_FAILED)\n`])

    // ... nor may she list ACLs: kadm reports it as an authorization error.
    const listAsAlice = await run(['acls', 'list', '--context', 'alice', ...TIMEOUT])
    expect(listAsAlice.code).toBe(1)
    expect(listAsAlice.stderr.trim()).toMatch(/^error: not authorized: Cluster authorization failed/)

    const grant = ['--allow-principal', 'User:alice', '--operation', 'read', '--context', 'scram-sha-512']
    const dry = await kadmJson<{dryRun: boolean; created: unknown[]}>(['acls', 'create', ...grant, '--topic', topic, '--dry-run', '--config-file', configFile], {env: ENV})
    expect(dry).toEqual({dryRun: true, created: [{principal: 'User:alice', host: '*', operation: 'read', permission: 'allow', resourceType: 'topic', resourceName: topic, patternType: 'literal'}]})
    expect(await kadmJson(['acls', 'list', '--topic', topic, '--context', 'scram-sha-512', '--config-file', configFile], {env: ENV})).toEqual({acls: []})

    // READ on the topic: she reads it, but not as a member of a group she may not use.
    expect((await run(['acls', 'create', ...grant, '--topic', topic])).code).toBe(0)
    expect(await readAsAlice([])).toMatchObject({code: 0, stdout: 'secret plans\n'})
    const noGroup = await readAsAlice(['--group', group])
    expect([noGroup.code, noGroup.stdout, noGroup.stderr]).toEqual([1, '', `error: not authorized: group ${group} (GROUP_AUTHORIZATION_FAILED)\n`])
    expect((await run(['acls', 'create', ...grant, '--group', group])).code).toBe(0)
    const listed = (await kadmJson<{acls: Array<{resourceType: string; resourceName: string}>}>(['acls', 'list', '--principal', 'User:alice', '--context', 'scram-sha-512', '--config-file', configFile], {env: ENV})).acls
    expect(listed.filter((a) => a.resourceName === topic || a.resourceName === group).map((a) => a.resourceType).sort()).toEqual(['group', 'topic'])
    expect(await readAsAlice(['--group', group])).toMatchObject({code: 0, stdout: 'secret plans\n'})

    const refused = await run(['acls', 'delete', '--topic', topic, '--context', 'scram-sha-512'])
    expect(refused.code).toBe(2)
    expect(refused.stderr.split('\n').filter(Boolean).at(-1)).toBe('error: deleting 1 ACL(s) cannot be undone: pass --yes to confirm without a terminal')
    const deleted = await kadmJson<{deleted: unknown[]}>(['acls', 'delete', '--topic', topic, '--yes', '--context', 'scram-sha-512', '--config-file', configFile], {env: ENV})
    expect(deleted.deleted).toHaveLength(1)
    await run(['acls', 'delete', '--group', group, '--yes', '--context', 'scram-sha-512'])
    expect(await kadmJson(['acls', 'list', '--principal', 'User:alice', '--context', 'scram-sha-512', '--config-file', configFile], {env: ENV})).toEqual({acls: []})
    // The ACLs gone, she is refused again.
    expect((await readAsAlice([])).stderr).toBe(`error: not authorized: topic ${topic} (TOPIC_AUTHORIZATION_FAILED)\n`)
  })

  it('creates, lists and deletes by every resource and filter flag, as kafka-acls lists them', async () => {
    const topic = uniqueName('sec-acl-topic')
    const group = uniqueName('sec-acl-group')
    const bob = `User:${uniqueName('bob')}`
    const eve = `User:${uniqueName('eve')}`
    const ctx = ['--context', 'plain']
    const create = async (args: string[]) => {
      const created = await run(['acls', 'create', ...ctx, ...args])
      expect(created.code, created.stderr).toBe(0)
    }
    await create(['--cluster', '--allow-principal', bob, '--operation', 'describe'])
    await create(['--transactional-id', 'tx-', '--resource-pattern-type', 'prefixed', '--allow-principal', bob, '--allow-host', '10.0.0.1', '--operation', 'write'])
    await create(['--topic', topic, '--deny-principal', eve, '--deny-host', '10.0.0.9', '--operation', 'read'])
    await create(['--group', group, '--allow-principal', bob, '--operation', 'read'])

    // AclCommand on the plaintext listener (its ANONYMOUS principal is a super user) is the oracle.
    const kafkaAcls = async (principal: string) => {
      const listed = await kafkaTool(inject('kafkaVersion'), 'AclCommand', ['--bootstrap-server', `127.0.0.1:${PORT}`, '--list', '--principal', principal])
      expect(listed.code, listed.stderr).toBe(0)
      return [...listed.stdout.matchAll(/resourceType=(\w+), name=([^,]+), patternType=(\w+)\)`?:?[\s\S]*?\(principal=[^,]+, host=([^,]+), operation=(\w+), permissionType=(\w+)\)/g)]
        .map((m) => `${m[1]}:${m[2]}:${m[3]}:${m[4]}:${m[5]}:${m[6]}`.toLowerCase()).sort()
    }
    type Acl = {principal: string; host: string; operation: string; permission: string; resourceType: string; resourceName: string; patternType: string}
    const list = async (args: string[]) => (await kadmJson<{acls: Acl[]}>(['acls', 'list', ...ctx, ...args, '--config-file', configFile], {env: ENV})).acls
    const kafkaWord = (w: string) => w.replaceAll('-', '_').toLowerCase()
    const key = (a: Acl) => `${kafkaWord(a.resourceType)}:${a.resourceName.toLowerCase()}:${kafkaWord(a.patternType)}:${a.host}:${kafkaWord(a.operation)}:${kafkaWord(a.permission)}`
    expect((await list(['--principal', bob])).map(key).sort()).toEqual(await kafkaAcls(bob))
    expect((await list(['--principal', eve])).map(key).sort()).toEqual(await kafkaAcls(eve))

    expect((await list(['--group', group])).map((a) => [a.principal, a.operation])).toEqual([[bob, 'read']])
    expect((await list(['--cluster', '--principal', bob])).map((a) => a.operation)).toEqual(['describe'])
    expect((await list(['--transactional-id', 'tx-', '--resource-pattern-type', 'prefixed'])).map((a) => [a.principal, a.host])).toEqual([[bob, '10.0.0.1']])
    expect((await list(['--principal', bob, '--host', '10.0.0.1'])).map((a) => a.resourceType)).toEqual(['transactional-id'])
    expect((await list(['--topic', topic, '--operation', 'read', '--permission', 'deny'])).map((a) => a.principal)).toEqual([eve])
    expect(await list(['--topic', topic, '--permission', 'allow'])).toEqual([])

    const dry = await kadmJson<{dryRun: boolean; deleted: Acl[]}>(['acls', 'delete', ...ctx, '--principal', bob, '--dry-run', '--config-file', configFile], {env: ENV})
    expect(dry.deleted).toHaveLength(3)
    expect(await kafkaAcls(bob)).toHaveLength(3)
    const deleteOne = async (args: string[]) => (await kadmJson<{deleted: Acl[]}>(['acls', 'delete', ...ctx, ...args, '--yes', '--config-file', configFile], {env: ENV})).deleted.length
    expect(await deleteOne(['--topic', topic, '--principal', eve, '--host', '10.0.0.9', '--operation', 'read', '--permission', 'deny'])).toBe(1)
    expect(await deleteOne(['--cluster', '--principal', bob])).toBe(1)
    expect(await deleteOne(['--transactional-id', 'tx-', '--resource-pattern-type', 'prefixed'])).toBe(1)
    expect(await deleteOne(['--group', group])).toBe(1)
    expect([...await kafkaAcls(bob), ...await kafkaAcls(eve)]).toEqual([])
  })
})

describe('users: SCRAM credentials set by kadm, as kafka-configs describes them, and logged in with by Kafka\'s own client', () => {
  const admin = ['--context', 'scram-sha-512', ...TIMEOUT]
  const plaintext = () => `127.0.0.1:${PORT}`
  /** Kafka's TopicCommand logging in over the SASL listener as `username`: exit 0 once authenticated (the list may be empty). */
  const login = async (username: string, password: string, mechanism: string) => {
    const properties = await scramProperties(`login-${username}`, {protocol: 'SASL_PLAINTEXT', mechanism, username, password})
    return kafkaTool(inject('kafkaVersion'), 'TopicCommand', ['--bootstrap-server', `127.0.0.1:${security.listeners.sasl}`, '--list', '--command-config', properties])
  }
  const credentials = async (args: string[]) => (await kadmJson<{credentials: Array<{user: string; mechanism: string; iterations: number}>}>([...args, '--config-file', configFile], {env: ENV})).credentials

  it('set-password creates and replaces credentials; the new user logs in; list and describe match kafka-configs; delete removes them', async () => {
    const user = uniqueName('carol')
    const first = 'carol-first-secret'
    const created = await run(['users', 'set-password', user, '-m', 'scram-sha-256', '-m', 'scram-sha-512', '--iterations', '8192', '--password-stdin', '-o', 'json', ...admin], `${first}\n`)
    expect(created.code, created.stderr).toBe(0)
    expect(JSON.parse(created.stdout)).toEqual({dryRun: false, credentials: [
      {user, mechanism: 'SCRAM-SHA-256', iterations: 8192, action: 'create'},
      {user, mechanism: 'SCRAM-SHA-512', iterations: 8192, action: 'create'},
    ]})
    expect(created.stdout + created.stderr).not.toContain(first)

    // The salted password computed here is the one the broker checks logins against.
    const loggedIn = await login(user, first, 'SCRAM-SHA-256')
    expect(loggedIn.code, loggedIn.stderr).toBe(0)

    const listed = await credentials(['users', 'list', ...admin])
    const tool = await describeScramWithConfigCommand(inject('kafkaVersion'), plaintext())
    expect(listed).toEqual(tool)
    expect(listed.filter((c) => c.user === user).map((c) => c.iterations)).toEqual([8192, 8192])
    const described = await run(['users', 'describe', user, 'admin', '-o', 'yaml', ...admin])
    expect(described.code, described.stderr).toBe(0)
    expect(parse(described.stdout)).toEqual({credentials: tool.filter((c) => c.user === user || c.user === 'admin')})

    // Replacing a credential needs --yes without a terminal; the dry run reads no password.
    const second = 'carol-second-secret'
    const unconfirmed = await run(['users', 'set-password', user, '--password-env', 'KADM_TEST_NEW_PASSWORD', ...admin])
    expect([unconfirmed.code, unconfirmed.stderr.trim().split('\n').at(-1)]).toEqual([2, `error: replacing ${user}'s SCRAM-SHA-512 password locks out clients using the old one: pass --yes to confirm without a terminal`])
    const dry = await run(['users', 'set-password', user, '--iterations', '4096', '--dry-run', ...admin])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/))).toEqual([['USER', 'MECHANISM', 'ITERATIONS', 'ACTION'], [user, 'SCRAM-SHA-512', '4096', 'replace']])
    const replaced = await kadm(['users', 'set-password', user, '--password-env', 'KADM_TEST_NEW_PASSWORD', '--yes', ...admin, '--config-file', configFile], {env: {...ENV, KADM_TEST_NEW_PASSWORD: second}})
    expect(replaced.code, replaced.stderr).toBe(0)
    expect(await credentials(['users', 'describe', user, ...admin])).toEqual([
      {user, mechanism: 'SCRAM-SHA-256', iterations: 8192},
      {user, mechanism: 'SCRAM-SHA-512', iterations: 4096},
    ])
    const oldRefused = await login(user, first, 'SCRAM-SHA-512')
    expect(oldRefused.code).not.toBe(0)
    expect(oldRefused.stdout + oldRefused.stderr).toContain('Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512')
    const newAccepted = await login(user, second, 'SCRAM-SHA-512')
    expect(newAccepted.code, newAccepted.stderr).toBe(0)

    // Delete: one mechanism, then the rest; a dry run and a missing --yes change nothing.
    const dryDelete = await run(['users', 'delete', user, '--dry-run', '-o', 'json', ...admin])
    expect(JSON.parse(dryDelete.stdout)).toEqual({dryRun: true, credentials: [
      {user, mechanism: 'SCRAM-SHA-256', iterations: 8192, action: 'delete'},
      {user, mechanism: 'SCRAM-SHA-512', iterations: 4096, action: 'delete'},
    ]})
    const noYes = await run(['users', 'delete', user, ...admin])
    expect([noYes.code, noYes.stderr.trim().split('\n').at(-1)]).toEqual([2, 'error: deleting 2 SCRAM credentials cannot be undone: pass --yes to confirm without a terminal'])
    const one = await run(['users', 'delete', user, '-m', 'scram-sha-256', '--yes', ...admin])
    expect(one.code, one.stderr).toBe(0)
    expect(await credentials(['users', 'describe', user, ...admin])).toEqual([{user, mechanism: 'SCRAM-SHA-512', iterations: 4096}])
    const lacking = await run(['users', 'delete', user, '-m', 'scram-sha-256', '--yes', ...admin])
    expect([lacking.code, lacking.stderr.trim()]).toEqual([2, `error: user ${user} has no SCRAM-SHA-256 credential (it has SCRAM-SHA-512)`])
    const rest = await run(['users', 'delete', user, '--yes', ...admin])
    expect(rest.code, rest.stderr).toBe(0)
    expect((await describeScramWithConfigCommand(inject('kafkaVersion'), plaintext())).filter((c) => c.user === user)).toEqual([])
    const gone = await run(['users', 'describe', user, ...admin])
    expect([gone.code, gone.stderr.trim()]).toEqual([1, `error: no SCRAM credentials for user ${user}`])
    const missing = await run(['users', 'delete', user, '--yes', ...admin])
    expect([missing.code, missing.stderr.trim().split('\n')[0]]).toEqual([1, `error: no SCRAM credentials for user ${user}`])
    const ifExists = await run(['users', 'delete', user, '--if-exists', '--yes', '-o', 'json', ...admin])
    expect([ifExists.code, JSON.parse(ifExists.stdout)]).toEqual([0, {dryRun: false, credentials: []}])
  })

  it('takes a password from argv only with --insecure-password-argv, and refuses a missing one, bad iterations, and none to ask for', async () => {
    const user = uniqueName('dave')
    const refused = await run(['users', 'set-password', user, '--password', 'dave-secret', ...admin])
    expect([refused.code, refused.stderr.trim().split('\n')[0]]).toEqual([2, 'error: refusing a password on the command line, where other users and shell history can read it'])
    expect(refused.stderr).not.toContain('dave-secret')
    const noSource = await run(['users', 'set-password', user, ...admin])
    expect([noSource.code, noSource.stderr.trim().split('\n')[0]]).toEqual([2, 'error: no password given and no terminal to ask on'])
    const unset = await kadm(['users', 'set-password', user, '--password-env', 'KADM_TEST_UNSET', ...admin, '--config-file', configFile], {env: {...ENV, KADM_TEST_UNSET: undefined}})
    expect([unset.code, unset.stderr.trim()]).toEqual([1, 'error: environment variable KADM_TEST_UNSET is not set'])
    const iterations = await run(['users', 'set-password', user, '--password-stdin', '--iterations', '100', ...admin], 'x\n')
    expect([iterations.code, iterations.stderr.trim()]).toEqual([2, 'error: --iterations must be a whole number from 4096 to 16384 (what Kafka accepts), got 100'])
    expect((await credentials(['users', 'list', ...admin])).filter((c) => c.user === user)).toEqual([])

    const forced = await run(['users', 'set-password', user, '--password', 'dave-secret', '--insecure-password-argv', ...admin])
    expect(forced.code, forced.stderr).toBe(0)
    // kadm itself logs in with the new user over SCRAM-SHA-512 (Kafka's client did above).
    const daveConfig = join(dir, 'dave.yaml')
    await writeFile(daveConfig, stringify({contexts: {dave: {'bootstrap-servers': [`127.0.0.1:${security.listeners.sasl}`], sasl: {mechanism: 'scram-sha-512', username: user, 'password-env': 'KADM_TEST_DAVE'}}}}), {mode: 0o600})
    const asDave = await kadm(['cluster', 'describe', '--context', 'dave', '--config-file', daveConfig, ...TIMEOUT], {env: {KADM_TEST_DAVE: 'dave-secret'}})
    expect(asDave.code, asDave.stderr).toBe(0)
    const cleaned = await run(['users', 'delete', user, '--yes', ...admin])
    expect(cleaned.code, cleaned.stderr).toBe(0)
  })
})
