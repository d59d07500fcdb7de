import {spawn} from 'node:child_process'
import {createServer} from 'node:net'
import {setTimeout as sleep} from 'node:timers/promises'

import {tally} from '../faults/lib.js'
import type {FaultCluster} from './fault-cluster.js'
import {BIN, createTopic, kadmEnv, kadmJson, uniqueName} from './kadm.js'
import {runProcess} from './process.js'

export type Producer = 'kadm' | 'kcat'

export interface ProduceRun {
  topic: string
  /** The broker killed: the one hosting the active KRaft controller. */
  killed: number
  code: number | null
  stderr: string
  records: number
  lost: number
  duplicated: number
  ms: number
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/**
 * The first base port from `candidates` whose three broker ports and three controller ports (the
 * launcher puts those 100 above) are all free: on a shared machine another cluster may hold some.
 */
export async function freeBasePort(candidates: number[]): Promise<number> {
  for (const base of candidates) {
    const ports = [0, 1, 2, 100, 101, 102].map((d) => base + d)
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base
  }
  throw new Error(`no free base port among ${candidates.join(', ')}`)
}

/**
 * createTopic, retried for a few seconds: just after a restart, the broker answering may not list
 * the restarted broker yet ("replication factor 3 is larger than the 2 available brokers").
 */
export async function createTopicAfterFaults(cluster: FaultCluster, name: string, options: Parameters<typeof createTopic>[2]): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createTopic(cluster.bootstrap, name, options)
    } catch (error) {
      if (attempt >= 15) throw error
      await sleep(1000)
    }
  }
}

/** The broker hosting the active KRaft controller (DescribeQuorum leader), as `kadm cluster describe` reports it. */
export async function activeController(bootstrap: string): Promise<number> {
  const described = await kadmJson<{controller: {activeControllerId: number | null}}>(['cluster', 'describe', '-b', bootstrap])
  const id = described.controller.activeControllerId
  if (id === null) throw new Error('no active controller reported')
  return id
}

/**
 * Feeds `lines` to a producer's stdin at a steady pace (a stream, not one burst), so that faults
 * land while records are being sent. `onWritten(n)` is called after each chunk.
 */
async function paced(command: string, args: string[], lines: string[], linesPerSecond: number, onWritten: (n: number) => void): Promise<{code: number | null; stderr: string}> {
  const child = spawn(command, args, {env: kadmEnv(), stdio: ['pipe', 'ignore', 'pipe']})
  const err: Buffer[] = []
  child.stderr.on('data', (d) => err.push(d))
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve))
  child.stdin.on('error', () => {})
  const chunk = Math.max(1, Math.round(linesPerSecond / 10))
  const started = Date.now()
  for (let i = 0; i < lines.length; i += chunk) {
    const text = lines.slice(i, i + chunk).join('\n') + '\n'
    if (!child.stdin.write(text)) await new Promise((resolve) => child.stdin.once('drain', resolve))
    onWritten(Math.min(lines.length, i + chunk))
    const due = started + ((i + chunk) / linesPerSecond) * 1000
    if (due > Date.now()) await sleep(due - Date.now())
  }
  child.stdin.end()
  // Killed if it never finishes: a hang is a failure too.
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000)
  const code = await exited
  clearTimeout(timer)
  return {code, stderr: Buffer.concat(err).toString()}
}

/**
 * Produces `count` distinct lines with acks=all into a fresh topic (6 partitions, RF 3) while the
 * broker hosting the active controller is killed (-9) and, a few seconds later, started again;
 * then reads the topic back with kcat (an independent oracle) and counts lost and duplicated lines.
 */
export async function produceThroughControllerKill(cluster: FaultCluster, producer: Producer, count = 300_000): Promise<ProduceRun> {
  return produceThroughFault(cluster, producer, async (victim) => {
    await cluster.kill(victim)
    await sleep(4000)
    await cluster.restart()
  }, {count})
}

export interface ProduceOptions {
  count?: number
  linesPerSecond?: number
  /** More arguments for the producer, e.g. `--delivery-timeout 5s`. */
  args?: string[]
}

/** As produceThroughControllerKill, with any fault done to the active controller's broker. */
export async function produceThroughFault(cluster: FaultCluster, producer: Producer, fault: (victim: number) => Promise<void>, options: ProduceOptions = {}): Promise<ProduceRun> {
  const {count = 300_000, linesPerSecond = 25_000} = options
  const topic = await createTopicAfterFaults(cluster, uniqueName(`faults-produce-${producer}`), {partitions: 6, replicationFactor: 3})
  const killed = await activeController(cluster.bootstrap)
  const lines = Array.from({length: count}, (_, i) => `line-${i}`)
  const [command, args] = producer === 'kadm'
    ? [process.execPath, [BIN, 'console', 'produce', topic, '-b', cluster.bootstrap, ...(options.args ?? [])]]
    : ['kcat', ['-P', '-b', cluster.bootstrap, '-t', topic, '-X', 'acks=all', '-X', 'enable.idempotence=true', ...(options.args ?? [])]]
  let written = 0
  const started = Date.now()
  const run = paced(command, args, lines, linesPerSecond, (n) => (written = n))
  // The fault lands mid-stream: after a fifth of the lines.
  while (written < count / 5) await sleep(50)
  await fault(killed)
  const {code, stderr} = await run
  const ms = Date.now() - started
  const read = await runProcess('kcat', ['-C', '-b', cluster.bootstrap, '-t', topic, '-e', '-q', '-f', '%s\n'], {timeoutMs: 120_000})
  const seen = read.stdout.split('\n').filter(Boolean)
  return {topic, killed, code, stderr, records: seen.length, ...tally(lines, seen), ms}
}
