import {UsageError} from '../errors.js'
import {compareNames} from './order.js'

/*
 * ACL vocabulary with Kafka's protocol codes (AclResourceType, AclOperation, AclPermissionType,
 * PatternType), spelled on the command line in lower case with dashes, as kafka-acls.sh and rpk do.
 */
export const RESOURCE_TYPES = {any: 1, topic: 2, group: 3, cluster: 4, 'transactional-id': 5, 'delegation-token': 6} as const
export const OPERATIONS = {
  any: 1, all: 2, read: 3, write: 4, create: 5, delete: 6, alter: 7, describe: 8,
  'cluster-action': 9, 'describe-configs': 10, 'alter-configs': 11, 'idempotent-write': 12,
} as const
export const PERMISSIONS = {any: 1, deny: 2, allow: 3} as const
export const PATTERN_TYPES = {any: 1, match: 2, literal: 3, prefixed: 4} as const

export type ResourceType = keyof typeof RESOURCE_TYPES
export type Operation = keyof typeof OPERATIONS
export type Permission = keyof typeof PERMISSIONS
export type PatternType = keyof typeof PATTERN_TYPES

/** One ACL: who may (or may not) do what, from where, on which resource. */
export interface AclBinding {
  principal: string
  host: string
  operation: Operation
  permission: Permission
  resourceType: ResourceType
  resourceName: string
  patternType: PatternType
}

/** What list and delete match; an undefined field matches anything. */
export interface AclFilter {
  resourceType: ResourceType
  resourceName?: string
  patternType: PatternType
  principal?: string
  host?: string
  operation: Operation
  permission: Permission
}

/** The only resource name a cluster ACL can have. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster'

export interface ResourceFlags {
  topic?: string
  group?: string
  cluster?: boolean
  'transactional-id'?: string
  'resource-pattern-type'?: string
}

export interface CreateAclFlags extends ResourceFlags {
  'allow-principal'?: string[]
  'deny-principal'?: string[]
  'allow-host'?: string[]
  'deny-host'?: string[]
  operation?: string[]
}

export interface FilterAclFlags extends ResourceFlags {
  principal?: string
  host?: string
  operation?: string
  permission?: string
}

export function codeOf<T extends Record<string, number>>(table: T, name: string, what: string): T[keyof T] {
  const code = table[name.toLowerCase().replaceAll('_', '-') as keyof T]
  if (code === undefined) throw new UsageError(`unknown ${what} "${name}" (one of: ${Object.keys(table).join(', ')})`)
  return code
}

export function nameOf<T extends Record<string, number>>(table: T, code: number): keyof T | 'unknown' {
  return (Object.keys(table) as Array<keyof T>).find((k) => table[k] === code) ?? 'unknown'
}

function checkPrincipal(principal: string): string {
  if (!/^[^:\s]+:.+$/.test(principal)) throw new UsageError(`principal "${principal}" must be TYPE:NAME, e.g. User:alice`)
  return principal
}

/** The resource named by --topic/--group/--cluster/--transactional-id; undefined when none is given. */
function resourceOf(flags: ResourceFlags): {resourceType: ResourceType; resourceName: string} | undefined {
  const given: Array<{resourceType: ResourceType; resourceName: string}> = []
  if (flags.topic !== undefined) given.push({resourceType: 'topic', resourceName: flags.topic})
  if (flags.group !== undefined) given.push({resourceType: 'group', resourceName: flags.group})
  if (flags.cluster) given.push({resourceType: 'cluster', resourceName: CLUSTER_RESOURCE_NAME})
  if (flags['transactional-id'] !== undefined) given.push({resourceType: 'transactional-id', resourceName: flags['transactional-id']})
  if (given.length > 1) throw new UsageError('give one resource: --topic, --group, --cluster or --transactional-id')
  if (given[0] && given[0].resourceName === '') throw new UsageError(`--${given[0].resourceType} needs a name`)
  return given[0]
}

function patternOf(flags: ResourceFlags, fallback: PatternType, allowed: readonly PatternType[]): PatternType {
  const pattern = (flags['resource-pattern-type'] ?? fallback) as PatternType
  if (!allowed.includes(pattern)) throw new UsageError(`--resource-pattern-type must be one of ${allowed.join(', ')} here`)
  return pattern
}

/**
 * The ACLs `acls create` adds: every principal x host x operation, ALLOW for --allow-principal
 * and DENY for --deny-principal, as kafka-acls.sh --add does. Hosts default to "*".
 */
export function planAclBindings(flags: CreateAclFlags): AclBinding[] {
  const resource = resourceOf(flags)
  if (!resource) throw new UsageError('name the resource: --topic, --group, --cluster or --transactional-id')
  const patternType = patternOf(flags, 'literal', ['literal', 'prefixed'])
  if (resource.resourceType === 'cluster' && patternType !== 'literal') throw new UsageError('cluster ACLs are always literal')
  const operations = (flags.operation ?? []).map((o) => {
    const name = o.toLowerCase().replaceAll('_', '-')
    codeOf(OPERATIONS, name, 'operation')
    if (name === 'any') throw new UsageError('--operation any only filters; to grant everything use --operation all')
    return name as Operation
  })
  if (operations.length === 0) throw new UsageError('give at least one --operation (e.g. read, write, describe, all)')
  const sides: Array<[Permission, string[] | undefined, string[] | undefined]> = [
    ['allow', flags['allow-principal'], flags['allow-host']],
    ['deny', flags['deny-principal'], flags['deny-host']],
  ]
  const bindings: AclBinding[] = []
  for (const [permission, principals, hosts] of sides) {
    for (const principal of principals ?? []) {
      for (const host of hosts?.length ? hosts : ['*']) {
        for (const operation of operations) {
          bindings.push({principal: checkPrincipal(principal), host, operation, permission, ...resource, patternType})
        }
      }
    }
  }
  if (bindings.length === 0) throw new UsageError('give at least one --allow-principal or --deny-principal (e.g. User:alice)')
  return [...new Map(bindings.map((b) => [aclKey(b), b])).values()]
}

/**
 * The filter `acls list` and `acls delete` match with. List matches any pattern type by default;
 * delete matches literal ones unless told otherwise, and needs a resource or a principal so that a
 * bare `acls delete` cannot wipe every ACL.
 */
export function aclFilter(flags: FilterAclFlags, purpose: 'list' | 'delete'): AclFilter {
  const resource = resourceOf(flags)
  if (purpose === 'delete' && !resource && flags.principal === undefined) {
    throw new UsageError('name what to delete: a resource (--topic, --group, --cluster, --transactional-id) and/or --principal')
  }
  const operation = (flags.operation ?? 'any').toLowerCase().replaceAll('_', '-') as Operation
  codeOf(OPERATIONS, operation, 'operation')
  const permission = (flags.permission ?? 'any').toLowerCase() as Permission
  codeOf(PERMISSIONS, permission, 'permission')
  return {
    resourceType: resource?.resourceType ?? 'any',
    resourceName: resource?.resourceName,
    patternType: patternOf(flags, resource && purpose === 'delete' ? 'literal' : 'any', ['any', 'match', 'literal', 'prefixed']),
    principal: flags.principal === undefined ? undefined : checkPrincipal(flags.principal),
    host: flags.host,
    operation,
    permission,
  }
}

export function aclKey(b: AclBinding): string {
  return [b.resourceType, b.patternType, b.resourceName, b.principal, b.host, b.operation, b.permission].join('\u0000')
}

/** Stable order for tables and tests: by resource, then principal, operation and permission. */
export function sortAcls(acls: AclBinding[]): AclBinding[] {
  return [...acls].sort((a, b) =>
    compareNames(a.resourceType, b.resourceType) || compareNames(a.resourceName, b.resourceName) ||
    compareNames(a.patternType, b.patternType) || compareNames(a.principal, b.principal) ||
    compareNames(a.host, b.host) || compareNames(a.operation, b.operation) || compareNames(a.permission, b.permission))
}
