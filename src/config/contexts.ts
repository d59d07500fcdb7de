import {chmod, mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import {dirname} from 'node:path'

import {KadmError} from '../errors.js'
import {loadYaml} from '../commonjs.js'

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const
export type SaslMechanism = (typeof SASL_MECHANISMS)[number]

/** A secret can be written inline, read from an environment variable, or printed by a command. */
export interface SecretSource {
  value?: string
  env?: string
  command?: string
}

export interface TlsSettings {
  enabled?: boolean
  ca?: string
  cert?: string
  key?: string
  keyPassphrase?: SecretSource
  insecureSkipVerify?: boolean
}

/** PLAIN and SCRAM take a username and password; OAUTHBEARER a token (typically from `token-command`). */
export interface SaslSettings {
  mechanism: SaslMechanism
  username?: string
  password?: SecretSource
  token?: SecretSource
}

/**
 * A Confluent-compatible Schema Registry: its URL, basic auth (username and password) or a bearer
 * token, and a CA file for TLS. Secrets come from the same sources as SASL's.
 */
export interface SchemaRegistrySettings {
  url: string
  username?: string
  password?: SecretSource
  token?: SecretSource
  ca?: string
}

export interface Context {
  bootstrapServers: string[]
  clientId?: string
  tls?: TlsSettings
  sasl?: SaslSettings
  /** Thresholds of `kadm cluster check` (and the exporter's checks), by flag name: `max-lag: 50000`. */
  checks?: Record<string, string>
  schemaRegistry?: SchemaRegistrySettings
}

export interface ConfigFile {
  currentContext?: string
  contexts: Record<string, Context>
}

export const emptyConfig = (): ConfigFile => ({contexts: {}})

/*
 * On disk the file uses kebab-case keys, like kubectl and rpk:
 *
 * current-context: prod
 * contexts:
 *   prod:
 *     bootstrap-servers: [kafka-1:9093, kafka-2:9093]
 *     tls: {ca: /etc/kafka/ca.pem}
 *     sasl: {mechanism: scram-sha-512, username: admin, password-env: KAFKA_PASSWORD}
 *   sso:
 *     bootstrap-servers: [kafka:9093]
 *     tls: true
 *     sasl: {mechanism: oauthbearer, token-command: "get-token --audience kafka"}
 *     schema-registry: {url: "https://registry:8081", username: svc, password-env: REGISTRY_PASSWORD, ca: /etc/ca.pem}
 */

type Raw = Record<string, unknown>

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function str(raw: Raw, key: string, where: string): string | undefined {
  const value = raw[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' && typeof value !== 'number') throw new KadmError(`${where}: "${key}" must be a string`)
  return String(value)
}

function secretFrom(raw: Raw, prefix: string, where: string): SecretSource | undefined {
  const source: SecretSource = {
    value: str(raw, prefix, where),
    env: str(raw, `${prefix}-env`, where),
    command: str(raw, `${prefix}-command`, where),
  }
  const given = Object.values(source).filter((v) => v !== undefined).length
  if (given > 1) throw new KadmError(`${where}: give only one of "${prefix}", "${prefix}-env" and "${prefix}-command"`)
  return given === 0 ? undefined : source
}

function secretTo(prefix: string, source: SecretSource | undefined): Raw {
  if (!source) return {}
  if (source.env !== undefined) return {[`${prefix}-env`]: source.env}
  if (source.command !== undefined) return {[`${prefix}-command`]: source.command}
  return {[prefix]: source.value}
}

export function splitServers(value: string | string[]): string[] {
  const list = Array.isArray(value) ? value : value.split(',')
  return list.map((s) => String(s).trim()).filter((s) => s.length > 0)
}

export function parseContext(name: string, raw: unknown): Context {
  const where = `context "${name}"`
  if (!isRecord(raw)) throw new KadmError(`${where} must be a mapping`)
  const servers = raw['bootstrap-servers']
  if (servers === undefined) throw new KadmError(`${where} has no bootstrap-servers`)
  if (typeof servers !== 'string' && !Array.isArray(servers)) throw new KadmError(`${where}: bootstrap-servers must be a list or a comma-separated string`)
  const context: Context = {bootstrapServers: splitServers(servers as string | string[])}
  const clientId = str(raw, 'client-id', where)
  if (clientId) context.clientId = clientId

  if (raw.tls !== undefined && raw.tls !== null) {
    if (raw.tls === true) context.tls = {enabled: true}
    else if (isRecord(raw.tls)) {
      const tls = raw.tls
      context.tls = {
        enabled: tls.enabled === undefined ? true : Boolean(tls.enabled),
        ca: str(tls, 'ca', `${where} tls`),
        cert: str(tls, 'cert', `${where} tls`),
        key: str(tls, 'key', `${where} tls`),
        keyPassphrase: secretFrom(tls, 'key-passphrase', `${where} tls`),
        insecureSkipVerify: Boolean(tls['insecure-skip-verify']),
      }
    } else throw new KadmError(`${where}: tls must be a mapping or true`)
  }

  if (raw.sasl !== undefined && raw.sasl !== null) {
    if (!isRecord(raw.sasl)) throw new KadmError(`${where}: sasl must be a mapping`)
    const sasl = raw.sasl
    const mechanism = (str(sasl, 'mechanism', `${where} sasl`) ?? '').toLowerCase()
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
      throw new KadmError(`${where}: sasl mechanism must be one of ${SASL_MECHANISMS.join(', ')}`)
    }
    if (mechanism === 'oauthbearer') {
      const token = secretFrom(sasl, 'token', `${where} sasl`)
      if (!token) throw new KadmError(`${where}: sasl oauthbearer needs token-command, token-env or token`)
      context.sasl = {mechanism, token}
    } else {
      const username = str(sasl, 'username', `${where} sasl`)
      if (!username) throw new KadmError(`${where}: sasl needs a username`)
      const password = secretFrom(sasl, 'password', `${where} sasl`)
      if (!password) throw new KadmError(`${where}: sasl needs password, password-env or password-command`)
      context.sasl = {mechanism: mechanism as SaslMechanism, username, password}
    }
  }
  if (raw.checks !== undefined && raw.checks !== null) {
    if (!isRecord(raw.checks)) throw new KadmError(`${where}: checks must be a mapping of threshold names to values`)
    context.checks = Object.fromEntries(Object.keys(raw.checks).map((k) => [k, str(raw.checks as Raw, k, `${where} checks`)!]))
  }
  if (raw['schema-registry'] !== undefined && raw['schema-registry'] !== null) {
    context.schemaRegistry = parseSchemaRegistry(raw['schema-registry'], `${where} schema-registry`)
  }
  return context
}

function parseSchemaRegistry(raw: unknown, where: string): SchemaRegistrySettings {
  if (typeof raw === 'string') raw = {url: raw}
  if (!isRecord(raw)) throw new KadmError(`${where} must be a mapping or a URL`)
  const url = str(raw, 'url', where)
  if (!url) throw new KadmError(`${where} needs a url`)
  const settings: SchemaRegistrySettings = {url}
  const username = str(raw, 'username', where)
  const password = secretFrom(raw, 'password', where)
  const token = secretFrom(raw, 'token', where)
  if ((username === undefined) !== (password === undefined)) throw new KadmError(`${where}: basic auth needs both username and password (or password-env, password-command)`)
  if (token && username !== undefined) throw new KadmError(`${where}: give either username and password or a token, not both`)
  if (username !== undefined) Object.assign(settings, {username, password})
  if (token) settings.token = token
  const ca = str(raw, 'ca', where)
  if (ca) settings.ca = ca
  return settings
}

export function contextToRaw(context: Context): Raw {
  const raw: Raw = {'bootstrap-servers': context.bootstrapServers}
  if (context.clientId) raw['client-id'] = context.clientId
  if (context.tls) {
    const t = context.tls
    raw.tls = Object.fromEntries(Object.entries({
      enabled: t.enabled === false ? false : undefined,
      ca: t.ca,
      cert: t.cert,
      key: t.key,
      ...secretTo('key-passphrase', t.keyPassphrase),
      'insecure-skip-verify': t.insecureSkipVerify || undefined,
    }).filter(([, v]) => v !== undefined))
  }
  if (context.sasl) {
    const {mechanism, username, password, token} = context.sasl
    raw.sasl = {mechanism, ...(username === undefined ? {} : {username}), ...secretTo('password', password), ...secretTo('token', token)}
  }
  if (context.checks) raw.checks = context.checks
  if (context.schemaRegistry) {
    const r = context.schemaRegistry
    raw['schema-registry'] = {
      url: r.url, ...(r.username === undefined ? {} : {username: r.username}), ...secretTo('password', r.password), ...secretTo('token', r.token), ...(r.ca ? {ca: r.ca} : {}),
    }
  }
  return raw
}

export function parseConfig(text: string, parse: (text: string) => unknown, path: string): ConfigFile {
  let raw: unknown
  try {
    raw = parse(text)
  } catch (error) {
    throw new KadmError(`cannot parse ${path}: ${(error as Error).message.split('\n')[0]}`)
  }
  if (raw === null || raw === undefined) return emptyConfig()
  if (!isRecord(raw)) throw new KadmError(`${path} must be a YAML mapping`)
  const contexts: Record<string, Context> = {}
  const rawContexts = raw.contexts ?? {}
  if (!isRecord(rawContexts)) throw new KadmError(`${path}: "contexts" must be a mapping of names to contexts`)
  for (const [name, value] of Object.entries(rawContexts)) contexts[name] = parseContext(name, value)
  const current = raw['current-context']
  return {currentContext: typeof current === 'string' && current ? current : undefined, contexts}
}

/** Does any context keep a secret inline (so the file must not be readable by others)? */
export function hasInlineSecrets(config: ConfigFile): boolean {
  return Object.values(config.contexts).some((c) =>
    c.sasl?.password?.value !== undefined || c.sasl?.token?.value !== undefined || c.tls?.keyPassphrase?.value !== undefined ||
    c.schemaRegistry?.password?.value !== undefined || c.schemaRegistry?.token?.value !== undefined)
}

export async function loadConfig(path: string): Promise<ConfigFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyConfig()
    throw new KadmError(`cannot read ${path}: ${(error as Error).message}`)
  }
  const {parse} = await loadYaml()
  return parseConfig(text, parse, path)
}

/** Writes atomically and owner-only, since contexts may hold credentials. */
export async function saveConfig(path: string, config: ConfigFile): Promise<void> {
  const {stringify} = await loadYaml()
  const raw: Raw = {}
  if (config.currentContext) raw['current-context'] = config.currentContext
  raw.contexts = Object.fromEntries(Object.entries(config.contexts).map(([n, c]) => [n, contextToRaw(c)]))
  await mkdir(dirname(path), {recursive: true, mode: 0o700})
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, stringify(raw), {mode: 0o600})
  await chmod(tmp, 0o600)
  await rename(tmp, path)
}

/** What `contexts show` prints: where secrets come from, never the secrets themselves. */
export function redactContext(context: Context): Raw {
  const raw = contextToRaw(context)
  const sasl = raw.sasl as Raw | undefined
  if (sasl && 'password' in sasl) sasl.password = '<redacted>'
  if (sasl && 'token' in sasl) sasl.token = '<redacted>'
  const tls = raw.tls as Raw | undefined
  if (tls && 'key-passphrase' in tls) tls['key-passphrase'] = '<redacted>'
  const registry = raw['schema-registry'] as Raw | undefined
  if (registry && 'password' in registry) registry.password = '<redacted>'
  if (registry && 'token' in registry) registry.token = '<redacted>'
  if (registry && typeof registry.url === 'string') registry.url = redactUrl(registry.url)
  return raw
}

/** A URL with any password in it replaced (https://svc:<redacted>@registry). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (!u.password) return url
    u.password = 'redacted'
    return u.toString().replace(':redacted@', ':<redacted>@')
  } catch {
    return url
  }
}
