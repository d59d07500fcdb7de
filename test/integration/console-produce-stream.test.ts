/**
 * `console produce` streams: each record reaches the topic within a short linger of being read,
 * from a slow pipe, a terminal or a file, and Ctrl-C sends what was read. Every check reads the
 * topic with kcat or Kafka's own tools, never with kadm.
 */
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {BIN, createTopic, kadmEnv, uniqueName} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'
import {runProcess} from '../helpers/process.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const clusterDir = inject('clusterDir')
// As a user's shell runs kadm: NODE_ENV=test would make oclif look for TypeScript sources.
const CHILD_ENV = kadmEnv()
/** How long a line may take from being written to being visible to kcat (kadm lingers 5 ms). */
const VISIBLE_WITHIN_MS = 3000

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kadm-produce-stream-'))
})
afterAll(async () => rm(scratch, {recursive: true, force: true}))

interface Running {
  child: ChildProcessWithoutNullStreams
  output: () => string
  stderr: () => string
  exited: Promise<number | null>
}

/** Starts a program with piped stdio and collects what it writes. */
function start(command: string, args: string[]): Running {
  const child = spawn(command, args, {env: CHILD_ENV, stdio: ['pipe', 'pipe', 'pipe']})
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  child.stdin.on('error', () => {})
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  return {child, output: () => out, stderr: () => err, exited}
}

/** kadm console produce TOPIC reading a pipe. */
function producePiped(topic: string): Running {
  return start(process.execPath, [BIN, 'console', 'produce', topic, '-b', bootstrap])
}

/**
 * kadm console produce TOPIC on a pseudo-terminal: util-linux `script` runs it with the pty as
 * its stdin, stdout and stderr, copies what we write to the terminal (as typing) and what kadm
 * writes to its own stdout; -e makes script exit with kadm's exit code.
 */
function produceOnTerminal(topic: string, extra = ''): Running {
  return start('/usr/bin/script', ['-qfec', `exec '${process.execPath}' '${BIN}' console produce ${topic} -b ${bootstrap} ${extra}`, '/dev/null'])
}

interface Seen {
  value: string
  timestamp: number
}

/** Every record of the topic, as kcat reads it. */
async function kcatRecords(topic: string): Promise<Seen[]> {
  const result = await runProcess('kcat', ['-C', '-b', bootstrap, '-t', topic, '-e', '-q', '-f', '%T %s\n'], {timeoutMs: 30_000})
  if (result.code !== 0) throw new Error(`kcat exited ${result.code}: ${result.stderr}`)
  return result.stdout.split('\n').filter(Boolean).map((line) => {
    const at = line.indexOf(' ')
    return {timestamp: Number(line.slice(0, at)), value: line.slice(at + 1)}
  })
}

/** Polls kcat until the topic holds `value`; returns when it was first seen, or fails after `withinMs`. */
async function waitForRecord(topic: string, value: string, withinMs: number): Promise<{seenAt: number; record: Seen}> {
  const deadline = Date.now() + withinMs
  for (;;) {
    const record = (await kcatRecords(topic)).find((r) => r.value === value)
    if (record) return {seenAt: Date.now(), record}
    if (Date.now() > deadline) throw new Error(`"${value}" not in ${topic} after ${withinMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function waitForOutput(running: Running, pattern: RegExp, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs
  while (!pattern.test(running.output() + running.stderr())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} after ${withinMs} ms; output: ${running.output()}${running.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('console produce streams', () => {
  it('sends each line of a slow pipe before the next one is written, stamped with when it was read', async () => {
    const t = await createTopic(bootstrap, uniqueName('stream-pipe'), {partitions: 3, replicationFactor: 3})
    const kadm = producePiped(t)
    const pauseMs = 1500
    const lines = ['first', 'second', 'third', 'fourth']
    const seen: Array<{writtenAt: number; seenAt: number; record: Seen}> = []
    for (const [i, line] of lines.entries()) {
      if (i) await new Promise((resolve) => setTimeout(resolve, pauseMs))
      const writtenAt = Date.now()
      kadm.child.stdin.write(`${line}\n`)
      // The first line also waits for kadm to start and connect.
      seen.push({writtenAt, ...(await waitForRecord(t, line, i ? VISIBLE_WITHIN_MS : 20_000))})
    }
    kadm.child.stdin.end()
    expect(await kadm.exited, kadm.stderr()).toBe(0)
    expect(kadm.stderr()).toMatch(/produced 4 records/)
    // Each timestamp is when kadm read the line: after it was written, before kcat saw it.
    for (const {writtenAt, seenAt, record} of seen) {
      expect(record.timestamp).toBeGreaterThanOrEqual(writtenAt - 1)
      expect(record.timestamp).toBeLessThanOrEqual(seenAt)
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i].record.timestamp - seen[i - 1].record.timestamp).toBeGreaterThanOrEqual(pauseMs)
    expect((await kcatRecords(t)).map((r) => r.value).sort()).toEqual([...lines].sort())
  })

  it('on a terminal, prompts, sends each typed line at once and ends with Ctrl-D', async () => {
    const t = await createTopic(bootstrap, uniqueName('stream-tty'), {partitions: 3, replicationFactor: 3})
    const session = produceOnTerminal(t)
    await waitForOutput(session, /one per line: Ctrl-D to finish, Ctrl-C to stop/, 20_000)
    for (const line of ['typed one', 'typed two']) {
      session.child.stdin.write(`${line}\r`)
      await waitForRecord(t, line, VISIBLE_WITHIN_MS)
    }
    session.child.stdin.write('\x04')
    expect(await session.exited, session.output()).toBe(0)
    expect(session.output()).toMatch(/produced 2 records/)
    expect(session.output()).not.toMatch(/interrupted/)
    expect((await kcatRecords(t)).map((r) => r.value).sort()).toEqual(['typed one', 'typed two'])
  })

  it('on a terminal with -q, prints neither prompt nor summary', async () => {
    const t = await createTopic(bootstrap, uniqueName('stream-tty-quiet'), {partitions: 1, replicationFactor: 3})
    const session = produceOnTerminal(t, '-q')
    session.child.stdin.write('quiet one\r')
    await waitForRecord(t, 'quiet one', 20_000)
    session.child.stdin.write('\x04')
    expect(await session.exited, session.output()).toBe(0)
    expect(session.output()).not.toMatch(/Ctrl-D|produced/)
  })

  it('prints no prompt when stdin is a pipe', async () => {
    const t = await createTopic(bootstrap, uniqueName('stream-noprompt'), {partitions: 1, replicationFactor: 3})
    const kadm = producePiped(t)
    kadm.child.stdin.end('one\n')
    expect(await kadm.exited, kadm.stderr()).toBe(0)
    expect(kadm.stderr()).not.toMatch(/Ctrl-D/)
    expect(kadm.stderr()).toMatch(/produced 1 record /)
  })

  it('Ctrl-C (SIGINT) sends what was read, names an unfinished line, says interrupted and exits 130', async () => {
    const t = await createTopic(bootstrap, uniqueName('stream-sigint'), {partitions: 3, replicationFactor: 3})
    const kadm = producePiped(t)
    kadm.child.stdin.write('one\ntwo\n')
    await waitForRecord(t, 'two', 20_000)
    kadm.child.stdin.write('three\nhalf a li')
    await waitForRecord(t, 'three', VISIBLE_WITHIN_MS)
    kadm.child.kill('SIGINT')
    expect(await kadm.exited, kadm.stderr()).toBe(130)
    expect(kadm.stderr()).toMatch(/produced 3 records .*\(interrupted\)/)
    expect(kadm.stderr()).toMatch(/interrupted in the middle of line 4: its 9 bytes read so far were not sent/)
    expect((await kcatRecords(t)).map((r) => r.value).sort()).toEqual(['one', 'three', 'two'])
  })

  it('Ctrl-C typed on a terminal sends what was typed and exits 130', async () => {
    const t = await createTopic(bootstrap, uniqueName('stream-tty-int'), {partitions: 3, replicationFactor: 3})
    const session = produceOnTerminal(t)
    await waitForOutput(session, /Ctrl-C to stop/, 20_000)
    session.child.stdin.write('before ctrl-c\r')
    await waitForRecord(t, 'before ctrl-c', VISIBLE_WITHIN_MS)
    session.child.stdin.write('\x03')
    expect(await session.exited, session.output()).toBe(130)
    expect(session.output()).toMatch(/produced 1 record .*\(interrupted\)/)
    expect((await kcatRecords(t)).map((r) => r.value)).toEqual(['before ctrl-c'])
  })

  it('still fills large batches from a fast file', async () => {
    expect(clusterDir, 'this test reads the brokers\' log files: run it on the suite\'s own cluster (KADM_TEST_BOOTSTRAP unset)').not.toBe('')
    const t = await createTopic(bootstrap, uniqueName('stream-file'), {partitions: 6, replicationFactor: 3})
    const count = 100_000
    const file = join(scratch, 'fast.txt')
    await writeFile(file, Array.from({length: count}, (_, i) => `record-${i}-${'x'.repeat(80)}`.slice(0, 100)).join('\n') + '\n')
    const kadm = start(process.execPath, [BIN, 'console', 'produce', t, '--file', file, '-b', bootstrap])
    expect(await kadm.exited, kadm.stderr()).toBe(0)
    expect(kadm.stderr()).toMatch(new RegExp(`produced ${count} records`))

    const offsets = await kafkaTool(version, 'GetOffsetShell', ['--bootstrap-server', bootstrap, '--topic', t])
    expect(offsets.code, offsets.stderr).toBe(0)
    const total = offsets.stdout.split('\n').filter(Boolean).reduce((n, line) => n + Number(line.split(':')[2]), 0)
    expect(total).toBe(count)

    // Kafka's DumpLogSegments lists the record batches as the brokers stored them.
    const batches: number[] = []
    for (let p = 0; p < 6; p++) {
      const dump = await kafkaTool(version, 'DumpLogSegments', ['--files', join(clusterDir, 'broker-1', 'data', `${t}-${p}`, '00000000000000000000.log')])
      expect(dump.code, dump.stderr).toBe(0)
      for (const match of dump.stdout.matchAll(/ count: (\d+) /g)) batches.push(Number(match[1]))
    }
    expect(batches.reduce((a, b) => a + b, 0)).toBe(count)
    // 100 B records in batches of about 1 MB: about 9,700 records each; lingering cuts a few short.
    expect(count / batches.length).toBeGreaterThan(1000)
  })

  it('fits its batches to a topic\'s smaller max.message.bytes; a record over the limit fails on its own', async () => {
    expect(clusterDir, 'this test reads the brokers\' log files: run it on the suite\'s own cluster (KADM_TEST_BOOTSTRAP unset)').not.toBe('')
    const t = await createTopic(bootstrap, uniqueName('stream-limit'), {partitions: 1, replicationFactor: 3, config: {'max.message.bytes': '50000'}})
    const lines = Array.from({length: 20_000}, (_, i) => `record-${i}-`.padEnd(100, 'x'))
    lines.splice(10_000, 0, 'y'.repeat(60_000))
    const file = join(scratch, 'limit.txt')
    await writeFile(file, lines.join('\n') + '\n')
    const kadm = start(process.execPath, [BIN, 'console', 'produce', t, '--file', file, '-b', bootstrap])
    expect(await kadm.exited).toBe(1)
    expect(kadm.stderr()).toContain('produced 20000 records')
    expect(kadm.stderr()).toContain('error: 1 record failed (1: MESSAGE_TOO_LARGE: a record is larger than the topic\'s max.message.bytes (50000))')

    // Every other line is in the topic, in order, as kcat reads it.
    const read = await runProcess('kcat', ['-b', bootstrap, '-C', '-t', t, '-e', '-q'], {timeoutMs: 60_000})
    expect(read.stdout).toBe(lines.filter((l) => l.length === 100).join('\n') + '\n')
    // In batches the broker took (none over 50,000 bytes), nearly full: ~450 records each.
    const dump = await kafkaTool(version, 'DumpLogSegments', ['--files', join(clusterDir, 'broker-1', 'data', `${t}-0`, '00000000000000000000.log')])
    expect(dump.code, dump.stderr).toBe(0)
    const batches = [...dump.stdout.matchAll(/ count: (\d+) .* size: (\d+) /g)].map((m) => ({count: Number(m[1]), size: Number(m[2])}))
    expect(batches.reduce((n, batch) => n + batch.count, 0)).toBe(20_000)
    expect(Math.max(...batches.map((batch) => batch.size))).toBeLessThanOrEqual(50_000)
    expect(20_000 / batches.length).toBeGreaterThan(400)

    // Keyed lines take the record-by-record path: their batches fit too.
    const keyed = await createTopic(bootstrap, uniqueName('stream-limit-keyed'), {partitions: 1, replicationFactor: 3, config: {'max.message.bytes': '50000'}})
    await writeFile(file, lines.filter((l) => l.length === 100).map((l, i) => `k${i}\t${l}`).join('\n') + '\n')
    const withKeys = start(process.execPath, [BIN, 'console', 'produce', keyed, '--file', file, '-K', '\t', '-b', bootstrap])
    expect(await withKeys.exited, withKeys.stderr()).toBe(0)
    const keyedDump = await kafkaTool(version, 'DumpLogSegments', ['--files', join(clusterDir, 'broker-1', 'data', `${keyed}-0`, '00000000000000000000.log')])
    const keyedBatches = [...keyedDump.stdout.matchAll(/ count: (\d+) .* size: (\d+) /g)].map((m) => ({count: Number(m[1]), size: Number(m[2])}))
    expect(keyedBatches.reduce((n, batch) => n + batch.count, 0)).toBe(20_000)
    expect(Math.max(...keyedBatches.map((batch) => batch.size))).toBeLessThanOrEqual(50_000)
    expect(20_000 / keyedBatches.length).toBeGreaterThan(400)
  })
})
