import {execFileSync} from 'node:child_process'
import {mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Kafka, logLevel} from 'kafkajs'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import type {OffsetResetResult} from '../../src/render/offsets.js'
import {FaultCluster} from '../helpers/fault-cluster.js'
import {createTopic, kadm, kadmJson, uniqueName} from '../helpers/kadm.js'
import {describeGroupsWithTool} from '../helpers/kafka-tools.js'
import {freeBasePort} from '../helpers/produce-under-faults.js'

const version = inject('kafkaVersion')
/** Broker ports 36000-36098 (controllers 100 above), the first base whose ports are free. */
const PORTS = Array.from({length: 33}, (_, i) => 36_000 + 3 * i)

/**
 * `offsets reset --all-groups` resets every group of the cluster, so it runs on a cluster of its
 * own: no other test file's groups are touched, and the groups here are all the cluster has.
 */
let cluster: FaultCluster
let dir: string

beforeAll(async () => {
  cluster = await FaultCluster.start(version, await freeBasePort(PORTS))
  dir = await mkdtemp(join(tmpdir(), 'kadm-all-groups-'))
})

afterAll(async () => cluster?.stop())

/** Lines to one partition, written by kcat. */
function produce(topic: string, partition: number, count: number): void {
  const lines = Array.from({length: count}, (_, i) => `${topic}-${partition}-${i}`).join('\n') + '\n'
  execFileSync('kcat', ['-P', '-b', cluster.bootstrap, '-t', topic, '-p', String(partition)], {input: lines, timeout: 60_000})
}

/** kcat as a member of `group` reads `topics` to their end and commits where it stopped (librdkafka commits on close). */
function consume(group: string, topics: string[]): void {
  execFileSync('kcat', ['-C', '-b', cluster.bootstrap, '-G', group, ...topics, '-o', 'beginning', '-e', '-q'], {timeout: 60_000})
}

/** Every group's committed offsets as ConsumerGroupCommand --describe --all-groups reports them: "group topic:partition" -> offset. */
async function committedByKafka(): Promise<Record<string, number | null>> {
  return Object.fromEntries((await describeGroupsWithTool(version, cluster.bootstrap, ['--all-groups'])).map((row) => [`${row.group} ${row.topic}:${row.partition}`, row.current]))
}

describe('offsets reset --all-groups', () => {
  it('plans every group of the cluster in a dry run, commits nothing, then resets each to the log start (ConsumerGroupCommand agrees) and the undo file restores them', async () => {
    const a = await createTopic(cluster.bootstrap, uniqueName('all-groups-a'), {partitions: 2, replicationFactor: 3})
    const b = await createTopic(cluster.bootstrap, uniqueName('all-groups-b'), {partitions: 1, replicationFactor: 3})
    const [one, two, three] = ['one', 'two', 'three'].map((n) => uniqueName(`all-groups-${n}`))
    produce(a, 0, 10)
    produce(a, 1, 7)
    produce(b, 0, 5)
    // A log start above 0 on a-0, so "earliest" is not just 0 (kafkajs's DeleteRecords, not kadm's).
    const admin = new Kafka({brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING}).admin()
    await admin.connect()
    try {
      // kafkajs's deleteTopicRecords finds leaders only in metadata it already has.
      await admin.fetchTopicMetadata({topics: [a]})
      await admin.deleteTopicRecords({topic: a, partitions: [{partition: 0, offset: '3'}]})
    } finally {
      await admin.disconnect()
    }
    consume(one, [a])
    // Each group stops somewhere else: four more records on a-1 before the second group reads.
    produce(a, 1, 4)
    consume(two, [a, b])
    consume(three, [b])

    const before = {
      [`${one} ${a}:0`]: 10, [`${one} ${a}:1`]: 7,
      [`${two} ${a}:0`]: 10, [`${two} ${a}:1`]: 11, [`${two} ${b}:0`]: 5,
      [`${three} ${b}:0`]: 5,
    }
    expect(await committedByKafka()).toEqual(before)
    const earliest = {[`${a}:0`]: 3, [`${a}:1`]: 0, [`${b}:0`]: 0}
    const after = Object.fromEntries(Object.keys(before).map((key) => [key, earliest[key.split(' ')[1]]]))

    const B = ['-b', cluster.bootstrap]
    const planned = (result: OffsetResetResult) => Object.fromEntries(result.groups.flatMap((g) => g.rows.map((r) => [`${r.group} ${r.topic}:${r.partition}`, [r.currentOffset, r.newOffset]])))
    const expectedPlan = Object.fromEntries(Object.entries(before).map(([key, offset]) => [key, [offset, after[key]]]))

    // The default is a dry run: the plan names every group and partition; Kafka sees nothing change.
    const dry = await kadmJson<OffsetResetResult>(['offsets', 'reset', '--all-groups', '--all-topics', '--to-earliest', ...B])
    expect(dry.mode).toBe('dry-run')
    expect(dry.groups.map((g) => g.group).sort()).toEqual([one, two, three].sort())
    expect(planned(dry)).toEqual(expectedPlan)
    expect(await committedByKafka()).toEqual(before)

    const undo = join(dir, 'undo.csv')
    const executed = await kadmJson<OffsetResetResult>(['offsets', 'reset', '--all-groups', '--all-topics', '--to-earliest', '--execute', '--undo-file', undo, ...B])
    expect(executed.mode).toBe('execute')
    expect(planned(executed)).toEqual(expectedPlan)
    expect(executed.groups.flatMap((g) => g.rows.filter((r) => r.error))).toEqual([])
    expect(await committedByKafka()).toEqual(after)
    // The undo file holds every group's offsets before the reset.
    const undone = (await readFile(undo, 'utf8')).trim().split('\n').map((line) => line.split(','))
    expect(Object.fromEntries(undone.map(([group, topic, partition, offset]) => [`${group} ${topic}:${partition}`, Number(offset)]))).toEqual(before)

    const restored = await kadm(['offsets', 'reset', '--all-groups', '--from-file', undo, '--execute', '--undo-file', join(dir, 'undo-2.csv'), ...B])
    expect(restored.code, restored.stderr).toBe(0)
    expect(await committedByKafka()).toEqual(before)
  })
})
