/**
 * `console consume` by pattern (globs, --regex): which topics it reads, topics created and
 * deleted while it follows, and --group. Topics are created and deleted with Kafka's own
 * kafka-topics (TopicCommand) and written by kcat, so kadm is only the reader under test.
 */
import {type ChildProcess, spawn} from 'node:child_process'

import {describe, expect, inject, it} from 'vitest'

import {TOPIC_POLL_MS} from '../../src/kafka/consume.js'
import {BIN, kadm, kadmEnv, type RunResult, uniqueName} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'
import {runProcess} from '../helpers/process.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const b = ['-b', bootstrap]
// As a user's shell runs it: NODE_ENV=test would make oclif look for TypeScript sources.
const CHILD_ENV = kadmEnv()
/** How long a record in a topic created meanwhile may take to show: one poll, plus a loaded 2-core machine. */
const FOUND_WITHIN_MS = TOPIC_POLL_MS + 10_000
const LINE = '%t|%p|%o|%k|%v\\n'

async function topicCommand(args: string[]): Promise<void> {
  const result = await kafkaTool(version, 'TopicCommand', ['--bootstrap-server', bootstrap, ...args])
  if (result.code !== 0) throw new Error(`kafka-topics ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
}

/**
 * Creates topics with Kafka's kafka-topics, all at once, and waits until every broker's metadata
 * has them (on 3.9.2 kcat, asking a broker that had not heard of a topic yet, failed to write to it:
 * "partition count changed from 1 to 0").
 */
async function createTopics(partitions: Record<string, number>): Promise<void> {
  await Promise.all(Object.entries(partitions).map(([name, n]) => topicCommand(['--create', '--topic', name, '--partitions', String(n), '--replication-factor', '3'])))
  await Promise.all(Object.entries(partitions).map(([name, n]) => waitForPartitions(name, n)))
}

/** Writes `key:value` lines with kcat (which waits for a topic created a moment ago to show up). */
async function produce(topic: string, lines: string[], partition?: number): Promise<void> {
  const args = ['-b', bootstrap, '-P', '-t', topic, '-K', ':', ...(partition === undefined ? [] : ['-p', String(partition)])]
  const result = await runProcess('kcat', args, {input: lines.join('\n') + '\n', timeoutMs: 60_000})
  if (result.code !== 0 || result.stderr.includes('failed')) throw new Error(`kcat -P -t ${topic} exited ${result.code}: ${result.stderr}`)
}

/** Waits until the metadata of every broker lists `count` partitions of `topic` (kcat -p N fails on a partition it does not know yet). */
async function waitForPartitions(topic: string, count: number): Promise<void> {
  for (const broker of bootstrap.split(',')) {
    for (const until = Date.now() + 30_000; ;) {
      const result = await runProcess('kcat', ['-b', broker, '-L', '-J', '-t', topic], {timeoutMs: 30_000})
      const partitions = result.code === 0 ? (JSON.parse(result.stdout) as {topics: Array<{partitions?: unknown[]}>}).topics[0]?.partitions?.length : 0
      if (partitions === count) break
      if (Date.now() > until) throw new Error(`${topic} still has ${partitions} partitions at ${broker}, not ${count}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

/** Every record of `topics` as kcat reads them, in kadm's LINE layout, sorted. */
async function readWithKcat(topics: string[]): Promise<string[]> {
  const lines: string[] = []
  for (const t of topics) {
    const result = await runProcess('kcat', ['-b', bootstrap, '-C', '-e', '-q', '-t', t, '-f', '%t|%p|%o|%k|%s\\n'], {timeoutMs: 60_000})
    if (result.code !== 0) throw new Error(`kcat -C -t ${t} exited ${result.code}: ${result.stderr}`)
    lines.push(...lines_(result.stdout))
  }
  return lines.sort()
}

const lines_ = (text: string) => text.split('\n').filter(Boolean)

async function consume(args: string[]): Promise<RunResult> {
  return kadm(['console', 'consume', ...args, ...b])
}

/** A kadm consumer that keeps running; its output is watched while the cluster changes under it. */
class Follower {
  stdout = ''
  stderr = ''
  private readonly child: ChildProcess
  private readonly exited: Promise<number | null>
  private readonly waiters = new Set<() => void>()

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [BIN, 'console', 'consume', ...args, ...b], {stdio: ['ignore', 'pipe', 'pipe'], env: CHILD_ENV})
    this.child.stdout!.on('data', (d) => {
      this.stdout += d
      for (const w of this.waiters) w()
    })
    this.child.stderr!.on('data', (d) => {
      this.stderr += d
      for (const w of this.waiters) w()
    })
    this.exited = new Promise((resolve) => this.child.once('close', (code) => {
      for (const w of this.waiters) w()
      resolve(code)
    }))
  }

  /** Resolves once `stream` contains `text`; fails after `timeoutMs` with what it printed. */
  async waitFor(stream: 'stdout' | 'stderr', text: string, timeoutMs = 30_000): Promise<number> {
    const since = Date.now()
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this[stream].includes(text)) return
        this.waiters.delete(check)
        clearTimeout(timer)
        resolve(Date.now() - since)
      }
      const timer = setTimeout(() => {
        this.waiters.delete(check)
        reject(new Error(`no "${text}" on ${stream} within ${timeoutMs} ms\nstdout: ${this.stdout}\nstderr: ${this.stderr}`))
      }, timeoutMs)
      this.waiters.add(check)
      check()
    })
  }

  /** The exit code once it ends by itself. */
  async exit(timeoutMs = 30_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms\nstderr: ${this.stderr}`)), timeoutMs)))
    try {
      return await Promise.race([this.exited, late])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Ctrl-C, then the exit code (130: interrupted). */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGINT')
    return this.exit()
  }
}

describe('console consume by pattern, -e', () => {
  it('reads exactly the topics a glob or a --regex matches, as kcat reads them', async () => {
    const base = uniqueName('cpat')
    const [eu, us, payments, orders] = [`${base}-orders-eu`, `${base}-orders-us`, `${base}-payments`, `${base}-orders`]
    await createTopics({[eu]: 2, [us]: 3, [payments]: 1, [orders]: 1})
    await Promise.all([eu, us, payments, orders].map((t) => produce(t, Array.from({length: 12}, (_, i) => `k${i}:${t} v${i}`))))

    const glob = await consume([`${base}-orders-*`, '--from-beginning', '-e', '-q', '-f', LINE])
    expect(glob.code, glob.stderr).toBe(0)
    const expected = await readWithKcat([eu, us])
    expect(expected).toHaveLength(24)
    expect(lines_(glob.stdout).sort()).toEqual(expected)

    // Full match: `${base}-orders` alone, not the -eu/-us topics it is a prefix of.
    const regex = await consume(['--regex', `${base}-(orders|pay.*)`, '--from-beginning', '-e', '-q', '-f', LINE])
    expect(regex.code, regex.stderr).toBe(0)
    expect(lines_(regex.stdout).sort()).toEqual(await readWithKcat([orders, payments]))

    // A glob and an exact name together; a name given twice (or also matched) is read once.
    const mixed = await consume([`${base}-orders-u?`, payments, payments, '--from-beginning', '-e', '-q', '-f', LINE])
    expect(mixed.code, mixed.stderr).toBe(0)
    expect(lines_(mixed.stdout).sort()).toEqual(await readWithKcat([us, payments]))
  })

  it('an unknown exact name is one error; a pattern that matches nothing reads nothing and exits 0', async () => {
    const base = uniqueName('cpat-none')
    const unknown = await consume([base, '-e'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe(`error: topic ${base} does not exist\n`)

    const glob = await consume([`${base}-*`, '-e'])
    expect(glob.code, glob.stderr).toBe(0)
    expect(glob.stdout).toBe('')
    expect(glob.stderr).toMatch(new RegExp(`^no topic matches '${base}-\\*'\nconsumed 0 records`))

    const regex = await consume(['--regex', `${base}-[0-9]+`, '-e', '-q'])
    expect(regex.code, regex.stderr).toBe(0)
    expect(regex.stdout).toBe('')
    expect(regex.stderr).toBe(`no topic matches '${base}-[0-9]+'\n`)

    const invalid = await consume(['--regex', `${base}-(`, '-e'])
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toMatch(/invalid regular expression/)
  })
})

describe('console consume by pattern, following', () => {
  it('waits for a matching topic, then reads topics and partitions created later from their beginning (not topics that do not match)', async () => {
    const base = uniqueName('cpat-live')
    const [existing, created, other] = [`${base}-0`, `${base}-1`, `${base}x-other`]
    await createTopics({[existing]: 1})
    await produce(existing, ['k:before the start'])
    const none = new Follower([`${base}-9*`, '-q', '-f', '%t %v\\n'])
    const follower = new Follower([`${base}-*`, '-q', '-f', '%t %v\\n'])
    try {
      await none.waitFor('stderr', `no topic matches '${base}-9*' yet: waiting for matching topics to be created`)
      // Following from the end: started once a record written now shows up.
      for (let i = 0; !follower.stdout.includes(`${existing} live`); i++) {
        await produce(existing, [`k:live ${i}`])
        await follower.waitFor('stdout', `${existing} live ${i}`, 2000).catch(() => {})
      }
      await createTopics({[created]: 2, [other]: 1})
      // Written before kadm can know of the topic: read all the same, from the beginning.
      await Promise.all([produce(created, ['a:first', 'b:second']), produce(other, ['k:not matched'])])
      await follower.waitFor('stdout', `${created} second`, FOUND_WITHIN_MS)
      await follower.waitFor('stdout', `${created} first`, 1000)
      expect(follower.stderr).toContain(`following new topic ${created} (2 partitions) from the beginning\n`)
      await produce(created, ['c:third'])
      await follower.waitFor('stdout', `${created} third`)
      // The first live record may have been written before kadm read the end of the log.
      expect(lines_(follower.stdout).filter((l) => !l.startsWith(`${existing} live`)).sort()).toEqual([`${created} first`, `${created} second`, `${created} third`])
      // A partition added to a topic being read: from its beginning too.
      await topicCommand(['--alter', '--topic', existing, '--partitions', '2'])
      await waitForPartitions(existing, 2)
      await produce(existing, ['k:in the new partition'], 1)
      await follower.waitFor('stdout', `${existing} in the new partition`, FOUND_WITHIN_MS)
      expect(follower.stderr).toContain(`${existing}: following new partition 1 from the beginning\n`)
      expect(none.stdout).toBe('')
      expect(none.stderr).not.toContain('following')
    } finally {
      expect(await follower.stop()).toBe(130)
      expect(await none.stop()).toBe(130)
    }
  })

  it('a deleted topic is one line, and the others are still read; exact names only: exit 1 when all are gone', async () => {
    const base = uniqueName('cpat-del')
    const [gone, kept] = [`${base}-a`, `${base}-b`]
    await createTopics({[gone]: 2, [kept]: 1})
    await Promise.all([produce(gone, ['k:a0']), produce(kept, ['k:b0'])])
    const byGlob = new Follower([`${base}-*`, '--from-beginning', '-q', '-f', '%t %v\\n'])
    const byName = new Follower([gone, '--from-beginning', '-q', '-f', '%t %v\\n'])
    try {
      await Promise.all([byGlob.waitFor('stdout', `${gone} a0`), byGlob.waitFor('stdout', `${kept} b0`), byName.waitFor('stdout', `${gone} a0`)])
      await topicCommand(['--delete', '--topic', gone])
      await byGlob.waitFor('stderr', `topic ${gone} was deleted\n`, FOUND_WITHIN_MS)
      expect(await byName.exit(FOUND_WITHIN_MS)).toBe(1)
      expect(byName.stderr).toBe(`topic ${gone} was deleted\nerror: nothing left to read: every topic followed was deleted\n`)
      await produce(kept, ['k:b1'])
      await byGlob.waitFor('stdout', `${kept} b1`)
      expect(byGlob.stderr).not.toMatch(/no leader|error/)
    } finally {
      expect(await byGlob.stop()).toBe(130)
      await byName.stop()
    }
  })
})

describe('console consume by pattern, --group', () => {
  it('subscribes to the matched topics, commits, and follows topics created and deleted later', async () => {
    const base = uniqueName('cpat-group')
    const [one, two, three] = [`${base}-1`, `${base}-2`, `${base}-3`]
    const group = uniqueName('cpat-group')
    await createTopics({[one]: 2, [two]: 3, [`${base}x`]: 1})
    await Promise.all([one, two, `${base}x`].map((t) => produce(t, Array.from({length: 10}, (_, i) => `k${i}:${t} v${i}`))))

    const read = await consume([`${base}-*`, '--group', group, '--from-beginning', '-e', '-q', '-f', LINE])
    expect(read.code, read.stderr).toBe(0)
    expect(lines_(read.stdout).sort()).toEqual(await readWithKcat([one, two]))

    // Kafka's own tool sees the group's commits: at the end of both topics, and no other topic.
    const described = await kafkaTool(version, 'ConsumerGroupCommand', ['--bootstrap-server', bootstrap, '--describe', '--group', group])
    expect(described.code, described.stderr).toBe(0)
    const rows = lines_(described.stdout).map((l) => l.trim().split(/\s+/)).filter((cols) => cols[0] === group)
    expect(rows.map((cols) => `${cols[1]}:${cols[2]}`).sort()).toEqual([`${one}:0`, `${one}:1`, `${two}:0`, `${two}:1`, `${two}:2`])
    expect(rows.every((cols) => cols[3] === cols[4] && cols[5] === '0')).toBe(true)

    // A pattern never reads an internal topic, even one it matches; the exact name does.
    const internal = await consume(['--regex', `__.*|${base}-1`, '--from-beginning', '-e', '-q', '-f', '%t\\n'])
    expect(internal.code, internal.stderr).toBe(0)
    expect(new Set(lines_(internal.stdout))).toEqual(new Set([one]))
    const exact = await consume(['__consumer_offsets', '--from-beginning', '-n', '1', '-q', '-f', '%t\\n'])
    expect(exact.stdout).toBe('__consumer_offsets\n')

    const follower = new Follower([`${base}-*`, '--group', group, '--from-beginning', '-q', '-f', '%t %v\\n'])
    try {
      await produce(one, ['k:after the first run'])
      await follower.waitFor('stdout', `${one} after the first run`)
      await createTopics({[three]: 2})
      await produce(three, ['k:new topic'])
      await follower.waitFor('stdout', `${three} new topic`, FOUND_WITHIN_MS + 10_000)
      expect(follower.stderr).toContain(`following new topic ${three} from the beginning\n`)
      await produce(one, ['k:after the rejoin'])
      await follower.waitFor('stdout', `${one} after the rejoin`)
      // Committed offsets: nothing printed twice across the first run and the rejoin.
      expect(lines_(follower.stdout).sort()).toEqual([`${one} after the first run`, `${one} after the rejoin`, `${three} new topic`])
      // A member subscribed to a deleted topic (kafkajs) reads none of the others: it joins again without it.
      await topicCommand(['--delete', '--topic', three])
      await follower.waitFor('stderr', `topic ${three} was deleted\n`, 2 * TOPIC_POLL_MS + 10_000)
      await produce(two, ['k:after the deletion'])
      await follower.waitFor('stdout', `${two} after the deletion`, FOUND_WITHIN_MS + 10_000)
    } finally {
      expect(await follower.stop()).toBe(130)
    }
  })
})
