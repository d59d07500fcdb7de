import {execFileSync} from 'node:child_process'
import {statfsSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {createTopic, kadm, kadmJson, uniqueName} from '../helpers/kadm.js'
import {describeWithTopicCommand, kafkaTool} from '../helpers/kafka-tools.js'
import {until} from '../helpers/process.js'

const version = inject('kafkaVersion')
const shared = inject('bootstrap')
/** This file's own broker (controller 100 above): one broker with two log dirs. */
const PORT = Number(process.env.KADM_TEST_PORT ?? 19_092) + 60

let dataDir: string
let state: {bootstrap: string; nodes: Array<{logDirs: string[]}>}
let B: string[]
/** The broker's two log dirs, as `kadm local start --log-dirs 2` lays them out. */
let dirs: string[]
let files: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kadm-log-dirs-'))
  files = await mkdtemp(join(tmpdir(), 'kadm-log-dirs-files-'))
  state = await kadmJson(['local', 'start', '--brokers', '1', '--log-dirs', '2', '--kafka-version', version, '--port', String(PORT), '--data-dir', dataDir], {timeoutMs: 240_000})
  B = ['-b', state.bootstrap]
  dirs = state.nodes[0].logDirs
  expect(dirs).toEqual([join(dataDir, 'broker-1', 'data'), join(dataDir, 'broker-1', 'data-2')])
}, 240_000)

afterAll(async () => {
  if (dataDir) {
    await kadm(['local', 'stop', '--purge', '--data-dir', dataDir])
    await rm(dataDir, {recursive: true, force: true})
  }
  if (files) await rm(files, {recursive: true, force: true})
})

interface ToolDir {
  logDir: string
  error: string | null
  partitions: Array<{partition: string; size: number; isFuture: boolean}>
}

/** Kafka's LogDirsCommand --describe: per broker, its log dirs with the replicas in each. */
async function logDirsByKafka(bootstrap: string, brokers: string, topics?: string): Promise<Array<{broker: number; logDirs: ToolDir[]}>> {
  const run = await kafkaTool(version, 'LogDirsCommand', ['--bootstrap-server', bootstrap, '--describe', '--broker-list', brokers, ...(topics ? ['--topic-list', topics] : [])])
  expect(run.code, run.stderr).toBe(0)
  return (JSON.parse(run.stdout.split('\n').find((l) => l.startsWith('{'))!) as {brokers: Array<{broker: number; logDirs: ToolDir[]}>}).brokers
}

/** Where LogDirsCommand finds each replica of `topic` on `broker`: "topic-p" -> dir (a copy under way as "dir (future)"). */
async function placesByKafka(bootstrap: string, broker: number, topic: string): Promise<Record<string, string>> {
  const [found] = await logDirsByKafka(bootstrap, String(broker), topic)
  const out: Record<string, string> = {}
  for (const d of found.logDirs) for (const p of d.partitions) out[p.partition + (p.isFuture ? ' (future)' : '')] = d.logDir
  return out
}

const produce = (bootstrap: string, topic: string, partition: number, count: number) =>
  execFileSync('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', String(partition)], {input: `${'v'.repeat(200)}\n`.repeat(count), timeout: 60_000})

interface Target {topic: string; partition: number; broker: number; dir: string}
interface Moves {dryRun: boolean; started: Array<Target & {from: string | null}>; unchanged: Target[]; failed: Array<Target & {error: string}>}
interface Status extends Target {current: string | null; future: string | null; state: string}

describe('partitions move-log-dir', () => {
  it('moves replicas between the log dirs of a broker, where LogDirsCommand then finds them; a dry run moves nothing; refusals are one line', async () => {
    const topic = uniqueName('logdir-move')
    await createTopic(state.bootstrap, topic, {partitions: 3, replicationFactor: 1})
    for (const p of [0, 1, 2]) produce(state.bootstrap, topic, p, 200)
    const before = await placesByKafka(state.bootstrap, 1, topic)
    expect(Object.keys(before).sort()).toEqual([0, 1, 2].map((p) => `${topic}-${p}`))
    const other = (dir: string) => dirs.find((d) => d !== dir)!
    const target = other(before[`${topic}-0`])

    const dry = await kadmJson<Moves>(['partitions', 'move-log-dir', `${topic}:0`, '--broker', '1', '--to', target, '--dry-run', ...B])
    expect(dry).toEqual({dryRun: true, started: [{topic, partition: 0, broker: 1, dir: target, from: before[`${topic}-0`]}], unchanged: [], failed: [], broker: 1, to: target})
    expect(await placesByKafka(state.bootstrap, 1, topic)).toEqual(before)

    const moved = await kadmJson<Moves & {waited: Status[]}>(['partitions', 'move-log-dir', `${topic}:0`, '--broker', '1', '--to', target, '--wait', ...B])
    expect(moved.started).toEqual(dry.started)
    expect(moved.waited).toEqual([{topic, partition: 0, broker: 1, dir: target, current: target, future: null, state: 'complete'}])
    expect(await placesByKafka(state.bootstrap, 1, topic)).toEqual({...before, [`${topic}-0`]: target})

    // The whole topic into the first dir: what is there already stays, as LogDirsCommand saw it.
    const all = await kadmJson<Moves & {waited: Status[]}>(['partitions', 'move-log-dir', topic, '--broker', '1', '--to', dirs[0], '--wait', ...B])
    const already = [0, 1, 2].filter((p) => ({...before, [`${topic}-0`]: target})[`${topic}-${p}`] === dirs[0])
    expect(all.unchanged.map((t) => t.partition)).toEqual(already)
    expect(all.started.map((t) => t.partition)).toEqual([0, 1, 2].filter((p) => !already.includes(p)))
    expect(all.waited.map((s) => s.state)).toEqual(all.started.map(() => 'complete'))
    expect(await placesByKafka(state.bootstrap, 1, topic)).toEqual(Object.fromEntries([0, 1, 2].map((p) => [`${topic}-${p}`, dirs[0]])))

    const table = await kadm(['partitions', 'move-log-dir', topic, '--broker', '1', '--to', dirs[0], ...B])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toBe('started 0 log dir move(s); 3 replica(s) already in their log dir\n')

    // Refusals: one line each, and nothing moves.
    const cases: Array<[string[], number, string]> = [
      [[topic, '--broker', '1', '--to', '/nowhere'], 1, `error: /nowhere is not a log dir of broker 1 (its log dirs: ${dirs.join(', ')}): nothing was changed`],
      [[topic, '--broker', '1', '--to', 'data-2'], 2, 'error: --to "data-2" is not an absolute path (a log dir of broker 1)'],
      [[topic, '--broker', '7', '--to', dirs[1]], 1, 'error: broker 7 is not in the cluster (brokers: 1)'],
      [[`${topic}:5`, '--broker', '1', '--to', dirs[1]], 1, `error: ${topic} has no partition 5 (it has 3)`],
    ]
    for (const [args, code, line] of cases) {
      const run = await kadm(['partitions', 'move-log-dir', ...args, ...B])
      expect([run.code, run.stderr.trim(), run.stdout]).toEqual([code, line, ''])
    }
    expect(await placesByKafka(state.bootstrap, 1, topic)).toEqual(Object.fromEntries([0, 1, 2].map((p) => [`${topic}-${p}`, dirs[0]])))
  })
})

describe('log_dirs in reassignment plans', () => {
  it('reassign apply moves the replicas a plan puts in a log dir; verify says what kafka-reassign-partitions --verify says', async () => {
    const topic = uniqueName('logdir-plan')
    await createTopic(state.bootstrap, topic, {partitions: 2, replicationFactor: 1})
    produce(state.bootstrap, topic, 1, 200)
    const before = await placesByKafka(state.bootstrap, 1, topic)
    const from = before[`${topic}-1`]
    const target = dirs.find((d) => d !== from)!
    const planFile = join(files, `${topic}.json`)
    await writeFile(planFile, JSON.stringify({version: 1, partitions: [
      {topic, partition: 0, replicas: [1], log_dirs: ['any']},
      {topic, partition: 1, replicas: [1], log_dirs: [target]},
    ]}))
    const kafkaVerify = async () => {
      const run = await kafkaTool(version, 'ReassignPartitionsCommand', ['--bootstrap-server', state.bootstrap, '--verify', '--reassignment-json-file', planFile, '--preserve-throttles'])
      expect(run.code, run.stderr).toBe(0)
      return run.stdout
    }

    // Before: the replica is elsewhere and nothing moves it, for both tools.
    const waiting = await kadmJson<{complete: boolean; logDirs: Status[]}>(['partitions', 'reassign', 'verify', planFile, '--keep-throttle', ...B])
    expect(waiting.complete).toBe(false)
    expect(waiting.logDirs).toEqual([{topic, partition: 1, broker: 1, dir: target, current: from, future: null, state: 'not-moving'}])
    expect(await kafkaVerify()).toContain(`Partition ${topic}-1 on broker 1 is not being moved from log dir ${from} to ${target}.`)
    const notDone = await kadm(['partitions', 'reassign', 'verify', planFile, '--keep-throttle', '--fail-if-incomplete', ...B])
    expect(notDone.code).toBe(3)

    const dry = await kadmJson<{dryRun: boolean; started: unknown[]; logDirs: Moves}>(['partitions', 'reassign', 'apply', planFile, '--dry-run', ...B])
    expect(dry.started).toEqual([])
    expect(dry.logDirs).toEqual({dryRun: true, started: [{topic, partition: 1, broker: 1, dir: target, from}], unchanged: [], failed: []})
    expect(await placesByKafka(state.bootstrap, 1, topic)).toEqual(before)

    const applied = await kadmJson<{logDirs: Moves}>(['partitions', 'reassign', 'apply', planFile, ...B])
    expect(applied.logDirs.started).toEqual(dry.logDirs.started)
    const done = await until(async () => {
      const r = await kadmJson<{complete: boolean; logDirs: Status[]}>(['partitions', 'reassign', 'verify', planFile, ...B])
      return r.complete && r
    }, 'the log dir move completes')
    expect(done.logDirs).toEqual([{topic, partition: 1, broker: 1, dir: target, current: target, future: null, state: 'complete'}])
    expect(await kafkaVerify()).toMatch(new RegExp(`Reassignment of replica \\S*${topic}\\S* completed successfully\\.`))
    expect(await placesByKafka(state.bootstrap, 1, topic)).toEqual({...before, [`${topic}-1`]: target})
  })

  it('a plan that brings a replica to another broker puts it in the log dir named, once it is there (the suite\'s 3 brokers)', async () => {
    const topic = uniqueName('logdir-across')
    await createTopic(shared, topic, {assignment: '1'})
    produce(shared, topic, 0, 100)
    const byKafka = await logDirsByKafka(shared, '2,3')
    const [broker2, broker3] = [2, 3].map((id) => byKafka.find((b) => b.broker === id)!)
    const dir2 = broker2.logDirs[0].logDir
    const planFile = join(files, `${topic}.json`)
    await writeFile(planFile, JSON.stringify({version: 1, partitions: [{topic, partition: 0, replicas: [2], log_dirs: [dir2]}]}))

    const applied = await kadmJson<{started: Array<{from: number[]; to: number[]}>; logDirs: Moves}>(['partitions', 'reassign', 'apply', planFile, '-b', shared])
    expect(applied.started.map((s) => [s.from, s.to])).toEqual([[[1], [2]]])
    expect(applied.logDirs).toEqual({dryRun: false, started: [{topic, partition: 0, broker: 2, dir: dir2, from: null}], unchanged: [], failed: []})
    await until(async () => (await kadmJson<{complete: boolean}>(['partitions', 'reassign', 'verify', planFile, '-b', shared])).complete, 'the reassignment completes')
    expect(await placesByKafka(shared, 2, topic)).toEqual({[`${topic}-0`]: dir2})

    // A plan naming a path that is not a log dir of broker 3 is refused before the reassignment starts.
    const badPlan = join(files, `${topic}-bad.json`)
    await writeFile(badPlan, JSON.stringify({version: 1, partitions: [{topic, partition: 0, replicas: [3], log_dirs: ['/nowhere']}]}))
    const refused = await kadm(['partitions', 'reassign', 'apply', badPlan, '-b', shared])
    expect([refused.code, refused.stderr.trim()]).toEqual([1, `error: the plan cannot be applied: /nowhere is not a log dir of broker 3 (its log dirs: ${broker3.logDirs.map((d) => d.logDir).join(', ')})`])
    expect((await describeWithTopicCommand(version, shared, ['--topic', topic])).partitions.map((p) => p.replicas)).toEqual([[2]])
  })
})

describe('partitions sizes --by logdir', () => {
  interface SizeRow {name: string; broker: number; logDir: string; bytes: number; replicas: number; totalBytes: number | null; usableBytes: number | null; error?: string}

  it('lists each log dir with its bytes and replicas as LogDirsCommand counts them, and its volume as statfs sees it', async () => {
    const [tool] = await logDirsByKafka(state.bootstrap, '1')
    const sizes = await kadmJson<{rows: SizeRow[]}>(['partitions', 'sizes', '--by', 'logdir', '--sort', 'name', ...B])
    expect(sizes.rows.map((r) => [r.logDir, r.bytes, r.replicas])).toEqual(tool.logDirs.map((d) => [d.logDir, d.partitions.reduce((n, p) => n + p.size, 0), d.partitions.length]).sort())
    for (const row of sizes.rows) {
      const fs = statfsSync(row.logDir)
      expect(row.totalBytes).toBe(fs.blocks * fs.bsize)
      expect(row.usableBytes).toBeGreaterThan(0)
      expect(row.usableBytes).toBeLessThanOrEqual(row.totalBytes!)
    }
  })

  it('shows a log dir that failed as offline, as LogDirsCommand does, and refuses to move replicas into it (last: the dir stays offline)', async () => {
    const topic = uniqueName('logdir-offline')
    await createTopic(state.bootstrap, topic, {partitions: 1, replicationFactor: 1})
    await kadmJson(['partitions', 'move-log-dir', topic, '--broker', '1', '--to', dirs[0], '--wait', ...B])
    // The second dir disappears under the broker; the move into it fails on the disk and the broker takes the dir offline.
    await rm(dirs[1], {recursive: true, force: true})
    await kadm(['partitions', 'move-log-dir', topic, '--broker', '1', '--to', dirs[1], ...B])
    // Until the broker takes the dir offline it may answer UnknownServerException for it (the
    // volume of a path that is gone cannot be read).
    await until(async () => {
      const [tool] = await logDirsByKafka(state.bootstrap, '1')
      const dir = tool.logDirs.find((d) => d.logDir === dirs[1])
      return dir?.error && /KafkaStorageException/.test(dir.error) ? dir : undefined
    }, 'the broker reports the second log dir offline (KafkaStorageException)')
    const sizes = await kadmJson<{rows: SizeRow[]}>(['partitions', 'sizes', '--by', 'logdir', '--sort', 'name', ...B])
    expect(sizes.rows.map((r) => [r.logDir, r.error ?? null])).toEqual([[dirs[0], null], [dirs[1], 'KAFKA_STORAGE_ERROR']])
    const table = await kadm(['partitions', 'sizes', '--by', 'logdir', '--sort', 'name', ...B])
    expect(table.stdout).toContain(`1:${dirs[1]}`)
    expect(table.stdout.split('\n').find((l) => l.includes(`1:${dirs[1]}`))).toMatch(/offline \(KAFKA_STORAGE_ERROR\)/)

    const refused = await kadm(['partitions', 'move-log-dir', topic, '--broker', '1', '--to', dirs[1], ...B])
    expect([refused.code, refused.stderr.trim()]).toEqual([1, `error: log dir ${dirs[1]} of broker 1 is offline (KAFKA_STORAGE_ERROR): nothing was changed`])
    expect(await placesByKafka(state.bootstrap, 1, topic)).toEqual({[`${topic}-0`]: dirs[0]})
  })
})
