import {execFileSync} from 'node:child_process'
import {describe, expect, inject, it} from 'vitest'

import {createTopic, kadm, uniqueName} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'
import {runProcess} from '../helpers/process.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')

/** The samples of a Prometheus text exposition: `name{k="v",...}` (labels as written) -> value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const at = line.lastIndexOf(' ')
    out.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return out
}

/** ConsumerGroupCommand --describe of one group: partition -> [current offset, log end offset, lag]. */
async function describedByKafka(group: string): Promise<Map<number, [number, number, number]>> {
  const result = await kafkaTool(version, 'ConsumerGroupCommand', ['--bootstrap-server', bootstrap, '--describe', '--group', group])
  expect(result.code, result.stderr).toBe(0)
  const rows = new Map<number, [number, number, number]>()
  for (const line of result.stdout.split('\n')) {
    // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
    const fields = line.trim().split(/\s+/)
    if (fields.length >= 6 && /^\d+$/.test(fields[2]) && fields[0] === group) rows.set(Number(fields[2]), [Number(fields[3]), Number(fields[4]), Number(fields[5])])
  }
  return rows
}

describe('consumer-groups lag -o prometheus', () => {
  it('writes each partition\'s lag as metrics promtool accepts, as ConsumerGroupCommand reports it, with lag in seconds from the oldest unconsumed record', async () => {
    const topic = await createTopic(bootstrap, uniqueName('lag-metrics'), {partitions: 3, replicationFactor: 3})
    const group = uniqueName('lag-metrics')
    // A group id with a quote, a backslash and a space: label values must be escaped.
    const odd = `${uniqueName('lag "odd"')} \\ group`
    const produce = (partition: number, count: number, tag: string) =>
      execFileSync('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', String(partition)], {input: Array.from({length: count}, (_, i) => `${tag}-${i}`).join('\n') + '\n'})
    for (let p = 0; p < 3; p++) produce(p, 10, 'first')
    // kcat consumes everything and commits it as it leaves: committed offset 10 on each partition.
    for (const g of [group, odd]) execFileSync('kcat', ['-C', '-b', bootstrap, '-G', g, topic, '-o', 'beginning', '-e', '-q'], {timeout: 60_000})
    produce(0, 5, 'more')
    produce(2, 12, 'more')

    const started = Date.now()
    const run = await kadm(['consumer-groups', 'lag', group, odd, '-o', 'prometheus', '-b', bootstrap])
    const ended = Date.now()
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    const checked = await runProcess('promtool', ['check', 'metrics'], {input: run.stdout, timeoutMs: 30_000})
    expect([checked.code, checked.stdout, checked.stderr]).toEqual([0, '', ''])
    expect(run.stdout.endsWith('\n# EOF\n')).toBe(true)

    const got = samples(run.stdout)
    const label = (g: string) => g.replaceAll('\\', '\\\\').replaceAll('"', '\\"')
    const kafka = await describedByKafka(group)
    // The tool lists the partitions in no set order.
    expect([...kafka].sort(([a], [b]) => a - b)).toEqual([[0, [10, 15, 5]], [1, [10, 10, 0]], [2, [10, 22, 12]]])
    for (const g of [group, odd]) {
      const byGroup = (name: string, p: number) => got.get(`${name}{consumergroup="${label(g)}",topic="${topic}",partition="${p}"}`)
      for (const [p, [current, , lag]] of kafka) {
        expect(byGroup('kafka_consumergroup_lag', p)).toBe(lag)
        expect(byGroup('kafka_consumergroup_current_offset', p)).toBe(current)
      }
      expect(got.get(`kafka_consumergroup_members{consumergroup="${label(g)}"}`)).toBe(0)
      expect(got.get(`kafka_consumergroup_state{consumergroup="${label(g)}",state="Empty"}`)).toBe(1)
      expect(byGroup('kafka_consumergroup_lag_seconds', 1)).toBe(0)
      // Lag in seconds: from the oldest unconsumed record (offset 10, as kcat reads its timestamp) to when kadm read the offsets.
      for (const p of [0, 2]) {
        const created = Number(execFileSync('kcat', ['-C', '-b', bootstrap, '-t', topic, '-p', String(p), '-o', '10', '-c', '1', '-q', '-f', '%T']).toString())
        const seconds = byGroup('kafka_consumergroup_lag_seconds', p)!
        expect(seconds).toBeGreaterThanOrEqual((started - created) / 1000)
        expect(seconds).toBeLessThanOrEqual((ended - created) / 1000)
      }
    }
    for (const [p, [, logEnd]] of kafka) expect(got.get(`kafka_topic_partition_current_offset{topic="${topic}",partition="${p}"}`)).toBe(logEnd)
    // Those and nothing else: every series of both groups and the topic.
    expect(got.size).toBe(2 * (3 + 3 + 3 + 2) + 3)

    // Without time lag, no lag in seconds; --watch prints samples over time, not one file: refused.
    const quick = await kadm(['consumer-groups', 'lag', group, '-o', 'prometheus', '--no-time-lag', '-b', bootstrap])
    expect(quick.code, quick.stderr).toBe(0)
    expect(quick.stdout).not.toContain('kafka_consumergroup_lag_seconds')
    expect(samples(quick.stdout).get(`kafka_consumergroup_lag{consumergroup="${group}",topic="${topic}",partition="2"}`)).toBe(12)
    const watched = await kadm(['consumer-groups', 'lag', group, '-o', 'prometheus', '--watch', '1', '-b', bootstrap])
    expect(watched.code).toBe(2)
    expect(watched.stderr.trim()).toBe('error: -o prometheus prints one sample: run it from a timer (node_exporter reads the file it writes), not with --watch')
  })
})
