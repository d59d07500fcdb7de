import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'

import {toolArgv} from '../../src/local/java.js'
import {loggingFlags} from '../../src/local/logging.js'
import {ensureKafkaJars, resolveKafkaVersion} from '../../src/local/maven.js'
import type {KafkaTool} from '../../src/local/versions.js'
import {ROOT} from './kadm.js'
import {runProcess, type RunResult} from './process.js'

/** The argv that runs one of Kafka's tool classes from the jars of `version`, as bin/kafka-*.sh would. */
export async function kafkaToolArgv(version: string, tool: KafkaTool, args: string[]): Promise<string[]> {
  const dist = await ensureKafkaJars(await resolveKafkaVersion(version))
  const dir = join(ROOT, '.kadm-test', 'tools')
  await mkdir(dir, {recursive: true})
  return ['java', ...toolArgv(dist, await loggingFlags(dist, dir, 'tool'), tool, args)]
}

/**
 * Runs one of Kafka's own tool classes (TopicCommand, ConsumerGroupCommand, ConsoleProducer, ...)
 * from the very jars the test cluster runs.
 */
export async function kafkaTool(version: string, tool: KafkaTool, args: string[], options: {input?: string | Buffer; timeoutMs?: number; env?: Record<string, string>} = {}): Promise<RunResult> {
  const [java, ...argv] = await kafkaToolArgv(version, tool, args)
  const env = options.env ? {...process.env, ...options.env} : undefined
  return runProcess(java, argv, {input: options.input, timeoutMs: options.timeoutMs ?? 120_000, env})
}

export interface ToolPartition {
  topic: string
  partition: number
  /** null where TopicCommand prints "Leader: none". */
  leader: number | null
  replicas: number[]
  isr: number[]
}

export interface ToolTopic {
  topic: string
  topicId: string
  partitionCount: number
  replicationFactor: number
  configs: Record<string, string>
}

const ids = (text: string) => (text.trim() === '' ? [] : text.trim().split(',').map(Number))

/** Runs kafka-topics --describe (TopicCommand from the cluster's own jars) and parses what it prints. */
export async function describeWithTopicCommand(version: string, bootstrap: string, args: string[]): Promise<{topics: ToolTopic[]; partitions: ToolPartition[]}> {
  const result = await kafkaTool(version, 'TopicCommand', ['--bootstrap-server', bootstrap, '--describe', ...args])
  if (result.code !== 0) throw new Error(`TopicCommand --describe ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  const topics: ToolTopic[] = []
  const partitions: ToolPartition[] = []
  for (const line of result.stdout.split('\n')) {
    const field = (name: string) => new RegExp(`${name}: ([^\\t]*)`).exec(line)?.[1]
    if (field('Partition') !== undefined) {
      partitions.push({
        topic: field('Topic')!.trim(),
        partition: Number(field('Partition')),
        leader: field('Leader') === 'none' ? null : Number(field('Leader')),
        replicas: ids(field('Replicas')!),
        isr: ids(field('Isr')!),
      })
    } else if (field('TopicId') !== undefined) {
      const configs = Object.fromEntries((field('Configs') ?? '').trim().split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
      topics.push({
        topic: field('Topic')!.trim(),
        topicId: field('TopicId')!.trim(),
        partitionCount: Number(field('PartitionCount')),
        replicationFactor: Number(field('ReplicationFactor')),
        configs,
      })
    }
  }
  return {topics, partitions}
}

export interface ToolConfig {
  value: string
  sensitive: boolean
  /** In the order ConfigCommand prints them: the first is where the value comes from. */
  synonyms: Array<{source: string; name: string; value: string}>
}

/**
 * Runs kafka-configs --describe (ConfigCommand from the cluster's own jars) and parses the entries
 * it prints ("  name=value sensitive=false synonyms={SOURCE:name=value, ...}"), by name.
 */
export async function describeWithConfigCommand(version: string, bootstrap: string, args: string[]): Promise<Map<string, ToolConfig>> {
  const result = await kafkaTool(version, 'ConfigCommand', ['--bootstrap-server', bootstrap, '--describe', ...args])
  if (result.code !== 0) throw new Error(`ConfigCommand --describe ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  const configs = new Map<string, ToolConfig>()
  for (const line of result.stdout.split('\n')) {
    const m = /^ {2}([^=\s]+)=(.*) sensitive=(true|false) synonyms=\{(.*)\}$/.exec(line)
    if (!m) continue
    const synonyms = m[4] === '' ? [] : m[4].split(/, (?=[A-Z_]+:)/).map((s) => {
      const [, source, name, value] = /^([A-Z_]+):([^=]+)=(.*)$/.exec(s)!
      return {source, name, value}
    })
    configs.set(m[1], {value: m[2], sensitive: m[3] === 'true', synonyms})
  }
  return configs
}

/** Runs kafka-configs --alter (ConfigCommand from the cluster's own jars), e.g. with --add-config k=v or --delete-config k; throws when it fails. */
export async function alterWithConfigCommand(version: string, bootstrap: string, args: string[]): Promise<void> {
  const result = await kafkaTool(version, 'ConfigCommand', ['--bootstrap-server', bootstrap, '--alter', ...args])
  if (result.code !== 0) throw new Error(`ConfigCommand --alter ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
}

/** The KRaft quorum as kafka-metadata-quorum describe --status (MetadataQuorumCommand) prints it. */
export async function describeQuorumWithTool(version: string, bootstrap: string): Promise<{clusterId: string; leaderId: number}> {
  const result = await kafkaTool(version, 'MetadataQuorumCommand', ['--bootstrap-server', bootstrap, 'describe', '--status'])
  if (result.code !== 0) throw new Error(`MetadataQuorumCommand describe --status exited ${result.code}: ${result.stderr}`)
  const field = (name: string) => new RegExp(`^${name}:\\s+(\\S+)$`, 'm').exec(result.stdout)?.[1]
  return {clusterId: field('ClusterId')!, leaderId: Number(field('LeaderId'))}
}

/** kafka-features describe (FeatureCommand): feature -> [supported min, supported max, finalized, epoch] as it prints them. */
export async function describeFeaturesWithTool(version: string, bootstrap: string): Promise<Map<string, [string, string, string, number]>> {
  const result = await kafkaTool(version, 'FeatureCommand', ['--bootstrap-server', bootstrap, 'describe'])
  if (result.code !== 0) throw new Error(`FeatureCommand describe exited ${result.code}: ${result.stderr}`)
  const rows = new Map<string, [string, string, string, number]>()
  for (const m of result.stdout.matchAll(/^Feature: (\S+)\s+SupportedMinVersion: (.+?)\s+SupportedMaxVersion: (.+?)\s+FinalizedVersionLevel: (.+?)\s+Epoch: (\d+)\s*$/gm)) {
    rows.set(m[1], [m[2], m[3], m[4], Number(m[5])])
  }
  return rows
}

/** One offset row of kafka-consumer-groups --describe; "-" (no commit, no log end) is null. */
export interface ToolGroupRow {
  group: string
  topic: string
  partition: number
  current: number | null
  logEnd: number | null
  lag: number | null
}

/**
 * Runs kafka-consumer-groups --describe (ConsumerGroupCommand) with `args` (--group G, or
 * --all-groups) and parses its offset rows: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...
 * It reports some failures on stderr and still exits 0: those fail too.
 */
export async function describeGroupsWithTool(version: string, bootstrap: string, args: string[]): Promise<ToolGroupRow[]> {
  const result = await kafkaTool(version, 'ConsumerGroupCommand', ['--bootstrap-server', bootstrap, '--describe', ...args])
  if (result.code !== 0 || /^Error:/m.test(result.stderr)) throw new Error(`ConsumerGroupCommand --describe ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`)
  const num = (s: string) => (s === '-' ? null : Number(s))
  const rows: ToolGroupRow[] = []
  for (const cols of result.stdout.split('\n').map((l) => l.trim().split(/\s+/))) {
    if (cols.length < 6 || cols[0] === 'GROUP' || !/^\d+$/.test(cols[2])) continue
    rows.push({group: cols[0], topic: cols[1], partition: Number(cols[2]), current: num(cols[3]), logEnd: num(cols[4]), lag: num(cols[5])})
  }
  return rows
}

/** One SCRAM credential as kafka-configs --describe --entity-type users prints it. */
export interface ToolScramCredential {
  user: string
  mechanism: string
  iterations: number
}

/**
 * Runs kafka-configs --describe --entity-type users (ConfigCommand) with `args` (--entity-name U,
 * or none for every user) and parses its lines "SCRAM credential configs for user-principal 'U'
 * are SCRAM-SHA-256=iterations=4096, SCRAM-SHA-512=iterations=8192", sorted as kadm sorts them.
 */
export async function describeScramWithConfigCommand(version: string, bootstrap: string, args: string[] = []): Promise<ToolScramCredential[]> {
  const result = await kafkaTool(version, 'ConfigCommand', ['--bootstrap-server', bootstrap, '--describe', '--entity-type', 'users', ...args])
  if (result.code !== 0) throw new Error(`ConfigCommand --describe --entity-type users ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  const rows: ToolScramCredential[] = []
  for (const line of result.stdout.split('\n')) {
    const m = /^SCRAM credential configs for user-principal '(.*)' are (.*)$/.exec(line)
    if (!m) continue
    for (const part of m[2].split(', ')) {
      const [, mechanism, iterations] = /^([A-Z0-9-]+)=iterations=(\d+)$/.exec(part)!
      rows.push({user: m[1], mechanism, iterations: Number(iterations)})
    }
  }
  return rows.sort((a, b) => (a.user === b.user ? a.mechanism.localeCompare(b.mechanism) : a.user < b.user ? -1 : 1))
}

/**
 * Runs kafka-configs --describe with `args` (--entity-type users|clients|ips, ...) and parses its
 * quota lines ("Quota configs for user-principal 'alice', the default client-id are
 * consumer_byte_rate=2048.0") into kadm's entity names (`user=alice, client-id=<default>`).
 */
export async function describeQuotasWithConfigCommand(version: string, bootstrap: string, args: string[]): Promise<Array<{name: string; quotas: Record<string, number>}>> {
  const result = await kafkaTool(version, 'ConfigCommand', ['--bootstrap-server', bootstrap, '--describe', ...args])
  if (result.code !== 0) throw new Error(`ConfigCommand --describe ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  const types: Record<string, string> = {'user-principal': 'user', 'client-id': 'client-id', ip: 'ip'}
  const out: Array<{name: string; quotas: Record<string, number>}> = []
  for (const line of result.stdout.split('\n')) {
    const m = /^Quota configs for (.*) are (.*)$/.exec(line)
    if (!m) continue
    const name = m[1].split(/, (?=the default |user-principal '|client-id '|ip ')/).map((part) => {
      const named = /^(user-principal|client-id|ip) '(.*)'$/.exec(part)
      if (named) return `${types[named[1]]}=${named[2]}`
      const byDefault = /^the default (user-principal|client-id|ip)$/.exec(part)
      if (!byDefault) throw new Error(`unexpected quota entity in ConfigCommand output: ${part}`)
      return `${types[byDefault[1]]}=<default>`
    }).join(', ')
    const quotas = Object.fromEntries(m[2].split(', ').map((kv) => [kv.slice(0, kv.indexOf('=')), Number(kv.slice(kv.indexOf('=') + 1))]).sort())
    out.push({name, quotas})
  }
  return out
}

/**
 * Runs kafka-transactions.sh (TransactionsCommand) with `args` and returns the rows of the table it
 * prints (tab-separated, padded columns; the first line is the header) as objects by header name.
 */
export async function transactionsWithTool(version: string, bootstrap: string, args: string[]): Promise<Array<Record<string, string>>> {
  const result = await kafkaTool(version, 'TransactionsCommand', ['--bootstrap-server', bootstrap, ...args])
  if (result.code !== 0) throw new Error(`TransactionsCommand ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  const [header, ...rows] = result.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => l.split('\t').map((c) => c.trim()))
  return rows.map((cells) => Object.fromEntries(header.filter(Boolean).map((name, i) => [name, cells[i]])))
}
