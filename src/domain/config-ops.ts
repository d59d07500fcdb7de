import {parseKeyValue} from './topic-spec.js'

export interface ConfigOp {
  op: 'set' | 'delete' | 'append' | 'subtract'
  name: string
  value?: string
}

/**
 * --set k=v / --delete k / --append k=v / --subtract k=v into IncrementalAlterConfigs
 * operations; throws an Error naming the bad flag.
 */
export function configOps(flags: {set?: string[]; delete?: string[]; append?: string[]; subtract?: string[]}): ConfigOp[] {
  const ops: ConfigOp[] = []
  for (const item of flags.set ?? []) {
    const [name, value] = parseKeyValue(item, '--set')
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
