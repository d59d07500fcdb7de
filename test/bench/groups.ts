/**
 * `kadm consumer-groups lag` for every group vs `kafka-consumer-groups.sh --describe --all-groups`
 * (ConsumerGroupCommand from the cluster's own jars), on 200 groups over 50 topics x 6 partitions.
 * Topics and groups are prefixed `bench-cg-` and reused when present; `cleanup()` deletes them.
 *
 *   node --import tsx test/bench/groups.ts <bootstrap> <kafka-version> [--cleanup]
 */
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {pathToFileURL} from 'node:url'
import {Kafka, logLevel} from 'kafkajs'

import {KafkaConnection} from '../../src/kafka/client.js'
import {kafkaTool} from '../helpers/kafka-tools.js'
import {ROOT} from '../helpers/kadm.js'

import type {BenchResult} from './lib.js'

const PREFIX = 'bench-cg-'
const TOPICS = 50
const PARTITIONS = 6
const GROUPS = 200
const RECORDS_PER_PARTITION = 20
const RUNS = 3
const CGC = 'ConsumerGroupCommand' as const

const topicName = (i: number) => `${PREFIX}t-${String(i).padStart(2, '0')}`
const groupName = (i: number) => `${PREFIX}g-${String(i).padStart(3, '0')}`

interface OffsetCommitting {
  offsetCommit(request: {groupId: string; groupGenerationId: number; memberId: string; topics: Array<{topic: string; partitions: Array<{partition: number; offset: string}>}>}): Promise<unknown>
}

/** 50 topics with 20 records per partition, and 200 groups that committed offsets 5..11 on one topic each (no members). */
export async function prepare(bootstrap: string): Promise<void> {
  const kafka = new Kafka({clientId: 'kadm-bench', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING})
  const admin = kafka.admin()
  await admin.connect()
  const existing = new Set(await admin.listTopics())
  const missing = Array.from({length: TOPICS}, (_, i) => topicName(i)).filter((t) => !existing.has(t))
  if (missing.length > 0) {
    await admin.createTopics({topics: missing.map((topic) => ({topic, numPartitions: PARTITIONS})), waitForLeaders: true})
    const producer = kafka.producer()
    await producer.connect()
    await producer.sendBatch({topicMessages: missing.map((topic) => ({
      topic,
      messages: Array.from({length: PARTITIONS * RECORDS_PER_PARTITION}, (_, i) => ({partition: i % PARTITIONS, value: `r${i}`})),
    }))})
    await producer.disconnect()
  }
  await admin.disconnect()
  const connection = await KafkaConnection.open({bootstrapServers: bootstrap.split(','), source: 'flag'}, {timeoutMs: 10_000, verbose: false})
  try {
    // Simple (member-less) commits, as `kafka-consumer-groups --reset-offsets --execute` makes them.
    await Promise.all(Array.from({length: GROUPS}, async (_, j) => {
      const groupId = groupName(j)
      const offset = String(5 + 2 * Math.floor(j / TOPICS))
      // A coordinator that moved or is still loading (a fresh or busy cluster) is asked for again.
      for (let attempt = 1; ; attempt++) {
        try {
          const broker = (await connection.coordinator(groupId)) as unknown as OffsetCommitting
          await broker.offsetCommit({groupId, groupGenerationId: -1, memberId: '', topics: [{
            topic: topicName(j % TOPICS),
            partitions: Array.from({length: PARTITIONS}, (_, partition) => ({partition, offset})),
          }]})
          return
        } catch (error) {
          if (!(error as {retriable?: boolean}).retriable || attempt === 20) throw error
          await sleep(250 * attempt)
        }
      }
    }))
  } finally {
    await connection.close()
  }
}

async function timeKadm(args: string[]): Promise<{ms: number; stdout: string}> {
  const started = process.hrtime.bigint()
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {stdio: ['ignore', 'pipe', 'inherit'], env: {...process.env, NODE_ENV: undefined}})
    const out: Buffer[] = []
    child.stdout.on('data', (d) => out.push(d))
    child.once('error', reject)
    child.once('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString()) : reject(new Error(`kadm ${args.join(' ')} exited ${code}`))))
  })
  return {ms: Number(process.hrtime.bigint() - started) / 1e6, stdout}
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Sum of LAG over the bench groups in ConsumerGroupCommand's --describe table. */
function kafkaBenchLag(stdout: string): number {
  let sum = 0
  for (const line of stdout.split('\n')) {
    const cols = line.trim().split(/\s+/)
    if (cols[0]?.startsWith(`${PREFIX}g-`) && /^\d+$/.test(cols[5] ?? '')) sum += Number(cols[5])
  }
  return sum
}

export async function run(ctx: {bootstrap: string; kafkaVersion: string}): Promise<BenchResult[]> {
  await prepare(ctx.bootstrap)
  const results: BenchResult[] = []

  const task = `lag of every group (${GROUPS} bench groups over ${TOPICS} topics x ${PARTITIONS})`
  // [tool label, argv]: the first is kadm's full answer (with lag as time), the one ratios are taken against.
  const kadmVariants: Array<[string, string[]]> = [
    ['kadm', ['consumer-groups', 'lag', '-b', ctx.bootstrap, '-o', 'json']],
    ['kadm --no-time-lag', ['consumer-groups', 'lag', '--no-time-lag', '-b', ctx.bootstrap, '-o', 'json']],
  ]
  const kadmLag: number[] = []
  for (const [tool, args] of kadmVariants) {
    const times: number[] = []
    let benchLag = 0
    for (let i = 0; i < RUNS; i++) {
      const {ms, stdout} = await timeKadm(args)
      times.push(ms)
      const summary = JSON.parse(stdout) as {groups: Array<{groupId: string; totalLag: number}>}
      benchLag = summary.groups.filter((g) => g.groupId.startsWith(`${PREFIX}g-`)).reduce((s, g) => s + g.totalLag, 0)
    }
    kadmLag.push(benchLag)
    results.push({name: task, tool, ms: median(times), note: `median of ${RUNS}; bench groups' total lag ${benchLag}; target: kafka-consumer-groups >= 5x, kadm < 2 s`})
  }

  const javaTimes: number[] = []
  let javaLag = 0
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint()
    const out = await kafkaTool(ctx.kafkaVersion, CGC, ['--bootstrap-server', ctx.bootstrap, '--describe', '--all-groups'], {timeoutMs: 300_000})
    javaTimes.push(Number(process.hrtime.bigint() - started) / 1e6)
    if (out.code !== 0) throw new Error(`ConsumerGroupCommand exited ${out.code}: ${out.stderr.slice(0, 300)}`)
    javaLag = kafkaBenchLag(out.stdout)
  }
  const javaMs = median(javaTimes)
  results.push({name: task, tool: 'kafka-consumer-groups', ms: javaMs, note: `--describe --all-groups, median of ${RUNS}; bench groups' total lag ${javaLag}${kadmLag.every((l) => l === javaLag) ? ', equal to kadm' : ', DIFFERENT from kadm'}`})
  results.push({name: task, tool: 'kcat', ms: Number.NaN, note: 'kcat has no consumer-group lag'})
  return results
}

/** Deletes the bench groups and topics. */
export async function cleanup(ctx: {bootstrap: string}): Promise<void> {
  const kafka = new Kafka({clientId: 'kadm-bench', brokers: ctx.bootstrap.split(','), logLevel: logLevel.NOTHING})
  const admin = kafka.admin()
  await admin.connect()
  try {
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(PREFIX))
    if (groups.length > 0) await admin.deleteGroups(groups)
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(PREFIX))
    if (topics.length > 0) await admin.deleteTopics({topics})
  } finally {
    await admin.disconnect()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [bootstrap, kafkaVersion = '4.x'] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
  if (!bootstrap) throw new Error('usage: node --import tsx test/bench/groups.ts <bootstrap> [kafka-version] [--cleanup]')
  if (process.argv.includes('--cleanup')) await cleanup({bootstrap})
  else for (const r of await run({bootstrap, kafkaVersion})) console.log(`${r.tool.padEnd(6)} ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}${r.note ? `  (${r.note})` : ''}`)
}
