import {type ConfigOp, configOpApplied, type ConfigResourceType, ownConfigSource, perBroker} from '../domain/config-ops.js'
import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import type {ApiSpec, BrokerConnection} from './protocol/transport.js'
import {BrokerUnreachable} from './connection-errors.js'
import {type ConfigSource, type ConfigSynonym, DescribeConfigs, RESOURCE_TYPE} from './protocol/describe-configs.js'
import {errorName} from './protocol/errors.js'
import {ALTER_CONFIG_OPS, IncrementalAlterConfigs} from './protocol/incremental-alter-configs.js'
import {untilBrokersShow} from './propagation.js'

export type {ConfigSource, ConfigSynonym} from './protocol/describe-configs.js'

/** A config resource; `{type: 'broker', name: ''}` is the cluster-wide broker default. */
export interface ConfigResource {
  type: ConfigResourceType
  name: string
}

export interface ConfigEntry {
  name: string
  /** Always null for sensitive entries (the broker does not send them, and kadm never prints them). */
  value: string | null
  source: ConfigSource
  sensitive: boolean
  readOnly: boolean
  synonyms: ConfigSynonym[]
  /** Only when asked for (describeConfigs' `documentation`). */
  documentation?: string | null
}

export interface ResourceConfigs extends ConfigResource {
  configs: ConfigEntry[]
  /** Set when the broker could not describe this resource (e.g. the topic is gone). */
  error?: string
}

export type {ConfigOp} from '../domain/config-ops.js'

const TYPE_CODES: Record<ConfigResourceType, number> = {
  topic: RESOURCE_TYPE.topic,
  broker: RESOURCE_TYPE.broker,
  'broker-logger': RESOURCE_TYPE.brokerLogger,
  'client-metrics': RESOURCE_TYPE.clientMetrics,
  group: RESOURCE_TYPE.group,
}
const typeCode = (type: ConfigResourceType) => TYPE_CODES[type]
const typeOf = (code: number) => (Object.entries(TYPE_CODES).find(([, c]) => c === code)?.[0] ?? 'topic') as ConfigResourceType

async function brokerById(connection: KafkaConnection, id: number): Promise<BrokerConnection> {
  try {
    return await connection.broker(id)
  } catch (error) {
    const known = (await connection.metadata([])).brokers.map((b) => b.nodeId).sort((a, b) => a - b)
    if (!known.includes(id)) throw new KadmError(`broker ${id} is not in the cluster (brokers: ${known.join(', ')})`)
    throw error
  }
}

/** Config resource types newer than some supported brokers; older brokers refuse them as INVALID_REQUEST ("Unknown resource type"). */
const NEEDS_KAFKA: Partial<Record<ConfigResourceType, {version: string; what: string}>> = {
  'client-metrics': {version: '3.7', what: 'client-metrics configs'},
  group: {version: '4.0', what: 'group configs'},
}

/**
 * The one line for a broker too old for the resource type, when that is why it refused. A broker
 * that knows the type describes any named subscription or group; changes it can refuse as
 * INVALID_REQUEST for a bad value, so there only "Unknown resource type" counts.
 */
function tooOld(type: ConfigResourceType, errorCode: number, alterMessage?: string | null): KadmError | undefined {
  const needs = NEEDS_KAFKA[type]
  if (!needs || errorName(errorCode) !== 'INVALID_REQUEST') return undefined
  if (alterMessage !== undefined && !/unknown resource type/i.test(alterMessage ?? '')) return undefined
  return new KadmError(`${needs.what} need Kafka ${needs.version} or newer`)
}

/** Below this many resources one request to one broker is quicker than spreading them. */
const SPREAD_THRESHOLD = 200

/** Where a batch of resources goes: the one broker that must answer, one to spread onto, or any. */
type Route<R> = {resources: R[]} & ({to: 'broker'; id: number} | {to: 'prefer'; id: number} | {to: 'any'})

/**
 * Per-broker resources must be asked of that broker (it alone knows its static and dynamic
 * values); topics and the broker default go to any broker, batched in one request, or, when
 * there are many and `spreadOver` names brokers, in one request per broker so they work in parallel.
 */
function routeByBroker<R extends ConfigResource>(resources: readonly R[], spreadOver: readonly number[] = []): Array<Route<R>> {
  const groups = new Map<string, R[]>()
  const anywhere: R[] = []
  for (const r of resources) {
    if (perBroker(r)) groups.set(r.name, [...(groups.get(r.name) ?? []), r])
    else anywhere.push(r)
  }
  const routes: Array<Route<R>> = [...groups].map(([key, rs]) => {
    if (!/^\d+$/.test(key)) throw new KadmError(`broker id "${key}" is not a number`)
    return {to: 'broker', id: Number(key), resources: rs}
  })
  if (anywhere.length >= SPREAD_THRESHOLD && spreadOver.length > 1) {
    const size = Math.ceil(anywhere.length / spreadOver.length)
    spreadOver.forEach((id, i) => {
      const slice = anywhere.slice(i * size, (i + 1) * size)
      if (slice.length > 0) routes.push({to: 'prefer', id, resources: slice})
    })
  } else if (anywhere.length > 0) routes.push({to: 'any', resources: anywhere})
  return routes
}

/** Sends one route's request: a topic batch reaches some broker as long as one answers. */
async function sendRoute<R, Req, Res>(connection: KafkaConnection, route: Route<R>, spec: ApiSpec<Req, Res>, request: Req): Promise<Res> {
  if (route.to === 'any') return connection.sendAny(spec, request)
  if (route.to === 'prefer') return connection.sendPreferring(route.id, spec, request)
  return connection.send(await brokerById(connection, route.id), spec, request)
}

/**
 * DescribeConfigs for many resources: one request per destination broker, in parallel. `keys` limits the entries returned; `synonyms` adds where each value
 * comes from (dynamic topic, dynamic broker, static broker, default).
 */
export async function describeConfigs(
  connection: KafkaConnection,
  resources: readonly ConfigResource[],
  options: {keys?: string[]; synonyms?: boolean; spreadOver?: readonly number[]; omitDefaultsExcept?: string[]; documentation?: boolean} = {},
): Promise<ResourceConfigs[]> {
  if (resources.length === 0) return []
  const routes = routeByBroker(resources, options.spreadOver)
  const unanswered = new Map<string, string>()
  const answers = await Promise.all(routes.map(async (route) => {
    try {
      return await sendRoute(connection, route, DescribeConfigs, {
        resources: route.resources.map((r) => ({type: typeCode(r.type), name: r.name, keys: options.keys ?? null})),
        includeSynonyms: Boolean(options.synonyms),
        omitDefaultsExcept: options.omitDefaultsExcept,
        includeDocumentation: options.documentation,
      })
    } catch (error) {
      // A broker's own configs can come from that broker only: the others are still shown.
      if (!(error instanceof BrokerUnreachable) || route.to !== 'broker') throw error
      connection.noteGap(error, `configs of broker ${route.id}`)
      for (const r of route.resources) unanswered.set(`${r.type}\u0000${r.name}`, error.message)
      return []
    }
  }))
  const byKey = new Map<string, ResourceConfigs>()
  for (const result of answers.flat()) {
    const type = typeOf(result.type)
    // Decoded entries already have ConfigEntry's shape; only sensitive values need blanking.
    for (const c of result.configs) {
      if (!c.sensitive) continue
      c.value = null
      for (const synonym of c.synonyms) synonym.value = null
    }
    const entry: ResourceConfigs = {type, name: result.name, configs: result.configs}
    const old = tooOld(type, result.errorCode)
    if (old) throw old
    if (result.errorCode !== 0) entry.error = `${errorName(result.errorCode)}${result.errorMessage ? ` (${result.errorMessage})` : ''}`
    byKey.set(`${type}\u0000${result.name}`, entry)
  }
  return resources.map((r) => {
    const key = `${r.type}\u0000${r.name}`
    return byKey.get(key) ?? {...r, configs: [], error: unanswered.get(key) ?? 'NO_RESPONSE'}
  })
}

export const MIN_ISR = 'min.insync.replicas'

/** min.insync.replicas of each topic, from one DescribeConfigs request. */
export async function minInsyncReplicas(connection: KafkaConnection, topics: readonly string[], spreadOver: readonly number[] = []): Promise<Map<string, number>> {
  const results = await describeConfigs(connection, topics.map((name) => ({type: 'topic' as const, name})), {keys: [MIN_ISR], spreadOver})
  return minIsrFrom(results)
}

export function minIsrFrom(results: readonly ResourceConfigs[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const r of results) {
    const value = r.configs.find((c) => c.name === MIN_ISR)?.value
    if (value !== undefined && value !== null && /^\d+$/.test(value)) out.set(r.name, Number(value))
  }
  return out
}

export function describeResource(r: ConfigResource): string {
  switch (r.type) {
    case 'topic': return `topic ${r.name}`
    case 'broker': return r.name === '' ? 'broker default' : `broker ${r.name}`
    case 'broker-logger': return `loggers of broker ${r.name}`
    case 'client-metrics': return `client-metrics subscription ${r.name}`
    case 'group': return `group ${r.name}`
  }
}

/** Named config changes of one resource, as IncrementalAlterConfigs sends them. */
export interface ConfigChange extends ConfigResource {
  ops: Array<{op: 'set' | 'delete' | 'append' | 'subtract'; name: string; value?: string}>
}

export interface ConfigChangeRefusal extends ConfigResource {
  errorCode: number
  errorMessage: string | null
}

/**
 * Sends IncrementalAlterConfigs (API 44), per-broker resources to that broker, and returns the
 * resources the brokers refused (none when all changed, or with `validateOnly`, all would).
 */
export async function sendConfigChanges(connection: KafkaConnection, resources: readonly ConfigChange[], validateOnly: boolean): Promise<ConfigChangeRefusal[]> {
  if (resources.length === 0) return []
  const routes = routeByBroker(resources)
  const answers = await Promise.all(routes.map((route) => sendRoute(connection, route, IncrementalAlterConfigs, {
    resources: route.resources.map((r) => ({
      type: typeCode(r.type),
      name: r.name,
      configs: r.ops.map((o) => ({name: o.name, op: ALTER_CONFIG_OPS[o.op], value: o.op === 'delete' ? null : (o.value ?? null)})),
    })),
    validateOnly,
  })))
  return answers.flat().filter((a) => a.errorCode !== 0).map((a) => ({
    type: typeOf(a.type), name: a.name, errorCode: a.errorCode, errorMessage: a.errorMessage,
  }))
}

/**
 * IncrementalAlterConfigs (API 44): changes only the keys named, leaving every other key of the
 * resource as it is. Per-broker resources go to that broker. Throws one KadmError naming every
 * resource the broker refused; with `validateOnly` the broker checks and changes nothing.
 */
export async function incrementalAlterConfigs(connection: KafkaConnection, resources: ConfigChange[], validateOnly: boolean): Promise<void> {
  const refused = await sendConfigChanges(connection, resources, validateOnly)
  const old = refused.map((a) => tooOld(a.type, a.errorCode, a.errorMessage)).find(Boolean)
  if (old) throw old
  const failures = refused.map((a) =>
    `${describeResource(a)}: ${a.errorMessage ?? errorName(a.errorCode)}${a.errorMessage ? ` (${errorName(a.errorCode)})` : ''}`)
  if (failures.length > 0) throw new KadmError(`config change refused: ${failures.join('; ')}`)
}

/**
 * Waits until every broker that may answer for the resources (the broker itself for per-broker
 * configs, every live broker otherwise) shows the changes, so a `configs get` or a client right
 * after sees them (see untilBrokersShow: a broker that cannot be reached is a gap, one still
 * behind at the end fails in one line naming it).
 */
export async function waitForConfigs(connection: KafkaConnection, resources: Array<ConfigResource & {ops: ConfigOp[]}>, what: string): Promise<void> {
  const live = (await connection.metadata([])).brokers.map((b) => b.nodeId)
  const targets = (r: ConfigResource) => (perBroker(r) ? [Number(r.name)] : live)
  await untilBrokersShow(connection, what, async (id) => {
    const mine = resources.filter((r) => targets(r).includes(id))
    const answer = await connection.send(await brokerById(connection, id), DescribeConfigs, {
      resources: mine.map((r) => ({type: typeCode(r.type), name: r.name, keys: r.ops.map((o) => o.name)})),
      includeSynonyms: false,
    })
    return mine.every((r) => {
      const result = answer.find((a) => a.name === r.name && a.type === typeCode(r.type))
      return result !== undefined && result.errorCode === 0 &&
        r.ops.every((op) => configOpApplied(op, result.configs.find((c) => c.name === op.name), ownConfigSource(r)))
    })
  }, [...new Set(resources.flatMap(targets))])
}
