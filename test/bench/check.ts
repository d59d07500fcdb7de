/**
 * `kadm cluster check` on 1,000 topics x 6 partitions and the 200 groups of the groups bench
 * (groups.ts's prepare). No tool does the same checks, so beside kadm's time stands the time of
 * the Kafka tool invocations that gather the same facts one after the other (as a script would):
 * kafka-topics --describe (replicas, ISR, leaders, config overrides), kafka-configs --describe
 * --entity-type topics (retention, segment and min ISR of each topic), kafka-consumer-groups
 * --describe --all-groups (lag), GetOffsetShell --time -2 (log starts, for offsets below them) and
 * kafka-log-dirs --describe (disk). Topics are prefixed `bench-chk-` and reused when present.
 *
 *   node --import tsx test/bench/check.ts <bootstrap> <kafka-version> [--cleanup]
 */
import {pathToFileURL} from 'node:url'
import {Kafka, logLevel} from 'kafkajs'

import {kafkaTool} from '../helpers/kafka-tools.js'
import {prepare as prepareGroups} from './groups.js'
import {type BenchResult, kadmArgv, timeCommand} from './lib.js'

const PREFIX = 'bench-chk-'
const TOPICS = 1000
const PARTITIONS = 6
const RUNS = 3
const CREATE_BATCH = 100

const topicName = (i: number) => `${PREFIX}t-${String(i).padStart(4, '0')}`

/** The topics (created with kadm topics create, which waits for leaders past kafkajs#815), then groups.ts's groups. */
export async function prepare(bootstrap: string): Promise<void> {
  const kafka = new Kafka({clientId: 'kadm-bench', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING})
  const admin = kafka.admin()
  await admin.connect()
  let existing: Set<string>
  try {
    existing = new Set(await admin.listTopics())
  } finally {
    await admin.disconnect()
  }
  const missing = Array.from({length: TOPICS}, (_, i) => topicName(i)).filter((t) => !existing.has(t))
  for (let i = 0; i < missing.length; i += CREATE_BATCH) {
    const created = await timeCommand(kadmArgv('topics', 'create', ...missing.slice(i, i + CREATE_BATCH), '-p', String(PARTITIONS), '--if-not-exists', '-b', bootstrap, '--timeout', '60s'), {env: {...process.env, NODE_ENV: undefined}})
    if (created.code !== 0) throw new Error(`kadm topics create exited ${created.code}: ${created.stderr.slice(0, 500)}`)
  }
  await prepareGroups(bootstrap)
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

export async function run(ctx: {bootstrap: string; kafkaVersion: string}): Promise<BenchResult[]> {
  await prepare(ctx.bootstrap)
  const task = `cluster check (${TOPICS} bench topics x ${PARTITIONS} partitions, 200 bench groups, every other topic and group of the cluster too)`
  const times: number[] = []
  let checked = ''
  for (let i = 0; i <= RUNS; i++) {
    const result = await timeCommand(kadmArgv('cluster', 'check', '-b', ctx.bootstrap, '-o', 'json'), {env: {...process.env, NODE_ENV: undefined}})
    if (result.code !== 0) throw new Error(`kadm cluster check exited ${result.code}: ${result.stderr.slice(0, 500)}`)
    const report = JSON.parse(result.stdout) as {findings: unknown[]; checked: {topics: number; partitions: number; groups: number}}
    checked = `${report.checked.topics} topics, ${report.checked.partitions} partitions, ${report.checked.groups} groups, ${report.findings.length} findings`
    if (i > 0) times.push(result.ms)
  }
  const results: BenchResult[] = [{name: task, tool: 'kadm', ms: median(times), note: `median of ${RUNS} after a warm-up; ${checked}; target < 1 s`}]

  const b = ['--bootstrap-server', ctx.bootstrap]
  const invocations: Array<[Parameters<typeof kafkaTool>[1], string[]]> = [
    ['TopicCommand', [...b, '--describe']],
    ['ConfigCommand', [...b, '--describe', '--entity-type', 'topics']],
    ['ConsumerGroupCommand', [...b, '--describe', '--all-groups']],
    ['GetOffsetShell', [...b, '--time', '-2']],
    ['LogDirsCommand', [...b, '--describe']],
  ]
  let total = 0
  const each: string[] = []
  for (const [tool, args] of invocations) {
    const started = process.hrtime.bigint()
    const out = await kafkaTool(ctx.kafkaVersion, tool, args, {timeoutMs: 600_000})
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    if (out.code !== 0) throw new Error(`${tool} exited ${out.code}: ${out.stderr.slice(0, 300)}`)
    total += ms
    each.push(`${tool} ${(ms / 1000).toFixed(1)} s`)
  }
  results.push({name: task, tool: 'kafka tools', ms: total, note: `the facts only, no checks: ${each.join(', ')}, one run each`})
  return results
}

/** Deletes the bench topics (groups.ts's cleanup deletes its groups and topics). */
export async function cleanup(ctx: {bootstrap: string}): Promise<void> {
  const kafka = new Kafka({clientId: 'kadm-bench', brokers: ctx.bootstrap.split(','), logLevel: logLevel.NOTHING})
  const admin = kafka.admin()
  await admin.connect()
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(PREFIX))
    for (let i = 0; i < topics.length; i += CREATE_BATCH) await admin.deleteTopics({topics: topics.slice(i, i + CREATE_BATCH)})
  } finally {
    await admin.disconnect()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [bootstrap, kafkaVersion = '4.x'] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
  if (!bootstrap) throw new Error('usage: node --import tsx test/bench/check.ts <bootstrap> [kafka-version] [--cleanup]')
  if (process.argv.includes('--cleanup')) await cleanup({bootstrap})
  else for (const r of await run({bootstrap, kafkaVersion})) console.log(`${r.tool.padEnd(12)} ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}${r.note ? `  (${r.note})` : ''}`)
}
