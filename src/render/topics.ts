import type {ChalkInstance} from 'chalk'

import {isUnhealthy, type PartitionMarker, type TopicHealth} from '../domain/topic-health.js'
import type {ConfigEntry} from '../kafka/configs.js'
import type {CreatedTopic, PartitionDescription, TopicAlteration, TopicDescription, TopicSummary, TopicToDelete} from '../kafka/topics.js'
import {configValue, describeOp} from './configs.js'
import {type Column, renderKeyValues, renderTable, unknownIfFailed} from './table.js'

export function healthText(h: TopicHealth): string {
  const parts: string[] = []
  if (h.unavailable) parts.push(`${h.unavailable} unavailable`)
  if (h.underMinIsr) parts.push(`${h.underMinIsr} under-min-isr`)
  if (h.underReplicated) parts.push(`${h.underReplicated} under-replicated`)
  return parts.length === 0 ? 'ok' : parts.join(', ')
}

function healthColour(h: TopicHealth, chalk: ChalkInstance): (t: string) => string {
  if (h.unavailable || h.underMinIsr) return chalk.red
  if (isUnhealthy(h)) return chalk.yellow
  return chalk.green
}

export function renderTopicList(rows: TopicSummary[], chalk: ChalkInstance): string {
  if (rows.length === 0) return ''
  return renderTable(rows, [
    {header: 'NAME', value: (t) => t.name, shrink: true},
    {header: 'PARTITIONS', value: (t) => t.partitions, align: 'right'},
    {header: 'REPLICAS', value: (t) => t.replicationFactor, align: 'right'},
    {header: 'HEALTH', value: (t) => healthText(t.health), colour: (text, t) => healthColour(t.health, chalk)(text)},
  ], chalk)
}

const MARKER_LABELS: Record<PartitionMarker, string> = {
  unavailable: 'unavailable',
  'under-replicated': 'under-replicated',
  'under-min-isr': 'under-min-isr',
  'at-min-isr': 'at-min-isr',
  'not-preferred-leader': 'not-preferred-leader',
}

function markerColour(m: PartitionMarker, chalk: ChalkInstance): string {
  const label = MARKER_LABELS[m]
  return m === 'unavailable' || m === 'under-min-isr' ? chalk.red(label) : m === 'under-replicated' ? chalk.yellow(label) : chalk.dim(label)
}

const ids = (xs: number[]) => (xs.length === 0 ? '-' : xs.join(','))

function partitionColumns(chalk: ChalkInstance): Column<PartitionDescription>[] {
  const markers = (p: PartitionDescription) => (p.markers.length === 0 && !p.error ? '' : [...p.markers.map((m) => MARKER_LABELS[m]), ...(p.error ? [p.error] : [])].join(' '))
  return [
    {header: 'PARTITION', value: (p) => p.partition, align: 'right'},
    {header: 'LEADER', value: (p) => p.leader ?? 'none', align: 'right', colour: (text, p) => (p.leader === null ? chalk.red(text) : text)},
    {header: 'REPLICAS', value: (p) => ids(p.replicas)},
    {header: 'ISR', value: (p) => ids(p.isr)},
    {header: 'OFFLINE', value: (p) => ids(p.offlineReplicas)},
    {header: 'EARLIEST', value: (p) => unknownIfFailed(p, p.earliestOffset), align: 'right'},
    {header: 'LATEST', value: (p) => unknownIfFailed(p, p.latestOffset), align: 'right'},
    {header: 'RECORDS', value: (p) => unknownIfFailed(p, p.records), align: 'right'},
    {header: 'MARKERS', value: markers, colour: (text, p) => (text === '' ? text : [...p.markers.map((m) => markerColour(m, chalk)), ...(p.error ? [chalk.red(p.error)] : [])].join(' '))},
  ]
}

const CONFIG_COLUMNS: Column<ConfigEntry>[] = [
  {header: 'CONFIG', value: (c) => c.name},
  {header: 'VALUE', value: (c) => configValue(c)},
  {header: 'SOURCE', value: (c) => c.source},
]

export function renderTopicDescriptions(topics: TopicDescription[], chalk: ChalkInstance): string {
  // Built once for every topic's table: a describe of all topics draws thousands of them.
  const columns = partitionColumns(chalk)
  return topics.map((t) => {
    const allShown = t.configs.some((c) => c.source === 'DEFAULT_CONFIG')
    const configs = t.configs.length === 0 ? '-' : allShown ? `${t.configs.length} (all, below)` : t.configs.map((c) => `${c.name}=${configValue(c)}`).join(', ')
    const header = renderKeyValues([
      ['Topic', t.name + (t.internal ? ' (internal)' : '')],
      ['Topic ID', t.topicId],
      ['Partitions', t.partitionCount],
      ['Replication factor', t.replicationFactor],
      ['Min ISR', t.minInsyncReplicas],
      ['Configs', configs],
    ], chalk)
    const configTable = allShown ? '\n\n' + renderTable(t.configs, CONFIG_COLUMNS, chalk) : ''
    return `${header}${configTable}\n\n${renderTable(t.partitions, columns, chalk)}`
  }).join('\n\n')
}

export function renderCreated(rows: CreatedTopic[], chalk: ChalkInstance): string {
  return rows.map((r) => {
    const partitions = r.partitions === null ? 'default partitions' : `${r.partitions} partition${r.partitions === 1 ? '' : 's'}`
    const shape = `${partitions}, replication factor ${r.replicationFactor ?? 'default'}`
    if (r.status === 'exists') return `${r.name}: already exists (${shape}), skipped`
    if (r.status === 'valid') return chalk.yellow(`dry run: ${r.name} would be created (${shape}); the brokers accepted it, nothing was created`)
    return `created ${r.name} (${shape})`
  }).join('\n')
}

export function renderDeletionPlan(rows: TopicToDelete[], chalk: ChalkInstance): string {
  return renderTable(rows, [
    {header: 'TOPIC', value: (t) => t.name, colour: (text, t) => (t.internal ? chalk.red(text) : text), shrink: true},
    {header: 'TOPIC ID', value: (t) => t.topicId},
    {header: 'PARTITIONS', value: (t) => t.partitions, align: 'right'},
  ], chalk)
}

export interface DeletionResult {
  deleted: TopicToDelete[]
  dryRun: boolean
}

export function renderDeletion(data: DeletionResult, chalk: ChalkInstance): string {
  if (data.deleted.length === 0) return 'no topics to delete'
  if (data.dryRun) return `${chalk.yellow('dry run: would delete')}\n${renderDeletionPlan(data.deleted, chalk)}`
  return data.deleted.map((t) => `deleted ${t.name}`).join('\n')
}

export function renderAlteration(data: TopicAlteration, chalk: ChalkInstance): string {
  const lines: string[] = []
  if (data.partitions) lines.push(`partitions ${data.partitions.from} -> ${data.partitions.to}`)
  for (const op of data.configs) lines.push(describeOp(op))
  if (lines.length === 0) return `${data.topic}: nothing to change`
  const head = data.dryRun ? chalk.yellow(`dry run: ${data.topic} would change (validated by the brokers, nothing applied):`) : `${data.topic} changed:`
  return [head, ...lines.map((l) => `  ${l}`)].join('\n')
}
