import {execFileSync} from 'node:child_process'
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterAll, beforeAll, beforeEach, describe, expect, inject, it} from 'vitest'

import {RunningExporter} from '../helpers/exporter.js'
import {FaultCluster} from '../helpers/fault-cluster.js'
import {createTopic, kadm, kadmJson, uniqueName} from '../helpers/kadm.js'
import {describeWithTopicCommand, kafkaTool, type ToolPartition} from '../helpers/kafka-tools.js'
import {fullIsr, untilEveryBroker, untilEveryBrokerLists} from '../helpers/kcat.js'
import {freeBasePort} from '../helpers/produce-under-faults.js'

const version = inject('kafkaVersion')
const EXPORTER_PORT = Number(process.env.KADM_TEST_PORT ?? 19_092) + 42
/** Broker ports 36200-36298 (controllers 100 above), the first base whose ports are free. */
const PORTS = Array.from({length: 33}, (_, i) => 36_200 + 3 * i)

// Partitions with brokers down for real, on a cluster of this file's own: no other test sees it degraded.
let cluster: FaultCluster
let dir: string
let B: string[]
/** Exporters a test started: stopped at the end whatever the test left running. */
const exporters: RunningExporter[] = []

beforeAll(async () => {
  cluster = await FaultCluster.start(version, await freeBasePort(PORTS))
  B = ['-b', cluster.bootstrap]
  dir = await mkdtemp(join(tmpdir(), 'kadm-partitions-faults-'))
})

// Each test starts with every broker up, whatever the one before it left down.
beforeEach(async () => {
  await cluster.restart()
})

afterAll(async () => {
  await Promise.all(exporters.map((e) => e.stop()))
  await cluster?.stop()
})

interface Row {
  topic: string
  partition: number
  preferredLeader: number
  markers: string[]
}

const list = async (...args: string[]) => (await kadmJson<{partitions: Row[]}>(['partitions', 'list', ...B, ...args])).partitions
const addresses = (...ids: number[]) => ids.map((id) => cluster.address(id))
const names = (rows: Array<{topic: string; partition: number}>) => rows.map((r) => `${r.topic}-${r.partition}`).sort()

/** Partition `partition` of `topic` as Kafka's TopicCommand describes it, once it passes `ok`. */
async function untilTopicCommand(topic: string, partition: number, what: string, ok: (p: ToolPartition) => boolean, timeoutMs = 90_000): Promise<ToolPartition> {
  const deadline = Date.now() + timeoutMs
  let last: ToolPartition | string | undefined
  while (Date.now() < deadline) {
    try {
      const found = (await describeWithTopicCommand(version, cluster.bootstrap, ['--topic', topic])).partitions.find((p) => p.partition === partition)
      if (found && ok(found)) return found
      last = found
    } catch (error) {
      last = (error as Error).message
    }
    await sleep(500)
  }
  throw new Error(`timed out waiting until ${what} (TopicCommand last said: ${JSON.stringify(last)})`)
}

describe('partitions with a broker down', () => {
  it('lists exactly the partitions that lost the broker, then elect-leaders restores preferred leaders; cluster check reports them', async () => {
    // The cluster as started, every broker up: cluster check finds nothing, even at --fail-on warn.
    const healthy = await kadm(['cluster', 'check', ...B, '--fail-on', 'warn'])
    expect([healthy.code, healthy.stderr]).toEqual([0, ''])
    expect(healthy.stdout).toMatch(/^No findings \(19 checks on 3 brokers, /)
    const topic = uniqueName('part-down')
    // Broker 2 is in the replicas of partitions 0-3 and leads 1 and 3.
    await createTopic(cluster.bootstrap, topic, {assignment: '1:2,2:3,3:2,2:1,1:3,3:1', config: {'min.insync.replicas': '2'}})
    // A topic whose one replica is on broker 2: unavailable while it is down.
    const lonely = uniqueName('part-lonely')
    await createTopic(cluster.bootstrap, lonely, {assignment: '2,1'})
    const withTwo = [`${topic}-0`, `${topic}-1`, `${topic}-2`, `${topic}-3`]
    const ledByTwo = [`${topic}-1`, `${topic}-3`]
    expect(await list('--topic', topic, '--under-replicated')).toEqual([])

    // kadm exporter, serving while the broker goes down and comes back.
    const exporter = await RunningExporter.start(EXPORTER_PORT, [...B, '--min-interval', '1s'])
    exporters.push(exporter)
    const up = (id: number) => `kafka_broker_up{broker="${id}",address="${cluster.address(id)}"}`
    const scraped = async (what: string, ok: (m: Map<string, number>) => boolean) => {
      const deadline = Date.now() + 90_000
      let last = new Map<string, number>()
      while (Date.now() < deadline) {
        last = await exporter.samples()
        if (ok(last)) return last
        await sleep(500)
      }
      throw new Error(`timed out waiting until ${what}: ${JSON.stringify([...last].filter(([k]) => k.startsWith('kafka_broker_up')))}; exporter: ${exporter.stderr}`)
    }
    const before = await scraped('every broker up', (m) => [1, 2, 3].every((id) => m.get(up(id)) === 1))
    expect([...before.keys()].filter((k) => k.startsWith('kafka_log_dir_usable_bytes{broker="2"'))).toHaveLength(1)

    await cluster.kill(2)
    try {
      await untilEveryBroker(addresses(1, 3), topic, 'broker 2 out of every ISR', (parts) => parts.length === 6 && parts.every((p) => !p.isr.includes(2)))
      // The exporter survives it: broker 2 is down (up 0) and its log dir's series are gone; the others answer.
      const during = await scraped('broker 2 down and lonely-0 offline', (m) => m.get(up(2)) === 0 && m.get(`kafka_topic_partition_offline{topic="${lonely}",partition="0"}`) === 1)
      expect([up(1), up(3), 'kadm_scrape_success'].map((k) => during.get(k))).toEqual([1, 1, 1])
      // Its check results name one broker missing from the metadata.
      expect(during.get('kadm_check_findings{check="offline-brokers",severity="error"}')).toBe(1)
      expect([...during.keys()].filter((k) => k.startsWith('kafka_log_dir_usable_bytes{')).map((k) => /broker="(\d+)"/.exec(k)![1])).toEqual(['1', '3'])
      expect(during.get(`kafka_topic_partition_under_replicated_partition{topic="${topic}",partition="0"}`)).toBe(1)
      const under = await list('--topic', topic, '--under-replicated')
      expect(names(under)).toEqual(withTwo)
      // min.insync.replicas=2 with one replica left in the ISR; 1 and 3 also lost their preferred leader.
      expect(under.map((r) => [r.partition, [...r.markers].sort()])).toEqual([0, 1, 2, 3].map((p) => [p, ['under-min-isr', 'under-replicated', ...(p % 2 ? ['not-preferred-leader'] : [])].sort()]))
      expect(names(await list('--topic', topic, '--broker', '2'))).toEqual(withTwo)
      expect(names(await list('--topic', topic, '--under-min-isr'))).toEqual(withTwo)
      // Partitions 4 and 5 kept both replicas: exactly at min ISR.
      expect(names(await list('--topic', topic, '--at-min-isr'))).toEqual([`${topic}-4`, `${topic}-5`])
      expect(await list('--topic', topic, '--unavailable')).toEqual([])
      expect(names(await list('--topic', lonely, '--unavailable'))).toEqual([`${lonely}-0`])
      // topics describe's filters, on the same real faults, as TopicCommand's.
      const describedWith = async (flag: string, name: string) => (await kadmJson<{topics: Array<{partitions: Array<{partition: number}>}>}>(['topics', 'describe', name, flag, '--no-offsets', ...B])).topics.flatMap((t) => t.partitions.map((p) => p.partition))
      expect(await describedWith('--unavailable-partitions', lonely)).toEqual([0])
      expect(await describedWith('--under-replicated-partitions', topic)).toEqual([0, 1, 2, 3])
      const toolUnavailable = await kafkaTool(version, 'TopicCommand', ['--bootstrap-server', cluster.bootstrap, '--describe', '--unavailable-partitions', '--topic', lonely])
      expect([...toolUnavailable.stdout.matchAll(/Partition:\s*(\d+)/g)].map((m) => Number(m[1]))).toEqual([0])

      // Kafka's own tool agrees.
      const tool = await kafkaTool(version, 'TopicCommand', ['--bootstrap-server', cluster.bootstrap, '--describe', '--under-replicated-partitions', '--topic', topic])
      expect(tool.code, tool.stderr).toBe(0)
      const fromTool = [...tool.stdout.matchAll(/Topic:\s*(\S+)\s+Partition:\s*(\d+)/g)].map((m) => `${m[1]}-${m[2]}`).sort()
      expect(fromTool).toEqual(withTwo)

      const check = await kadm(['partitions', 'list', ...B, '--topic', topic, '--fail-on-unhealthy'])
      expect(check.code).toBe(3)
      expect(check.stdout).toContain('under-replicated: 4')

      // cluster check: the same partitions, as TopicCommand shows them: no leader; ISR below min.insync.replicas
      // (2 for topic, the broker default 1 for lonely, whose ISR is empty); ISR below the replicas.
      const found = await kadm(['cluster', 'check', ...B, '--topic', topic, '--topic', lonely, '--only', 'replication', '--fail-on', 'error', '-o', 'json'])
      expect([found.code, found.stderr]).toEqual([3, 'error: 3 findings at or above error: offline-brokers, offline-partitions, under-min-isr\n'])
      const described = await describeWithTopicCommand(version, cluster.bootstrap, ['--topic', `${topic}|${lonely}`])
      const parts = (ok: (p: ToolPartition) => boolean) => described.partitions.filter(ok).map((p) => `${p.topic}-${p.partition}`).sort()
      const findings = (JSON.parse(found.stdout) as {findings: Array<{check: string; severity: string; objects: string[]}>}).findings
      expect(findings.map((f) => [f.check, f.severity, [...f.objects].sort()])).toEqual([
        // The broker this test killed: in replica sets, not in the metadata.
        ['offline-brokers', 'error', ['broker 2']],
        ['offline-partitions', 'error', parts((p) => p.leader === null)],
        ['under-min-isr', 'error', parts((p) => p.isr.length < (p.topic === topic ? 2 : 1))],
        ['under-replicated', 'warn', parts((p) => p.isr.length < p.replicas.length)],
        ['replication-factor-1', 'warn', [lonely]],
        // Two replicas and min.insync.replicas 2: what this very outage shows.
        ['min-isr-not-below-rf', 'warn', [topic]],
      ])
      expect(parts((p) => p.leader === null)).toEqual([`${lonely}-0`])
      // With its only replica down, lonely-0's ISR is empty on Kafka 4.x; 3.9 keeps broker 2 in it.
      expect(parts((p) => p.isr.length < (p.topic === topic ? 2 : 1))).toEqual(version.startsWith('3.') ? withTwo : [...withTwo, `${lonely}-0`])
    } finally {
      await cluster.startBroker(2)
    }
    await untilEveryBroker(addresses(1, 2, 3), topic, 'broker 2 back in every ISR', fullIsr(6))
    // Up again, and back in the metadata: no broker is missing from it any more.
    await scraped('broker 2 up again and in the metadata', (m) => [1, 2, 3].every((id) => m.get(up(id)) === 1) && m.get('kadm_check_findings{check="offline-brokers",severity="error"}') === 0)
    expect(await exporter.stop()).toBe(0)
    expect(await list('--topic', topic, '--under-replicated')).toEqual([])
    expect((await kadm(['partitions', 'list', ...B, '--topic', topic, '--fail-on-unhealthy'])).code).toBe(0)

    const notPreferred = await list('--topic', topic, '--not-preferred-leader')
    expect(names(notPreferred)).toEqual(ledByTwo)
    // Broker 2 is back but leads none of the partitions it is preferred for but lonely-0: cluster check
    // names it, as TopicCommand shows every partition's first replica and leader.
    const everyPartition = (await describeWithTopicCommand(version, cluster.bootstrap, [])).partitions
    const notLeading = [1, 2, 3].filter((b) => {
      const preferredBy = everyPartition.filter((p) => p.replicas[0] === b)
      return preferredBy.filter((p) => p.leader !== b).length * 100 / preferredBy.length > 10
    })
    expect(notLeading).toEqual([2])
    const imbalance = await kadmJson<{findings: Array<{check: string; objects: string[]}>}>(['cluster', 'check', ...B, '--only', 'preferred-leader-imbalance'])
    expect(imbalance.findings.map((f) => [f.check, f.objects])).toEqual([['preferred-leader-imbalance', ['broker 2']]])
    for (const r of notPreferred) expect(r.preferredLeader).toBe(2)

    const predicted = await kadmJson<{results: Array<{topic: string; partition: number; outcome: string; newLeader?: number}>}>(['partitions', 'elect-leaders', ...B, '--topic', topic, '--dry-run'])
    expect(predicted.results.filter((r) => r.outcome === 'would-elect').map((r) => [`${r.topic}-${r.partition}`, r.newLeader])).toEqual(ledByTwo.map((n) => [n, 2]))
    expect(names(await list('--topic', topic, '--not-preferred-leader'))).toEqual(ledByTwo)
    const onePartition = await kadmJson<{results: Array<{partition: number; outcome: string}>}>(['partitions', 'elect-leaders', ...B, '--topic', topic, '--partition', '3', '--dry-run'])
    expect(onePartition.results.map((r) => [r.partition, r.outcome])).toEqual([[3, 'would-elect']])

    const election = await kadmJson<{results: Array<{topic: string; partition: number; outcome: string}>}>(['partitions', 'elect-leaders', ...B, '--preferred', '--topic', topic])
    expect(election.results.filter((r) => r.outcome === 'elected').map((r) => `${r.topic}-${r.partition}`).sort()).toEqual(ledByTwo)
    expect(election.results.filter((r) => r.outcome === 'failed')).toEqual([])
    await untilEveryBroker(addresses(1, 2, 3), topic, 'every partition on its preferred leader', (parts) => parts.length === 6 && parts.every((p) => p.leader === p.replicas[0]))
    expect(await list('--topic', topic, '--not-preferred-leader')).toEqual([])

    // LeaderElectionCommand's JSON file works too; a preferred leader already in place is reported as such.
    const file = join(dir, `${topic}-elect.json`)
    await writeFile(file, JSON.stringify({partitions: [{topic, partition: 1}]}))
    const again = await kadmJson<{results: Array<{outcome: string}>}>(['partitions', 'elect-leaders', ...B, '--path-to-json-file', file])
    expect(again.results).toEqual([{topic, partition: 1, outcome: 'already-leader'}])
    const unclean = await kadm(['partitions', 'elect-leaders', ...B, '--unclean', '--topic', topic])
    expect(unclean.code).toBe(2)
    expect(unclean.stderr).toContain('--yes')

    // Every partition of the cluster (internal topics too): none fails.
    const all = await kadm(['partitions', 'elect-leaders', ...B, '--all', '-o', 'json'])
    expect(all.code, all.stderr).toBe(0)
    expect((JSON.parse(all.stdout) as {results: Array<{outcome: string}>}).results.filter((r) => r.outcome === 'failed')).toEqual([])
  })
})

describe('partitions elect-leaders --unclean', () => {
  it('with --yes makes the live out-of-sync replica leader when every in-sync replica is down (TopicCommand agrees; the record only the dead leader had is gone)', async () => {
    const topic = await createTopic(cluster.bootstrap, uniqueName('unclean'), {assignment: '1:2', config: {'min.insync.replicas': '1'}})
    await untilTopicCommand(topic, 0, 'leader 1 with ISR [1, 2]', (p) => p.leader === 1 && p.isr.join() === '1,2')

    // Broker 2 goes; the controller fences it and takes it out of the ISR.
    await cluster.kill(2)
    await untilTopicCommand(topic, 0, 'the ISR is [1]', (p) => p.leader === 1 && p.isr.join() === '1')
    // A record only broker 1 has (kcat acks=all: the ISR is [1]); kcat reads it back.
    const readPartition = (broker: number) => execFileSync('kcat', ['-C', '-b', cluster.address(broker), '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q'], {encoding: 'utf8', timeout: 60_000})
    execFileSync('kcat', ['-P', '-b', cluster.address(1), '-t', topic, '-p', '0'], {input: 'only-on-broker-1\n', timeout: 60_000})
    expect(readPartition(1)).toBe('only-on-broker-1\n')
    // Broker 1, the last in-sync replica, goes; broker 2 comes back, out of sync.
    await cluster.kill(1)
    await cluster.startBroker(2)
    const leaderless = await untilTopicCommand(topic, 0, 'no leader, broker 2 out of the ISR', (p) => p.leader === null && !p.isr.includes(2))
    expect(leaderless.replicas).toEqual([1, 2])
    // Broker 2 answers before the controller unfences it, and each broker learns that on its own
    // time: until then an unclean election has no live replica to pick. Wait until both live
    // brokers, asked alone by kcat, list broker 2 and see the partition without a leader.
    await untilEveryBrokerLists(addresses(2, 3), [2])
    await untilEveryBroker(addresses(2, 3), topic, 'no leader for partition 0', (parts) => parts.length === 1 && parts[0].leader === -1)

    // Without --yes (no terminal to ask on) it is refused and nothing is elected; --dry-run predicts broker 2.
    const refused = await kadm(['partitions', 'elect-leaders', '--unclean', '--topic', topic, '--partition', '0', ...B])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('--yes')
    const predicted = await kadmJson<{results: Array<{partition: number; outcome: string; newLeader?: number}>}>(['partitions', 'elect-leaders', '--unclean', '--dry-run', '--topic', topic, '--partition', '0', ...B])
    expect(predicted.results).toEqual([expect.objectContaining({partition: 0, outcome: 'would-elect', newLeader: 2})])
    expect((await untilTopicCommand(topic, 0, 'still no leader', () => true)).leader).toBeNull()

    const elected = await kadm(['partitions', 'elect-leaders', '--unclean', '--yes', '--topic', topic, '--partition', '0', '-b', cluster.bootstrap, '-o', 'json'])
    expect(elected.code, elected.stderr).toBe(0)
    expect((JSON.parse(elected.stdout) as {electionType: string; results: Array<{topic: string; partition: number; outcome: string}>})).toMatchObject({electionType: 'unclean', results: [{topic, partition: 0, outcome: 'elected'}]})

    const after = await untilTopicCommand(topic, 0, 'broker 2 leads', (p) => p.leader === 2, 30_000)
    expect(after.isr).toEqual([2])
    // Broker 2 never had the record: the unclean election lost it, as it may (kcat reads the partition empty).
    expect(readPartition(2)).toBe('')
  })
})
