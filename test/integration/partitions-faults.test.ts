import {execFileSync} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {FaultCluster} from '../helpers/fault-cluster.js'
import {createTopic, kadm, uniqueName} from '../helpers/kadm.js'
import {describeWithTopicCommand, type ToolPartition} from '../helpers/kafka-tools.js'
import {freeBasePort} from '../helpers/produce-under-faults.js'

const version = inject('kafkaVersion')
/** Broker ports 36200-36298 (controllers 100 above), the first base whose ports are free. */
const PORTS = Array.from({length: 33}, (_, i) => 36_200 + 3 * i)

// Partitions with brokers down for real, on a cluster of this file's own: no other test sees it degraded.
let cluster: FaultCluster

beforeAll(async () => {
  cluster = await FaultCluster.start(version, await freeBasePort(PORTS))
})

afterAll(async () => cluster?.stop())

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

    const elected = await kadm(['partitions', 'elect-leaders', '--unclean', '--yes', '--topic', topic, '--partition', '0', '-b', cluster.bootstrap, '-o', 'json'])
    expect(elected.code, elected.stderr).toBe(0)
    expect((JSON.parse(elected.stdout) as {electionType: string; results: Array<{topic: string; partition: number; outcome: string}>})).toMatchObject({electionType: 'unclean', results: [{topic, partition: 0, outcome: 'elected'}]})

    const after = await untilTopicCommand(topic, 0, 'broker 2 leads', (p) => p.leader === 2, 30_000)
    expect(after.isr).toEqual([2])
    // Broker 2 never had the record: the unclean election lost it, as it may (kcat reads the partition empty).
    expect(readPartition(2)).toBe('')
  })
})
