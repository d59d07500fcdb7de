import {parseKeyValue} from './topic-spec.js'

/**
 * What `configs get/set` configure: topics, brokers (name '' is the cluster-wide broker default),
 * a broker's log4j loggers (name: the broker id), KIP-714 client-metrics subscriptions (Kafka 3.7+)
 * and KIP-848 groups (Kafka 4.0+).
 */
export type ConfigResourceType = 'topic' | 'broker' | 'broker-logger' | 'client-metrics' | 'group'

/** Resources that only their own broker can describe or change (the name is the broker id). */
export function perBroker(resource: {type: ConfigResourceType; name: string}): boolean {
  return (resource.type === 'broker' && resource.name !== '') || resource.type === 'broker-logger'
}

export interface ConfigOp {
  op: 'set' | 'delete' | 'append' | 'subtract'
  name: string
  value?: string
}

/**
 * --set k=v (`setFlag`: topics alter's --config) / --delete k / --append k=v / --subtract k=v into IncrementalAlterConfigs
 * operations; throws an Error naming the bad flag.
 */
export function configOps(flags: {set?: string[]; delete?: string[]; append?: string[]; subtract?: string[]}, setFlag = '--set'): ConfigOp[] {
  const ops: ConfigOp[] = []
  for (const item of flags.set ?? []) {
    const [name, value] = parseKeyValue(item, setFlag)
    ops.push({op: 'set', name, value})
  }
  for (const name of flags.delete ?? []) {
    if (name.includes('=')) throw new Error(`--delete takes a key, not key=value ("${name}")`)
    ops.push({op: 'delete', name: name.trim()})
  }
  for (const item of flags.append ?? []) {
    const [name, value] = parseKeyValue(item, '--append')
    ops.push({op: 'append', name, value})
  }
  for (const item of flags.subtract ?? []) {
    const [name, value] = parseKeyValue(item, '--subtract')
    ops.push({op: 'subtract', name, value})
  }
  const names = ops.map((o) => o.name)
  const twice = names.find((n, i) => names.indexOf(n) !== i)
  if (twice) throw new Error(`config "${twice}" is changed twice in one command`)
  return ops
}

/** The source a resource's own dynamic value has: what --delete removes. */
export function ownConfigSource(resource: {type: ConfigResourceType; name: string}): string {
  switch (resource.type) {
    case 'topic': return 'DYNAMIC_TOPIC_CONFIG'
    case 'broker': return resource.name === '' ? 'DYNAMIC_DEFAULT_BROKER_CONFIG' : 'DYNAMIC_BROKER_CONFIG'
    case 'broker-logger': return 'DYNAMIC_BROKER_LOGGER_CONFIG'
    case 'client-metrics': return 'DYNAMIC_CLIENT_METRICS_CONFIG'
    case 'group': return 'DYNAMIC_GROUP_CONFIG'
  }
}

/**
 * Whether a broker's view of one config entry already shows `op` applied. Brokers learn config
 * changes from the metadata log, a moment after the controller accepts them. Sensitive values
 * cannot be compared (the broker never returns them), so they count as applied.
 */
export function configOpApplied(op: ConfigOp, entry: {value: string | null; source: string; sensitive: boolean} | undefined, ownSource: string): boolean {
  if (entry?.sensitive) return true
  // Every logger of a broker is reported with this source, a deleted override (the logger then
  // follows its parent again) included: nothing shows the delete. The broker applies logger
  // changes itself before it answers, so there is nothing to wait for either.
  if (op.op === 'delete' && ownSource === 'DYNAMIC_BROKER_LOGGER_CONFIG') return true
  const items = entry?.value ? entry.value.split(',').map((s) => s.trim()) : []
  switch (op.op) {
    case 'set': return entry !== undefined && entry.value === op.value && entry.source === ownSource
    case 'delete': return !entry || entry.source !== ownSource
    case 'append': return (op.value ?? '').split(',').every((v) => items.includes(v.trim()))
    case 'subtract': return (op.value ?? '').split(',').every((v) => !items.includes(v.trim()))
  }
}
