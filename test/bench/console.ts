/**
 * console consume/produce against kcat and Kafka's console tools, on a running cluster (issue
 * "console: a streaming tool"): produce 1M x 100 B from a file; consume them (kcat with its
 * defaults and tuned, Kafka's console consumer, and Kafka's ConsumerPerformance for the rate the
 * brokers serve at); the delay from a line written to a producer to the line printed by a
 * following consumer; time to the first record; peak RSS reading 5M records, to /dev/null and
 * into a reader that holds stdout back. Topics have 6 partitions, replication factor 3.
 * `run(ctx)` is what the bench runner calls; `npx tsx test/bench/console.ts` runs it alone
 * (KADM_BENCH_BOOTSTRAP, KADM_BENCH_KAFKA_VERSION) and prints the ratios.
 */
import {spawn} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {createReadStream, createWriteStream} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {toolArgv} from '../../src/local/java.js'
import type {KafkaTool} from '../../src/local/versions.js'
import {loggingFlags} from '../../src/local/logging.js'
import {ensureKafkaJars, resolveKafkaVersion} from '../../src/local/maven.js'
import {DEFAULT_KAFKA_VERSION} from '../../src/local/versions.js'
import {type BenchResult, KADM as KADM_BIN} from './lib.js'


const KADM = [process.execPath, KADM_BIN]
const RECORDS = 1_000_000
const BIG = 5_000_000
const RUNS = Number(process.env.KADM_BENCH_RUNS ?? 3)
const PARTITIONS = 6
/** kcat as tuned for throughput in the issue: short fetch waits, a large local queue. */
const KCAT_TUNED = ['-X', 'fetch.wait.max.ms=10', '-X', 'queued.min.messages=1000000']
/** Lines timed from a producer's stdin to a following consumer's stdout, and the pause between them. */
const LATENCY_LINES = 21
const LATENCY_GAP_MS = 100

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

/** Peak RSS of a process, from /usr/bin/time -v; with `holdBackMs`, its stdout goes to a reader that reads nothing for that long, then everything. */
async function peakRss(argv: string[], dir: string, holdBackMs = 0): Promise<{ms: number; mb: number}> {
  const report = join(dir, `time-${Math.random().toString(16).slice(2)}.txt`)
  const quoted = ['/usr/bin/time', '-v', '-o', report, ...argv].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')
  const reader = holdBackMs ? `(sleep ${holdBackMs / 1000}; cat > /dev/null)` : 'cat > /dev/null'
  const t = await timed(['bash', '-c', `set -o pipefail; ${quoted} | ${reader}`])
  if (t.code !== 0) throw new Error(`${argv.join(' ')} exited ${t.code}: ${t.stderr.slice(0, 500)}`)
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(await readFile(report, 'utf8'))?.[1] ?? NaN)
  return {ms: t.ms, mb: Math.round(kb / 1024)}
}

/** Runs a command to its end; its stdout. */
function output(argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.once('error', reject)
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')} exited ${code}: ${err.slice(0, 500)}`))))
  })
}

/** How a line reaches the producer: written to one producer's stdin, or a producer run per line. */
type LineWriter = {write(line: string): void; close(): void}

/** One producer process; each line written to its stdin. */
function streamingProducer(argv: string[]): LineWriter {
  const child = spawn(argv[0], argv.slice(1), {stdio: ['pipe', 'ignore', 'ignore']})
  return {write: (line) => void child.stdin.write(line), close: () => (child.stdin.end(), void child.kill('SIGINT'))}
}

/** A producer process per line (kcat -P holds piped lines back until its input ends). */
function producerPerLine(argv: string[]): LineWriter {
  return {
    write: (line) => {
      const child = spawn(argv[0], argv.slice(1), {stdio: ['pipe', 'ignore', 'ignore']})
      child.stdin.end(line)
    },
    close: () => {},
  }
}

/**
 * The median delay from handing a line to a producer to the line appearing on a following
 * consumer's stdout (the consumer runs throughout); NaN when a line did not arrive in 10 s.
 */
async function lineLatency(writer: LineWriter, consumer: string[]): Promise<number> {
  const reader = spawn(consumer[0], consumer.slice(1), {stdio: ['ignore', 'pipe', 'ignore']})
  let seen = ''
  let waiting: {text: string; resolve: () => void} | undefined
  reader.stdout.on('data', (d) => {
    seen += d
    if (waiting && seen.includes(waiting.text)) waiting.resolve()
  })
  const arrival = (text: string, ms: number) => new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    waiting = {text, resolve: () => (clearTimeout(timer), resolve(true))}
    if (seen.includes(text)) waiting.resolve()
  })
  try {
    // Both ready: a line written now is seen (the consumer follows from the end).
    let ready = false
    for (let i = 0; i < 60 && !ready; i++) {
      writer.write(`warm-${i}\n`)
      ready = await arrival(`warm-${i}\n`, 1000)
    }
    if (!ready) return NaN
    const delays: number[] = []
    for (let i = 0; i < LATENCY_LINES; i++) {
      const line = `line-${i}-${Date.now()}\n`
      const started = performance.now()
      writer.write(line)
      if (!(await arrival(line, 10_000))) return NaN
      delays.push(performance.now() - started)
      await new Promise((r) => setTimeout(r, LATENCY_GAP_MS))
    }
    return median(delays)
  } finally {
    writer.close()
    reader.kill('SIGINT')
  }
}

/** Kafka's ConsumerPerformance over `records`: the fetch time and rate it reports (no JVM start, no group join). */
async function brokerServing(java: (tool: KafkaTool, args: string[]) => string[], bootstrap: string, topic: string, records: number): Promise<{ms: number; rate: number}> {
  const text = await output(java('ConsumerPerformance', ['--bootstrap-server', bootstrap, '--topic', topic, '--messages', String(records), '--timeout', '60000']))
  const lines = text.trim().split('\n')
  const names = lines.find((l) => l.includes('fetch.time.ms'))?.split(',').map((x) => x.trim()) ?? []
  const values = lines.at(-1)!.split(',').map((x) => x.trim())
  const field = (name: string) => Number(values[names.indexOf(name)])
  return {ms: field('fetch.time.ms'), rate: field('fetch.nMsg.sec')}
}

export async function run(ctx: {bootstrap: string; kafkaVersion: string}): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-console-'))
  const tag = Math.random().toString(16).slice(2, 8)
  const topics: string[] = []
  const topic = async (name: string) => {
    const t = `bench-console-${name}-${tag}`
    // kadm's own create waits until every broker knows the leaders (kafkajs's admin failed on a
    // fresh cluster with UNKNOWN_TOPIC_OR_PARTITION while it waited).
    await output([...KADM, 'topics', 'create', t, '-p', String(PARTITIONS), '-r', '3', '-b', ctx.bootstrap])
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
      'kcat, tuned': await repeat(RUNS, () => timed(['kcat', '-C', '-b', ctx.bootstrap, '-t', source, '-e', '-q', ...KCAT_TUNED]), 'kcat -C tuned'),
      kcat: await repeat(RUNS, () => timed(['kcat', '-C', '-b', ctx.bootstrap, '-t', source, '-e', '-q']), 'kcat -C'),
      'kafka-console-consumer': await repeat(RUNS, () => timed(java('ConsoleConsumer', ['--bootstrap-server', ctx.bootstrap, '--topic', source, '--from-beginning', '--max-messages', String(RECORDS)])), 'ConsoleConsumer'),
    }
    for (const [tool, ms] of Object.entries(consumed)) {
      const note = `${Math.round(RECORDS / (ms / 1000))} records/s${tool === 'kcat, tuned' ? `; ${KCAT_TUNED.filter((x) => x !== '-X').join(' ')}` : ''}`
      results.push({name: 'consume 1M x 100 B, from the beginning, -e', tool, ms, note})
    }
    const serving = await brokerServing(java, ctx.bootstrap, source, RECORDS)
    results.push({name: 'consume 1M x 100 B, from the beginning, -e', tool: 'ConsumerPerformance', ms: serving.ms, note: `the brokers' serving rate: ${Math.round(serving.rate)} records/s in its fetch time, JVM start and group join not counted`})

    // From a line written to a producer to the line printed by a following consumer (both kadm; both kcat).
    const relay = await topic('relay')
    const latency = {
      kadm: await lineLatency(streamingProducer([...KADM, 'console', 'produce', relay, ...b, '-q']), [...KADM, 'console', 'consume', relay, ...b, '-q']),
      'kcat (a kcat -P per line)': await lineLatency(producerPerLine(['kcat', '-P', '-b', ctx.bootstrap, '-t', relay]), ['kcat', '-C', '-b', ctx.bootstrap, '-t', relay, '-o', 'end', '-u', '-q']),
      'kafka-console-producer -> kafka-console-consumer': await lineLatency(streamingProducer(java('ConsoleProducer', ['--bootstrap-server', ctx.bootstrap, '--topic', relay])), java('ConsoleConsumer', ['--bootstrap-server', ctx.bootstrap, '--topic', relay])),
    }
    const kcatNote = 'kcat -P holds lines from a pipe back until its input ends, so each line gets its own kcat -P (process start included)'
    for (const [tool, ms] of Object.entries(latency)) {
      const note = Number.isNaN(ms) ? 'a line did not arrive within 10 s' : tool.startsWith('kcat') ? kcatNote : undefined
      results.push({name: `produce -> consume delay of a line (median of ${LATENCY_LINES}), the consumer following`, tool, ms, note})
    }

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
    const to = 'consume 5M x 100 B (peak RSS in note)'
    const kadmBig = [...KADM, 'console', 'consume', big, ...b, '--from-beginning', '-e', '-q']
    const kcatBig = ['kcat', '-C', '-b', ctx.bootstrap, '-t', big, '-e', '-q']
    for (const [tool, argv] of [['kadm', kadmBig], ['kcat', kcatBig]] as const) {
      const free = await peakRss([...argv], dir)
      results.push({name: `${to}, to a reader that keeps up`, tool, ms: free.ms, note: `peak RSS ${free.mb} MB`})
      const held = await peakRss([...argv], dir, 5000)
      results.push({name: `${to}, to a reader that holds stdout back for 5 s`, tool, ms: held.ms, note: `peak RSS ${held.mb} MB`})
    }
  } finally {
    if (topics.length) await output([...KADM, 'topics', 'delete', ...topics, '--yes', '-b', ctx.bootstrap]).catch(() => {})
    await rm(dir, {recursive: true, force: true})
  }
  return results
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const bootstrap = process.env.KADM_BENCH_BOOTSTRAP ?? '127.0.0.1:29092,127.0.0.1:29093,127.0.0.1:29094'
  const results = await run({bootstrap, kafkaVersion: process.env.KADM_BENCH_KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION})
  const byName = new Map<string, BenchResult[]>()
  for (const r of results) byName.set(r.name, [...(byName.get(r.name) ?? []), r])
  for (const [name, rs] of byName) {
    const kcat = rs.find((r) => r.tool === 'kcat')?.ms ?? NaN
    process.stdout.write(`${name}\n`)
    for (const r of rs) process.stdout.write(`  ${r.tool.padEnd(5)} ${r.ms.toFixed(0).padStart(7)} ms  ${(kcat / r.ms).toFixed(2)}x kcat's speed  ${r.note ?? ''}\n`)
  }
}
