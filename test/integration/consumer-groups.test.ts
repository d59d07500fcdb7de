import {spawn} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'
import {type Admin, type Consumer, Kafka, logLevel, type Producer} from 'kafkajs'
import {afterAll, beforeAll, describe, expect, inject, it, onTestFinished} from 'vitest'

import {createTopic, kadm, kadmJson, uniqueName} from '../helpers/kadm.js'
import {describeGroupsWithTool, kafkaTool, kafkaToolArgv} from '../helpers/kafka-tools.js'

const bootstrap = inject('bootstrap')
const kafkaVersion = inject('kafkaVersion')
const kip848 = Number(kafkaVersion.split('.')[0]) >= 4
const B = ['-b', bootstrap]
const CGC = 'ConsumerGroupCommand' as const

interface Row {topic: string; partition: number; committed: number | null; logEnd: number | null; lag: number | null; owner: {clientId: string} | null}
interface Described {
  groupId: string; state: string; type: string; protocolType: string; assignor: string; coordinator: number
  members: Array<{memberId: string; clientId: string; assignment: Array<{topic: string; partition: number}>}>
  partitions: Row[]; topics: Array<{topic: string; partitions: number; withoutOffset: number; lag: number}>
  totalLag: number; maxLag: {topic: string; partition: number; lag: number} | null
}
interface Listed {groupId: string; state: string; type: string; protocolType: string; assignor: string; members: number; topics: string[]; totalLag: number | null}
interface LagGroup {groupId: string; state: string; totalLag: number; maxLag: {topic: string; partition: number; lag: number} | null; timeLagMs: number | null; oldestUnconsumedTimestamp: number | null; partitions: number; withoutOffset: number}

let kafka: Kafka
let admin: Admin
let producer: Producer

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(250)
  }
}

async function committedTotal(groupId: string, topic: string): Promise<number> {
  const offsets = await admin.fetchOffsets({groupId, topics: [topic]})
  return offsets.flatMap((t) => t.partitions).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)
}

async function consumeWaveOne(groupId: string, topic: string): Promise<Consumer> {
  const consumer = kafka.consumer({groupId, maxWaitTimeInMs: 200})
  await consumer.connect()
  await consumer.subscribe({topic, fromBeginning: true})
  await consumer.run({eachMessage: async () => {}})
  await waitFor(`${groupId} to commit wave 1`, async () => (await committedTotal(groupId, topic)) === 20)
  return consumer
}

/** kafka-consumer-groups --describe --group G: its rows by topic:partition. */
async function kafkaDescribe(group: string) {
  return new Map((await describeGroupsWithTool(kafkaVersion, bootstrap, ['--group', group])).map((row) => [`${row.topic}:${row.partition}`, row]))
}

/** Kafka's ConsoleConsumer in `group` (the consumer protocol on 4.x), stopped when the test ends. */
async function startConsoleConsumer(topic: string, group: string): Promise<void> {
  const args = ['--bootstrap-server', bootstrap, '--topic', topic, '--group', group, '--from-beginning']
  if (kip848) args.push('--consumer-property', 'group.protocol=consumer')
  const [java, ...argv] = await kafkaToolArgv(kafkaVersion, 'ConsoleConsumer', args)
  const child = spawn(java, argv, {stdio: ['ignore', 'ignore', 'ignore']})
  onTestFinished(async () => {
    // SIGTERM lets the console consumer leave its group, so the group can be deleted.
    const exited = child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined
    child.kill('SIGTERM')
    await Promise.race([exited, sleep(10_000)])
    child.kill('SIGKILL')
  })
}

/** The log end offsets of a Lagging topic: wave 1 and wave 2 together. */
const LOG_END = [15, 13, 4]

interface Lagging {
  topic: string
  /** Consumed wave 1 and left: Empty, 8 behind (5 on partition 0, 3 on 1), partition 2 never committed. */
  emptyGroup: string
  /** Consumed wave 1 and stays, paused: Stable with one member (client id kadm-test), 8 behind, partition 2 assigned and never committed. */
  activeGroup: string
  /** The timestamp of wave 2's first record on partition 0: the oldest unconsumed record. */
  twoHoursAgo: number
}

/**
 * A topic of the test's own (3 partitions) with groups behind on it, all named `prefix-...`, the
 * groups deleted when the test ends: no test sees another's records or groups. Wave 1: 10 records each
 * on partitions 0 and 1 (partition 2 stays empty, so no group commits it), consumed by `groups`;
 * wave 2: partition 0 gets 5 records stamped two hours ago, 1 gets 3, 2 gets 4.
 */
async function laggingGroups(prefix: string, groups: Array<'empty' | 'active'>): Promise<Lagging> {
  const topic = `${prefix}-topic`
  const [emptyGroup, activeGroup] = [`${prefix}-empty`, `${prefix}-active`]
  const hourAgo = Date.now() - 3_600_000
  const twoHoursAgo = Date.now() - 7_200_000
  await createTopic(bootstrap, topic, {partitions: 3, replicationFactor: 3})
  const consumers: Consumer[] = []
  // The topic stays (its name is the test's alone): the file's kafkajs clients keep every topic
  // they used in their metadata requests, and fail on one that was deleted.
  onTestFinished(async () => {
    for (const consumer of consumers) await consumer.disconnect()
    await admin.deleteGroups([emptyGroup, activeGroup]).catch(() => undefined)
  })
  await producer.send({topic, messages: Array.from({length: 20}, (_, i) => ({partition: i % 2, value: `w1-${i}`, timestamp: String(hourAgo + i)}))})
  await Promise.all(groups.map(async (kind) => {
    const consumer = await consumeWaveOne(kind === 'empty' ? emptyGroup : activeGroup, topic)
    if (kind === 'empty') return consumer.disconnect()
    consumers.push(consumer)
    consumer.pause([{topic}])
  }))
  await producer.send({topic, messages: [
    ...Array.from({length: 5}, (_, i) => ({partition: 0, value: `w2-${i}`, timestamp: String(twoHoursAgo + i)})),
    ...Array.from({length: 3}, (_, i) => ({partition: 1, value: `w2-${i}`, timestamp: String(hourAgo + 100 + i)})),
    ...Array.from({length: 4}, (_, i) => ({partition: 2, value: `w2-${i}`, timestamp: String(hourAgo + 200 + i)})),
  ]})
  return {topic, emptyGroup, activeGroup, twoHoursAgo}
}

/** A group with no member that has committed `offsets` (by partition) on `topic`, through kafkajs; deleted when the test ends. */
async function committedGroup(groupId: string, topic: string, offsets: number[]): Promise<string> {
  await admin.setOffsets({groupId, topic, partitions: offsets.map((offset, partition) => ({partition, offset: String(offset)}))})
  onTestFinished(async () => {
    await admin.deleteGroups([groupId]).catch(() => undefined)
  })
  return groupId
}

beforeAll(async () => {
  kafka = new Kafka({clientId: 'kadm-test', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING})
  admin = kafka.admin()
  await admin.connect()
  producer = kafka.producer()
  await producer.connect()
})

afterAll(async () => {
  await producer?.disconnect()
  await admin?.disconnect()
})

describe('consumer-groups describe', () => {
  it('shows committed, log-end and lag per partition equal to kafka-consumer-groups --describe', async () => {
    const {topic, emptyGroup, activeGroup} = await laggingGroups(uniqueName('cg-describe'), ['empty', 'active'])
    const {groups} = await kadmJson<{groups: Described[]}>(['consumer-groups', 'describe', emptyGroup, activeGroup, ...B])
    expect(groups.map((g) => g.groupId)).toEqual([emptyGroup, activeGroup])
    for (const group of groups) {
      const theirs = await kafkaDescribe(group.groupId)
      const ours = new Map(group.partitions.map((p) => [`${p.topic}:${p.partition}`, p]))
      expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort())
      for (const [tp, row] of theirs) {
        expect(ours.get(tp)?.lag, `${group.groupId} ${tp}`).toBe(row.lag)
        expect(ours.get(tp)?.committed, `${group.groupId} ${tp}`).toBe(row.current)
        expect(ours.get(tp)?.logEnd, `${group.groupId} ${tp}`).toBe(row.logEnd)
      }
    }
    const [empty, stable] = groups
    expect(empty).toMatchObject({state: 'Empty', members: [], totalLag: 8, maxLag: {topic, partition: 0, lag: 5}})
    expect(empty.topics).toEqual([{topic, partitions: 2, withoutOffset: 0, lag: 8}])
    expect(stable.state).toBe('Stable')
    expect(stable.members).toHaveLength(1)
    expect(stable.members[0].assignment.map((a) => [a.topic, a.partition]).sort()).toEqual([[topic, 0], [topic, 1], [topic, 2]])
    // Assigned but never committed: shown as such, not as lag 0.
    expect(stable.partitions.find((p) => p.partition === 2)).toMatchObject({committed: null, logEnd: 4, lag: null, owner: {clientId: 'kadm-test'}})
    expect(stable.topics).toEqual([{topic, partitions: 3, withoutOffset: 1, lag: 8}])
  })

  it('--only-lagging and --topic narrow the rows; the table has per-topic totals', async () => {
    const {topic, activeGroup} = await laggingGroups(uniqueName('cg-lagging'), ['active'])
    const {groups} = await kadmJson<{groups: Described[]}>(['consumer-groups', 'describe', activeGroup, '--only-lagging', '--topic', topic, ...B])
    expect(groups[0].partitions.map((p) => p.partition)).toEqual([0, 1])
    const other = await kadm(['consumer-groups', 'describe', activeGroup, '--topic', 'no-such-topic', ...B])
    expect([other.code, other.stderr.trim()]).toEqual([1, 'error: topic no-such-topic does not exist'])
    const table = await kadm(['consumer-groups', 'describe', activeGroup, ...B])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toMatch(new RegExp(`${topic}\\s+2\\s+none\\s+4\\s+-`))
    expect(table.stdout).toMatch(new RegExp(`${topic}\\s+total\\s+8`))
  })

  it('fails with one line for a group that does not exist', async () => {
    const missing = uniqueName('cg-missing')
    const result = await kadm(['consumer-groups', 'describe', missing, ...B])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`consumer group ${missing} does not exist`)
  })
})

describe('consumer-groups list', () => {
  it('lists groups with state, members and lag; filters by state, regex and --lagging; sorts by lag', async () => {
    const prefix = uniqueName('cg-list')
    const {topic, emptyGroup, activeGroup} = await laggingGroups(prefix, ['empty', 'active'])
    // Committed at the log start: the whole topic (32 records) behind. Its name sorts between the
    // other two, whose lags (8 each) are smaller: sorting by lag and by name give different orders.
    const behindGroup = await committedGroup(`${prefix}-behind`, topic, [0, 0, 0])
    const {groups} = await kadmJson<{groups: Listed[]}>(['consumer-groups', 'list', '--regex', `^(${emptyGroup}|${activeGroup})$`, ...B])
    expect(groups).toEqual([
      {groupId: activeGroup, state: 'Stable', type: 'classic', protocolType: 'consumer', assignor: 'RoundRobinAssigner', members: 1, topics: [topic], totalLag: 8},
      {groupId: emptyGroup, state: 'Empty', type: 'classic', protocolType: 'consumer', assignor: '', members: 0, topics: [topic], totalLag: 8},
    ])
    const ids = async (args: string[]) => (await kadmJson<{groups: Listed[]}>(['consumer-groups', 'list', ...args, ...B])).groups.map((g) => g.groupId)
    expect(await ids(['--state', 'empty', `${prefix}-*`])).toEqual([behindGroup, emptyGroup])
    expect(await ids(['--state', 'stable', `${prefix}-*`])).toEqual([activeGroup])
    const noLag = await kadmJson<{groups: Listed[]}>(['consumer-groups', 'list', '--no-lag', '--regex', emptyGroup, ...B])
    expect(noLag.groups).toMatchObject([{groupId: emptyGroup, totalLag: null}])
    expect(await ids(['--lagging', '--sort', 'lag', `${prefix}-*`])).toEqual([behindGroup, activeGroup, emptyGroup])
    expect(await ids(['--lagging', `${prefix}-*`])).toEqual([activeGroup, behindGroup, emptyGroup])
  })

  it(`shows the console consumer's group with its real state (${kip848 ? 'consumer protocol, KIP-848' : 'classic protocol on 3.9'})`, async () => {
    const prefix = uniqueName('cg-console')
    const {topic} = await laggingGroups(prefix, [])
    const consoleGroup = `${prefix}-group`
    await startConsoleConsumer(topic, consoleGroup)
    onTestFinished(async () => {
      await admin.deleteGroups([consoleGroup]).catch(() => undefined)
    })
    // Caught up = every partition committed at its log end (the console consumer auto-commits every 5 s).
    const described = await waitFor('the console consumer to join and commit everything', async () => {
      const {groups} = await kadmJson<{groups: Described[]}>(['consumer-groups', 'describe', consoleGroup, ...B]).catch(() => ({groups: []}))
      const g = groups[0]
      return g?.state === 'Stable' && g.members.length === 1 && g.partitions.length === 3 && g.partitions.every((p) => p.lag === 0) ? g : undefined
    }, 90_000)
    expect(described.members[0].assignment.map((a) => [a.topic, a.partition]).sort()).toEqual([[topic, 0], [topic, 1], [topic, 2]])
    const {groups} = await kadmJson<{groups: Listed[]}>(['consumer-groups', 'list', '--regex', `^${consoleGroup}$`, ...B])
    // The assignor the coordinator picked: on 4.x the broker's first group.consumer.assignors
    // (uniform); on 3.9 the first of the console consumer's partition.assignment.strategy (range).
    expect(groups).toEqual([{groupId: consoleGroup, state: 'Stable', members: 1, type: kip848 ? 'consumer' : 'classic', protocolType: 'consumer', assignor: kip848 ? 'uniform' : 'range', topics: [topic], totalLag: 0}])
    const theirs = await kafkaDescribe(consoleGroup)
    expect([...theirs.values()].map((r) => r.lag)).toEqual([0, 0, 0])
  })
})

describe('consumer-groups lag', () => {
  it('summarises total and max lag, and lag as time from the oldest unconsumed record', async () => {
    const {topic, emptyGroup, activeGroup, twoHoursAgo} = await laggingGroups(uniqueName('cg-lag'), ['empty', 'active'])
    const before = Date.now()
    const summary = await kadmJson<{totalLag: number; maxLag: unknown; groups: LagGroup[]}>(['consumer-groups', 'lag', emptyGroup, activeGroup, ...B])
    const after = Date.now()
    expect(summary.totalLag).toBe(16)
    expect(summary.groups.map((g) => g.groupId).sort()).toEqual([emptyGroup, activeGroup].sort())
    for (const g of summary.groups) {
      expect(g).toMatchObject({totalLag: 8, maxLag: {topic, partition: 0, lag: 5}, oldestUnconsumedTimestamp: twoHoursAgo})
      // The record's age at some moment during the call.
      expect(g.timeLagMs).toBeGreaterThanOrEqual(before - twoHoursAgo)
      expect(g.timeLagMs).toBeLessThanOrEqual(after - twoHoursAgo)
    }
    expect(summary.groups.find((g) => g.groupId === activeGroup)).toMatchObject({partitions: 3, withoutOffset: 1})
    expect(summary.groups.find((g) => g.groupId === emptyGroup)).toMatchObject({partitions: 2, withoutOffset: 0})
  })

  it('takes lag as time from the oldest record that still exists when the committed one was deleted', async () => {
    const {topic, emptyGroup, twoHoursAgo} = await laggingGroups(uniqueName('cg-deleted'), ['empty'])
    await admin.deleteTopicRecords({topic, partitions: [{partition: 0, offset: '12'}]})
    const summary = await kadmJson<{groups: LagGroup[]}>(['consumer-groups', 'lag', emptyGroup, ...B])
    // Lag still counts from the commit (as Kafka's tool does); the age comes from offset 12.
    expect(summary.groups[0]).toMatchObject({totalLag: 8, oldestUnconsumedTimestamp: twoHoursAgo + 2})
    expect(Object.fromEntries([...(await kafkaDescribe(emptyGroup))].map(([tp, row]) => [tp, row.lag]))).toEqual({[`${topic}:0`]: 5, [`${topic}:1`]: 3})
  })

  it('filters by --state and --lagging, sorts by --sort, and --no-time-lag skips the record fetches', async () => {
    const prefix = uniqueName('cg-sort')
    const {topic, emptyGroup, activeGroup} = await laggingGroups(prefix, ['empty', 'active'])
    // Caught up: committed at the log end. Its name sorts between the other two.
    const caughtUp = await committedGroup(`${prefix}-caught-up`, topic, LOG_END)
    const ids = async (args: string[]) => (await kadmJson<{groups: LagGroup[]}>(['consumer-groups', 'lag', emptyGroup, activeGroup, caughtUp, ...args, ...B])).groups.map((g) => g.groupId)
    expect(await ids(['--state', 'empty'])).toEqual([emptyGroup, caughtUp])
    expect(await ids(['--state', 'stable'])).toEqual([activeGroup])
    expect(await ids(['--lagging'])).toEqual([activeGroup, emptyGroup])
    // Largest lag first, ties by name; the default.
    expect(await ids(['--sort', 'lag'])).toEqual([activeGroup, emptyGroup, caughtUp])
    expect(await ids([])).toEqual([activeGroup, emptyGroup, caughtUp])
    expect(await ids(['--sort', 'name'])).toEqual([activeGroup, caughtUp, emptyGroup])
    const withoutTimes = await kadmJson<{groups: LagGroup[]}>(['consumer-groups', 'lag', emptyGroup, '--no-time-lag', ...B])
    expect(withoutTimes.groups[0]).toMatchObject({totalLag: 8, timeLagMs: null, oldestUnconsumedTimestamp: null})
  })

  it('--fail-above exits 3 when a group is above the threshold, 0 otherwise', async () => {
    const {emptyGroup} = await laggingGroups(uniqueName('cg-fail'), ['empty'])
    const above = await kadm(['consumer-groups', 'lag', emptyGroup, '--fail-above', '7', ...B])
    expect(above.code).toBe(3)
    expect(above.stderr).toContain(`lag above 7 in 1 group: ${emptyGroup}`)
    expect(above.stdout).toContain(emptyGroup)
    const within = await kadm(['consumer-groups', 'lag', emptyGroup, '--fail-above', '8', ...B])
    expect(within.code, within.stderr).toBe(0)
  })

  it('--watch prints one plain line per group per sample without a terminal, with rates from the second', async () => {
    const {topic, emptyGroup, activeGroup} = await laggingGroups(uniqueName('cg-watch'), ['empty', 'active'])
    const plain = await kadm(['consumer-groups', 'lag', emptyGroup, '--watch', '1', '--iterations', '2', ...B])
    expect(plain.code, plain.stderr).toBe(0)
    const lines = plain.stdout.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+ group=${emptyGroup} state=Empty lag=8 max-lag=5@${topic}:0 time-lag=\\S+ consume/s=- produce/s=- eta=-$`))
    expect(lines[1]).toMatch(/consume\/s=0\.0 produce\/s=0\.0 eta=never$/)
    // A bare --watch takes the default interval; -o json writes one document per line.
    const json = await kadm(['consumer-groups', 'lag', activeGroup, '--watch', '--iterations', '1', '-o', 'json', ...B])
    expect(json.code, json.stderr).toBe(0)
    const samples = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as {groups: Array<LagGroup & {rates: unknown}>})
    expect(samples).toHaveLength(1)
    expect(samples[0].groups[0]).toMatchObject({groupId: activeGroup, totalLag: 8, rates: null})
  })
})

describe('consumer-groups delete', () => {
  it('refuses groups with members, needs --yes without a terminal, then deletes', async () => {
    const {emptyGroup, activeGroup} = await laggingGroups(uniqueName('cg-delete'), ['empty', 'active'])
    const busy = await kadm(['consumer-groups', 'delete', activeGroup, emptyGroup, '--yes', ...B])
    expect(busy.code).toBe(1)
    expect(busy.stderr.split('\n')[0]).toMatch(new RegExp(`refusing to delete groups with active members: ${activeGroup} \\(Stable, 1 member: kadm-test@`))
    const unconfirmed = await kadm(['consumer-groups', 'delete', emptyGroup, ...B])
    expect(unconfirmed.code).toBe(2)
    expect(unconfirmed.stderr.split('\n')[0]).toBe(`error: deleting consumer group ${emptyGroup} and its committed offsets cannot be undone: pass --yes to confirm without a terminal`)
    const dry = await kadmJson<{dryRun: boolean; groups: unknown[]}>(['consumer-groups', 'delete', emptyGroup, '--dry-run', ...B])
    expect(dry).toEqual({dryRun: true, groups: [{groupId: emptyGroup, deleted: false, error: null}]})
    const deleted = await kadmJson<{groups: unknown[]}>(['consumer-groups', 'delete', emptyGroup, '--yes', ...B])
    expect(deleted.groups).toEqual([{groupId: emptyGroup, deleted: true, error: null}])
    const listed = await kafkaTool(kafkaVersion, CGC, ['--bootstrap-server', bootstrap, '--list'])
    expect(listed.stdout.split('\n')).toContain(activeGroup)
    expect(listed.stdout.split('\n')).not.toContain(emptyGroup)
  })
})
