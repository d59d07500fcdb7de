import {spawn} from 'node:child_process'
import {describe, expect, inject, it} from 'vitest'


import {BIN, kadm, kadmEnv, kadmJson, uniqueName} from '../helpers/kadm.js'
import {describeWithConfigCommand, describeWithTopicCommand, type ToolPartition} from '../helpers/kafka-tools.js'
import {runProcess} from '../helpers/process.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const B = ['-b', bootstrap]

interface Partition {
  partition: number
  leader: number | null
  replicas: number[]
  isr: number[]
  earliestOffset: number | null
  latestOffset: number | null
  records: number | null
  markers: string[]
}

interface Described {
  name: string
  topicId: string
  partitionCount: number
  replicationFactor: number
  minInsyncReplicas: number | null
  configs: Array<{name: string; value: string | null; source: string}>
  partitions: Partition[]
}

interface Listed {
  name: string
  partitions: number
  replicationFactor: number
  health: {underMinIsr: number; underReplicated: number; unavailable: number; atMinIsr: number}
}

/** TopicCommand --describe on the suite's cluster. */
const topicCommand = (args: string[]) => describeWithTopicCommand(version, bootstrap, args)

async function produce(topic: string, partition: number, count: number): Promise<void> {
  // Keyed, so compacted topics accept them.
  const input = Array.from({length: count}, (_, i) => `key-${i}:record-${i}`).join('\n') + '\n'
  await new Promise<void>((resolve, reject) => {
    const child = spawn('kcat', ['-P', '-K:', '-b', bootstrap, '-t', topic, '-p', String(partition)], {stdio: ['pipe', 'ignore', 'pipe']})
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.once('error', reject)
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}: ${err}`))))
    child.stdin.end(input)
  })
}

/** Runs kadm on a pseudo-terminal (util-linux `script`), typing `input`, as a person at a terminal would. */
async function kadmOnTerminal(args: string[], input: string): Promise<{code: number | null; output: string}> {
  const command = [process.execPath, BIN, ...args, '--no-color'].join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'pipe'], env: kadmEnv()})
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.once('error', reject)
    child.once('close', (code) => resolve({code, output}))
    child.stdin.end(input)
  })
}

const describeJson = async (args: string[]) => (await kadmJson<{topics: Described[]}>(['topics', 'describe', ...args, ...B])).topics
const listJson = async (args: string[]) => (await kadmJson<{topics: Listed[]}>(['topics', 'list', ...args, ...B])).topics
/** topics create -o json: {topics: [...]}. */
const createJson = async <T>(args: string[]) => (await kadmJson<{topics: T[]}>(['topics', 'create', ...args, ...B])).topics

describe('kadm topics', () => {
  it('creates topics that describe and list show as kafka-topics does: leaders, replicas, ISR, configs, offsets', async () => {
    const prefix = uniqueName('topics-create')
    const [a, b] = [`${prefix}-a`, `${prefix}-b`]
    const created = await createJson<{name: string; status: string}>([a, '-p', '3', '-r', '3', '--config', 'retention.ms=3600000', '--config', 'cleanup.policy=compact'])
    expect(created).toEqual([expect.objectContaining({name: a, status: 'created'})])
    const assigned = await createJson<{name: string; partitions: number; replicationFactor: number}>([b, '--replica-assignment', '1:2,2:3,3:1'])
    expect(assigned).toEqual([{name: b, status: 'created', partitions: 3, replicationFactor: 2}])
    // create returns only once leaders serve the partitions: producing right away works.
    await produce(a, 0, 25)
    await produce(a, 2, 4)

    const [ours, theirs] = await Promise.all([describeJson([`${prefix}-*`]), topicCommand(['--topic', `${prefix}-.*`])])
    expect(ours.map((t) => t.name)).toEqual([a, b])
    for (const t of ours) {
      const tool = theirs.topics.find((x) => x.topic === t.name)!
      expect({id: t.topicId, partitions: t.partitionCount, rf: t.replicationFactor}).toEqual({id: tool.topicId, partitions: tool.partitionCount, rf: tool.replicationFactor})
      expect(Object.fromEntries(t.configs.map((c) => [c.name, c.value]))).toEqual(tool.configs)
      expect(t.partitions.map(({partition, leader, replicas, isr}) => ({topic: t.name, partition, leader, replicas, isr})))
        .toEqual(theirs.partitions.filter((p) => p.topic === t.name).sort((x, y) => x.partition - y.partition))
    }
    const described = ours[0]
    expect(described.configs).toEqual(expect.arrayContaining([
      expect.objectContaining({name: 'retention.ms', value: '3600000', source: 'DYNAMIC_TOPIC_CONFIG'}),
      expect.objectContaining({name: 'cleanup.policy', value: 'compact', source: 'DYNAMIC_TOPIC_CONFIG'}),
    ]))
    expect(described.partitions.map((p) => [p.earliestOffset, p.latestOffset, p.records])).toEqual([[0, 25, 25], [0, 0, 0], [0, 4, 4]])
    expect(ours[1].partitions.map((p) => p.replicas)).toEqual([[1, 2], [2, 3], [3, 1]])

    expect((await describeJson([`${prefix}-*`, '--topics-with-overrides'])).map((t) => t.name)).toEqual([a])
    // --all-configs: every config Kafka's ConfigCommand --all lists for the topic, with its value;
    // where ConfigCommand names the value's origin (its first synonym), the same source.
    const [[all], allTheirs] = await Promise.all([describeJson([a, '--all-configs']), describeWithConfigCommand(version, bootstrap, ['--entity-type', 'topics', '--entity-name', a, '--all'])])
    expect(all.configs.map((c) => c.name).sort()).toEqual([...allTheirs.keys()].sort())
    for (const c of all.configs) {
      const tool = allTheirs.get(c.name)!
      expect(c.value ?? 'null', c.name).toBe(tool.value)
      if (tool.synonyms.length > 0) expect(c.source, c.name).toBe(tool.synonyms[0].source)
    }
    // The launcher sets no log.segment.bytes: Kafka's default, 1 GiB.
    const segmentBytes = all.configs.find((c) => c.name === 'segment.bytes')!
    expect([segmentBytes.value, segmentBytes.source]).toEqual(['1073741824', 'DEFAULT_CONFIG'])

    const listed = await listJson([`${prefix}-*`])
    expect(listed.map((t) => [t.name, t.partitions, t.replicationFactor])).toEqual([[a, 3, 3], [b, 3, 2]])
    const table = await kadm(['topics', 'list', `${prefix}-?`, ...B])
    expect(table.stdout).toMatch(new RegExp(`^NAME\\s+PARTITIONS\\s+REPLICAS\\s+HEALTH\\n${a}\\s+3\\s+3\\s+ok\\n${b}\\s+3\\s+2\\s+ok\\n$`))
    const regex = await listJson(['--regex', `${prefix}-(a|z)`])
    expect(regex.map((t) => t.name)).toEqual([a])
  })

  it('uses the broker defaults without -p/-r, --if-not-exists skips, --dry-run creates nothing', async () => {
    const name = uniqueName('topics-defaults')
    const defaults = await kadmJson<{configs: Array<{name: string; value: string}>}>(['configs', 'get', 'broker', '1', '-k', 'num.partitions', '-k', 'default.replication.factor', ...B])
    const expected = Object.fromEntries(defaults.configs.map((c) => [c.name, Number(c.value)]))

    const dry = await createJson<{status: string; partitions: number; replicationFactor: number}>([name, '--dry-run'])
    expect(dry[0]).toMatchObject({status: 'valid', partitions: expected['num.partitions'], replicationFactor: expected['default.replication.factor']})
    expect(await listJson([name])).toEqual([])

    const created = await createJson<{partitions: number; replicationFactor: number}>([name])
    expect(created[0]).toMatchObject({partitions: expected['num.partitions'], replicationFactor: expected['default.replication.factor']})
    const again = await kadm(['topics', 'create', name, ...B])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(`topic ${name} already exists`)
    const skipped = await createJson<{status: string}>([name, '--if-not-exists'])
    expect(skipped[0].status).toBe('exists')
  })

  it('refuses bad names, RF above the broker count and unknown configs with one line, creating nothing', async () => {
    const prefix = uniqueName('topics-refused')
    const badName = await kadm(['topics', 'create', `${prefix} x`, ...B])
    expect(badName.code).toBe(2)
    expect(badName.stderr.split('\n')[0]).toMatch(/^error: topic name .* has characters other than/)

    const rf = await kadm(['topics', 'create', `${prefix}-rf`, '-r', '4', ...B])
    expect(rf.code).toBe(1)
    expect(rf.stderr).toMatch(/^error: cannot create topic .*: replication factor 4 is larger than the 3 available brokers\n$/)

    const config = await kadm(['topics', 'create', `${prefix}-c1`, `${prefix}-c2`, '--config', 'retention.ms=60000', '--config', 'no.such.key=1', ...B])
    expect(config.code).toBe(1)
    // The broker's own words for each topic, on one line.
    const unknownKey = (name: string) => `topic ${name}: Unknown topic config name: no.such.key (INVALID_CONFIG)`
    expect(config.stderr).toBe(`error: cannot create ${unknownKey(`${prefix}-c1`)}; ${unknownKey(`${prefix}-c2`)}\n`)
    const badValue = await kadm(['topics', 'create', `${prefix}-c3`, '--config', 'retention.ms=soon', ...B])
    expect(badValue.code).toBe(1)
    expect(badValue.stderr).toBe(`error: cannot create topic ${prefix}-c3: Invalid value soon for configuration retention.ms: Not a number of type LONG (INVALID_CONFIG)\n`)

    const assignment = await kadm(['topics', 'create', `${prefix}-as`, '--replica-assignment', '1:9', ...B])
    expect(assignment.code).toBe(1)
    expect(assignment.stderr).toContain('unknown broker 9')
    expect(await listJson([`${prefix}*`])).toEqual([])
  })

  it('alters partitions and configs incrementally; decreasing is refused; --dry-run changes nothing', async () => {
    const name = uniqueName('topics-alter')
    await kadmJson(['topics', 'create', name, '-p', '2', '-r', '2', '--config', 'retention.ms=3600000', '--config', 'max.message.bytes=200000', ...B])

    const dry = await kadmJson<{dryRun: boolean}>(['topics', 'alter', name, '--partitions', '4', '--set', 'segment.ms=7200000', '--dry-run', ...B])
    expect(dry.dryRun).toBe(true)
    expect((await describeJson([name]))[0].partitionCount).toBe(2)

    const down = await kadm(['topics', 'alter', name, '--partitions', '1', ...B])
    expect([down.code, down.stderr.split('\n')[0]]).toEqual([1, `error: topic ${name} has 2 partitions: partitions can only be added (Kafka cannot remove them), not reduced to 1`])

    const altered = await kadmJson<{partitions: {from: number; to: number}}>(['topics', 'alter', name, '--partitions', '5', '--set', 'segment.ms=7200000', '--delete', 'retention.ms', ...B])
    expect(altered.partitions).toEqual({from: 2, to: 5})
    // New partitions have leaders when alter returns.
    await produce(name, 4, 3)
    const [ours, theirs] = await Promise.all([describeJson([name]), topicCommand(['--topic', name])])
    expect(ours[0].partitions.map(({partition, leader, replicas, isr}) => ({topic: name, partition, leader, replicas, isr}))).toEqual(theirs.partitions)
    expect(ours[0].partitions[4].latestOffset).toBe(3)
    // max.message.bytes was not named, so IncrementalAlterConfigs left it alone.
    expect(theirs.topics[0].configs).toMatchObject({'segment.ms': '7200000', 'max.message.bytes': '200000'})
    expect(theirs.topics[0].configs['retention.ms']).toBeUndefined()
  })

  it('marks and filters at-min-ISR and under-min-ISR partitions as kafka-topics does', async () => {
    const prefix = uniqueName('topics-health')
    const [atMin, underMin, fine] = [`${prefix}-at`, `${prefix}-under`, `${prefix}-fine`]
    await kadmJson(['topics', 'create', atMin, '-p', '2', '-r', '3', '--config', 'min.insync.replicas=3', ...B])
    await kadmJson(['topics', 'create', underMin, '-p', '2', '-r', '2', '--config', 'min.insync.replicas=3', ...B])
    await kadmJson(['topics', 'create', fine, '-p', '1', '-r', '3', '--config', 'min.insync.replicas=1', ...B])

    const [under, at] = await Promise.all([
      describeJson([`${prefix}-*`, '--under-min-isr-partitions']),
      describeJson([`${prefix}-*`, '--at-min-isr-partitions']),
    ])
    const [toolUnder, toolAt] = await Promise.all([
      topicCommand(['--topic', `${prefix}-.*`, '--under-min-isr-partitions']),
      topicCommand(['--topic', `${prefix}-.*`, '--at-min-isr-partitions']),
    ])
    const pairs = (ts: Described[]) => ts.flatMap((t) => t.partitions.map((p) => `${t.name}:${p.partition}`)).sort()
    const toolPairs = (ps: ToolPartition[]) => ps.map((p) => `${p.topic}:${p.partition}`).sort()
    expect(pairs(under)).toEqual([`${underMin}:0`, `${underMin}:1`])
    expect(pairs(under)).toEqual(toolPairs(toolUnder.partitions))
    expect(pairs(at)).toEqual([`${atMin}:0`, `${atMin}:1`])
    expect(pairs(at)).toEqual(toolPairs(toolAt.partitions))
    expect(under[0].partitions[0].markers).toContain('under-min-isr')

    const listed = await listJson([`${prefix}-*`])
    expect(listed.find((t) => t.name === underMin)?.health).toMatchObject({underMinIsr: 2, unavailable: 0, underReplicated: 0})
    expect((await listJson([`${prefix}-*`, '--unhealthy'])).map((t) => t.name)).toEqual([underMin])
    const none = await describeJson([`${prefix}-*`, '--under-replicated-partitions'])
    expect(none).toEqual([])
  })

  it('deletes by glob only with --yes off a terminal, asks on a terminal, refuses internal topics without --force', async () => {
    const prefix = uniqueName('topics-delete')
    const names = [`${prefix}-1`, `${prefix}-2`]
    await kadmJson(['topics', 'create', ...names, '-p', '1', '-r', '1', ...B])

    const refused = await kadm(['topics', 'delete', `${prefix}-*`, ...B])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(new RegExp(`^TOPIC\\s+TOPIC ID\\s+PARTITIONS\\n${names[0]}\\s+\\S{22}\\s+1\\n${names[1]}\\s+\\S{22}\\s+1\\nerror: deleting 2 topics cannot be undone: pass --yes to confirm without a terminal\\n$`))
    const dry = await kadmJson<{deleted: Array<{name: string}>; dryRun: boolean}>(['topics', 'delete', `${prefix}-*`, '--dry-run', ...B])
    expect(dry.deleted.map((t) => t.name)).toEqual(names)
    expect((await listJson([`${prefix}-*`])).length).toBe(2)

    const deleted = await kadmJson<{deleted: Array<{name: string}>}>(['topics', 'delete', `${prefix}-*`, '--yes', ...B])
    expect(deleted.deleted.map((t) => t.name)).toEqual(names)
    expect(await listJson([`${prefix}-*`])).toEqual([])
    const missing = await kadm(['topics', 'delete', names[0], '--yes', ...B])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`topic ${names[0]} does not exist`)
    expect((await kadm(['topics', 'delete', names[0], '--if-exists', '--yes', ...B])).code).toBe(0)

    const onTerminal = `${prefix}-tty`
    await kadmJson(['topics', 'create', onTerminal, '-p', '1', '-r', '1', ...B])
    const declined = await kadmOnTerminal(['topics', 'delete', onTerminal, ...B], 'n\r')
    expect(declined.code).toBe(5)
    expect(declined.output).toMatch(/Delete 1 topic\? This cannot be undone\.[\s\S]*cancelled/)
    expect((await listJson([onTerminal])).length).toBe(1)
    const confirmed = await kadmOnTerminal(['topics', 'delete', onTerminal, ...B], 'y\r')
    expect(confirmed.code).toBe(0)
    expect(confirmed.output).toContain(`deleted ${onTerminal}`)
    expect(await listJson([onTerminal])).toEqual([])

    const internal = `__${prefix}`
    await kadmJson(['topics', 'create', internal, '-p', '1', '-r', '1', ...B])
    expect((await kadmJson<{deleted: unknown[]}>(['topics', 'delete', '__topics-delete*', '--yes', ...B])).deleted).toEqual([])
    const noForce = await kadm(['topics', 'delete', internal, '--yes', ...B])
    expect(noForce.code).toBe(1)
    expect(noForce.stderr).toContain(`refusing to delete internal topic ${internal}`)
    expect((await kadmJson<{deleted: Array<{name: string}>}>(['topics', 'delete', internal, '--yes', '--force', ...B])).deleted.map((t) => t.name)).toEqual([internal])
  })

  it('describe names a missing topic; describe without names covers every non-internal topic', async () => {
    const missing = await kadm(['topics', 'describe', uniqueName('topics-missing'), ...B])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^error: topic topics-missing-\w+ does not exist\n$/)
    const name = uniqueName('topics-all')
    await kadmJson(['topics', 'create', name, '-p', '2', '-r', '1', ...B])
    const all = await describeJson(['--no-offsets'])
    expect(all.find((t) => t.name === name)?.partitions.map((p) => [p.partition, p.latestOffset])).toEqual([[0, null], [1, null]])
    expect(all.some((t) => t.name.startsWith('__'))).toBe(false)
    expect(all.map((t) => t.name)).toEqual(all.map((t) => t.name).sort())
  })

  it('--internal lists and describes internal topics; --regex selects by full-match regular expressions in describe and delete', async () => {
    // kcat's metadata is the oracle for which internal topics exist; a group that kcat commits for
    // makes sure __consumer_offsets is one of them, whichever test file ran first.
    const seed = await createJson<{name: string}>([uniqueName('topics-internal-seed')])
    const joined = await runProcess('kcat', ['-b', bootstrap, '-G', uniqueName('topics-internal'), '-o', 'beginning', '-e', '-q', seed[0].name], {timeoutMs: 60_000})
    expect(joined.code, joined.stderr).toBe(0)
    const meta = JSON.parse((await runProcess('kcat', ['-L', '-J', '-b', bootstrap], {timeoutMs: 30_000})).stdout) as {topics: Array<{topic: string}>}
    const internal = meta.topics.map((t) => t.topic).filter((t) => t.startsWith('__')).sort()
    expect(internal).toContain('__consumer_offsets')
    const names = (topics: Array<{name: string}>) => topics.map((t) => t.name)
    expect(names(await listJson([])).filter((n) => n.startsWith('__'))).toEqual([])
    expect(names(await listJson(['--internal'])).filter((n) => n.startsWith('__')).sort()).toEqual(internal)
    expect(names(await describeJson(['--internal', '--no-offsets'])).filter((n) => n.startsWith('__')).sort()).toEqual(internal)

    const prefix = uniqueName('topics-regex')
    const made = [`${prefix}-a`, `${prefix}-b`, `${prefix}-ab`]
    await createJson(made)
    expect(names(await describeJson(['--regex', `${prefix}-[ab]`, '--no-offsets'])).sort()).toEqual([`${prefix}-a`, `${prefix}-b`])
    const deleted = await kadmJson<{deleted: Array<{name: string}>}>(['topics', 'delete', '--regex', `${prefix}-(a|b)`, '--yes', ...B])
    expect(names(deleted.deleted).sort()).toEqual([`${prefix}-a`, `${prefix}-b`])
    const after = JSON.parse((await runProcess('kcat', ['-L', '-J', '-b', bootstrap], {timeoutMs: 30_000})).stdout) as {topics: Array<{topic: string}>}
    expect(after.topics.map((t) => t.topic).filter((t) => t.startsWith(prefix))).toEqual([`${prefix}-ab`])
  })
})
