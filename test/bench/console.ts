/**
 * console consume/produce against kcat and Kafka's console tools, on a running cluster.
 * `run(ctx)` is what the bench runner calls; `npx tsx test/bench/console.ts` runs it alone
 * (KADM_BENCH_BOOTSTRAP, KADM_BENCH_KAFKA_VERSION) and prints the ratios.
 */
import {spawn} from 'node:child_process'
import {createReadStream, createWriteStream} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {toolArgv} from '../../src/local/java.js'
import type {KafkaTool} from '../../src/local/versions.js'
import {loggingFlags} from '../../src/local/logging.js'
import {ensureKafkaJars, resolveKafkaVersion} from '../../src/local/maven.js'
import {type BenchResult, KADM as KADM_BIN} from './lib.js'


const KADM = [process.execPath, KADM_BIN]
const RECORDS = 1_000_000
const BIG = 5_000_000
const RUNS = Number(process.env.KADM_BENCH_RUNS ?? 3)

interface Timed {
  ms: number
  code: number | null
  stderr: string
  /** ms from spawn to the first byte on stdout */
  firstByteMs?: number
}

/** Runs a command with stdout to /dev/null (or counted), stdin from a file. */
function timed(argv: string[], options: {stdinFile?: string; stopAfterFirstByte?: boolean; env?: NodeJS.ProcessEnv} = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(argv[0], argv.slice(1), {stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, NODE_ENV: undefined, ...options.env}})
    let firstByteMs: number | undefined
    let stderr = ''
    child.stdout.on('data', () => {
      if (firstByteMs === undefined) {
        firstByteMs = performance.now() - started
        if (options.stopAfterFirstByte) child.kill('SIGINT')
      }
    })
    child.stderr.on('data', (d) => (stderr += d))
    child.once('error', reject)
    child.once('close', (code) => resolve({ms: performance.now() - started, code, stderr, firstByteMs}))
    if (options.stdinFile) {
      createReadStream(options.stdinFile).pipe(child.stdin)
    } else child.stdin.end()
  })
}

const require = createRequire(import.meta.url)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function repeat(n: number, work: () => Promise<Timed>, what: string): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = await work()
    if (t.code !== 0 && t.code !== null && t.code !== 130) throw new Error(`${what} exited ${t.code}: ${t.stderr.slice(0, 500)}`)
    times.push(t.ms)
  }
  return median(times)
}

async function writeLines(path: string, count: number): Promise<void> {
  const out = createWriteStream(path)
  const pad = 'x'.repeat(100)
  let chunk = ''
  for (let i = 0; i < count; i++) {
    chunk += (`r${i}-` + pad).slice(0, 100) + '\n'
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
      chunk = ''
    }
  }
  out.end(chunk)
  await new Promise<void>((r) => out.once('finish', () => r()))
}

/** Peak RSS of a process tree's main process, from /usr/bin/time -v. */
async function peakRss(argv: string[]): Promise<{ms: number; mb: number}> {
  const t = await timed(['/usr/bin/time', '-v', ...argv])
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(t.stderr)?.[1] ?? NaN)
  return {ms: t.ms, mb: Math.round(kb / 1024)}
}

export async function run(ctx: {bootstrap: string; kafkaVersion: string}): Promise<BenchResult[]> {
  const {Kafka, logLevel} = require('kafkajs') as typeof import('kafkajs')
  const admin = new Kafka({brokers: ctx.bootstrap.split(','), logLevel: logLevel.NOTHING}).admin()
  await admin.connect()
  const dir = await mkdtemp(join(tmpdir(), 'bench-console-'))
  const tag = Math.random().toString(16).slice(2, 8)
  const topics: string[] = []
  const topic = async (name: string) => {
    const t = `bench-console-${name}-${tag}`
    await admin.createTopics({topics: [{topic: t, numPartitions: 3, replicationFactor: 3}], waitForLeaders: true})
    topics.push(t)
    return t
  }
  const dist = await ensureKafkaJars(await resolveKafkaVersion(ctx.kafkaVersion))
  const logging = await loggingFlags(dist, dir, 'tool')
  const java = (tool: KafkaTool, args: string[]) => ['java', ...toolArgv(dist, logging, tool, args)]
  const b = ['-b', ctx.bootstrap]
  const results: BenchResult[] = []
  try {
    const file = join(dir, 'lines.txt')
    await writeLines(file, RECORDS)

    // Produce 1M lines from a file, each tool into fresh topics.
    const produceTo = {kadm: await topic('p-kadm'), kcat: await topic('p-kcat'), java: await topic('p-java')}
    const produced = {
      kadm: await repeat(RUNS, () => timed([...KADM, 'console', 'produce', produceTo.kadm, ...b, '--file', file, '-q']), 'kadm produce'),
      kcat: await repeat(RUNS, () => timed(['kcat', '-P', '-b', ctx.bootstrap, '-t', produceTo.kcat, '-l', file]), 'kcat -P'),
      'kafka-console-producer': await repeat(RUNS, () => timed(java('ConsoleProducer', ['--bootstrap-server', ctx.bootstrap, '--topic', produceTo.java]), {stdinFile: file}), 'ConsoleProducer'),
    }
    for (const [tool, ms] of Object.entries(produced)) results.push({name: 'produce 1M x 100 B from a file', tool, ms, note: `${Math.round(RECORDS / (ms / 1000))} records/s`})

    // Consume 1M records from the beginning to /dev/null and exit at the end.
    const source = await topic('c')
    const fill = await timed(['kcat', '-P', '-b', ctx.bootstrap, '-t', source, '-l', file])
    if (fill.code !== 0) throw new Error(`kcat fill: ${fill.stderr}`)
    const consumed = {
      kadm: await repeat(RUNS, () => timed([...KADM, 'console', 'consume', source, ...b, '--from-beginning', '-e', '-q']), 'kadm consume'),
      kcat: await repeat(RUNS, () => timed(['kcat', '-C', '-b', ctx.bootstrap, '-t', source, '-e', '-q']), 'kcat -C'),
      'kafka-console-consumer': await repeat(RUNS, () => timed(java('ConsoleConsumer', ['--bootstrap-server', ctx.bootstrap, '--topic', source, '--from-beginning', '--max-messages', String(RECORDS)])), 'ConsoleConsumer'),
    }
    for (const [tool, ms] of Object.entries(consumed)) results.push({name: 'consume 1M x 100 B, from the beginning, -e', tool, ms, note: `${Math.round(RECORDS / (ms / 1000))} records/s`})

    // Time to first record on a live topic: a producer writes every 5 ms while each tool starts
    // tailing at the end; measured from spawn to the first byte on stdout.
    const live = await topic('live')
    const feeder = spawn('kcat', ['-P', '-b', ctx.bootstrap, '-t', live], {stdio: ['pipe', 'ignore', 'ignore']})
    const feed = setInterval(() => feeder.stdin.write(`tick ${Date.now()}\n`), 5)
    try {
      const first = async (argv: string[]) => {
        const times: number[] = []
        for (let i = 0; i < Math.max(RUNS, 5); i++) times.push((await timed(argv, {stopAfterFirstByte: true})).firstByteMs ?? NaN)
        return median(times)
      }
      const ttfr = {
        kadm: await first([...KADM, 'console', 'consume', live, ...b, '-q']),
        kcat: await first(['kcat', '-C', '-b', ctx.bootstrap, '-t', live, '-o', 'end', '-q']),
        'kafka-console-consumer': await first(java('ConsoleConsumer', ['--bootstrap-server', ctx.bootstrap, '--topic', live])),
      }
      for (const [tool, ms] of Object.entries(ttfr)) results.push({name: 'time to first record, tailing a live topic (process start included)', tool, ms})
    } finally {
      clearInterval(feed)
      feeder.stdin.end()
    }

    // Peak memory consuming 5M records.
    const big = await topic('big')
    for (let i = 0; i < BIG / RECORDS; i++) {
      const t = await timed(['kcat', '-P', '-b', ctx.bootstrap, '-t', big, '-l', file])
      if (t.code !== 0) throw new Error(`kcat fill: ${t.stderr}`)
    }
    const memKadm = await peakRss([...KADM, 'console', 'consume', big, ...b, '--from-beginning', '-e', '-q'])
    const memKcat = await peakRss(['kcat', '-C', '-b', ctx.bootstrap, '-t', big, '-e', '-q'])
    results.push({name: 'consume 5M x 100 B to /dev/null (peak RSS in note)', tool: 'kadm', ms: memKadm.ms, note: `peak RSS ${memKadm.mb} MB`})
    results.push({name: 'consume 5M x 100 B to /dev/null (peak RSS in note)', tool: 'kcat', ms: memKcat.ms, note: `peak RSS ${memKcat.mb} MB`})
  } finally {
    if (topics.length) await admin.deleteTopics({topics}).catch(() => {})
    await admin.disconnect()
    await rm(dir, {recursive: true, force: true})
  }
  return results
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const bootstrap = process.env.KADM_BENCH_BOOTSTRAP ?? '127.0.0.1:29092,127.0.0.1:29093,127.0.0.1:29094'
  const results = await run({bootstrap, kafkaVersion: process.env.KADM_BENCH_KAFKA_VERSION ?? '4.3.1'})
  const byName = new Map<string, BenchResult[]>()
  for (const r of results) byName.set(r.name, [...(byName.get(r.name) ?? []), r])
  for (const [name, rs] of byName) {
    const kcat = rs.find((r) => r.tool === 'kcat')!.ms
    process.stdout.write(`${name}\n`)
    for (const r of rs) process.stdout.write(`  ${r.tool.padEnd(5)} ${r.ms.toFixed(0).padStart(7)} ms  ${(kcat / r.ms).toFixed(2)}x kcat's speed  ${r.note ?? ''}\n`)
  }
}
