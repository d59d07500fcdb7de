import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import {parse} from 'yaml'
import {beforeAll, describe, expect, inject, it} from 'vitest'

import {kadm, kadmJson, uniqueName} from '../helpers/kadm.js'
import {describeFeaturesWithTool, describeQuorumWithTool, kafkaTool} from '../helpers/kafka-tools.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')

interface Described {
  clusterId: string
  controller: {activeControllerId: number | null; voters: number[]; source: string}
  brokers: Array<{id: number; host: string; port: number; rack: string | null; leaders: number; replicas: number}>
  topics: number
  partitions: number
}

interface KcatMetadata {
  brokers: Array<{id: number; name: string}>
  topics: Array<{topic: string; partitions: Array<{partition: number; leader: number; replicas: Array<{id: number}>}>}>
}

async function kcatMetadata(): Promise<KcatMetadata> {
  const {stdout} = await promisify(execFile)('kcat', ['-b', bootstrap, '-L', '-J'], {maxBuffer: 64 * 1024 * 1024})
  return JSON.parse(stdout) as KcatMetadata
}

/** Topic and partition counts and each broker's leaders and replicas, as kcat's metadata has them. */
function counts(kcat: KcatMetadata) {
  const partitions = kcat.topics.flatMap((t) => t.partitions)
  return {
    topics: kcat.topics.length,
    partitions: partitions.length,
    brokers: kcat.brokers.map((b) => b.id).sort((x, y) => x - y).map((id) => ({
      id,
      leaders: partitions.filter((p) => p.leader === id).length,
      replicas: partitions.filter((p) => p.replicas.some((r) => r.id === id)).length,
    })),
  }
}

const kadmCounts = (described: Described) => ({topics: described.topics, partitions: described.partitions, brokers: described.brokers.map((b) => ({id: b.id, leaders: b.leaders, replicas: b.replicas}))})

describe('kadm cluster describe', () => {
  const topic = uniqueName('cluster-describe')

  beforeAll(async () => {
    const created = await kafkaTool(version, 'TopicCommand', [
      '--bootstrap-server', bootstrap, '--create', '--topic', topic, '--partitions', '6', '--replication-factor', '3',
    ])
    expect(created.code, created.stderr).toBe(0)
  })

  it('lists the brokers, leaders and replicas as kcat -L sees them', async () => {
    // kcat's metadata is taken right before and right after kadm's: while the two differ (metadata
    // still reaching a broker, topics being created or deleted) or kadm's counts differ from them,
    // ask all three again. The counts must then be exactly kcat's.
    let [before, described, after] = [await kcatMetadata(), await kadmJson<Described>(['cluster', 'describe', '-b', bootstrap]), await kcatMetadata()]
    for (let attempt = 0; attempt < 40; attempt++) {
      const settled = before.topics.some((t) => t.topic === topic) && JSON.stringify(counts(before)) === JSON.stringify(counts(after))
      if (settled && JSON.stringify(kadmCounts(described)) === JSON.stringify(counts(before))) break
      await new Promise((resolve) => setTimeout(resolve, 250))
      ;[before, described, after] = [await kcatMetadata(), await kadmJson<Described>(['cluster', 'describe', '-b', bootstrap]), await kcatMetadata()]
    }
    expect(counts(after)).toEqual(counts(before))
    expect(before.topics.map((t) => t.topic)).toContain(topic)
    expect(described.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual(before.brokers.map((b) => b.name).sort())
    expect(kadmCounts(described)).toEqual(counts(before))
  })

  it('names the active KRaft controller from DescribeQuorum', async () => {
    const described = await kadmJson<Described>(['cluster', 'describe', '-b', bootstrap])
    expect(described.clusterId).toMatch(/^[\w-]{22}$/)
    expect(described.controller.source).toBe('DescribeQuorum')
    expect(described.controller.voters).toEqual(described.brokers.map((b) => b.id))
    expect(described.controller.voters).toContain(described.controller.activeControllerId)
    expect(await describeQuorumWithTool(version, bootstrap)).toEqual({clusterId: described.clusterId, leaderId: described.controller.activeControllerId})
  })

  it('prints the same data as YAML and as a table', async () => {
    const json = await kadmJson<Described>(['cluster', 'describe', '-b', bootstrap])
    const yaml = await kadm(['cluster', 'describe', '-b', bootstrap, '-o', 'yaml'])
    expect(yaml.code).toBe(0)
    const fromYaml = parse(yaml.stdout) as Described
    expect(fromYaml.clusterId).toBe(json.clusterId)
    expect(fromYaml.brokers.map((b) => b.id)).toEqual(json.brokers.map((b) => b.id))
    const table = await kadm(['cluster', 'describe', '-b', bootstrap])
    expect(table.code).toBe(0)
    expect(table.stdout).toContain(`Cluster ID: ${json.clusterId}`)
    expect(table.stdout).toMatch(/ID\s+ADDRESS\s+STATUS\s+RACK\s+LEADERS\s+REPLICAS\s+CONTROLLER/)
    for (const b of json.brokers) expect(table.stdout).toContain(`${b.host}:${b.port}`)
    expect(table.stdout).not.toMatch(/\u001B\[/) // not a TTY: no colour codes
    expect(table.stderr).toBe('')
    const json2 = await kadm(['cluster', 'describe', '-b', bootstrap, '--json'])
    expect(JSON.parse(json2.stdout).clusterId).toBe(json.clusterId)
  })
})

interface Quorum {
  clusterId: string
  leaderId: number
  leaderEpoch: number
  highWatermark: number
  maxFollowerLag: number
  members: Array<{id: number; role: string; directoryId: string | null; logEndOffset: number; lag: number; fetching: boolean; endpoints: string[]}>
}

/** kafka-metadata-quorum.sh describe --status: its "Key: value" lines. */
async function quorumStatus(): Promise<Record<string, string>> {
  const result = await kafkaTool(version, 'MetadataQuorumCommand', ['--bootstrap-server', bootstrap, 'describe', '--status'])
  expect(result.code, result.stderr).toBe(0)
  return Object.fromEntries(result.stdout.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]))
}

/** kafka-metadata-quorum.sh describe --replication: one row per voter and observer. */
async function quorumReplication(): Promise<Array<{id: number; directoryId: string; logEndOffset: number; lag: number; status: string}>> {
  const result = await kafkaTool(version, 'MetadataQuorumCommand', ['--bootstrap-server', bootstrap, 'describe', '--replication'])
  expect(result.code, result.stderr).toBe(0)
  const [head, ...rows] = result.stdout.trim().split('\n').map((l) => l.split('\t').map((c) => c.trim()))
  expect(head.slice(0, 7)).toEqual(['NodeId', 'DirectoryId', 'LogEndOffset', 'Lag', 'LastFetchTimestamp', 'LastCaughtUpTimestamp', 'Status'])
  return rows.map((r) => ({id: Number(r[0]), directoryId: r[1], logEndOffset: Number(r[2]), lag: Number(r[3]), status: r[6]}))
}

describe('kadm cluster quorum', () => {
  it('shows the quorum as kafka-metadata-quorum.sh describe --status and --replication do', async () => {
    const status = await quorumStatus()
    const ours = await kadmJson<Quorum>(['cluster', 'quorum', '-b', bootstrap])
    const replication = await quorumReplication()
    expect([ours.clusterId, ours.leaderId, ours.leaderEpoch]).toEqual([status.ClusterId, Number(status.LeaderId), Number(status.LeaderEpoch)])
    // The metadata log grows all the time (a no-op record every 500 ms): ours is read between the tool's two runs.
    expect(ours.highWatermark).toBeGreaterThanOrEqual(Number(status.HighWatermark))
    expect(ours.highWatermark).toBeLessThanOrEqual(replication[0].logEndOffset)
    // Voters and observers with their listeners, as the tool prints them (it leaves out a zero directory id).
    const asTool = (m: Quorum['members'][number]) => ({id: m.id, ...(m.directoryId && m.directoryId !== 'AAAAAAAAAAAAAAAAAAAAAA' ? {directoryId: m.directoryId} : {}), ...(m.endpoints.length ? {endpoints: m.endpoints} : {})})
    const byId = (a: {id: number}, b: {id: number}) => a.id - b.id
    // Kafka 3.9's tool prints a zero directory id as "directoryId": null; 4.x leaves it out.
    const fromTool = (text: string) => (JSON.parse(text) as Array<Record<string, unknown>>).map(({directoryId, ...rest}) => (directoryId === null ? rest : {directoryId, ...rest})).sort(byId as never)
    expect(ours.members.filter((m) => m.role !== 'observer').map(asTool).sort(byId)).toEqual(fromTool(status.CurrentVoters))
    expect(ours.members.filter((m) => m.role === 'observer').map(asTool).sort(byId)).toEqual(fromTool(status.CurrentObservers))
    // The same members in the same order and roles, with directory ids (Kafka 3.9 and later send them).
    expect(ours.members.map((m) => [m.id, m.directoryId, m.role])).toEqual(replication.map((r) => [r.id, r.directoryId, r.status.toLowerCase()]))
    for (const [i, m] of ours.members.entries()) {
      expect(m.logEndOffset).toBeLessThanOrEqual(replication[i].logEndOffset)
      expect(m.lag).toBe(ours.members[0].logEndOffset - m.logEndOffset)
    }
    expect(ours.members.every((m) => m.fetching)).toBe(true)

    const table = await kadm(['cluster', 'quorum', '-b', bootstrap])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toContain(`Cluster ID:       ${ours.clusterId}\nLeader:           ${ours.leaderId} (epoch ${ours.leaderEpoch})\n`)
    expect(table.stdout).toMatch(/\nNODE\s+ROLE\s+STATUS\s+LOG END\s+LAG\s+LAST FETCH\s+LAST CAUGHT UP\s+ENDPOINTS\n/)
    for (const m of ours.members) expect(table.stdout).toMatch(new RegExp(`^\\s*${m.id}\\s+${m.role}\\s+ok\\s+\\d+\\s+\\d+\\s+\\S+ ago\\s+\\S+ ago\\s+${m.endpoints.join(',')}$`, 'm'))
  })
})

describe('kadm cluster features', () => {
  const featuresByKafka = async () => describeFeaturesWithTool(version, bootstrap)

  it('shows every feature\'s supported and finalized levels as kafka-features.sh describe does', async () => {
    const before = await featuresByKafka()
    const ours = await kadmJson<{epoch: number; unreachable: number[]; features: Array<{name: string; supportedMin: string; supportedMax: string; finalized: string; supportedMinVersion: number; finalizedVersionLevel: number}>}>(['cluster', 'features', '-b', bootstrap])
    const after = await featuresByKafka()
    // Kafka 3.9 has two features (metadata.version, kraft.version); 4.4 has seven.
    expect([...before.keys()]).toContain('metadata.version')
    expect(ours.features.map((f) => [f.name, f.supportedMin, f.supportedMax, f.finalized])).toEqual([...after].map(([name, [min, max, finalized]]) => [name, min, max, finalized]))
    expect(ours.unreachable).toEqual([])
    // The epoch moves with the metadata log: ours was read between the tool's two runs.
    expect(ours.epoch).toBeGreaterThanOrEqual([...before.values()][0][3])
    expect(ours.epoch).toBeLessThanOrEqual([...after.values()][0][3])

    const table = await kadm(['cluster', 'features', '-b', bootstrap])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toMatch(/^FEATURE\s+SUPPORTED\s+FINALIZED\n/)
    for (const f of ours.features) expect(table.stdout).toMatch(new RegExp(`^${f.name.replaceAll('.', '\\.')}\\s+${f.supportedMin} - ${f.supportedMax}\\s+${f.finalized}$`, 'm'))
  })
})

describe('connection failures', () => {
  it('a refused address fails fast with one line naming it', async () => {
    const started = Date.now()
    const result = await kadm(['cluster', 'describe', '-b', '127.0.0.1:1', '--timeout', '3s'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toEqual(['error: cannot connect to 127.0.0.1:1: connection refused (is a broker listening there?)'])
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('an unknown host fails with one line naming it', async () => {
    const result = await kadm(['cluster', 'describe', '-b', 'no-such-host.invalid:9092', '--timeout', '3s'])
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe('error: cannot connect to no-such-host.invalid:9092: host name not found')
  })

  it('a silent address times out within --timeout', async () => {
    // A listening socket that never answers: the connect succeeds, the ApiVersions request hangs.
    const {createServer} = await import('node:net')
    const server = createServer(() => {})
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as {port: number}).port
    try {
      const started = Date.now()
      const result = await kadm(['cluster', 'describe', '-b', `127.0.0.1:${port}`, '--timeout', '2s'])
      const elapsed = Date.now() - started
      expect(result.code).toBe(1)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stderr).toContain(`127.0.0.1:${port}`)
      expect(elapsed).toBeLessThan(12_000)
    } finally {
      server.close()
    }
  })

  it('keeps client logs off stdout, and on stderr only with --verbose', async () => {
    const quiet = await kadm(['cluster', 'describe', '-b', '127.0.0.1:1', '--timeout', '1s'])
    expect(quiet.stderr).not.toContain('kafkajs')
    const verbose = await kadm(['cluster', 'describe', '-b', '127.0.0.1:1', '--timeout', '1s', '--verbose'])
    expect(verbose.code).toBe(1)
    expect(verbose.stdout).toBe('')
    const logs = verbose.stderr.trim().split('\n')
    expect(logs[0]).toBe('kafkajs DEBUG Connecting {"broker":"127.0.0.1:1","clientId":"kadm","ssl":false,"sasl":false}')
    expect(logs[1]).toMatch(/^kafkajs ERROR Connection error: connect ECONNREFUSED 127\.0\.0\.1:1 \{"broker":"127\.0\.0\.1:1","clientId":"kadm",/)
    expect(verbose.stderr.trim().split('\n').at(-1)).toBe('error: cannot connect to 127.0.0.1:1: connection refused (is a broker listening there?)')
  })

  it('bad flags and values are usage errors (exit 2)', async () => {
    const unknown = await kadm(['cluster', 'describe', '--bogus'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.split('\n')[0]).toBe('error: Nonexistent flag: --bogus')
    const badServer = await kadm(['cluster', 'describe', '-b', 'nohost'])
    expect(badServer.code).toBe(2)
    expect(badServer.stderr.trim()).toBe('error: --bootstrap-server: "nohost" is not host:port')
    const badOutput = await kadm(['cluster', 'describe', '-o', 'xml'])
    expect(badOutput.code).toBe(2)
    const typo = await kadm(['clustr', 'describe'])
    expect(typo.code).toBe(2)
    expect(typo.stderr.split('\n')[0]).toBe('error: unknown command "clustr describe"; did you mean "cluster describe"?')
    const badTimeout = await kadm(['cluster', 'describe', '--timeout', 'soon'])
    expect(badTimeout.code).toBe(2)
    expect(badTimeout.stderr).toContain('--timeout "soon" is not a duration')
  })
})
