import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {RunningExporter} from '../helpers/exporter.js'
import {createTopic, kadm, uniqueName} from '../helpers/kadm.js'
import {describeGroupsWithTool} from '../helpers/kafka-tools.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const BASE = Number(process.env.KADM_TEST_PORT ?? 19_092)
const EXPORTER_PORT = BASE + 40
const PROMETHEUS_PORT = BASE + 41

let exporter: RunningExporter | undefined
let prometheus: ChildProcess | undefined
let dir: string
let prometheusLog = ''

/** A real Prometheus (Debian's package) scraping the exporter every 5 s, with its data in a temp dir. */
async function startPrometheus(): Promise<void> {
  const config = join(dir, 'prometheus.yml')
  await writeFile(config, `global:\n  scrape_interval: 5s\n  scrape_timeout: 5s\nscrape_configs:\n  - job_name: kadm\n    static_configs:\n      - targets: ['127.0.0.1:${EXPORTER_PORT}']\n`)
  prometheus = spawn('/usr/bin/prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${PROMETHEUS_PORT}`], {stdio: ['ignore', 'ignore', 'pipe']})
  prometheus.stderr!.on('data', (d: Buffer) => {
    prometheusLog = (prometheusLog + d.toString()).slice(-4000)
  })
  const deadline = Date.now() + 60_000
  for (;;) {
    if (prometheus.exitCode !== null || Date.now() > deadline) throw new Error(`prometheus did not become ready: ${prometheusLog}`)
    const ready = await fetch(`http://127.0.0.1:${PROMETHEUS_PORT}/-/ready`).then((r) => r.status === 200, () => false)
    if (ready) return
    await sleep(200)
  }
}

interface Series {
  metric: Record<string, string>
  value: [number, string]
}

/** An instant query to Prometheus's HTTP API. */
async function query(promql: string): Promise<Series[]> {
  const response = await fetch(`http://127.0.0.1:${PROMETHEUS_PORT}/api/v1/query?query=${encodeURIComponent(promql)}`)
  const body = await response.json() as {status: string; data: {result: Series[]}}
  expect(body.status).toBe('success')
  return body.data.result
}

/** Queries until `ok` holds for the answer (Prometheus scrapes every 5 s). */
async function until(promql: string, ok: (result: Series[]) => boolean, what: string): Promise<Series[]> {
  const deadline = Date.now() + 90_000
  let last: Series[] = []
  while (Date.now() < deadline) {
    last = await query(promql)
    if (ok(last)) return last
    await sleep(500)
  }
  throw new Error(`timed out waiting until ${what}: ${promql} gave ${JSON.stringify(last)}; prometheus: ${prometheusLog.slice(-1000)}; exporter: ${exporter?.stderr}`)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kadm-exporter-'))
})

afterAll(async () => {
  await exporter?.stop()
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus!.once('exit', resolve))
    prometheus.kill('SIGTERM')
    await exited
  }
  await rm(dir, {recursive: true, force: true})
})

describe('kadm exporter', () => {
  it('is scraped by a real Prometheus, which stores each partition\'s lag as ConsumerGroupCommand reports it; a deleted group\'s series go stale', async () => {
    const topic = await createTopic(bootstrap, uniqueName('exporter'), {partitions: 3, replicationFactor: 3})
    const group = uniqueName('exporter')
    const produce = (partition: number, count: number) =>
      execFileSync('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', String(partition)], {input: Array.from({length: count}, (_, i) => `r-${i}`).join('\n') + '\n'})
    for (let p = 0; p < 3; p++) produce(p, 4)
    execFileSync('kcat', ['-C', '-b', bootstrap, '-G', group, topic, '-o', 'beginning', '-e', '-q'], {timeout: 60_000})
    produce(0, 3)
    produce(2, 9)

    exporter = await RunningExporter.start(EXPORTER_PORT, ['-b', bootstrap, '--min-interval', '1s'])
    await startPrometheus()
    const stored = await until(`kafka_consumergroup_lag{consumergroup="${group}"}`, (r) => r.length === 3, 'Prometheus has the group\'s lag')
    const byKafka = (await describeGroupsWithTool(version, bootstrap, ['--group', group])).map((r) => [r.partition, r.lag]).sort(([a], [b]) => a! - b!)
    expect(byKafka).toEqual([[0, 3], [1, 0], [2, 9]])
    expect(stored.map((s) => [Number(s.metric.partition), Number(s.value[1])]).sort(([a], [b]) => a - b)).toEqual(byKafka)
    expect(stored.every((s) => s.metric.topic === topic && s.metric.job === 'kadm')).toBe(true)

    // The scrape itself, each broker up, the checks' series.
    expect((await query('kadm_scrape_success')).map((s) => s.value[1])).toEqual(['1'])
    expect((await query('kafka_broker_up')).map((s) => [s.metric.broker, s.value[1]]).sort()).toEqual([['1', '1'], ['2', '1'], ['3', '1']])
    expect((await query(`kafka_topic_partition_in_sync_replica{topic="${topic}"}`)).map((s) => s.value[1])).toEqual(['3', '3', '3'])
    expect((await query('kadm_check_findings{check="offline-partitions"}')).map((s) => [s.metric.severity, s.value[1]])).toEqual([['error', '0']])

    // The group is deleted: the next scrapes have no series for it, and Prometheus marks them stale.
    const deleted = await kadm(['consumer-groups', 'delete', group, '--yes', '-b', bootstrap])
    expect(deleted.code, deleted.stderr).toBe(0)
    await until(`kafka_consumergroup_lag{consumergroup="${group}"}`, (r) => r.length === 0, 'the deleted group\'s series are stale')
    expect(await query(`kafka_consumergroup_lag_seconds{consumergroup="${group}"}`)).toEqual([])
    expect(await query(`kafka_topic_partition_current_offset{topic="${topic}"}`)).toEqual([])

    expect(await exporter.stop()).toBe(0)
    exporter = undefined
  })

  it('refuses a --listen that is not host:port and a --min-interval without a unit, in one line', async () => {
    const listen = await kadm(['exporter', '--listen', '9308', '-b', bootstrap])
    expect([listen.code, listen.stderr]).toEqual([2, 'error: --listen "9308" is not host:port\n'])
    const interval = await kadm(['exporter', '--min-interval', '10', '-b', bootstrap])
    expect([interval.code, interval.stderr]).toEqual([2, 'error: --min-interval 10: add a unit, e.g. 10ms or 10s\n'])
  })
})
