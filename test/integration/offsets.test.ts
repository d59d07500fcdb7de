import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Kafka, logLevel, type Admin, type Consumer} from 'kafkajs'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {createTopic, kadm, kadmJson, uniqueName} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'
import type {OffsetResetResult, OffsetsDeleteResult, OffsetsShowResult} from '../../src/render/offsets.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const CGC = 'ConsumerGroupCommand' as const
/**
 * Record i of partition p has timestamp BASE + i*1000 + p*300. BASE is recent: records older than
 * the topic's retention (7 days) would be deleted under the test's feet.
 */
const BASE = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000
/**
 * BASE + ms as Kafka's --to-datetime takes it, YYYY-MM-DDTHH:mm:SS.sss without a zone, in UTC:
 * both tools run with TZ=Asia/Kolkata (UTC+05:30), and both read a time without a zone as UTC.
 */
const KOLKATA = {TZ: 'Asia/Kolkata'}
const naive = (ms: number) => new Date(BASE + ms).toISOString().slice(0, 23)
const iso = (ms: number) => new Date(BASE + ms).toISOString()

const kafka = new Kafka({clientId: 'kadm-offsets-test', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING})
let admin: Admin
let dir: string

beforeAll(async () => {
  admin = kafka.admin()
  await admin.connect()
  dir = await mkdtemp(join(tmpdir(), 'kadm-offsets-'))
})

afterAll(async () => {
  await admin.disconnect()
})

/** A topic with `perPartition` records in each partition, timestamps as above. */
async function topicWithRecords(partitions: number, perPartition: number): Promise<string> {
  const topic = uniqueName('offsets')
  await createTopic(bootstrap, topic, {partitions, replicationFactor: 1})
  const producer = kafka.producer()
  await producer.connect()
  const messages = []
  for (let p = 0; p < partitions; p++) {
    for (let i = 0; i < perPartition; i++) messages.push({partition: p, value: `${p}-${i}`, timestamp: String(BASE + i * 1000 + p * 300)})
  }
  // Leaders of a new topic take a moment to be known everywhere (kafkajs #815): retry until they are.
  for (let attempt = 1; ; attempt++) {
    try {
      await producer.send({topic, messages, acks: -1})
      break
    } catch (error) {
      if (attempt >= 50) throw error
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  await producer.disconnect()
  return topic
}

/** The group's committed offsets as kafkajs reads them: partition → offset (-1: none). */
async function committed(group: string, topic: string): Promise<number[]> {
  const [answer] = await admin.fetchOffsets({groupId: group, topics: [topic]})
  return answer.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset))
}

/**
 * Runs ConsumerGroupCommand. It reports some failures on stderr and still exits 0: those count as
 * failures too. A coordinator that is moving or loading is Kafka's own transient state, so the
 * tool is asked again, as an operator would.
 */
async function cgc(args: string[], env?: Record<string, string>) {
  for (let attempt = 1; ; attempt++) {
    const result = await kafkaTool(version, CGC, ['--bootstrap-server', bootstrap, ...args], {env})
    const failed = result.code !== 0 || /^Error:/m.test(result.stderr)
    if (!failed) return result.stdout
    if (attempt < 3 && /Coordinator(LoadInProgress|NotAvailable)|NotCoordinator|TimeoutException/.test(result.stderr)) continue
    throw new Error(`ConsumerGroupCommand ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`)
  }
}

/**
 * "GROUP TOPIC PARTITION NEW-OFFSET" rows of a ConsumerGroupCommand --reset-offsets plan. Read as a
 * stream of words, since Kafka 3.9 prints every row on one line (its format has no line separator).
 */
function cgcPlan(stdout: string): Array<{group: string; topic: string; partition: number; offset: number}> {
  const words = stdout.split(/\s+/).filter(Boolean)
  const rows = []
  for (let i = words.indexOf('NEW-OFFSET') + 1; i > 0 && i + 3 < words.length; i += 4) {
    const [group, topic, partition, offset] = words.slice(i, i + 4)
    if (!/^\d+$/.test(partition) || !/^\d+$/.test(offset)) break
    rows.push({group, topic, partition: Number(partition), offset: Number(offset)})
  }
  return rows.sort((a, b) => a.group.localeCompare(b.group) || a.partition - b.partition)
}

const kadmRows = (plan: OffsetResetResult) => plan.groups.flatMap((g) => g.rows.map((r) => ({group: r.group, topic: r.topic, partition: r.partition, offset: r.newOffset})))

describe('offsets reset', () => {
  it('works as a script: dry-run JSON, --execute with an undo file, then the undo file restores the offsets exactly', async () => {
    const topic = await topicWithRecords(3, 10)
    const group = uniqueName('script')
    // The group does not exist yet: kadm creates its offsets, as Kafka's tool does.
    const original = join(dir, `${group}-original.csv`)
    await writeFile(original, `${topic},0,2\n${topic},1,5\n${topic},2,7\n`)
    const created = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', group, '--from-file', original, '--execute', '--undo-file', join(dir, `${group}-first-undo.csv`)])
    expect(created.code, created.stderr).toBe(0)
    expect(await committed(group, topic)).toEqual([2, 5, 7])

    const plan = await kadmJson<OffsetResetResult>(['offsets', 'reset', '-b', bootstrap, '--group', group, '--topic', topic, '--to-earliest'])
    expect(plan.mode).toBe('dry-run')
    expect(plan.undoFile).toBeNull()
    expect(plan.groups[0].rows.map((r) => [r.partition, r.currentOffset, r.newOffset, r.change, r.lagAfter])).toEqual([[0, 2, 0, -2, 10], [1, 5, 0, -5, 10], [2, 7, 0, -7, 10]])
    // --dry-run says so explicitly: the same plan, nothing committed; with --execute it is refused.
    const explicit = await kadmJson<OffsetResetResult>(['offsets', 'reset', '-b', bootstrap, '--group', group, '--topic', topic, '--to-earliest', '--dry-run'])
    expect(explicit).toEqual(plan)
    expect((await kadm(['offsets', 'reset', '-b', bootstrap, '--group', group, '--topic', topic, '--to-earliest', '--dry-run', '--execute'])).code).toBe(2)
    expect(await committed(group, topic)).toEqual([2, 5, 7])

    const undo = join(dir, `${group}-undo.csv`)
    const executed = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', group, '--topic', topic, '--to-earliest', '--execute', '--undo-file', undo, '-o', 'json'])
    expect(executed.code, executed.stderr).toBe(0)
    const result = JSON.parse(executed.stdout) as OffsetResetResult
    expect(result.mode).toBe('execute')
    expect(result.undoFile).toBe(undo)
    expect(result.groups[0].rows.map((r) => r.error)).toEqual([null, null, null])
    expect(executed.stderr).toContain(`undo file: ${undo}`)
    expect(await committed(group, topic)).toEqual([0, 0, 0])
    expect(await readFile(undo, 'utf8')).toBe(`${topic},0,2\n${topic},1,5\n${topic},2,7\n`)

    const restored = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', group, '--from-file', undo, '--execute', '--undo-file', join(dir, `${group}-undo2.csv`)])
    expect(restored.code, restored.stderr).toBe(0)
    const described = await cgc(['--describe', '--group', group])
    const current = described.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f[0] === group && f[1] === topic).map((f) => [Number(f[2]), Number(f[3])])
    expect(current.sort((a, b) => a[0] - b[0])).toEqual([[0, 2], [1, 5], [2, 7]])
  })

  it('reads ConsumerGroupCommand --export plans and writes plans its --from-file accepts', async () => {
    const topic = await topicWithRecords(2, 10)
    const [g1, g2] = [uniqueName('csv'), uniqueName('csv')]

    // Kafka → kadm, one group (topic,partition,offset) and two groups (group,topic,partition,offset).
    const single = await cgc(['--reset-offsets', '--group', g1, '--topic', topic, '--to-offset', '4', '--dry-run', '--export'])
    await writeFile(join(dir, `${g1}.csv`), single)
    const fromSingle = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', g1, '--from-file', join(dir, `${g1}.csv`), '--execute', '--undo-file', join(dir, `${g1}-u.csv`)])
    expect(fromSingle.code, fromSingle.stderr).toBe(0)
    expect(await committed(g1, topic)).toEqual([4, 4])
    const multi = await cgc(['--reset-offsets', '--group', g1, '--group', g2, '--topic', `${topic}:1`, '--to-offset', '6', '--dry-run', '--export'])
    await writeFile(join(dir, `${g2}-multi.csv`), multi)
    const fromMulti = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', g1, '--group', g2, '--from-file', join(dir, `${g2}-multi.csv`), '--execute', '--undo-file', join(dir, `${g2}-u.csv`)])
    expect(fromMulti.code, fromMulti.stderr).toBe(0)
    expect(await committed(g1, topic)).toEqual([4, 6])
    expect(await committed(g2, topic)).toEqual([-1, 6])

    // kadm → Kafka.
    const exported = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', g1, '--topic', topic, '--to-offset', '8', '--export'])
    expect(exported.code, exported.stderr).toBe(0)
    expect(exported.stdout).toBe(`${topic},0,8\n${topic},1,8\n`)
    await writeFile(join(dir, `${g1}-kadm.csv`), exported.stdout)
    const applied = await cgc(['--reset-offsets', '--group', g1, '--from-file', join(dir, `${g1}-kadm.csv`), '--execute'])
    expect(cgcPlan(applied).map((r) => r.offset), applied).toEqual([8, 8])
    expect(await committed(g1, topic)).toEqual([8, 8])
    const exportedMulti = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', g1, '--group', g2, '--topic', topic, '--to-offset', '3', '--export'])
    expect(exportedMulti.stdout.split('\n').filter(Boolean).sort()).toEqual([`${g1},${topic},0,3`, `${g1},${topic},1,3`, `${g2},${topic},0,3`, `${g2},${topic},1,3`].sort())
    await writeFile(join(dir, `${g2}-kadm.csv`), exportedMulti.stdout)
    const kafkaPlan = cgcPlan(await cgc(['--reset-offsets', '--group', g1, '--group', g2, '--from-file', join(dir, `${g2}-kadm.csv`), '--dry-run']))
    expect(kafkaPlan).toEqual([g1, g2].sort().flatMap((group) => [0, 1].map((partition) => ({group, topic, partition, offset: 3}))))
  })

  it('computes the same --to-datetime and --shift-by plans as ConsumerGroupCommand', async () => {
    const topic = await topicWithRecords(3, 10)
    const group = uniqueName('same')
    await writeFile(join(dir, `${group}.csv`), `${topic},0,1\n${topic},1,6\n${topic},2,9\n`)
    expect((await kadm(['offsets', 'reset', '-b', bootstrap, '--group', group, '--from-file', join(dir, `${group}.csv`), '--execute', '--undo-file', join(dir, `${group}-u.csv`)])).code).toBe(0)

    // BASE+4.5s falls between records: p0 → offset 5 (04.000 < 04.500 ≤ 05.000), p1 → 5 (04.300 < 04.500), p2 → 4 (04.600).
    const datetime = naive(4500)
    const kadmDate = await kadmJson<OffsetResetResult>(['offsets', 'reset', '-b', bootstrap, '--group', group, '--topic', topic, '--to-datetime', datetime], {env: KOLKATA})
    expect(kadmDate.resolvedTime).toBe(iso(4500))
    const kafkaDate = cgcPlan(await cgc(['--reset-offsets', '--group', group, '--topic', topic, '--to-datetime', datetime, '--dry-run'], KOLKATA))
    expect(kadmRows(kadmDate)).toEqual(kafkaDate)
    expect(kafkaDate.map((r) => r.offset)).toEqual([5, 5, 4])

    // +3 clamps partition 2 (9 + 3 > 10) to the log end, as Kafka does.
    const kadmShift = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', group, '--topic', topic, '--shift-by', '3', '-o', 'json'])
    expect(kadmShift.code, kadmShift.stderr).toBe(0)
    expect(kadmShift.stderr).toContain(`new offset (12) is higher than the log end offset of ${topic}:2`)
    const kafkaShift = cgcPlan(await cgc(['--reset-offsets', '--group', group, '--topic', topic, '--shift-by', '3', '--dry-run']))
    expect(kadmRows(JSON.parse(kadmShift.stdout) as OffsetResetResult)).toEqual(kafkaShift)
    expect(kafkaShift.map((r) => r.offset)).toEqual([4, 9, 10])
    expect(await committed(group, topic)).toEqual([1, 6, 9])
  })

  it('covers the other targets, --all-topics and several groups, and commits nothing when part of a plan is invalid', async () => {
    const topic = await topicWithRecords(2, 10)
    const [source, target] = [uniqueName('src'), uniqueName('dst')]
    const undo = (name: string) => join(dir, `${uniqueName(name)}.csv`)
    const reset = (args: string[]) => kadmJson<OffsetResetResult>(['offsets', 'reset', '-b', bootstrap, ...args])
    await reset(['--group', source, '--topic', `${topic}:1`, '--to-offset', '7', '--execute', '--undo-file', undo('u')])
    await reset(['--group', target, '--from-group', source, '--execute', '--undo-file', undo('u')])
    expect(await committed(target, topic)).toEqual([-1, 7])

    const current = await reset(['--group', target, '--topic', topic, '--to-current'])
    expect(current.groups[0].rows.map((r) => r.newOffset)).toEqual([10, 7])
    const latest = await reset(['--group', target, '--group', source, '--all-topics', '--to-latest'])
    expect(latest.groups.map((g) => [g.group, g.state, g.rows.map((r) => `${r.partition}:${r.newOffset}`)])).toEqual([[target, 'Empty', ['1:10']], [source, 'Empty', ['1:10']]])
    // Records are about an hour old: 30 minutes ago is after all of them (log end), 1h30m before all of them.
    const recent = await reset(['--group', target, '--topic', topic, '--by-duration', 'PT30M'])
    expect(recent.groups[0].rows.map((r) => r.newOffset)).toEqual([10, 10])
    const older = await reset(['--group', target, '--topic', topic, '--by-duration', '1h30m'])
    expect(older.groups[0].rows.map((r) => r.newOffset)).toEqual([0, 0])

    const invalid = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', target, '--topic', `${topic}:0,1,5`, '--to-earliest', '--execute'])
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toContain(`partition ${topic}:5 does not exist`)
    expect(invalid.stderr).toContain('nothing was committed')
    const noShift = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', target, '--topic', topic, '--shift-by', '-1', '--execute'])
    expect(noShift.code).toBe(1)
    expect(noShift.stderr).toContain(`cannot shift ${topic}:0 for group ${target}: it has no committed offset`)
    expect(await committed(target, topic)).toEqual([-1, 7])

    const usage = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', target, '--topic', topic, '--to-earliest', '--to-latest'])
    expect(usage.code).toBe(2)
  })
})

describe('active groups', () => {
  let consumer: Consumer | undefined

  afterAll(async () => {
    await consumer?.disconnect()
  })

  it('refuses to reset a group with members and deletes only the offsets of topics it no longer consumes', async () => {
    const [subscribed, dropped] = [await topicWithRecords(1, 5), await topicWithRecords(1, 5)]
    const group = uniqueName('active')
    await writeFile(join(dir, `${group}.csv`), `${subscribed},0,1\n${dropped},0,2\n`)
    expect((await kadm(['offsets', 'reset', '-b', bootstrap, '--group', group, '--from-file', join(dir, `${group}.csv`), '--execute', '--undo-file', join(dir, `${group}-u.csv`)])).code).toBe(0)

    consumer = kafka.consumer({groupId: group, maxWaitTimeInMs: 200, sessionTimeout: 10_000})
    await consumer.connect()
    await consumer.subscribe({topics: [subscribed]})
    await consumer.run({autoCommit: false, eachMessage: async () => {}})
    for (let i = 0; i < 100; i++) {
      const [described] = (await admin.describeGroups([group])).groups
      if (described.state === 'Stable') break
      await new Promise((r) => setTimeout(r, 200))
    }

    const refused = await kadm(['offsets', 'reset', '-b', bootstrap, '--group', group, '--topic', subscribed, '--to-earliest', '--execute'])
    expect(refused.code).toBe(1)
    const line = refused.stderr.trim().split('\n')
    expect(line[0]).toMatch(new RegExp(`^error: group ${group} is Stable with 1 active member\\(s\\): \\S+ \\(kadm-offsets-test`))
    expect(await committed(group, subscribed)).toEqual([1])

    const deleted = await kadm(['offsets', 'delete', '-b', bootstrap, '--group', group, '--topic', subscribed, '--topic', dropped, '--yes', '-o', 'json'])
    expect(deleted.code).toBe(1)
    const result = JSON.parse(deleted.stdout) as OffsetsDeleteResult
    expect(result.partitions.map((p) => [p.topic, p.status])).toEqual([[subscribed, 'GROUP_SUBSCRIBED_TO_TOPIC'], [dropped, 'deleted']])
    expect(result.partitions[0].reason).toBe('the consumer group is actively subscribed to the topic')
    expect(deleted.stderr).toContain('1 of 2 partition(s) were not deleted')
    expect(await committed(group, subscribed)).toEqual([1])
    expect(await committed(group, dropped)).toEqual([-1])
  })
})

describe('offsets show and delete', () => {
  it('shows earliest, latest, the offset at a time, and a group\'s committed offsets with lag', async () => {
    const topic = await topicWithRecords(2, 10)
    const group = uniqueName('show')
    await kadmJson(['offsets', 'reset', '-b', bootstrap, '--group', group, '--topic', `${topic}:0`, '--to-offset', '3', '--execute', '--undo-file', join(dir, `${group}-u.csv`)])
    const shown = await kadmJson<OffsetsShowResult>(['offsets', 'show', '-b', bootstrap, topic, '--time', iso(2100), '--group', group])
    expect(shown.time).toBe(iso(2100))
    expect(shown.partitions).toEqual([
      {topic, partition: 0, earliestOffset: 0, latestOffset: 10, offsetAtTime: 3, timestampAtTime: iso(3000), committedOffset: 3, lag: 7},
      {topic, partition: 1, earliestOffset: 0, latestOffset: 10, offsetAtTime: 2, timestampAtTime: iso(2300), committedOffset: null, lag: null},
    ])
    const latest = await kadmJson<OffsetsShowResult>(['offsets', 'show', '-b', bootstrap, `${topic}:1`, '--time', 'latest'])
    expect(latest.partitions.map((p) => p.offsetAtTime)).toEqual([10])
    const gone = await kadm(['offsets', 'show', '-b', bootstrap, `${topic}:7`])
    expect(gone.code).toBe(1)
    expect(gone.stderr).toContain(`partition ${topic}:7 does not exist`)
  })

  it('delete needs --yes without a terminal and supports --dry-run', async () => {
    const topic = await topicWithRecords(1, 3)
    const group = uniqueName('del')
    await kadmJson(['offsets', 'reset', '-b', bootstrap, '--group', group, '--topic', topic, '--to-offset', '2', '--execute', '--undo-file', join(dir, `${group}-u.csv`)])
    const noYes = await kadm(['offsets', 'delete', '-b', bootstrap, '--group', group, '--topic', topic])
    expect(noYes.code).toBe(2)
    expect(noYes.stderr.split('\n')[0]).toBe(`error: deleting the committed offsets of group ${group} cannot be undone: pass --yes to confirm without a terminal`)
    const dry = await kadmJson<OffsetsDeleteResult>(['offsets', 'delete', '-b', bootstrap, '--group', group, '--topic', topic, '--dry-run'])
    expect(dry.partitions).toEqual([{topic, partition: 0, committedOffset: 2, status: 'would delete'}])
    expect(await committed(group, topic)).toEqual([2])
    const done = await kadmJson<OffsetsDeleteResult>(['offsets', 'delete', '-b', bootstrap, '--group', group, '--topic', topic, '--yes'])
    expect(done.partitions.map((p) => p.status)).toEqual(['deleted'])
    expect(await committed(group, topic)).toEqual([-1])
  })
})
