import {type ChildProcess, spawn} from 'node:child_process'
import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {type Admin, type Consumer, Kafka, logLevel, type Producer} from 'kafkajs'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {toolArgv} from '../../src/local/java.js'
import {loggingFlags} from '../../src/local/logging.js'
import {ensureKafkaJars, resolveKafkaVersion} from '../../src/local/maven.js'
import {createTopic, kadm, kadmJson, ROOT, uniqueName} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'

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

const topic = uniqueName('cg-topic')
const emptyGroup = uniqueName('cg-empty') // consumed wave 1, then left: Empty, lagging
const activeGroup = uniqueName('cg-active') // consumed wave 1, paused: Stable with a member, lagging
const consoleGroup = uniqueName('cg-console') // Kafka's ConsoleConsumer (consumer protocol on 4.x)
const hourAgo = Date.now() - 3_600_000
const twoHoursAgo = Date.now() - 7_200_000

let kafka: Kafka
let admin: Admin
let producer: Producer
let active: Consumer
let consoleConsumer: ChildProcess | undefined

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(250)
  }
}

async function committedTotal(groupId: string): Promise<number> {
  const offsets = await admin.fetchOffsets({groupId, topics: [topic]})
  return offsets.flatMap((t) => t.partitions).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)
}

async function consumeWaveOne(groupId: string): Promise<Consumer> {
  const consumer = kafka.consumer({groupId, maxWaitTimeInMs: 200})
  await consumer.connect()
  await consumer.subscribe({topic, fromBeginning: true})
  await consumer.run({eachMessage: async () => {}})
  await waitFor(`${groupId} to commit wave 1`, async () => (await committedTotal(groupId)) === 20)
  return consumer
}

/** Parses `kafka-consumer-groups.sh --describe --group G` into lag per partition ("-" = null). */
function parseDescribe(stdout: string): Map<string, {current: number | null; logEnd: number; lag: number | null}> {
  const rows = new Map<string, {current: number | null; logEnd: number; lag: number | null}>()
  for (const line of stdout.split('\n')) {
    const cols = line.trim().split(/\s+/)
    if (cols.length < 6 || cols[0] === 'GROUP' || !/^\d+$/.test(cols[2])) continue
    const num = (s: string) => (s === '-' ? null : Number(s))
    rows.set(`${cols[1]}:${cols[2]}`, {current: num(cols[3]), logEnd: Number(cols[4]), lag: num(cols[5])})
  }
  return rows
}

async function kafkaDescribe(group: string) {
  const result = await kafkaTool(kafkaVersion, CGC, ['--bootstrap-server', bootstrap, '--describe', '--group', group])
  expect(result.code, result.stderr).toBe(0)
  return parseDescribe(result.stdout)
}

async function startConsoleConsumer(group: string): Promise<ChildProcess> {
  const dist = await ensureKafkaJars(await resolveKafkaVersion(kafkaVersion))
  const dir = join(ROOT, '.kadm-test', 'tools')
  await mkdir(dir, {recursive: true})
  const logging = await loggingFlags(dist, dir, 'tool')
  const args = ['--bootstrap-server', bootstrap, '--topic', topic, '--group', group, '--from-beginning']
  if (kip848) args.push('--consumer-property', 'group.protocol=consumer')
  const child = spawn('java', toolArgv(dist, logging, 'ConsoleConsumer', args), {stdio: ['ignore', 'ignore', 'ignore']})
  return child
}

beforeAll(async () => {
  kafka = new Kafka({clientId: 'kadm-test', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING})
  admin = kafka.admin()
  await admin.connect()
  await createTopic(bootstrap, topic, {partitions: 3, replicationFactor: 3})
  producer = kafka.producer()
  await producer.connect()
  // Wave 1: 10 records each on partitions 0 and 1; partition 2 stays empty, so no group commits it.
  await producer.send({topic, messages: Array.from({length: 20}, (_, i) => ({partition: i % 2, value: `w1-${i}`, timestamp: String(hourAgo + i)}))})
  const [left, paused] = await Promise.all([consumeWaveOne(emptyGroup), consumeWaveOne(activeGroup)])
  await left.disconnect()
  active = paused
  active.pause([{topic}])
  // Wave 2: partition 0 gets 5 records stamped two hours ago (the oldest unconsumed), 1 gets 3, 2 gets 4.
  await producer.send({topic, messages: [
    ...Array.from({length: 5}, (_, i) => ({partition: 0, value: `w2-${i}`, timestamp: String(twoHoursAgo + i)})),
    ...Array.from({length: 3}, (_, i) => ({partition: 1, value: `w2-${i}`, timestamp: String(hourAgo + 100 + i)})),
    ...Array.from({length: 4}, (_, i) => ({partition: 2, value: `w2-${i}`, timestamp: String(hourAgo + 200 + i)})),
  ]})
  consoleConsumer = await startConsoleConsumer(consoleGroup)
})

afterAll(async () => {
  // SIGTERM lets the console consumer leave its group, so the groups can be deleted.
  const exited = consoleConsumer && consoleConsumer.exitCode === null ? new Promise((resolve) => consoleConsumer!.once('exit', resolve)) : undefined
  consoleConsumer?.kill('SIGTERM')
  await Promise.race([exited, sleep(10_000)])
  consoleConsumer?.kill('SIGKILL')
  await active?.disconnect()
  await admin?.deleteGroups([activeGroup, consoleGroup, emptyGroup]).catch(() => undefined)
  await producer?.disconnect()
  await admin?.deleteTopics({topics: [topic]}).catch(() => undefined)
  await admin?.disconnect()
})

describe('consumer-groups describe', () => {
  it('shows committed, log-end and lag per partition equal to kafka-consumer-groups --describe', async () => {
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
    expect(stable.members[0].assignment).toHaveLength(3)
    // Assigned but never committed: shown as such, not as lag 0.
    expect(stable.partitions.find((p) => p.partition === 2)).toMatchObject({committed: null, logEnd: 4, lag: null, owner: {clientId: 'kadm-test'}})
    expect(stable.topics).toEqual([{topic, partitions: 3, withoutOffset: 1, lag: 8}])
  })

  it('--only-lagging and --topic narrow the rows; the table has per-topic totals', async () => {
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
  it('lists groups with state, members and lag; filters by state, regex and --lagging', async () => {
    const {groups} = await kadmJson<{groups: Listed[]}>(['consumer-groups', 'list', '--regex', `^(${emptyGroup}|${activeGroup})$`, ...B])
    expect(groups).toEqual([
      {groupId: activeGroup, state: 'Stable', type: 'classic', protocolType: 'consumer', assignor: 'RoundRobinAssigner', members: 1, topics: [topic], totalLag: 8},
      {groupId: emptyGroup, state: 'Empty', type: 'classic', protocolType: 'consumer', assignor: '', members: 0, topics: [topic], totalLag: 8},
    ])
    const empty = await kadmJson<{groups: Listed[]}>(['consumer-groups', 'list', '--state', 'empty', 'cg-*', ...B])
    expect(empty.groups.map((g) => g.groupId)).toContain(emptyGroup)
    expect(empty.groups.map((g) => g.groupId)).not.toContain(activeGroup)
    const noLag = await kadmJson<{groups: Listed[]}>(['consumer-groups', 'list', '--no-lag', '--regex', emptyGroup, ...B])
    expect(noLag.groups).toMatchObject([{groupId: emptyGroup, totalLag: null}])
    const lagging = await kadmJson<{groups: Listed[]}>(['consumer-groups', 'list', '--lagging', '--sort', 'lag', ...B])
    expect(lagging.groups.map((g) => g.groupId)).toEqual(expect.arrayContaining([emptyGroup, activeGroup]))
    expect(lagging.groups.every((g) => (g.totalLag ?? 0) > 0)).toBe(true)
  })

  it(`shows the console consumer's group with its real state (${kip848 ? 'consumer protocol, KIP-848' : 'classic protocol on 3.9'})`, async () => {
    // Caught up = every partition committed at its log end (the console consumer auto-commits every 5 s).
    const described = await waitFor('the console consumer to join and commit everything', async () => {
      const {groups} = await kadmJson<{groups: Described[]}>(['consumer-groups', 'describe', consoleGroup, ...B]).catch(() => ({groups: []}))
      const g = groups[0]
      return g?.state === 'Stable' && g.members.length === 1 && g.partitions.length === 3 && g.partitions.every((p) => p.lag === 0) ? g : undefined
    }, 90_000)
    expect(described.members[0].assignment).toHaveLength(3)
    const {groups} = await kadmJson<{groups: Listed[]}>(['consumer-groups', 'list', '--regex', `^${consoleGroup}$`, ...B])
    expect(groups[0]).toMatchObject({state: 'Stable', members: 1, type: kip848 ? 'consumer' : 'classic', protocolType: 'consumer', topics: [topic], totalLag: 0})
    expect(groups[0].assignor).toMatch(kip848 ? /^(uniform|range)$/ : /^(range|cooperative-sticky)$/)
    const theirs = await kafkaDescribe(consoleGroup)
    expect([...theirs.values()].map((r) => r.lag)).toEqual([0, 0, 0])
  })
})

describe('consumer-groups lag', () => {
  it('summarises total and max lag, and lag as time from the oldest unconsumed record', async () => {
    const summary = await kadmJson<{totalLag: number; maxLag: unknown; groups: LagGroup[]}>(['consumer-groups', 'lag', emptyGroup, activeGroup, ...B])
    expect(summary.totalLag).toBe(16)
    expect(summary.groups.map((g) => g.groupId).sort()).toEqual([emptyGroup, activeGroup].sort())
    for (const g of summary.groups) {
      expect(g).toMatchObject({totalLag: 8, maxLag: {topic, partition: 0, lag: 5}, oldestUnconsumedTimestamp: twoHoursAgo})
      expect(g.timeLagMs).toBeGreaterThanOrEqual(7_200_000)
    }
    expect(summary.groups.find((g) => g.groupId === activeGroup)).toMatchObject({partitions: 3, withoutOffset: 1})
  })

  it('takes lag as time from the oldest record that still exists when the committed one was deleted', async () => {
    await admin.deleteTopicRecords({topic, partitions: [{partition: 0, offset: '12'}]})
    const summary = await kadmJson<{groups: LagGroup[]}>(['consumer-groups', 'lag', emptyGroup, ...B])
    // Lag still counts from the commit (as Kafka's tool does); the age comes from offset 12.
    expect(summary.groups[0]).toMatchObject({totalLag: 8, oldestUnconsumedTimestamp: twoHoursAgo + 2})
  })

  it('filters by --state and --lagging, sorts by --sort, and --no-time-lag skips the record fetches', async () => {
    // A group caught up on the topic: committed at the log end (offsets reset --to-latest).
    const caughtUp = uniqueName('cg-caught-up')
    expect((await kadm(['offsets', 'reset', '--group', caughtUp, '--topic', topic, '--to-latest', '--execute', '--undo-file', '/dev/null', ...B])).code).toBe(0)
    const ids = async (args: string[]) => (await kadmJson<{groups: LagGroup[]}>(['consumer-groups', 'lag', emptyGroup, activeGroup, caughtUp, ...args, ...B])).groups.map((g) => g.groupId)
    expect((await ids(['--state', 'empty'])).sort()).toEqual([emptyGroup, caughtUp].sort())
    expect(await ids(['--state', 'stable'])).toEqual([activeGroup])
    expect((await ids(['--lagging'])).sort()).toEqual([emptyGroup, activeGroup].sort())
    const byLag = await ids(['--sort', 'lag'])
    expect(byLag.at(-1)).toBe(caughtUp)
    expect(await ids(['--sort', 'name'])).toEqual([emptyGroup, activeGroup, caughtUp].sort())
    const withoutTimes = await kadmJson<{groups: LagGroup[]}>(['consumer-groups', 'lag', emptyGroup, '--no-time-lag', ...B])
    expect(withoutTimes.groups[0]).toMatchObject({totalLag: 8, timeLagMs: null, oldestUnconsumedTimestamp: null})
  })

  it('--fail-above exits 3 when a group is above the threshold, 0 otherwise', async () => {
    const above = await kadm(['consumer-groups', 'lag', emptyGroup, '--fail-above', '7', ...B])
    expect(above.code).toBe(3)
    expect(above.stderr).toContain(`lag above 7 in 1 group: ${emptyGroup}`)
    expect(above.stdout).toContain(emptyGroup)
    const within = await kadm(['consumer-groups', 'lag', emptyGroup, '--fail-above', '8', ...B])
    expect(within.code, within.stderr).toBe(0)
  })

  it('--watch prints one plain line per group per sample without a terminal, with rates from the second', async () => {
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
