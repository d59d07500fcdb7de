import {readdirSync, statSync} from 'node:fs'
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {execFileSync, spawnSync} from 'node:child_process'
import {beforeAll, describe, expect, inject, it} from 'vitest'

import {BIN, createTopic, kadm, kadmEnv, kadmJson, uniqueName} from '../helpers/kadm.js'
import {describeWithConfigCommand, kafkaTool} from '../helpers/kafka-tools.js'
import {fullIsr, kcatPartitions, untilEveryBroker} from '../helpers/kcat.js'
import {until} from '../helpers/process.js'

const bootstrap = inject('bootstrap')
const kafkaVersion = inject('kafkaVersion')
const clusterDir = inject('clusterDir')
const b = ['-b', bootstrap]

let dir: string

/**
 * `count` records of `size` bytes, round robin over partitions 0..n-1, written by kcat (an
 * idempotent producer: a retry never writes a record twice, so each partition ends at its count).
 */
function produce(topic: string, partitions: number, count: number, size = 100): void {
  const value = 'x'.repeat(size)
  for (let p = 0; p < partitions; p++) {
    const records = Math.floor(count / partitions) + (p < count % partitions ? 1 : 0)
    if (records === 0) continue
    execFileSync('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', String(p), '-X', 'enable.idempotence=true'], {input: `${value}\n`.repeat(records), timeout: 120_000, maxBuffer: 64 * 1024 * 1024})
  }
}

/** Each partition's offset as Kafka's GetOffsetShell reads it: `time` -1 the log end, -2 the log start. */
async function offsetsByKafka(topic: string, time: -1 | -2): Promise<number[]> {
  const result = await kafkaTool(kafkaVersion, 'GetOffsetShell', ['--bootstrap-server', bootstrap, '--topic', topic, '--time', String(time)])
  if (result.code !== 0) throw new Error(`GetOffsetShell --topic ${topic} --time ${time} exited ${result.code}: ${result.stderr}`)
  return result.stdout.trim().split('\n').map((line) => line.split(':')).sort((x, y) => Number(x[1]) - Number(y[1])).map((f) => Number(f[2]))
}

/** What the segments (.log files) of `topic`-`partition` take in broker `id`'s log dir, the size DescribeLogDirs reports. */
function bytesOnDisk(id: number, topic: string, partition: number): number {
  expect(clusterDir, 'reads the brokers\' log dirs: run on the suite\'s own cluster (KADM_TEST_BOOTSTRAP unset)').not.toBe('')
  const dir = join(clusterDir, `broker-${id}`, 'data', `${topic}-${partition}`)
  return readdirSync(dir).filter((f) => f.endsWith('.log')).reduce((n, f) => n + statSync(join(dir, f)).size, 0)
}

/** Partitions of `topic` as the first bootstrap broker's metadata has them, read by kcat. */
const partitionsOf = (topic: string) => kcatPartitions(bootstrap.split(',')[0], topic)
const everyBroker = bootstrap.split(',')

/** A config set on broker `id` itself, as Kafka's ConfigCommand describes it ("Dynamic configs for broker N are: ..."). */
async function brokerConfig(id: number, name: string): Promise<string | undefined> {
  return (await describeWithConfigCommand(kafkaVersion, bootstrap, ['--entity-type', 'brokers', '--entity-name', String(id)])).get(name)?.value
}

/** Dynamic configs reach the broker through the metadata log: poll. */
async function expectBrokerConfig(id: number, name: string, value: string | undefined): Promise<void> {
  await until(async () => (await brokerConfig(id, name)) === value || undefined, `broker ${id} ${name} is ${value ?? 'unset'}`, 60_000)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kadm-partitions-'))
})

describe('partitions reassign', () => {
  it('moves replicas for real: plan, apply with a throttle, verify (Kafka agrees), throttles removed', async () => {
    const topic = uniqueName('part-move')
    await createTopic(bootstrap, topic, {assignment: '1,1,1'})
    produce(topic, 3, 300)
    const planFile = join(dir, `${topic}-plan.json`)
    const rollbackFile = join(dir, `${topic}-rollback.json`)
    const topicsFile = join(dir, `${topic}-topics.json`)
    await writeFile(topicsFile, JSON.stringify({topics: [{topic}], version: 1}))

    // A plan from Kafka's own --generate is a valid kadm plan.
    const generated = await kafkaTool(kafkaVersion, 'ReassignPartitionsCommand', ['--bootstrap-server', bootstrap, '--generate', '--topics-to-move-json-file', topicsFile, '--broker-list', '2,3'])
    expect(generated.code, generated.stderr).toBe(0)
    const kafkaPlanFile = join(dir, `${topic}-kafka-plan.json`)
    await writeFile(kafkaPlanFile, generated.stdout.split('Proposed partition reassignment configuration')[1].trim())
    expect((await kadmJson<{started: unknown[]; dryRun: boolean}>(['partitions', 'reassign', 'apply', ...b, kafkaPlanFile, '--dry-run'])).started).toHaveLength(3)

    const plan = await kadmJson<{proposed: {version: number; partitions: Array<{topic: string; partition: number; replicas: number[]}>}; current: unknown; moves: number}>([
      'partitions', 'reassign', 'plan', ...b, '--topics-to-move-json-file', topicsFile, '--brokers', '2,3', '--output-file', planFile, '--rollback-file', rollbackFile,
    ])
    expect(plan.moves).toBe(3)
    expect(plan.current).toEqual({version: 1, partitions: [0, 1, 2].map((partition) => ({topic, partition, replicas: [1]}))})
    // The plan is deterministic: the least loaded target broker first, ties to the lower id.
    expect(plan.proposed.partitions).toEqual([[2], [3], [2]].map((replicas, partition) => ({topic, partition, replicas})))
    expect(JSON.parse(await readFile(planFile, 'utf8'))).toEqual(plan.proposed)

    const applied = await kadmJson<{started: unknown[]; throttle: number}>(['partitions', 'reassign', 'apply', ...b, planFile, '--throttle', '50MB'])
    expect(applied.started).toHaveLength(3)
    await expectBrokerConfig(2, 'follower.replication.throttled.rate', '50000000')

    const report = await until(async () => {
      const r = await kadmJson<{complete: boolean; throttlesCleared: boolean; partitions: Array<{state: string}>}>(['partitions', 'reassign', 'verify', ...b, planFile])
      return r.complete && r
    }, 'the reassignment completes')
    expect(report.throttlesCleared).toBe(true)
    expect(report.partitions.map((p) => p.state)).toEqual(['complete', 'complete', 'complete'])
    await expectBrokerConfig(2, 'follower.replication.throttled.rate', undefined)
    await expectBrokerConfig(1, 'leader.replication.throttled.rate', undefined)

    const target = JSON.stringify(plan.proposed.partitions.map((p) => p.replicas))
    await untilEveryBroker(everyBroker, topic, 'the new replicas', (parts) => JSON.stringify([...parts].sort((x, y) => x.partition - y.partition).map((p) => p.replicas)) === target)
    expect((await kadmJson<{reassignments: unknown[]}>(['partitions', 'reassign', 'status', ...b, '--topic', topic])).reassignments).toEqual([])

    const tool = await kafkaTool(kafkaVersion, 'ReassignPartitionsCommand', ['--bootstrap-server', bootstrap, '--verify', '--reassignment-json-file', planFile])
    expect(tool.code, tool.stderr).toBe(0)
    for (const p of [0, 1, 2]) expect(tool.stdout).toContain(`Reassignment of partition ${topic}-${p} is completed`)

    // A plan to another replication factor: proposed, nothing applied.
    const rfPlan = await kadmJson<{proposed: {partitions: Array<{replicas: number[]}>}}>(['partitions', 'reassign', 'plan', ...b, '--topic', topic, '--replication-factor', '3'])
    expect(rfPlan.proposed.partitions.map((p) => [...p.replicas].sort())).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3]])

    // Raising the replication factor is one command; --brokers says where the replicas may go, --dry-run moves nothing.
    type RfResult = {started: unknown[]; dryRun: boolean; throttle: number | null; plan: {proposed: {version: number; partitions: Array<{topic: string; partition: number; replicas: number[]}>}}}
    const rfDry = await kadmJson<RfResult>(['partitions', 'set-replication-factor', ...b, topic, '--replication-factor', '2', '--brokers', '2,3', '--dry-run'])
    expect(rfDry.dryRun).toBe(true)
    expect(rfDry.plan.proposed.partitions.map((p) => [...p.replicas].sort())).toEqual([[2, 3], [2, 3], [2, 3]])
    expect(partitionsOf(topic).map((p) => p.replicas.length)).toEqual([1, 1, 1])
    const rf = await kadmJson<RfResult>(['partitions', 'set-replication-factor', ...b, topic, '--replication-factor', '2', '--brokers', '2,3', '--throttle', '50MB'])
    expect([rf.started.length, rf.throttle]).toEqual([3, 50_000_000])
    await untilEveryBroker(everyBroker, topic, 'every partition with 2 in-sync replicas', (parts) => parts.length === 3 && parts.every((p) => p.replicas.length === 2 && p.isr.length === 2))
    const rfPlanFile = join(dir, `${topic}-rf2.json`)
    await writeFile(rfPlanFile, JSON.stringify(rf.plan.proposed))
    expect(await until(async () => (await kadmJson<{complete: boolean; throttlesCleared: boolean}>(['partitions', 'reassign', 'verify', ...b, rfPlanFile])).throttlesCleared || undefined, 'the throttles of the RF change are cleared')).toBe(true)
    // ... and so is it through topics alter, as kafkactl users expect, with a throttle too.
    const viaTopics = await kadmJson<RfResult>(['topics', 'alter', ...b, topic, '--replication-factor', '3', '--throttle', '50MB'])
    expect([viaTopics.started.length, viaTopics.throttle]).toEqual([3, 50_000_000])
    await untilEveryBroker(everyBroker, topic, 'every partition with 3 in-sync replicas', (parts) => parts.length === 3 && parts.every((p) => p.replicas.length === 3 && p.isr.length === 3))
    const rf3PlanFile = join(dir, `${topic}-rf3.json`)
    await writeFile(rf3PlanFile, JSON.stringify(viaTopics.plan.proposed))
    expect(await until(async () => (await kadmJson<{complete: boolean; throttlesCleared: boolean}>(['partitions', 'reassign', 'verify', ...b, rf3PlanFile])).throttlesCleared || undefined, 'the throttles of topics alter are cleared')).toBe(true)
    await expectBrokerConfig(2, 'follower.replication.throttled.rate', undefined)
    const mixed = await kadm(['topics', 'alter', ...b, topic, '--replication-factor', '2', '--partitions', '6'])
    expect(mixed.code).toBe(2)
    expect(mixed.stderr.trim()).toBe('error: --replication-factor moves data: change it on its own, without --partitions, --config or --delete')
  })

  it('shows a throttled move in status and cancels it back to the old replicas', async () => {
    const topic = uniqueName('part-cancel')
    await createTopic(bootstrap, topic, {assignment: '1'})
    // 12 MB: at 1 kB/s the follower copies about 1 MB per quota window, so the move stays in progress for a minute.
    produce(topic, 1, 120, 100_000)
    const planFile = join(dir, `${topic}-plan.json`)
    await writeFile(planFile, JSON.stringify({version: 1, partitions: [{topic, partition: 0, replicas: [1, 2], log_dirs: ['any', 'any']}]}))
    const rollbackFile = join(dir, `${topic}-rollback.json`)
    await writeFile(rollbackFile, JSON.stringify({version: 1, partitions: [{topic, partition: 0, replicas: [1]}]}))
    try {
      expect((await kadmJson<{started: unknown[]}>(['partitions', 'reassign', 'apply', ...b, planFile, '--throttle', '1000'])).started).toHaveLength(1)
      const status = await kadmJson<{reassignments: Array<{topic: string; partition: number; adding: number[]; removing: number[]}>}>(['partitions', 'reassign', 'status', ...b, '--topic', topic])
      expect(status.reassignments).toEqual([{topic, partition: 0, replicas: [1, 2], adding: [2], removing: []}])
      const verify = await kadm(['partitions', 'reassign', 'verify', ...b, planFile, '--fail-if-incomplete'])
      expect(verify.code).toBe(3)
      expect(verify.stdout).toContain('in-progress')

      // --all: every reassignment in progress in the cluster, this one alone here.
      const cancel = await kadmJson<{cancelled: unknown[]}>(['partitions', 'reassign', 'cancel', ...b, '--all'])
      expect(cancel.cancelled).toEqual([{topic, partition: 0}])
      await until(async () => (await kadmJson<{reassignments: unknown[]}>(['partitions', 'reassign', 'status', ...b, '--topic', topic])).reassignments.length === 0, 'the cancel is done')
      await untilEveryBroker(everyBroker, topic, 'the replicas back to [1]', (parts) => parts[0]?.replicas.join() === '1')
      // --keep-throttle: complete, and the throttles stay until a verify without it.
      const kept = await kadmJson<{complete: boolean; throttlesCleared: boolean}>(['partitions', 'reassign', 'verify', ...b, rollbackFile, '--keep-throttle'])
      expect(kept).toMatchObject({complete: true, throttlesCleared: false})
      await expectBrokerConfig(1, 'leader.replication.throttled.rate', '1000')
    } finally {
      // The rollback plan is complete now, so verify removes the throttles.
      const cleared = await kadmJson<{complete: boolean; throttlesCleared: boolean}>(['partitions', 'reassign', 'verify', ...b, rollbackFile])
      expect(cleared).toMatchObject({complete: true, throttlesCleared: true})
    }
    await expectBrokerConfig(1, 'leader.replication.throttled.rate', undefined)
  })
})

describe('partitions add, truncate, sizes', () => {
  it('adds partitions (dry run first)', async () => {
    const topic = uniqueName('part-add')
    await createTopic(bootstrap, topic, {assignment: '1:2'})
    const dry = await kadmJson<{before: number; after: number}>(['partitions', 'add', ...b, topic, '--count', '2', '--dry-run'])
    expect(dry).toMatchObject({before: 1, after: 3})
    expect(partitionsOf(topic)).toHaveLength(1)
    await kadmJson(['partitions', 'add', ...b, topic, '--total', '3', '--replica-assignment', '2:3,3:1'])
    await untilEveryBroker(everyBroker, topic, '3 partitions with full ISRs', fullIsr(3))
    expect(partitionsOf(topic).map((p) => p.replicas)).toEqual([[1, 2], [2, 3], [3, 1]])
    const shrink = await kadm(['partitions', 'add', ...b, topic, '--total', '2'])
    expect([shrink.code, shrink.stderr.split('\n')[0]]).toEqual([1, `error: topic ${topic} has 3 partitions: partitions can only be added (Kafka cannot remove them), not reduced to 2`])
  })

  it('truncates with DeleteRecords: the earliest offset moves (kcat reads from there); sizes see the data', async () => {
    const topic = uniqueName('part-trunc')
    await createTopic(bootstrap, topic, {assignment: '1:2,2:3'})
    produce(topic, 2, 40)

    // The brokers' own state: what each replica's segments take in its log dir.
    const onDisk = [[1, 2], [2, 3]].map((replicas, partition) => replicas.map((broker) => ({broker, bytes: bytesOnDisk(broker, topic, partition)})))
    const sizes = await kadmJson<{rows: Array<{name: string; bytes: number; replicas: number}>; totalBytes: number}>(['partitions', 'sizes', ...b, '--topic', topic, '--by', 'topic'])
    // A partition's size is its largest replica; a topic's the sum of its partitions.
    expect(sizes.rows).toEqual([expect.objectContaining({name: topic, replicas: 4, bytes: onDisk.reduce((n, replicas) => n + Math.max(...replicas.map((r) => r.bytes)), 0)})])
    const perPartition = await kadmJson<{rows: Array<{name: string; bytes: number; perBroker: Array<{broker: number; bytes: number}>}>}>(['partitions', 'sizes', ...b, '--topic', topic, '--sort', 'name'])
    expect(perPartition.rows.map((r) => [r.name, [...r.perBroker].sort((x, y) => x.broker - y.broker)])).toEqual(onDisk.map((replicas, partition) => [`${topic}-${partition}`, replicas]))

    const refused = await kadm(['partitions', 'truncate', ...b, topic, '--before', '5'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('--yes')
    const [end0, end1] = await offsetsByKafka(topic, -1)
    expect([end0, end1]).toEqual([20, 20])
    const dry = await kadmJson<{partitions: Array<{before: number; target: number}>}>(['partitions', 'truncate', ...b, topic, '--partition', '0=end', '--dry-run'])
    expect(dry.partitions).toEqual([{topic, partition: 0, before: 0, after: null, target: end0}])

    const result = await kadmJson<{partitions: Array<{partition: number; before: number; after: number}>}>(['partitions', 'truncate', ...b, topic, '--partition', '0=5', '--partition', '1=end', '--yes'])
    expect(result.partitions.map((p) => [p.partition, p.before, p.after])).toEqual([[0, 0, 5], [1, 0, end1]])
    expect(await offsetsByKafka(topic, -2)).toEqual([5, end1])
    const kcat = spawnSync('kcat', ['-C', '-b', bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o\\n'], {encoding: 'utf8', timeout: 30_000})
    expect(kcat.stdout.trim().split('\n')[0]).toBe('5')
  })

  it('sizes --bytes prints the bytes in the table; partitions list --exclude-internal leaves internal topics out', async () => {
    const topic = uniqueName('part-bytes')
    await createTopic(bootstrap, topic, {assignment: '1:2'})
    produce(topic, 1, 30)
    const json = await kadmJson<{rows: Array<{name: string; bytes: number}>}>(['partitions', 'sizes', ...b, '--topic', topic, '--by', 'topic'])
    const table = spawnSync(process.execPath, [BIN, 'partitions', 'sizes', ...b, '--topic', topic, '--by', 'topic', '--bytes'], {encoding: 'utf8', timeout: 30_000, env: kadmEnv()})
    expect(table.stdout.split('\n').find((l) => l.startsWith(topic))).toMatch(new RegExp(`^${topic}\\s+.*\\b${json.rows[0].bytes}\\b`))

    // kcat's metadata says how many partitions __consumer_offsets has; a group kcat commits for
    // makes sure it exists, whichever test file ran first.
    execFileSync('kcat', ['-b', bootstrap, '-G', uniqueName('part-internal'), '-o', 'beginning', '-e', '-q', topic], {timeout: 60_000, stdio: ['ignore', 'ignore', 'pipe']})
    const meta = JSON.parse(spawnSync('kcat', ['-L', '-J', '-b', bootstrap], {encoding: 'utf8', timeout: 30_000}).stdout) as {topics: Array<{topic: string; partitions: unknown[]}>}
    const offsetsTopic = meta.topics.find((t) => t.topic === '__consumer_offsets')!
    const internalRows = async (args: string[]) => (await kadmJson<{partitions: Array<{topic: string}>}>(['partitions', 'list', ...b, ...args])).partitions.filter((p) => p.topic === '__consumer_offsets').length
    expect(await internalRows([])).toBe(offsetsTopic.partitions.length)
    expect(await internalRows(['--exclude-internal'])).toBe(0)
  })
})
