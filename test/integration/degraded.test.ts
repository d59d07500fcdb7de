import {execFileSync} from 'node:child_process'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {compareVersions} from '../../src/local/versions.js'
import {FaultCluster} from '../helpers/fault-cluster.js'
import {kadm, kadmJson, uniqueName} from '../helpers/kadm.js'
import {describeQuorumWithTool, describeWithTopicCommand, kafkaTool} from '../helpers/kafka-tools.js'
import {kcatPartitions} from '../helpers/kcat.js'
import {until} from '../helpers/process.js'

const version = inject('kafkaVersion')
/** Broker ports of this file's own cluster (controllers 100 above), clear of the suite's. */
const PORT = Number(process.env.KADM_TEST_PORT ?? 19_092) + 700
const PARTITIONS = 6
const PER_PARTITION = 50
/** offsets.topic.num.partitions of clusters started by the launcher (src/local/properties.ts). */
const OFFSETS_PARTITIONS = 12

/** The __consumer_offsets partition that holds `group`, as Kafka picks it: Utils.abs(groupId.hashCode()) % partitions. */
function offsetsPartition(group: string, partitions: number): number {
  let hash = 0
  for (let i = 0; i < group.length; i++) hash = (Math.imul(hash, 31) + group.charCodeAt(i)) | 0
  return (hash === -0x80000000 ? 0 : Math.abs(hash)) % partitions
}

interface Described {
  name: string
  partitions: Array<{partition: number; leader: number | null; replicas: number[]; isr: number[]; earliestOffset: number | null; latestOffset: number | null; error?: string}>
}

interface ClusterJson {
  controller: {activeControllerId: number | null}
  brokers: Array<{id: number; status: string; error?: string}>
}

/**
 * Every read command an operator reaches for during an incident answers while a broker is down
 * or frozen: with what the live brokers know, the missing parts marked where they would be, one
 * stderr line naming the broker, and exit code 4. The cluster is this file's own; its controllers
 * fence a silent broker only after 30 s, so the window before fencing (about 9 s by default,
 * when Kafka's own tools keep answering and kadm used to fail) is wide enough to test in.
 */
describe(`a degraded cluster (Kafka ${version})`, () => {
  let cluster: FaultCluster
  let B: string[]
  const topic = uniqueName('degraded')
  const group = uniqueName('degraded-group')

  beforeAll(async () => {
    cluster = await FaultCluster.start(version, PORT, {'broker.session.timeout.ms': '30000'})
    B = ['-b', cluster.bootstrap]
    const created = await kadm(['topics', 'create', topic, '-p', String(PARTITIONS), '-r', '3', ...B])
    expect(created.code, created.stderr).toBe(0)
    // Written and committed by kcat, an independent client: PER_PARTITION records in each partition.
    for (let p = 0; p < PARTITIONS; p++) {
      const lines = Array.from({length: PER_PARTITION}, (_, i) => `p${p}-${i}`).join('\n') + '\n'
      execFileSync('kcat', ['-P', '-b', cluster.bootstrap, '-t', topic, '-p', String(p)], {input: lines})
    }
    execFileSync('kcat', ['-C', '-b', cluster.bootstrap, '-G', group, topic, '-o', 'beginning', '-e', '-q', '-X', 'enable.auto.commit=true', '-X', 'auto.commit.interval.ms=100'], {timeout: 60_000})
  })

  // The last test leaves a broker dead: the cluster is this file's alone, and goes with it.
  afterAll(async () => {
    await cluster?.stop()
  })

  const gapLine = (id: number) => new RegExp(`^warning: partial result: broker ${id} \\(127\\.0\\.0\\.1:${cluster.state.nodes.find((n) => n.id === id)!.port}\\) did not answer, [^\\n]+$`)

  it('with a broker frozen (SIGSTOP): each command costs at most --timeout, never hangs', async () => {
    // The first broker of the bootstrap list: every command first has to get past it.
    const frozen = 1
    const {topics: [before]} = await kadmJson<{topics: Described[]}>(['topics', 'describe', topic, '--no-offsets', ...B])
    expect(before.partitions.some((p) => p.leader === frozen)).toBe(true)
    await cluster.freeze(frozen)
    try {
      const started = Date.now()
      const described = await kadm(['topics', 'describe', topic, '-o', 'json', '--timeout', '3s', ...B])
      const took = Date.now() - started
      expect(described.code, described.stderr).toBe(4)
      expect(described.stderr.trim()).toMatch(gapLine(frozen))
      expect(described.stderr).toContain('no answer within 3s')
      // One timeout for the frozen broker, not one per request; a generous margin for a busy machine.
      expect(took).toBeLessThan(3_000 * 2 + 5_000)
      const {topics: [ours]} = JSON.parse(described.stdout) as {topics: Described[]}
      // Offsets missing exactly for the partitions the frozen broker leads (the others named on failure).
      const wrong = ours.partitions.filter((p) => (p.latestOffset === null) !== (p.leader === frozen))
      expect(wrong.map((p) => ({partition: p.partition, leader: p.leader, latestOffset: p.latestOffset, error: p.error}))).toEqual([])

      const listed = await kadm(['topics', 'list', '--timeout', '3s', ...B])
      expect(listed.code, listed.stderr).toBe(0)
      const health = await kadmJson<ClusterJson>(['cluster', 'describe', '--timeout', '3s', ...B])
      expect(health.brokers.find((b) => b.id === frozen)).toMatchObject({status: 'unreachable', error: 'no answer within 3s (frozen or overloaded?)'})

      // Feature levels from the brokers that answer; the frozen one named, left out, exit 4.
      const features = await kadm(['cluster', 'features', '-o', 'json', '--timeout', '3s', ...B])
      expect(features.code, features.stderr).toBe(4)
      expect(features.stderr.trim()).toMatch(gapLine(frozen))
      expect(features.stderr).toContain('missing the feature levels it supports')
      const levels = JSON.parse(features.stdout) as {unreachable: number[]; features: Array<{name: string; finalized: string}>}
      expect(levels.unreachable).toEqual([frozen])
      expect(levels.features.find((f) => f.name === 'metadata.version')?.finalized).toMatch(/^\d+\.\d+-IV\d+$/)
    } finally {
      await cluster.thaw(frozen)
    }
  })

  it('with a broker frozen, topics create and delete make the change on the others, name the silent broker and exit 4', async () => {
    // Not the active controller: with that one frozen, Kafka itself takes the brokers' request
    // timeout (30 s) to give up on it, and no client can create a topic meanwhile.
    const {controller} = await kadmJson<ClusterJson>(['cluster', 'describe', ...B])
    const frozen = [3, 2, 1].find((id) => id !== controller.activeControllerId)!
    const [a, b] = [1, 2, 3].filter((id) => id !== frozen)
    const made = [uniqueName('frozen-create'), uniqueName('frozen-create')]
    await cluster.freeze(frozen)
    const frozenAt = Date.now()
    try {
      // Replicas on the live brokers: what a silent broker costs is its own view, not the change.
      const created = await kadm(['topics', 'create', ...made, '--replica-assignment', `${a}:${b},${b}:${a}`, '--timeout', '3s', ...B])
      expect(created.code, created.stderr).toBe(4)
      expect(created.stderr.trim()).toMatch(gapLine(frozen))
      expect(created.stderr).toContain(`missing whether it knows the leaders of ${made.join(', ')}`)
      // kcat asks each live broker alone: both know every partition and its leader.
      for (const id of [a, b]) {
        for (const name of made) expect(kcatPartitions(cluster.address(id), name).map((p) => [p.partition, p.leader])).toEqual([[0, a], [1, b]])
      }

      const deleted = await kadm(['topics', 'delete', ...made, '--yes', '--timeout', '3s', ...B])
      expect(deleted.code, deleted.stderr).toBe(4)
      expect(deleted.stderr.trim()).toMatch(gapLine(frozen))
      expect(deleted.stderr).toContain(`missing whether it has dropped ${[...made].sort().join(', ')}`)
      for (const id of [a, b]) {
        for (const name of made) expect(kcatPartitions(cluster.address(id), name)).toEqual([])
      }

      // The quorum still answers: the frozen voter is the one marked as not fetching (after 5 s
      // without a fetch), and Kafka's own tool shows its last fetch that far behind the others'.
      await sleep(Math.max(0, frozenAt + 7_000 - Date.now()))
      const quorum = await kadm(['cluster', 'quorum', '-o', 'json', '--timeout', '3s', ...B])
      expect(quorum.code, quorum.stderr).toBe(0)
      const members = (JSON.parse(quorum.stdout) as {members: Array<{id: number; fetching: boolean; lastFetchTimestamp: number}>}).members
      expect(members.filter((m) => !m.fetching).map((m) => m.id)).toEqual([frozen])
      // Kafka's tool sends its request to a broker of its choosing, the frozen one included (it is
      // still registered): a short request timeout makes it try another broker within its call.
      const config = join(cluster.state.dataDir, 'quick-admin.properties')
      await writeFile(config, 'request.timeout.ms=3000\ndefault.api.timeout.ms=20000\n')
      const args = ['--bootstrap-server', cluster.address(a), '--command-config', config, 'describe', '--replication']
      let tool = await kafkaTool(version, 'MetadataQuorumCommand', args)
      for (let attempt = 1; tool.code !== 0 && attempt < 3; attempt++) tool = await kafkaTool(version, 'MetadataQuorumCommand', args)
      expect(tool.code, tool.stderr).toBe(0)
      const lastFetch = new Map(tool.stdout.trim().split('\n').slice(1).map((l) => l.split('\t').map((c) => c.trim())).map((r) => [Number(r[0]), Number(r[4])]))
      const newest = Math.max(...[...lastFetch.values()])
      expect(newest - lastFetch.get(frozen)!).toBeGreaterThan(5_000)
      expect(members.find((m) => m.id === frozen)!.lastFetchTimestamp).toBe(lastFetch.get(frozen))
    } finally {
      await cluster.thaw(frozen)
    }
  })

  it('with the broker hosting the active controller killed (-9), before it is fenced', async () => {
    // The frozen broker of the last test may have lost its leaderships (a slow machine makes that
    // test outlast the session timeout): Kafka's own LeaderElectionCommand gives each partition
    // back to its preferred replica, as the topic was created, once that replica is in the ISR again.
    const election = join(cluster.state.dataDir, 'preferred.json')
    await writeFile(election, JSON.stringify({partitions: Array.from({length: PARTITIONS}, (_, partition) => ({topic, partition}))}))
    await until(async () => {
      const {partitions} = await describeWithTopicCommand(version, cluster.bootstrap, ['--topic', topic])
      if (partitions.length === PARTITIONS && partitions.every((p) => p.leader === p.replicas[0])) return true
      await kafkaTool(version, 'LeaderElectionCommand', ['--bootstrap-server', cluster.bootstrap, '--election-type', 'preferred', '--path-to-json-file', election])
      return false
    }, 'each partition is led by its preferred replica again')
    const before = await kadmJson<ClusterJson>(['cluster', 'describe', ...B])
    const dead = before.controller.activeControllerId!
    expect(dead).toBe((await describeQuorumWithTool(version, cluster.bootstrap)).leaderId)
    // The group's coordinator, as the broker metadata (kcat) has it before the kill: the leader of
    // its __consumer_offsets partition.
    const [offsetsLeader] = kcatPartitions(cluster.address(dead), '__consumer_offsets').filter((p) => p.partition === offsetsPartition(group, OFFSETS_PARTITIONS)).map((p) => p.leader)
    await cluster.kill(dead)

    // Kafka's own tool still describes the topic: kadm's leaders and replicas match it.
    const tool = await describeWithTopicCommand(version, cluster.bootstrap, ['--topic', topic])
    const described = await kadm(['topics', 'describe', topic, '-o', 'json', ...B])
    expect(described.code, described.stderr).toBe(4)
    expect(described.stderr.trim()).toMatch(gapLine(dead))
    const {topics: [ours]} = JSON.parse(described.stdout) as {topics: Described[]}
    expect(ours.partitions.map((p) => [p.partition, p.leader, p.replicas])).toEqual(tool.partitions.map((p) => [p.partition, p.leader, p.replicas]))
    const ledByDead = ours.partitions.filter((p) => p.leader === dead)
    // Kafka places the preferred leaders of a new topic evenly: each of the three brokers leads a third.
    expect(ledByDead).toHaveLength(PARTITIONS / 3)
    for (const p of ours.partitions) {
      if (p.leader === dead) {
        expect(p.latestOffset).toBeNull()
        expect(p.error).toMatch(new RegExp(`^broker ${dead} \\(127\\.0\\.0\\.1:\\d+\\) did not answer: connection refused`))
      } else {
        expect([p.earliestOffset, p.latestOffset, p.error]).toEqual([0, PER_PARTITION, undefined])
      }
    }
    const table = await kadm(['topics', 'describe', topic, ...B])
    expect(table.code).toBe(4)
    expect(table.stdout.split('\n').filter((l) => /^\s+\d+\s/.test(l) && / \? +\? +\? /.test(l))).toHaveLength(ledByDead.length)

    const listed = await kadm(['topics', 'list', '-o', 'json', ...B])
    expect(listed.code, listed.stderr).toBe(0)
    expect((JSON.parse(listed.stdout) as {topics: Array<{name: string}>}).topics.map((t) => t.name)).toContain(topic)

    const offsets = await kadm(['offsets', 'show', topic, '--group', group, ...B])
    expect(offsets.code, offsets.stderr).toBe(4)
    expect(offsets.stderr.trim()).toMatch(gapLine(dead))

    // Each broker lists the groups it coordinates: the others still answer.
    const groups = await kadm(['consumer-groups', 'list', '-o', 'json', ...B])
    expect(groups.code, groups.stderr).toBe(4)
    expect(groups.stderr.trim()).toMatch(gapLine(dead))
    // Likewise the transactions each broker coordinates, and the producers of the partitions it leads.
    const transactions = await kadm(['transactions', 'list', '-o', 'json', ...B])
    expect(transactions.code, transactions.stderr).toBe(4)
    expect(transactions.stderr.trim()).toMatch(gapLine(dead))
    expect(JSON.parse(transactions.stdout)).toEqual({transactions: []})
    const hanging = await kadm(['transactions', 'find-hanging', '--topic', topic, '--max-transaction-timeout', '1ms', ...B])
    expect(hanging.code, hanging.stderr).toBe(4)
    expect(hanging.stderr.trim()).toMatch(gapLine(dead))
    const shareGroups = await kadm(['share-groups', 'list', ...B])
    if (compareVersions(version, '4.1.0') >= 0) {
      expect(shareGroups.code, shareGroups.stderr).toBe(4)
      expect(shareGroups.stderr.trim()).toMatch(gapLine(dead))
    } else expect([shareGroups.code, shareGroups.stderr]).toEqual([1, expect.stringMatching(/^error: share groups need Kafka 4\.1 or newer/)])
    const lag = await kadm(['consumer-groups', 'lag', '-o', 'json', ...B])
    expect(lag.code, lag.stderr).toBe(4)
    const describedGroup = await kadm(['consumer-groups', 'describe', group, '-o', 'json', ...B])
    const state = (JSON.parse(describedGroup.stdout) as {groups: Array<{state: string; coordinator: number}>}).groups[0]
    expect([state.coordinator, state.state]).toEqual(offsetsLeader === dead ? [dead, 'CoordinatorUnreachable'] : [offsetsLeader, 'Empty'])
    // Its lag needs each partition's log end from the partition's leader: exit 4 naming the dead
    // broker while the metadata still has it leading partitions the group read; exit 0 once the new
    // controller has fenced it and moved them (how soon varies from run to run). Never one without the other.
    if (offsetsLeader === dead) expect(describedGroup.code).toBe(4)
    expect(describedGroup.stderr.trim()).toMatch(describedGroup.code === 4 ? gapLine(dead) : /^$/)
    expect([0, 4]).toContain(describedGroup.code)

    const health = await kadmJson<ClusterJson>(['cluster', 'describe', ...B])
    expect(health.brokers.find((b) => b.id === dead)).toMatchObject({status: 'unreachable', error: expect.stringMatching(/^connection refused/)})
    expect(health.brokers.filter((b) => b.status === 'ok').map((b) => b.id)).toEqual([1, 2, 3].filter((id) => id !== dead))
    expect(health.controller.activeControllerId).not.toBe(dead)

    // Sizes come from each broker itself: the dead one's replicas are missing, and said to be.
    const sizes = await kadm(['partitions', 'sizes', '--topic', topic, '--by', 'broker', '-o', 'json', ...B])
    expect(sizes.code, sizes.stderr).toBe(4)
    expect(sizes.stderr.trim()).toMatch(gapLine(dead))
    const bySize = JSON.parse(sizes.stdout) as {rows: Array<{name: string}>; unreachable: Array<{broker: number; error: string}>}
    expect(bySize.unreachable).toEqual([{broker: dead, error: expect.stringMatching(/^connection refused/)}])
    expect(bySize.rows.map((r) => r.name).sort()).toEqual([1, 2, 3].filter((id) => id !== dead).map(String).sort())

    // A broker's log levels come from that broker alone: the dead one's are said to be unreachable, a live one's answer.
    const loggersOfDead = await kadm(['configs', 'get', 'broker-logger', String(dead), '-k', 'root', ...B])
    expect([loggersOfDead.code, loggersOfDead.stdout]).toEqual([1, ''])
    expect(loggersOfDead.stderr).toMatch(new RegExp(`^error: cannot describe loggers of broker ${dead}: broker ${dead} \\(127\\.0\\.0\\.1:\\d+\\) did not answer: connection refused[^\\n]*\\n$`))
    const alive = [1, 2, 3].find((id) => id !== dead)!
    const loggersOfLive = await kadmJson<{configs: Array<{name: string; value: string}>}>(['configs', 'get', 'broker-logger', String(alive), '-k', 'root', ...B])
    expect(loggersOfLive.configs.map((c) => [c.name, c.value])).toEqual([['root', 'INFO']])
    // Client-metrics subscriptions are cluster metadata: changed and read with a broker down; the
    // set cannot hear from the dead broker that it shows the change, and says so (exit 4).
    const sub = uniqueName('degraded-sub')
    const setSub = await kadm(['configs', 'set', 'client-metrics', sub, '--set', 'interval.ms=60000', ...B])
    expect(setSub.code, setSub.stderr).toBe(4)
    expect(setSub.stderr.trim()).toMatch(gapLine(dead))
    expect((await kadmJson<{configs: Array<{name: string; value: string}>}>(['configs', 'get', 'client-metrics', sub, ...B])).configs.map((c) => [c.name, c.value])).toEqual([['interval.ms', '60000']])

    // SCRAM users and quotas are cluster metadata every live broker holds: read and changed in full.
    // A change returns once every broker shows it (each learns it from the metadata log, later while
    // a new controller takes over): a describe or list right after sees it, whichever broker answers.
    // The dead broker cannot be asked: exit 4 naming it while the metadata still lists it, exit 0
    // once the new controller has fenced it (how soon varies). Never one without the other.
    const changedWithoutDead = (result: {code: number | null; stderr: string}) => {
      expect([0, 4], result.stderr).toContain(result.code)
      expect(result.stderr.trim()).toMatch(result.code === 4 ? gapLine(dead) : /^$/)
    }
    const user = uniqueName('degraded-user')
    const setPassword = await kadm(['users', 'set-password', user, '--password-env', 'KADM_TEST_DEGRADED_PASSWORD', ...B], {env: {KADM_TEST_DEGRADED_PASSWORD: 'degraded-secret'}})
    changedWithoutDead(setPassword)
    expect((await kadmJson<{credentials: unknown[]}>(['users', 'describe', user, ...B])).credentials).toEqual([{user, mechanism: 'SCRAM-SHA-512', iterations: 4096}])
    const users = await kadm(['users', 'list', ...B])
    expect(users.code, users.stderr).toBe(0)
    expect(users.stdout).toContain(user)
    changedWithoutDead(await kadm(['users', 'delete', user, '--yes', ...B]))
    const client = uniqueName('degraded-client')
    changedWithoutDead(await kadm(['quotas', 'set', '--client-id', client, '--set', 'producer_byte_rate=1000', ...B]))
    expect((await kadmJson<{quotas: Array<{quotas: unknown}>}>(['quotas', 'list', '--client-id', client, ...B])).quotas.map((q) => q.quotas)).toEqual([{producer_byte_rate: 1000}])
    expect((await kadmJson<{quotas: Array<{key: string; value: number | null}>}>(['quotas', 'resolve', '--user', 'anyone', '--client-id', client, ...B])).quotas[0]).toEqual({key: 'producer_byte_rate', value: 1000, from: `client-id=${client}`})
    changedWithoutDead(await kadm(['quotas', 'delete', '--client-id', client, '--yes', ...B]))

    // A dead broker first in the bootstrap list costs nothing.
    const deadFirst = await kadm(['topics', 'list', '-b', `${cluster.address(dead)},${cluster.bootstrap}`])
    expect(deadFirst.code, deadFirst.stderr).toBe(0)
    expect(deadFirst.stdout).toContain(topic)
  })
})
