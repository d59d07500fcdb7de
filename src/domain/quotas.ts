import {UsageError} from '../errors.js'

/** The quota keys Kafka takes for users and client ids (QuotaConfig), and for IPs. */
export const CLIENT_QUOTA_KEYS = ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage', 'controller_mutation_rate'] as const
export const IP_QUOTA_KEYS = ['connection_creation_rate'] as const

export type QuotaEntityType = 'user' | 'client-id' | 'ip'

/** A quota entity: each part present names its type; `null` is that type's default entity. */
export type QuotaEntity = Partial<Record<QuotaEntityType, string | null>>

export interface QuotaEntry {
  entity: QuotaEntity
  /** How kadm and this README write the entity, e.g. `user=alice, client-id=<default>`. */
  name: string
  quotas: Record<string, number>
}

const ORDER: QuotaEntityType[] = ['user', 'client-id', 'ip']

export function entityName(entity: QuotaEntity): string {
  return ORDER.filter((t) => t in entity).map((t) => `${t}=${entity[t] ?? '<default>'}`).join(', ')
}

export interface EntityFlags {
  user?: string
  'user-default'?: boolean
  'client-id'?: string
  'client-id-default'?: boolean
  ip?: string
  'ip-default'?: boolean
}

/** The entity the flags name, or undefined when they name none. IPs stand alone; a user and a client id combine. */
export function entityFromFlags(flags: EntityFlags): QuotaEntity | undefined {
  const entity: QuotaEntity = {}
  const part = (type: QuotaEntityType, name: string | undefined, isDefault: boolean | undefined) => {
    if (name !== undefined && isDefault) throw new UsageError(`--${type} and --${type}-default cannot go together`)
    if (name !== undefined) entity[type] = name
    else if (isDefault) entity[type] = null
  }
  part('user', flags.user, flags['user-default'])
  part('client-id', flags['client-id'], flags['client-id-default'])
  part('ip', flags.ip, flags['ip-default'])
  if ('ip' in entity && Object.keys(entity).length > 1) throw new UsageError('an IP quota stands alone: --ip cannot go with --user or --client-id')
  return Object.keys(entity).length > 0 ? entity : undefined
}

/** The keys an entity can have a quota for. */
export function quotaKeysFor(entity: QuotaEntity): readonly string[] {
  return 'ip' in entity ? IP_QUOTA_KEYS : CLIENT_QUOTA_KEYS
}

export function checkQuotaKey(entity: QuotaEntity, key: string): string {
  const keys = quotaKeysFor(entity)
  if (!keys.includes(key)) throw new UsageError(`"${key}" is not a quota of ${'ip' in entity ? 'an IP' : 'users and client ids'}: use ${keys.join(', ')}`)
  return key
}

/** `key=value` settings: known keys, positive numbers. */
export function parseQuotaSettings(entity: QuotaEntity, settings: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const s of settings) {
    const at = s.indexOf('=')
    if (at < 1) throw new UsageError(`--set ${s}: expected key=value`)
    const key = checkQuotaKey(entity, s.slice(0, at))
    const text = s.slice(at + 1)
    const value = Number(text)
    if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`--set ${s}: the value must be a number above 0`)
    out[key] = value
  }
  return out
}

/** Kafka's precedence for a user and client id (see Kafka's "Quotas" documentation), most specific first. */
export function precedence(user: string, clientId: string): QuotaEntity[] {
  return [
    {user, 'client-id': clientId},
    {user, 'client-id': null},
    {user},
    {user: null, 'client-id': clientId},
    {user: null, 'client-id': null},
    {user: null},
    {'client-id': clientId},
    {'client-id': null},
  ]
}

function sameEntity(a: QuotaEntity, b: QuotaEntity): boolean {
  return ORDER.every((t) => (t in a) === (t in b) && a[t] === b[t])
}

export interface ResolvedQuota {
  key: string
  /** null: no entity in the precedence order sets it, so the client is not limited by it. */
  value: number | null
  from: string | null
}

/**
 * The quota of each key that applies to `user` connecting with `clientId`: per key, the first
 * entity in Kafka's precedence order that sets it (each quota type is looked up on its own).
 */
export function resolveQuotas(entries: readonly QuotaEntry[], user: string, clientId: string): ResolvedQuota[] {
  const order = precedence(user, clientId)
  return CLIENT_QUOTA_KEYS.map((key) => {
    for (const entity of order) {
      const hit = entries.find((e) => sameEntity(e.entity, entity) && key in e.quotas)
      if (hit) return {key, value: hit.quotas[key], from: hit.name}
    }
    return {key, value: null, from: null}
  })
}

export function sortQuotaEntries(entries: QuotaEntry[]): QuotaEntry[] {
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
