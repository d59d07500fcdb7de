import {execFileSync, spawn} from 'node:child_process'
import {rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parse} from 'yaml'
import {beforeAll, describe, expect, inject, it} from 'vitest'

import {compareVersions} from '../../src/local/versions.js'
import {createTopic, kadm, kadmJson, ROOT, uniqueName} from '../helpers/kadm.js'
import {kafkaTool, transactionsWithTool} from '../helpers/kafka-tools.js'
import {fullIsr, kcatPartitions, untilEveryBroker} from '../helpers/kcat.js'
import {runProcess} from '../helpers/process.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const B = ['-b', bootstrap]

interface Producer {producerId: number; producerEpoch: number; lastSequence: number; lastTimestamp: number; coordinatorEpoch: number; currentTransactionStartOffset: number | null}
interface Producers {topic: string; partition: number; broker: number; producers: Producer[]}
interface Hanging {maxTransactionTimeoutMs: number; transactions: Array<{topic: string; partition: number; producer: Producer; durationMs: number}>}
interface Listing {transactionalId: string; coordinator: number; producerId: number; state: string}

/** A producer id far above any the controller hands out in a test run: no coordinator knows it. */
const GHOST_PRODUCER_ID = 987_654_321

/** What read_committed consumers get of a partition: kcat reads up to the last stable offset and stops. */
function readCommitted(topic: string, partition: number): string[] {
  const out = execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', topic, '-p', String(partition), '-X', 'isolation.level=read_committed', '-f', '%s\n'], {encoding: 'utf8', timeout: 60_000})
  return out.split('\n').filter(Boolean)
}

/** Kafka's tool prints producers as rows of strings; kadm's JSON as numbers (null for "None"). */
const producerRow = (p: Producer) => ({
  ProducerId: String(p.producerId),
  ProducerEpoch: String(p.producerEpoch),
  LatestCoordinatorEpoch: String(p.coordinatorEpoch),
  LastSequence: String(p.lastSequence),
  LastTimestamp: String(p.lastTimestamp),
  CurrentTransactionStartOffset: p.currentTransactionStartOffset === null ? 'None' : String(p.currentTransactionStartOffset),
})

/**
 * Two open transactions made for real on one topic, and what kadm and kafka-transactions.sh say of
 * them. Partition 0: a kafkajs transactional producer (a real client, in a child process) opens a
 * transaction, writes and is killed with SIGKILL: abandoned, but its coordinator still knows it
 * as Ongoing (it would abort it after its 10-minute timeout), so it is not hanging. Partition 1:
 * a transactional batch written straight to the leader for a producer id no coordinator handed
 * out (test/fixtures/hanging-transaction.mjs), with the leader's transaction verification turned
 * off for that write, as brokers before 3.6 had none: a real hanging transaction.
 */
describe(`transactions (Kafka ${version})`, () => {
  const topic = uniqueName('txn')
  const transactionalId = uniqueName('txn-app')
  let leaderOf1 = -1
  /** describe-producers of each partition by Kafka's tool, while both transactions are open. */
  const producersByTool: Array<Array<Record<string, string>>> = []

  beforeAll(async () => {
    await createTopic(bootstrap, topic, {partitions: 2, replicationFactor: 3})
    const addresses = bootstrap.split(',')
    await untilEveryBroker(addresses, topic, 'full ISR', fullIsr(2))
    execFileSync('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', '1'], {input: 'before-1\nbefore-2\n'})

    // Partition 0: opened and abandoned.
    const child = spawn(process.execPath, [join(ROOT, 'test', 'fixtures', 'abandoned-transaction.mjs'), bootstrap, topic, '0', transactionalId, '3', '600000'], {stdio: ['ignore', 'pipe', 'pipe']})
    await new Promise<void>((resolve, reject) => {
      let out = ''
      let err = ''
      child.stdout.on('data', (d) => {
        out += d
        if (out.includes('open\n')) resolve()
      })
      child.stderr.on('data', (d) => (err += d))
      child.once('exit', (code) => reject(new Error(`transactional producer exited ${code} before its transaction was open: ${err}`)))
    })
    child.kill('SIGKILL')
    execFileSync('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', '0'], {input: 'after-0\n'})

    // Partition 1: hanging.
    leaderOf1 = kcatPartitions(bootstrap, topic).find((p) => p.partition === 1)!.leader
    const {brokers} = JSON.parse(execFileSync('kcat', ['-L', '-J', '-b', bootstrap, '-t', topic], {encoding: 'utf8'})) as {brokers: Array<{id: number; name: string}>}
    const leaderAddress = brokers.find((b) => b.id === leaderOf1)!.name.replace(/\/\d+$/, '')
    const off = await kadm(['configs', 'set', 'broker', String(leaderOf1), '-s', 'transaction.partition.verification.enable=false', ...B])
    expect(off.code, off.stderr).toBe(0)
    try {
      const written = await runProcess(process.execPath, [join(ROOT, 'test', 'fixtures', 'hanging-transaction.mjs'), leaderAddress, topic, '1', uniqueName('ghost'), String(GHOST_PRODUCER_ID), '3'], {timeoutMs: 30_000})
      expect(written.stdout.trim(), written.stderr).toBe('0 2')
    } finally {
      const on = await kadm(['configs', 'set', 'broker', String(leaderOf1), '-d', 'transaction.partition.verification.enable', ...B])
      expect(on.code, on.stderr).toBe(0)
    }
    execFileSync('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', '1'], {input: 'after-1\nafter-2\n'})
  })

  it('list: the transactional ids every coordinator knows, as the tool lists them; filters by state, producer id, age', async () => {
    const {transactions} = await kadmJson<{transactions: Listing[]}>(['transactions', 'list', ...B])
    const tool = await transactionsWithTool(version, bootstrap, ['list'])
    expect(transactions.map((t) => [t.transactionalId, String(t.coordinator), String(t.producerId), t.state]).sort())
      .toEqual(tool.map((r) => [r.TransactionalId, r.Coordinator, r.ProducerId, r.TransactionState]).sort())
    const ours = transactions.find((t) => t.transactionalId === transactionalId)!
    expect(ours.state).toBe('Ongoing')
    // The ghost producer id belongs to no transactional id.
    expect(transactions.some((t) => t.producerId === GHOST_PRODUCER_ID)).toBe(false)

    const ongoing = await kadmJson<{transactions: Listing[]}>(['transactions', 'list', '--state', 'Ongoing', '--producer-id', String(ours.producerId), '--longer-than', '1ms', ...B])
    expect(ongoing.transactions).toEqual([ours])
    const none = await kadmJson<{transactions: Listing[]}>(['transactions', 'list', '--state', 'CompleteCommit', '--producer-id', String(ours.producerId), ...B])
    expect(none.transactions).toEqual([])
    const yaml = await kadm(['transactions', 'list', '--longer-than', '1h', '-o', 'yaml', ...B])
    expect(yaml.code, yaml.stderr).toBe(0)
    expect(parse(yaml.stdout)).toEqual({transactions: []})
    const unknown = await kadm(['transactions', 'list', '--state', 'Sleeping', ...B])
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([1, 'error: unknown transaction state: Sleeping'])

    const pattern = await kadm(['transactions', 'list', '--transactional-id-pattern', `${transactionalId.split('-')[0]}-app-.*`, '-o', 'json', ...B])
    if (compareVersions(version, '4.1.0') >= 0) {
      expect(pattern.code, pattern.stderr).toBe(0)
      const byTool = await transactionsWithTool(version, bootstrap, ['list', '--transactional-id-pattern', `${transactionalId.split('-')[0]}-app-.*`])
      expect((JSON.parse(pattern.stdout) as {transactions: Listing[]}).transactions.map((t) => t.transactionalId).sort()).toEqual(byTool.map((r) => r.TransactionalId).sort())
      expect(byTool.map((r) => r.TransactionalId)).toContain(transactionalId)
    } else {
      expect(pattern.code).toBe(1)
      expect(pattern.stderr).toMatch(/^error: --transactional-id-pattern needs Kafka 4\.1 or newer: broker 127\.0\.0\.1:\d+ does not support ListTransactions v2\n$/)
    }
  })

  it('describe: the coordinator\'s state of a transactional id, as the tool describes it', async () => {
    const ours = await kadmJson<{transactionalId: string; coordinator: number; producerId: number; producerEpoch: number; state: string; timeoutMs: number; startTimeMs: number; partitions: Array<{topic: string; partition: number}>}>(['transactions', 'describe', transactionalId, ...B])
    const [tool] = await transactionsWithTool(version, bootstrap, ['describe', '--transactional-id', transactionalId])
    expect([String(ours.coordinator), ours.transactionalId, String(ours.producerId), String(ours.producerEpoch), ours.state, String(ours.timeoutMs), String(ours.startTimeMs), ours.partitions.map((p) => `${p.topic}-${p.partition}`).join(',')])
      .toEqual([tool.CoordinatorId, tool.TransactionalId, tool.ProducerId, tool.ProducerEpoch, tool.TransactionState, tool.TransactionTimeoutMs, tool.CurrentTransactionStartTimeMs, tool.TopicPartitions])
    expect([ours.state, ours.timeoutMs, ours.partitions]).toEqual(['Ongoing', 600_000, [{topic, partition: 0}]])
    const table = await kadm(['transactions', 'describe', transactionalId, ...B])
    expect(table.stdout).toMatch(new RegExp(`^Partitions: +${topic}:0$`, 'm'))

    const missing = await kadm(['transactions', 'describe', uniqueName('never-used'), ...B])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^error: transactional id never-used-\w+ is not known to its coordinator \(TRANSACTIONAL_ID_NOT_FOUND\)\n$/)
  })

  it('describe-producers: each partition\'s producers and open transactions, from the leader or a chosen replica, as the tool shows them', async () => {
    for (const partition of [0, 1]) {
      const ours = await kadmJson<Producers>(['transactions', 'describe-producers', `${topic}:${partition}`, ...B])
      const tool = await transactionsWithTool(version, bootstrap, ['describe-producers', '--topic', topic, '--partition', String(partition)])
      expect(ours.producers.map(producerRow)).toEqual(tool)
      producersByTool[partition] = tool
    }
    const {producers: [ghost]} = await kadmJson<Producers>(['transactions', 'describe-producers', `${topic}:1`, ...B])
    expect(ghost).toMatchObject({producerId: GHOST_PRODUCER_ID, producerEpoch: 0, coordinatorEpoch: -1, lastSequence: 2, currentTransactionStartOffset: 2})
    // A follower has the same producer state, replicated with the records.
    const follower = [1, 2, 3].find((id) => id !== leaderOf1)!
    const onFollower = await kadmJson<Producers>(['transactions', 'describe-producers', `${topic}:1`, '--broker-id', String(follower), ...B])
    expect(onFollower.broker).toBe(follower)
    const tool = await transactionsWithTool(version, bootstrap, ['describe-producers', '--topic', topic, '--partition', '1', '--broker-id', String(follower)])
    expect(onFollower.producers.map(producerRow)).toEqual(tool)
    const bad = await kadm(['transactions', 'describe-producers', topic, ...B])
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, `error: "${topic}" is not TOPIC:PARTITION (e.g. orders:0)`])
  })

  it('find-hanging: only the transaction no coordinator will complete, as the tool finds it; by topic, partition or broker', async () => {
    const tool = await transactionsWithTool(version, bootstrap, ['find-hanging', '--topic', topic, '--max-transaction-timeout', '0'])
    const toolRows = tool.map((r) => [r.Topic, r.Partition, r.ProducerId, r.ProducerEpoch, r.CoordinatorEpoch, r.StartOffset, r.LastTimestamp])
    const rows = (h: Hanging) => h.transactions.map((t) => [t.topic, String(t.partition), String(t.producer.producerId), String(t.producer.producerEpoch), String(t.producer.coordinatorEpoch), String(t.producer.currentTransactionStartOffset), String(t.producer.lastTimestamp)])
    expect(toolRows).toEqual([[topic, '1', String(GHOST_PRODUCER_ID), '0', '-1', '2', expect.stringMatching(/^\d+$/)]])

    const byTopic = await kadm(['transactions', 'find-hanging', '--topic', topic, '--max-transaction-timeout', '1ms', '-o', 'json', ...B])
    // Exit 3: a check found a problem.
    expect(byTopic.code, byTopic.stderr).toBe(3)
    expect(rows(JSON.parse(byTopic.stdout) as Hanging)).toEqual(toolRows)

    const byBroker = await kadm(['transactions', 'find-hanging', '--broker-id', String(leaderOf1), '--max-transaction-timeout', '1ms', '-o', 'json', ...B])
    const toolByBroker = await transactionsWithTool(version, bootstrap, ['find-hanging', '--broker-id', String(leaderOf1), '--max-transaction-timeout', '0'])
    expect(rows(JSON.parse(byBroker.stdout) as Hanging)).toEqual(toolByBroker.map((r) => [r.Topic, r.Partition, r.ProducerId, r.ProducerEpoch, r.CoordinatorEpoch, r.StartOffset, r.LastTimestamp]))
    expect(byBroker.code).toBe(3)

    // The abandoned transaction on partition 0 is as old, but its coordinator will abort it: not hanging.
    const partition0 = await kadmJson<Hanging>(['transactions', 'find-hanging', '--topic', topic, '--partition', '0', '--max-transaction-timeout', '1ms', ...B])
    expect(partition0.transactions).toEqual([])
    // Younger than the default bound (15 minutes): not even a suspect.
    const byDefault = await kadm(['transactions', 'find-hanging', '--topic', topic, ...B])
    expect([byDefault.code, byDefault.stdout.trim()]).toEqual([0, 'No hanging transactions (open transactions older than 15m that no coordinator will complete).'])
    const unbounded = await kadm(['transactions', 'find-hanging', ...B])
    expect([unbounded.code, unbounded.stderr.split('\n')[0]]).toEqual([2, 'error: find-hanging needs --topic or --broker-id to limit the search'])
  })

  it('consumer-groups lag: a group held at the last stable offset names the open transaction it waits behind', async () => {
    const group = uniqueName('txn-group')
    // Committed where a read_committed consumer stops on each partition (kcat showed it above: the
    // first offset of each open transaction), by Kafka's own tool.
    const plan = join(ROOT, '.kadm-test', `${group}.csv`)
    await writeFile(plan, `${topic},0,0\n${topic},1,2\n`)
    const reset = await kafkaTool(version, 'ConsumerGroupCommand', ['--bootstrap-server', bootstrap, '--reset-offsets', '--group', group, '--from-file', plan, '--execute'])
    await rm(plan, {force: true})
    expect(reset.code, reset.stderr).toBe(0)
    const {groups: [lag]} = await kadmJson<{groups: Array<{groupId: string; totalLag: number; heldByTransactions: Array<{topic: string; partition: number; lastStableOffset: number; producerId: number | null; producerEpoch: number | null; lastTimestamp: number | null}>}>}>(['consumer-groups', 'lag', group, ...B])
    const tool = producersByTool
    const openAt = (rows: Array<Record<string, string>>, offset: number) => rows.find((r) => r.CurrentTransactionStartOffset === String(offset))!
    expect(lag.heldByTransactions).toEqual([
      {topic, partition: 0, lastStableOffset: 0, producerId: Number(openAt(tool[0], 0).ProducerId), producerEpoch: Number(openAt(tool[0], 0).ProducerEpoch), lastTimestamp: Number(openAt(tool[0], 0).LastTimestamp)},
      {topic, partition: 1, lastStableOffset: 2, producerId: GHOST_PRODUCER_ID, producerEpoch: 0, lastTimestamp: Number(openAt(tool[1], 2).LastTimestamp)},
    ])
    const table = await kadm(['consumer-groups', 'lag', group, '--no-time-lag', ...B])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toContain(`${group} waits behind an open transaction on ${topic}:1: read_committed consumers stop at the last stable offset 2, held by producer ${GHOST_PRODUCER_ID} (epoch 0), last written `)
  })

  it('abort: checks the start offset, shows the marker with --dry-run, confirms, and moves the last stable offset past the hanging transaction', async () => {
    // Stuck behind the hanging transaction (offsets 2-4): read_committed consumers get only what came before it.
    expect(readCommitted(topic, 1)).toEqual(['before-1', 'before-2'])
    const A = ['transactions', 'abort', '--topic', topic, '--partition', '1']

    const wrong = await kadm([...A, '--start-offset', '0', '--yes', ...B])
    expect([wrong.code, wrong.stderr.split('\n')[0]]).toEqual([1, `error: no open transaction starts at offset 0 on ${topic}:1`])

    const dry = await kadmJson<{dryRun: boolean; aborted: boolean; transaction: object}>([...A, '--start-offset', '2', '--dry-run', ...B])
    expect(dry).toEqual({dryRun: true, aborted: false, transaction: {topic, partition: 1, producerId: GHOST_PRODUCER_ID, producerEpoch: 0, coordinatorEpoch: 0}})
    const noTerminal = await kadm([...A, '--start-offset', '2', ...B])
    expect(noTerminal.code).toBe(2)
    expect(noTerminal.stderr.split('\n')[0]).toBe(`error: aborting the transaction of producer ${GHOST_PRODUCER_ID} on ${topic}:1 discards its records on that partition for read_committed consumers: pass --yes to confirm without a terminal`)
    expect(readCommitted(topic, 1)).toEqual(['before-1', 'before-2'])

    const done = await kadm([...A, '--start-offset', '2', '--yes', ...B])
    expect([done.code, done.stdout.trim()]).toEqual([0, `Aborted the transaction of producer ${GHOST_PRODUCER_ID} (epoch 0, coordinator epoch 0) on ${topic}:1.`])
    expect(readCommitted(topic, 1)).toEqual(['before-1', 'before-2', 'after-1', 'after-2'])
    expect(await transactionsWithTool(version, bootstrap, ['find-hanging', '--topic', topic, '--max-transaction-timeout', '0'])).toEqual([])
  })

  it('abort by --producer-id, --producer-epoch and --coordinator-epoch (as for brokers before 3.0): the abandoned transaction', async () => {
    expect(readCommitted(topic, 0)).toEqual([])
    const {producers} = await kadmJson<Producers>(['transactions', 'describe-producers', `${topic}:0`, ...B])
    const open = producers.find((p) => p.currentTransactionStartOffset !== null)!
    const done = await kadm(['transactions', 'abort', '--topic', topic, '--partition', '0', '--producer-id', String(open.producerId), '--producer-epoch', String(open.producerEpoch), '--coordinator-epoch', String(open.coordinatorEpoch), '--yes', '-o', 'json', ...B])
    expect(done.code, done.stderr).toBe(0)
    expect(JSON.parse(done.stdout)).toEqual({dryRun: false, aborted: true, transaction: {topic, partition: 0, producerId: open.producerId, producerEpoch: open.producerEpoch, coordinatorEpoch: 0}})
    expect(readCommitted(topic, 0)).toEqual(['after-0'])
    const after = await transactionsWithTool(version, bootstrap, ['describe-producers', '--topic', topic, '--partition', '0'])
    expect(after.map((r) => r.CurrentTransactionStartOffset)).toEqual(['None'])
  })
})
