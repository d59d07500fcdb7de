import {execFileSync} from 'node:child_process'
import {statfsSync} from 'node:fs'
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {beforeAll, describe, expect, inject, it} from 'vitest'

import {createTopic, kadm, uniqueName} from '../helpers/kadm.js'
import {alterWithConfigCommand, describeGroupsWithTool, describeWithTopicCommand, kafkaTool, type ToolPartition, type ToolTopic} from '../helpers/kafka-tools.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const B = ['-b', bootstrap]

interface Finding {
  check: string
  severity: string
  message: string
  objects: string[]
  fix: string
}
interface Report {
  findings: Finding[]
  checked: {checks: number; topics: number; groups: number}
}

/** Runs `cluster check -o json`; the exit code is the caller's to check. */
async function check(...args: string[]): Promise<{code: number | null; report: Report; stderr: string}> {
  const run = await kadm(['cluster', 'check', ...B, '-o', 'json', ...args])
  return {code: run.code, report: JSON.parse(run.stdout || '{"findings":[]}') as Report, stderr: run.stderr}
}

/** Each finding's objects, by check. */
const byCheck = (report: Report) => Object.fromEntries(report.findings.map((f) => [f.check, [...f.objects].sort()]))
const sorted = (names: string[]) => [...names].sort()

const produce = (topic: string, count: number, tag: string) =>
  execFileSync('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', '0'], {input: Array.from({length: count}, (_, i) => `${tag}-${i}`).join('\n') + '\n'})
/** kcat reads the topic to its end in the group and commits as it leaves: the group is Empty, its offsets at the log end. */
const consumeAll = (group: string, topic: string) => execFileSync('kcat', ['-C', '-b', bootstrap, '-G', group, topic, '-o', 'beginning', '-e', '-q'], {timeout: 60_000})

/** The first and last record of each partition of a topic as kcat reads them: whether their key is null. */
function keylessEndsByKcat(topic: string): string[] {
  const records = execFileSync('kcat', ['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-J'], {encoding: 'utf8', timeout: 60_000})
    .trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as {partition: number; offset: number; key: string | null})
  const byPartition = new Map<number, typeof records>()
  for (const r of records) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r])
  return [...byPartition].filter(([, rs]) => rs[0].key === null || rs.at(-1)!.key === null).map(([p]) => `${topic}-${p}`)
}

/** Each partition's log start offset as Kafka's GetOffsetShell reads it (--time -2). */
async function logStartsByKafka(topic: string): Promise<Map<number, number>> {
  const result = await kafkaTool(version, 'GetOffsetShell', ['--bootstrap-server', bootstrap, '--topic', topic, '--time', '-2'])
  if (result.code !== 0) throw new Error(`GetOffsetShell exited ${result.code}: ${result.stderr}`)
  return new Map(result.stdout.trim().split('\n').map((line) => line.split(':')).map((f) => [Number(f[1]), Number(f[2])]))
}

// The checks' rules, applied to what Kafka's TopicCommand prints (the topics of this file set every
// config they are judged by as an override, so TopicCommand's Configs column holds them all).
const num = (t: ToolTopic, key: string) => (t.configs[key] === undefined ? null : Number(t.configs[key]))
const compact = (t: ToolTopic) => (t.configs['cleanup.policy'] ?? 'delete') === 'compact'
const expectedTopicFindings = (topics: ToolTopic[]) => ({
  'replication-factor-1': topics.filter((t) => t.replicationFactor === 1),
  'min-isr-not-below-rf': topics.filter((t) => t.replicationFactor > 1 && (num(t, 'min.insync.replicas') ?? 0) >= t.replicationFactor),
  'min-isr-1': topics.filter((t) => t.replicationFactor >= 3 && num(t, 'min.insync.replicas') === 1),
  'unclean-leader-election': topics.filter((t) => t.configs['unclean.leader.election.enable'] === 'true'),
  'no-retention-limit': topics.filter((t) => !compact(t) && num(t, 'retention.ms') === -1 && num(t, 'retention.bytes') === -1),
  'segment-above-retention': topics.filter((t) => !compact(t) && (((num(t, 'retention.ms') ?? -1) >= 0 && (num(t, 'segment.ms') ?? 0) > num(t, 'retention.ms')!)
    || ((num(t, 'retention.bytes') ?? -1) >= 0 && (num(t, 'segment.bytes') ?? 0) > num(t, 'retention.bytes')!))),
})

describe('cluster check', () => {
  const prefix = uniqueName('chk')
  const t = (name: string) => `${prefix}-${name}`
  const BROKER_WIDE = ['offline-brokers', 'partitions-per-broker', 'partition-skew', 'leader-skew', 'preferred-leader-imbalance', 'log-dir-full']

  beforeAll(async () => {
    const safe = {'min.insync.replicas': '2'}
    await Promise.all([
      createTopic(bootstrap, t('ok'), {partitions: 3, replicationFactor: 3, config: safe}),
      createTopic(bootstrap, t('data'), {partitions: 1, replicationFactor: 3, config: safe}),
      createTopic(bootstrap, t('trunc'), {partitions: 1, replicationFactor: 3, config: safe}),
      createTopic(bootstrap, t('rf1'), {assignment: '1', config: {'min.insync.replicas': '1'}}),
      createTopic(bootstrap, t('minisr'), {assignment: '1:2', config: safe}),
      createTopic(bootstrap, t('minisr1'), {partitions: 1, replicationFactor: 3, config: {'min.insync.replicas': '1'}}),
      createTopic(bootstrap, t('unclean'), {partitions: 1, replicationFactor: 3, config: {...safe, 'unclean.leader.election.enable': 'true'}}),
      createTopic(bootstrap, t('noret'), {partitions: 1, replicationFactor: 3, config: {...safe, 'retention.ms': '-1', 'retention.bytes': '-1'}}),
      // Compacted: no retention limit is what compaction is for, not a finding.
      createTopic(bootstrap, t('compact'), {partitions: 1, replicationFactor: 3, config: {...safe, 'cleanup.policy': 'compact', 'retention.ms': '-1', 'retention.bytes': '-1'}}),
      createTopic(bootstrap, t('segms'), {partitions: 1, replicationFactor: 3, config: {...safe, 'retention.ms': '60000', 'segment.ms': '600000'}}),
      createTopic(bootstrap, t('segbytes'), {partitions: 1, replicationFactor: 3, config: {...safe, 'retention.bytes': '1048576', 'segment.bytes': '10485760'}}),
      // Keyed records in a compacted topic: what compaction expects.
      createTopic(bootstrap, t('keyed'), {partitions: 1, replicationFactor: 3, config: {...safe, 'cleanup.policy': 'compact'}}),
      // Keyless records written under the delete policy, then the topic compacted (below).
      createTopic(bootstrap, t('keyless'), {partitions: 2, replicationFactor: 3, config: {...safe, 'retention.ms': '604800000'}}),
    ])
    execFileSync('kcat', ['-P', '-b', bootstrap, '-t', t('keyed'), '-K', ':'], {input: 'a:1\nb:2\na:3\n'})
    execFileSync('kcat', ['-P', '-b', bootstrap, '-t', t('keyless'), '-p', '1'], {input: 'x\ny\n'})
    await alterWithConfigCommand(version, bootstrap, ['--entity-type', 'topics', '--entity-name', t('keyless'), '--add-config', 'cleanup.policy=compact'])
    produce(t('ok'), 5, 'ok')
    consumeAll(t('ok-g'), t('ok'))
    // lag: committed 10, then 20 more: 20 behind, later 21. lagtime: read up to 30, then one
    // record it has not read: 1 behind, by time as old as the pause below.
    produce(t('data'), 10, 'first')
    consumeAll(t('lag'), t('data'))
    produce(t('data'), 20, 'more')
    consumeAll(t('lagtime'), t('data'))
    produce(t('data'), 1, 'late')
    // lost: committed 10, then the records up to 15 deleted (DeleteRecords) before it read them.
    produce(t('trunc'), 10, 'trunc')
    consumeAll(t('lost'), t('trunc'))
    produce(t('trunc'), 10, 'trunc-more')
    const truncated = await kadm(['partitions', 'truncate', t('trunc'), '-p', '0=15', '--yes', ...B])
    expect(truncated.code, truncated.stderr).toBe(0)
    await sleep(1500)
  })

  it('is silent on healthy topics and a group that keeps up, exit 0 even with --fail-on warn', async () => {
    // Regular expressions (full match) select the same topic and group as their names.
    const {code, report, stderr} = await check('--regex', '--topic', `${prefix}-o.`, '--group', `${prefix}-ok-.`, '--skip', BROKER_WIDE.join(','), '--fail-on', 'warn', '--max-lag-time', '1s', '--max-empty-group-age', '1h')
    expect([code, stderr]).toEqual([0, ''])
    expect(report.findings).toEqual([])
    expect(report.checked).toMatchObject({checks: 13, topics: 1, groups: 1})
    const table = await kadm(['cluster', 'check', ...B, '--topic', t('ok'), '--group', t('ok-g'), '--skip', BROKER_WIDE.join(',')])
    expect(table.stdout).toBe('No findings (13 checks on 3 brokers, 1 topic, 3 partitions, 1 group)\n')
  })

  it('fires each topic and group check on exactly the topics, groups and partitions Kafka\'s tools show in that state; --fail-on error exits 3', async () => {
    const {code, report, stderr} = await check('--topic', `${prefix}-*`, '--group', `${prefix}-*`, '--skip', BROKER_WIDE.join(','), '--max-lag', '10', '--max-lag-time', '1s', '--fail-on', 'error')
    const described = await describeWithTopicCommand(version, bootstrap, ['--topic', `${prefix}-.*`])
    expect(described.topics).toHaveLength(13)
    const expected: Record<string, string[]> = {}
    for (const [id, topics] of Object.entries(expectedTopicFindings(described.topics))) if (topics.length) expected[id] = sorted(topics.map((x) => x.topic))
    // Every replica in sync, as TopicCommand shows: no partition finding.
    expect(described.partitions.filter((p: ToolPartition) => p.isr.length < p.replicas.length || p.leader === null)).toEqual([])

    const groups = [t('ok-g'), t('lag'), t('lagtime'), t('lost')]
    const rows = await describeGroupsWithTool(version, bootstrap, groups.flatMap((g) => ['--group', g]))
    const totals = new Map(groups.map((g) => [g, rows.filter((r) => r.group === g).reduce((n, r) => n + (r.lag ?? 0), 0)]))
    expect(Object.fromEntries(totals)).toEqual({[t('ok-g')]: 0, [t('lag')]: 21, [t('lagtime')]: 1, [t('lost')]: 10})
    // lag by records (21 > 10); lagtime and lost by time (their oldest unread record still there is over 1 s old); ok-g has no lag.
    expected['group-lag'] = sorted([t('lag'), t('lagtime'), t('lost')])
    const starts = await logStartsByKafka(t('trunc'))
    expected['offsets-below-log-start'] = rows.filter((r) => r.current !== null && r.current < (starts.get(r.partition) ?? 0) && r.topic === t('trunc')).map((r) => `${r.group} ${r.topic}-${r.partition}`)
    expect(expected['offsets-below-log-start']).toEqual([`${t('lost')} ${t('trunc')}-0`])

    // Compacted topics whose first or last record kcat reads with a null key (the keyless topic's empty partition 0 has none).
    const keyless = described.topics.filter((x) => compact(x)).flatMap((x) => keylessEndsByKcat(x.topic))
    expect(keyless).toEqual([`${t('keyless')}-1`])
    expected['compact-without-keys'] = [t('keyless')]

    expect(byCheck(report)).toEqual(expected)
    expect(Object.keys(expected)).toHaveLength(9)
    expect(report.findings.map((f) => f.severity)).toEqual(['error', 'warn', 'warn', 'warn', 'warn', 'warn', 'warn', 'warn', 'warn'])
    expect(report.findings.find((f) => f.check === 'compact-without-keys')!.message).toBe(`1 compacted topic holding records without keys (1 partition: ${keyless[0]})`)
    expect(report.findings.find((f) => f.check === 'offsets-below-log-start')!.fix).toBe(`kadm offsets reset --group ${t('lost')} --all-topics --to-earliest --execute`)
    expect(code).toBe(3)
    expect(stderr).toBe('error: 1 finding at or above error: offsets-below-log-start\n')

    // With the defaults (10000 records, 5m), no group lags; --fail-on error: the error is still there.
    const defaults = await check('--topic', `${prefix}-*`, '--group', `${prefix}-*`, '--only', 'consumers')
    expect(defaults.code).toBe(0)
    expect(byCheck(defaults.report)).toEqual({'offsets-below-log-start': expected['offsets-below-log-start']})
  })

  it('finds empty groups that consumed nothing for longer than --max-empty-group-age, from the last record each consumed', async () => {
    const {code, report} = await check('--group', `${prefix}-*`, '--only', 'empty-group', '--max-empty-group-age', '1s')
    expect(code).toBe(0)
    // Every group of this file is Empty (kcat left); lost's last consumed record was deleted, so its age is unknown.
    const states = await kafkaTool(version, 'ConsumerGroupCommand', ['--bootstrap-server', bootstrap, '--describe', '--state', ...[t('ok-g'), t('lag'), t('lagtime'), t('lost')].flatMap((g) => ['--group', g])])
    const empty = states.stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter((c) => c[0]?.startsWith(prefix) && c.includes('Empty')).map((c) => c[0])
    expect(sorted(empty)).toEqual(sorted([t('ok-g'), t('lag'), t('lagtime'), t('lost')]))
    expect(byCheck(report)).toEqual({'empty-group': sorted([t('ok-g'), t('lag'), t('lagtime')])})
  })

  it('takes thresholds from the context\'s checks: mapping, flags first; bad thresholds and check names are usage errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kadm-check-'))
    const file = join(dir, 'config.yaml')
    await writeFile(file, `contexts:\n  chk:\n    bootstrap-servers: [${bootstrap}]\n    checks:\n      max-lag: 20\n      max-lag-time: 1h\n`, {mode: 0o600})
    const run = async (...args: string[]) => {
      const r = await kadm(['cluster', 'check', '--config-file', file, '--context', 'chk', '--group', `${prefix}-*`, '--only', 'group-lag', '-o', 'json', ...args])
      expect(r.code, r.stderr).toBe(0)
      return byCheck(JSON.parse(r.stdout) as Report)
    }
    // 20 records and 1h from the context: lag (21) is over it, lagtime (1 record, seconds old) is not.
    expect(await run()).toEqual({'group-lag': [t('lag')]})
    expect(await run('--max-lag', '25')).toEqual({})
    await writeFile(file, `contexts:\n  chk:\n    bootstrap-servers: [${bootstrap}]\n    checks: {max-lags: 20}\n`, {mode: 0o600})
    const unknown = await kadm(['cluster', 'check', '--config-file', file, '--context', 'chk'])
    expect([unknown.code, unknown.stderr]).toEqual([1, 'error: context "chk": checks: unknown threshold max-lags (known: max-partitions-per-broker, max-skew, max-leader-imbalance, min-free-disk, max-lag, max-lag-time, max-empty-group-age)\n'])

    const noUnit = await kadm(['cluster', 'check', ...B, '--max-lag-time', '5'])
    expect([noUnit.code, noUnit.stderr]).toEqual([2, 'error: --max-lag-time "5" is not a duration (e.g. 5m, 1d)\n'])
    const badCheck = await kadm(['cluster', 'check', ...B, '--only', 'lag'])
    expect(badCheck.code).toBe(2)
    expect(badCheck.stderr).toMatch(/^error: --only\/--skip: "lag" is neither a check nor a category \(checks: offline-brokers, offline-partitions, .*\)\n$/)
  })

  it('checks every broker\'s load, whatever the topics selected, as TopicCommand counts it; log dirs as LogDirsCommand names them', async () => {
    // Ten partitions on broker 1 alone: it holds and leads more than the others.
    await createTopic(bootstrap, t('skew'), {assignment: Array.from({length: 10}, () => '1').join(',')})
    const {partitions} = await describeWithTopicCommand(version, bootstrap, [])
    const replicas = new Map([1, 2, 3].map((b) => [b, partitions.filter((p) => p.replicas.includes(b)).length]))
    const leaders = new Map([1, 2, 3].map((b) => [b, partitions.filter((p) => p.leader === b).length]))
    const imbalanced = [1, 2, 3].filter((b) => partitions.some((p) => p.replicas[0] === b && p.leader !== b))
    const fewest = Math.min(...replicas.values())
    const skewed = (counts: Map<number, number>) => {
      const mean = [...counts.values()].reduce((a, b) => a + b, 0) / 3
      return [...counts].filter(([, n]) => n - mean > 5).map(([b]) => `broker ${b}`)
    }
    const {code, report} = await check('--topic', t('ok'), '--only', 'partitions-per-broker,partition-skew,leader-skew,preferred-leader-imbalance',
      '--max-partitions-per-broker', String(fewest), '--max-skew', '0', '--max-leader-imbalance', '0')
    expect(code).toBe(0)
    const expected: Record<string, string[]> = {
      'partitions-per-broker': [...replicas].filter(([, n]) => n > fewest).map(([b]) => `broker ${b}`),
      'partition-skew': skewed(replicas),
      'leader-skew': skewed(leaders),
      'preferred-leader-imbalance': imbalanced.map((b) => `broker ${b}`),
    }
    for (const [id, objects] of Object.entries(expected)) if (objects.length === 0) delete expected[id]
    expect(expected['partition-skew']).toEqual(['broker 1'])
    expect(byCheck(report)).toEqual(expected)
    expect(report.findings.find((f) => f.check === 'partitions-per-broker')).toMatchObject({severity: 'warn', fix: 'kadm partitions sizes --by broker'})

    // Log dirs: with 100% asked free, every one fires; with the default 10%, those statfs sees below it.
    const dirs = await kafkaTool(version, 'LogDirsCommand', ['--bootstrap-server', bootstrap, '--describe', '--broker-list', '1,2,3', '--topic-list', t('ok')])
    expect(dirs.code, dirs.stderr).toBe(0)
    const json = JSON.parse(dirs.stdout.split('\n').find((l) => l.startsWith('{'))!) as {brokers: Array<{broker: number; logDirs: Array<{logDir: string}>}>}
    const logDirs = json.brokers.flatMap((b) => b.logDirs.map((d) => `${b.broker}:${d.logDir}`)).sort()
    expect(logDirs).toHaveLength(3)
    const full = await check('--only', 'log-dir-full', '--min-free-disk', '100')
    expect(byCheck(full.report)).toEqual({'log-dir-full': logDirs})
    const fs = statfsSync(logDirs[0].slice(logDirs[0].indexOf(':') + 1))
    const lowOnSpace = fs.bavail / fs.blocks < 0.1
    expect(byCheck((await check('--only', 'log-dir-full')).report)).toEqual(lowOnSpace ? {'log-dir-full': logDirs} : {})
  })
})
