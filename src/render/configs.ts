import type {ChalkInstance} from 'chalk'

import type {ConfigEntry, ConfigOp, ConfigResource} from '../kafka/configs.js'
import {describeResource} from '../kafka/configs.js'
import {renderTable} from './table.js'

/** How a config value is shown: sensitive values never are. */
export function configValue(c: Pick<ConfigEntry, 'value' | 'sensitive'>): string {
  return c.sensitive ? '[sensitive]' : c.value === null ? '(null)' : c.value
}

export function renderConfigEntries(entries: readonly ConfigEntry[], chalk: ChalkInstance): string {
  return renderTable(entries, [
    {header: 'NAME', value: (c) => c.name},
    {header: 'VALUE', value: (c) => configValue(c), colour: (t, c) => (c.sensitive ? chalk.dim(t) : t)},
    {header: 'SOURCE', value: (c) => c.source.toLowerCase().replace(/_config$/, '').replaceAll('_', '-'), colour: (t) => (t === 'default' ? chalk.dim(t) : t)},
    {header: 'SENSITIVE', value: (c) => (c.sensitive ? 'yes' : 'no')},
    {header: 'READ-ONLY', value: (c) => (c.readOnly ? 'yes' : 'no')},
  ], chalk)
}

export interface ConfigsGetResult extends ConfigResource {
  all: boolean
  configs: ConfigEntry[]
}

export function renderConfigsGet(data: ConfigsGetResult, chalk: ChalkInstance): string {
  if (data.configs.length === 0) return `${describeResource(data)}: no ${data.all ? '' : 'dynamic '}configs${data.all ? '' : ' (--all shows every value and its source)'}`
  return renderConfigEntries(data.configs, chalk)
}

export function describeOp(op: ConfigOp): string {
  switch (op.op) {
    case 'set': return `set ${op.name}=${op.value}`
    case 'delete': return `delete ${op.name} (back to its default)`
    case 'append': return `append ${op.value} to ${op.name}`
    case 'subtract': return `remove ${op.value} from ${op.name}`
  }
}

export interface ConfigsSetResult extends ConfigResource {
  ops: ConfigOp[]
  dryRun: boolean
}

export function renderConfigsSet(data: ConfigsSetResult, chalk: ChalkInstance): string {
  const head = data.dryRun ? chalk.yellow(`dry run: ${describeResource(data)} would change (validated by the broker, nothing applied):`) : `${describeResource(data)} changed:`
  return [head, ...data.ops.map((o) => `  ${describeOp(o)}`)].join('\n')
}
