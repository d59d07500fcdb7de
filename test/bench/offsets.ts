import {Kafka, logLevel} from 'kafkajs'

import {kadm} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'
import type {BenchContext, BenchResult} from './lib.js'

const TOPICS = 10
const PARTITIONS = 100
const RECORDS_PER_PARTITION = 5
const RUNS = 3
const CGC = 'ConsumerGroupCommand' as const

async function timed(runs: number, work: () => Promise<void>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await work()
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]
}

/**
 * Resets one group over 1,000 partitions (10 topics x 100) with --to-datetime, dry run and
 * execute, with kadm and with ConsumerGroupCommand (kcat cannot reset offsets). Both start as a
 * fresh process per run, as a script would run them. Topics are deleted afterwards.
 */
export async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const kafka = new Kafka({clientId: 'kadm-bench-offsets', brokers: ctx.bootstrap.split(','), logLevel: logLevel.NOTHING})
  const admin = kafka.admin()
  await admin.connect()
  const suffix = Date.now().toString(36)
  // Recent timestamps: records older than the retention (7 days) would be deleted during the run.
  const BASE = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000
  const topics = Array.from({length: TOPICS}, (_, i) => `bench-off-${suffix}-${i}`)
  const group = `bench-off-${suffix}`
  try {
    await admin.createTopics({topics: topics.map((topic) => ({topic, numPartitions: PARTITIONS, replicationFactor: 1})), waitForLeaders: false})
    const producer = kafka.producer()
    await producer.connect()
    const messages = (topic: string) => ({
      topic,
      messages: Array.from({length: PARTITIONS * RECORDS_PER_PARTITION}, (_, n) => ({
        partition: n % PARTITIONS, value: String(n), timestamp: String(BASE + Math.floor(n / PARTITIONS) * 1000),
      })),
    })
    for (let attempt = 1; ; attempt++) {
      try {
        await producer.sendBatch({topicMessages: topics.map(messages)})
        break
      } catch (error) {
        if (attempt >= 50) throw error
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    await producer.disconnect()

    const scope = topics.flatMap((t) => ['--topic', t])
    const datetime = new Date(BASE + 2000).toISOString().slice(0, 23)
    const kadmReset = async (execute: boolean) => {
      const result = await kadm(['offsets', 'reset', '-b', ctx.bootstrap, '--group', group, ...scope, '--to-datetime', datetime, '-o', 'json',
        ...(execute ? ['--execute', '--undo-file', `/tmp/${group}-undo.csv`] : [])], {timeoutMs: 300_000})
      if (result.code !== 0) throw new Error(`kadm offsets reset failed: ${result.stderr}`)
    }
    const cgcReset = async (execute: boolean) => {
      const result = await kafkaTool(ctx.kafkaVersion, CGC, ['--bootstrap-server', ctx.bootstrap, '--reset-offsets', '--group', group, ...scope, '--to-datetime', datetime, execute ? '--execute' : '--dry-run'], {timeoutMs: 300_000})
      if (result.code !== 0) throw new Error(`ConsumerGroupCommand failed: ${result.stderr}`)
    }
    const note = `${TOPICS * PARTITIONS} partitions, median of ${RUNS}`
    const results: BenchResult[] = []
    results.push({name: 'offsets reset --to-datetime (dry run)', tool: 'kadm', ms: await timed(RUNS, () => kadmReset(false)), note})
    results.push({name: 'offsets reset --to-datetime (dry run)', tool: 'ConsumerGroupCommand', ms: await timed(RUNS, () => cgcReset(false)), note})
    results.push({name: 'offsets reset --to-datetime --execute', tool: 'kadm', ms: await timed(RUNS, () => kadmReset(true)), note})
    results.push({name: 'offsets reset --to-datetime --execute', tool: 'ConsumerGroupCommand', ms: await timed(RUNS, () => cgcReset(true)), note})
    results.push({name: 'offsets reset', tool: 'kcat', ms: Number.NaN, note: 'kcat cannot reset offsets'})
    return results
  } finally {
    await admin.deleteTopics({topics}).catch(() => undefined)
    await admin.deleteGroups([group]).catch(() => undefined)
    await admin.disconnect()
  }
}

