import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {spawnSync} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {KafkaConnection} from '../../src/kafka/client.js'
import {waitForBrokers} from '../../src/kafka/cluster.js'
import {listOffsets} from '../../src/kafka/offsets.js'
import type {MetadataPartition} from '../../src/kafka/protocol/metadata.js'
import {readState, startCluster, stopNodes} from '../../src/local/cluster.js'
import {kadm, kadmJson, ROOT, uniqueName} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'

const bootstrap = inject('bootstrap')
const clusterDir = inject('clusterDir')
const kafkaVersion = inject('kafkaVersion')
const b = ['-b', bootstrap]

interface Row {
  topic: string
  partition: number
  leader: number
  preferredLeader: number
  replicas: number[]
  isr: number[]
  markers: string[]
}

let connection: KafkaConnection
let dir: string

async function createTopic(topic: string, replicaAssignment: number[][], configEntries: Array<{name: string; value: string}> = []): Promise<void> {
  const admin = await connection.admin()
  await admin.createTopics({
    // kafkajs's own wait trips over its bug #815 right after creation: poll metadata instead.
    waitForLeaders: false,
    topics: [{topic, replicaAssignment: replicaAssignment.map((replicas, partition) => ({partition, replicas})), configEntries}],
  })
  await untilEveryBrokerSees(topic, replicaAssignment.length)
}

/** Metadata reaches each broker on its own time: wait until every live broker's view of `topic` passes `ok`. */
async function untilEveryBroker(topic: string, what: string, ok: (partitions: MetadataPartition[]) => boolean): Promise<void> {
  await until(async () => {
    for (const b of (await connection.metadata([])).brokers) {
      const answer = await connection.metadataFrom(b.nodeId, [topic])
      if (!ok(answer.topics[0]?.partitions ?? [])) return false
    }
    return true
  }, `every broker sees ${what}`)
}

const fullIsr = (count: number) => (parts: MetadataPartition[]) =>
  parts.length === count && parts.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length)

async function untilEveryBrokerSees(topic: string, partitions: number): Promise<void> {
  await untilEveryBroker(topic, `${topic} with ${partitions} partition(s) and full ISRs`, fullIsr(partitions))
}

/** Produces `count` records of `size` bytes to partition 0..n round robin, through kafkajs (not the code under test). */
async function produce(topic: string, partitions: number, count: number, size = 100): Promise<void> {
  const {Kafka, logLevel} = await import('kafkajs')
  const producer = new Kafka({brokers: bootstrap.split(','), logLevel: logLevel.NOTHING}).producer()
  await producer.connect()
  try {
    const value = Buffer.alloc(size, 'x')
    const step = Math.max(1, Math.min(20, Math.floor(500_000 / size)))
    for (let start = 0; start < count; start += step) {
      const batch = Array.from({length: Math.min(step, count - start)}, (_, i) => ({partition: (start + i) % partitions, value}))
      await producer.send({topic, acks: -1, messages: batch})
    }
  } finally {
    await producer.disconnect()
  }
}

async function until<T>(check: () => Promise<T | false | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value) return value
    } catch (error) {
      last = error
    }
    await sleep(300)
  }
  throw new Error(`timed out waiting until ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`)
}

const list = async (...args: string[]) => (await kadmJson<{partitions: Row[]; summary: Record<string, number>}>(['partitions', 'list', ...b, ...args])).partitions
const names = (rows: Array<{topic: string; partition: number}>) => rows.map((r) => `${r.topic}-${r.partition}`).sort()

async function brokerConfig(id: number, name: string): Promise<string | undefined> {
  const admin = await connection.admin()
  const answer = await admin.describeConfigs({resources: [{type: 4, name: String(id), configNames: [name]}], includeSynonyms: false})
  const entry = answer.resources[0].configEntries.find((e) => e.configName === name)
  return entry && !entry.isDefault ? entry.configValue : undefined
}

/** Dynamic configs reach the broker that answers DescribeConfigs through the metadata log: poll. */
async function expectBrokerConfig(id: number, name: string, value: string | undefined): Promise<void> {
  await until(async () => (await brokerConfig(id, name)) === value || undefined, `broker ${id} ${name} is ${value ?? 'unset'}`, 20_000)
}

beforeAll(async () => {
  connection = await KafkaConnection.open({bootstrapServers: bootstrap.split(','), source: 'flag'}, {timeoutMs: 10_000, verbose: false})
  dir = await mkdtemp(join(tmpdir(), 'kadm-partitions-'))
})

afterAll(async () => {
  await connection?.close()
})

describe('partitions with a broker down', () => {
  it('lists exactly the partitions that lost the broker, then elect-leaders restores preferred leaders', async () => {
    expect(clusterDir, 'this test stops a broker: run it on the suite\'s own cluster (KADM_TEST_BOOTSTRAP unset)').not.toBe('')
    const topic = uniqueName('part-down')
    // Broker 2 is in the replicas of partitions 0-3 and leads 1 and 3.
    await createTopic(topic, [[1, 2], [2, 3], [3, 2], [2, 1], [1, 3], [3, 1]], [{name: 'min.insync.replicas', value: '2'}])
    // A topic whose one replica is on broker 2: unavailable while it is down.
    const lonely = uniqueName('part-lonely')
    await createTopic(lonely, [[2], [1]])
    const withTwo = [`${topic}-0`, `${topic}-1`, `${topic}-2`, `${topic}-3`]
    const ledByTwo = [`${topic}-1`, `${topic}-3`]
    expect(await list('--topic', topic, '--under-replicated')).toEqual([])

    const state = (await readState(clusterDir))!
    try {
      await stopNodes(state, [2])
      await untilEveryBroker(topic, 'broker 2 out of every ISR', (parts) => parts.length === 6 && parts.every((p) => !p.isr.includes(2)))
      const under = await list('--topic', topic, '--under-replicated')
      expect(names(under)).toEqual(withTwo)
      // min.insync.replicas=2 with one replica left in the ISR.
      for (const r of under) expect(r.markers).toEqual(expect.arrayContaining(['under-replicated', 'under-min-isr']))
      expect(names(await list('--topic', topic, '--broker', '2'))).toEqual(withTwo)
      expect(names(await list('--topic', topic, '--under-min-isr'))).toEqual(withTwo)
      // Partitions 4 and 5 kept both replicas: exactly at min ISR.
      expect(names(await list('--topic', topic, '--at-min-isr'))).toEqual([`${topic}-4`, `${topic}-5`])
      expect(await list('--topic', topic, '--unavailable')).toEqual([])
      expect(names(await list('--topic', lonely, '--unavailable'))).toEqual([`${lonely}-0`])
      // topics describe's filters, on the same real faults, as TopicCommand's.
      const describedWith = async (flag: string, name: string) => (await kadmJson<{topics: Array<{partitions: Array<{partition: number}>}>}>(['topics', 'describe', name, flag, '--no-offsets', ...b])).topics.flatMap((t) => t.partitions.map((p) => p.partition))
      expect(await describedWith('--unavailable-partitions', lonely)).toEqual([0])
      expect(await describedWith('--under-replicated-partitions', topic)).toEqual([0, 1, 2, 3])
      const toolUnavailable = await kafkaTool(kafkaVersion, 'TopicCommand', ['--bootstrap-server', bootstrap, '--describe', '--unavailable-partitions', '--topic', lonely])
      expect([...toolUnavailable.stdout.matchAll(/Partition:\s*(\d+)/g)].map((m) => Number(m[1]))).toEqual([0])

      // Kafka's own tool agrees.
      const tool = await kafkaTool(kafkaVersion, 'TopicCommand', ['--bootstrap-server', bootstrap, '--describe', '--under-replicated-partitions', '--topic', topic])
      expect(tool.code, tool.stderr).toBe(0)
      const fromTool = [...tool.stdout.matchAll(/Topic:\s*(\S+)\s+Partition:\s*(\d+)/g)].map((m) => `${m[1]}-${m[2]}`).sort()
      expect(fromTool).toEqual(withTwo)

      const check = await kadm(['partitions', 'list', ...b, '--topic', topic, '--fail-on-unhealthy'])
      expect(check.code).toBe(3)
      expect(check.stdout).toContain('under-replicated: 4')
    } finally {
      await startCluster({dataDir: clusterDir, waitForBrokers})
    }
    await untilEveryBroker(topic, 'broker 2 back in every ISR', fullIsr(6))
    expect(await list('--topic', topic, '--under-replicated')).toEqual([])
    expect((await kadm(['partitions', 'list', ...b, '--topic', topic, '--fail-on-unhealthy'])).code).toBe(0)

    const notPreferred = await list('--topic', topic, '--not-preferred-leader')
    expect(names(notPreferred)).toEqual(ledByTwo)
    for (const r of notPreferred) expect(r.preferredLeader).toBe(2)

    const predicted = await kadmJson<{results: Array<{topic: string; partition: number; outcome: string; newLeader?: number}>}>(['partitions', 'elect-leaders', ...b, '--topic', topic, '--dry-run'])
    expect(predicted.results.filter((r) => r.outcome === 'would-elect').map((r) => [`${r.topic}-${r.partition}`, r.newLeader])).toEqual(ledByTwo.map((n) => [n, 2]))
    expect(names(await list('--topic', topic, '--not-preferred-leader'))).toEqual(ledByTwo)
    const onePartition = await kadmJson<{results: Array<{partition: number; outcome: string}>}>(['partitions', 'elect-leaders', ...b, '--topic', topic, '--partition', '3', '--dry-run'])
    expect(onePartition.results.map((r) => [r.partition, r.outcome])).toEqual([[3, 'would-elect']])

    const election = await kadmJson<{results: Array<{topic: string; partition: number; outcome: string}>}>(['partitions', 'elect-leaders', ...b, '--preferred', '--topic', topic])
    expect(election.results.filter((r) => r.outcome === 'elected').map((r) => `${r.topic}-${r.partition}`).sort()).toEqual(ledByTwo)
    expect(election.results.filter((r) => r.outcome === 'failed')).toEqual([])
    await until(async () => (await list('--topic', topic, '--not-preferred-leader')).length === 0, 'every partition is on its preferred leader')

    // LeaderElectionCommand's JSON file works too; a preferred leader already in place is reported as such.
    const file = join(dir, `${topic}-elect.json`)
    await writeFile(file, JSON.stringify({partitions: [{topic, partition: 1}]}))
    const again = await kadmJson<{results: Array<{outcome: string}>}>(['partitions', 'elect-leaders', ...b, '--path-to-json-file', file])
    expect(again.results).toEqual([{topic, partition: 1, outcome: 'already-leader'}])
    const unclean = await kadm(['partitions', 'elect-leaders', ...b, '--unclean', '--topic', topic])
    expect(unclean.code).toBe(2)
    expect(unclean.stderr).toContain('--yes')

    // Give the rest of the cluster (internal topics, other files' topics) its preferred leaders back.
    const all = await kadm(['partitions', 'elect-leaders', ...b, '--all', '-o', 'json'])
    expect(all.code, all.stderr).toBe(0)
    expect((JSON.parse(all.stdout) as {results: Array<{outcome: string}>}).results.filter((r) => r.outcome === 'failed')).toEqual([])
  })
})

describe('partitions reassign', () => {
  it('moves replicas for real: plan, apply with a throttle, verify (Kafka agrees), throttles removed', async () => {
    const topic = uniqueName('part-move')
    await createTopic(topic, [[1], [1], [1]])
    await produce(topic, 3, 300)
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
    for (const p of plan.proposed.partitions) expect([2, 3]).toContain(p.replicas[0])
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
    await untilEveryBroker(topic, 'the new replicas', (parts) => JSON.stringify([...parts].sort((x, y) => x.partition - y.partition).map((p) => p.replicas)) === target)
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
    expect((await connection.metadata([topic])).topics[0].partitions.map((p) => p.replicas.length)).toEqual([1, 1, 1])
    const rf = await kadmJson<RfResult>(['partitions', 'set-replication-factor', ...b, topic, '--replication-factor', '2', '--brokers', '2,3', '--throttle', '50MB'])
    expect([rf.started.length, rf.throttle]).toEqual([3, 50_000_000])
    await untilEveryBroker(topic, 'every partition with 2 in-sync replicas', (parts) => parts.length === 3 && parts.every((p) => p.replicas.length === 2 && p.isr.length === 2))
    const rfPlanFile = join(dir, `${topic}-rf2.json`)
    await writeFile(rfPlanFile, JSON.stringify(rf.plan.proposed))
    expect(await until(async () => (await kadmJson<{complete: boolean; throttlesCleared: boolean}>(['partitions', 'reassign', 'verify', ...b, rfPlanFile])).throttlesCleared || undefined, 'the throttles of the RF change are cleared')).toBe(true)
    // ... and so is it through topics alter, as kafkactl users expect, with a throttle too.
    const viaTopics = await kadmJson<RfResult>(['topics', 'alter', ...b, topic, '--replication-factor', '3', '--throttle', '50MB'])
    expect([viaTopics.started.length, viaTopics.throttle]).toEqual([3, 50_000_000])
    await untilEveryBroker(topic, 'every partition with 3 in-sync replicas', (parts) => parts.length === 3 && parts.every((p) => p.replicas.length === 3 && p.isr.length === 3))
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
    await createTopic(topic, [[1]])
    // 12 MB: at 1 kB/s the follower copies about 1 MB per quota window, so the move stays in progress for a minute.
    await produce(topic, 1, 120, 100_000)
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
      await untilEveryBroker(topic, 'the replicas back to [1]', (parts) => parts[0]?.replicas.join() === '1')
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
    await createTopic(topic, [[1, 2]])
    const dry = await kadmJson<{before: number; after: number}>(['partitions', 'add', ...b, topic, '--count', '2', '--dry-run'])
    expect(dry).toMatchObject({before: 1, after: 3})
    expect((await connection.metadata([topic])).topics[0].partitions).toHaveLength(1)
    await kadmJson(['partitions', 'add', ...b, topic, '--total', '3', '--replica-assignment', '2:3,3:1'])
    await untilEveryBrokerSees(topic, 3)
    const parts = (await connection.metadata([topic])).topics[0].partitions.sort((x, y) => x.partition - y.partition)
    expect(parts.map((p) => p.replicas)).toEqual([[1, 2], [2, 3], [3, 1]])
    const shrink = await kadm(['partitions', 'add', ...b, topic, '--total', '2'])
    expect([shrink.code, shrink.stderr.split('\n')[0]]).toEqual([1, `error: topic ${topic} has 3 partitions: partitions can only be added (Kafka cannot remove them), not reduced to 2`])
  })

  it('truncates with DeleteRecords: the earliest offset moves (kcat reads from there); sizes see the data', async () => {
    const topic = uniqueName('part-trunc')
    await createTopic(topic, [[1, 2], [2, 3]])
    await produce(topic, 2, 40)

    const sizes = await kadmJson<{rows: Array<{name: string; bytes: number; replicas: number}>; totalBytes: number}>(['partitions', 'sizes', ...b, '--topic', topic, '--by', 'topic'])
    expect(sizes.rows).toHaveLength(1)
    expect(sizes.rows[0]).toMatchObject({name: topic, replicas: 4})
    expect(sizes.rows[0].bytes).toBeGreaterThan(40 * 100)
    const perPartition = await kadmJson<{rows: Array<{name: string; bytes: number; perBroker: Array<{broker: number; bytes: number}>}>}>(['partitions', 'sizes', ...b, '--topic', topic, '--sort', 'name'])
    expect(perPartition.rows.map((r) => r.name)).toEqual([`${topic}-0`, `${topic}-1`])
    expect(perPartition.rows[0].perBroker.map((x) => x.broker).sort()).toEqual([1, 2])

    const refused = await kadm(['partitions', 'truncate', ...b, topic, '--before', '5'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('--yes')
    // The high watermarks as the broker has them (a producer retry could have written a record twice).
    const [end0, end1] = (await listOffsets(connection, [{topic, partition: 0}, {topic, partition: 1}], 'latest')).map((e) => e.offset!)
    expect(end0).toBeGreaterThanOrEqual(20)
    const dry = await kadmJson<{partitions: Array<{before: number; target: number}>}>(['partitions', 'truncate', ...b, topic, '--partition', '0=end', '--dry-run'])
    expect(dry.partitions).toEqual([{topic, partition: 0, before: 0, after: null, target: end0}])

    const result = await kadmJson<{partitions: Array<{partition: number; before: number; after: number}>}>(['partitions', 'truncate', ...b, topic, '--partition', '0=5', '--partition', '1=end', '--yes'])
    expect(result.partitions.map((p) => [p.partition, p.before, p.after])).toEqual([[0, 0, 5], [1, 0, end1]])
    const earliest = await listOffsets(connection, [{topic, partition: 0}, {topic, partition: 1}], 'earliest')
    expect(earliest.map((e) => e.offset)).toEqual([5, end1])
    const kcat = spawnSync('kcat', ['-C', '-b', bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o\\n'], {encoding: 'utf8', timeout: 30_000})
    expect(kcat.stdout.trim().split('\n')[0]).toBe('5')
  })

  it('sizes --bytes prints the bytes in the table; partitions list --exclude-internal leaves internal topics out', async () => {
    const topic = uniqueName('part-bytes')
    await createTopic(topic, [[1, 2]])
    await produce(topic, 1, 30)
    const json = await kadmJson<{rows: Array<{name: string; bytes: number}>}>(['partitions', 'sizes', ...b, '--topic', topic, '--by', 'topic'])
    const table = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), 'partitions', 'sizes', ...b, '--topic', topic, '--by', 'topic', '--bytes'], {encoding: 'utf8', timeout: 30_000})
    expect(table.stdout.split('\n').find((l) => l.startsWith(topic))).toMatch(new RegExp(`^${topic}\\s+.*\\b${json.rows[0].bytes}\\b`))

    // kcat's metadata says how many partitions __consumer_offsets has.
    const meta = JSON.parse(spawnSync('kcat', ['-L', '-J', '-b', bootstrap], {encoding: 'utf8', timeout: 30_000}).stdout) as {topics: Array<{topic: string; partitions: unknown[]}>}
    const offsetsTopic = meta.topics.find((t) => t.topic === '__consumer_offsets')!
    const internalRows = async (args: string[]) => (await kadmJson<{partitions: Array<{topic: string}>}>(['partitions', 'list', ...b, ...args])).partitions.filter((p) => p.topic === '__consumer_offsets').length
    expect(await internalRows([])).toBe(offsetsTopic.partitions.length)
    expect(await internalRows(['--exclude-internal'])).toBe(0)
  })
})
