import {spawn} from 'node:child_process'
import {createRequire} from 'node:module'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {BIN, createTopic, kadm, kadmEnv, type RunResult, uniqueName} from '../helpers/kadm.js'
import {runProcess} from '../helpers/process.js'
import {kafkaTool} from '../helpers/kafka-tools.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const b = ['-b', bootstrap]

// Test fixtures only: topics, a transactional producer and group state come from kafkajs directly.
const require = createRequire(import.meta.url)
const {Kafka, logLevel} = require('kafkajs') as typeof import('kafkajs')
const kafka = new Kafka({brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, clientId: 'console-test'})
const admin = kafka.admin()

beforeAll(async () => admin.connect())
afterAll(async () => admin.disconnect())

/** A fresh topic that every broker knows, with leaders that answer. */
async function topic(prefix: string, partitions = 3): Promise<string> {
  return createTopic(bootstrap, uniqueName(prefix), {partitions, replicationFactor: 3})
}

/** Runs a shell pipeline (kcat, head) and returns its output. */
function sh(script: string, input?: string): Promise<RunResult> {
  return runProcess('bash', ['-c', script], {env: CHILD_ENV, input, timeoutMs: 120_000})
}

const CHILD_ENV = kadmEnv()
const KADM = `node ${BIN}`
const kcatFormat = `kcat -b ${bootstrap} -C -e -q`
const sorted = (text: string) => text.trim().split('\n').filter(Boolean).sort()

async function ok(args: string[], options: {input?: string} = {}): Promise<RunResult> {
  const result = await kadm([...args, ...b], options)
  if (result.code !== 0) throw new Error(`kadm ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return result
}

describe('console produce → kcat and ConsoleConsumer', () => {
  it('writes the keys, values, headers and partitions both tools read back', async () => {
    const t = await topic('console-out', 4)
    const lines = Array.from({length: 40}, (_, i) => `key-${i}|value ${i} ü`).join('\n')
    const produced = await ok(['console', 'produce', t, '--key-separator', '|', '-H', 'src=kadm', '-H', 'n=1'], {input: lines + '\n'})
    expect(produced.stderr).toMatch(/produced 40 records/)

    const viaKcat = await sh(`${kcatFormat} -t ${t} -f '%p|%k|%s|%h\\n'`)
    const fromKcat = sorted(viaKcat.stdout)
    expect(fromKcat).toHaveLength(40)
    const viaKadm = await ok(['console', 'consume', t, '--from-beginning', '-e', '-q', '-f', '%p|%k|%v|%h\\n'])
    expect(sorted(viaKadm.stdout)).toEqual(fromKcat)
    expect(fromKcat).toContain(`${fromKcat.find((l) => l.includes('|key-7|'))!.split('|')[0]}|key-7|value 7 ü|src=kadm,n=1`)

    const java = await kafkaTool(version, 'ConsoleConsumer', [
      '--bootstrap-server', bootstrap, '--topic', t, '--from-beginning', '--max-messages', '40', '--timeout-ms', '30000',
      '--property', 'print.key=true', '--property', 'print.partition=true', '--property', 'print.headers=true', '--property', 'key.separator=|',
    ])
    expect(java.code, java.stderr).toBe(0)
    // ConsoleConsumer: Partition:N|h1:v1,h2:v2|key|value
    // 4.x also prints a deprecation notice for --property on stdout.
    const fromJava = sorted(java.stdout).filter((l) => l.startsWith('Partition:')).map((l) => l.slice('Partition:'.length)).map((l) => {
      const [p, headers, key, value] = l.split('|')
      return `${p}|${key}|${value}|${headers.replaceAll(':', '=')}`
    })
    expect(fromJava).toEqual(fromKcat)
  })

  it('puts keyed records on the partition Kafka\'s ConsoleProducer (murmur2) picks', async () => {
    const [viaJava, viaKadm] = await Promise.all([topic('console-hash-java', 7), topic('console-hash-kadm', 7)])
    const input = Array.from({length: 60}, (_, i) => `user-${i * 7919}\tv${i}`).join('\n') + '\n'
    const java = await kafkaTool(version, 'ConsoleProducer', [
      '--bootstrap-server', bootstrap, '--topic', viaJava, '--property', 'parse.key=true',
    ], {input})
    expect(java.code, java.stderr).toBe(0)
    await ok(['console', 'produce', viaKadm, '--key-separator', '\t'], {input})
    const [a, c] = await Promise.all([
      sh(`${kcatFormat} -t ${viaJava} -f '%k %p\\n'`),
      sh(`${kcatFormat} -t ${viaKadm} -f '%k %p\\n'`),
    ])
    expect(sorted(a.stdout)).toHaveLength(60)
    expect(sorted(c.stdout)).toEqual(sorted(a.stdout))
  })
})

describe('console produce --key, --null-marker; console consume --key-format, --value-format', () => {
  it('--key gives every record that key; --null-marker lines become null values (kcat: size -1)', async () => {
    const t = await topic('console-key', 1)
    await ok(['console', 'produce', t, '--key', 'user-7', '--null-marker', 'NULL', '-q'], {input: 'a\nNULL\nb\n'})
    const viaKcat = await sh(`${kcatFormat} -t ${t} -f '%k|%S|%s\\n'`)
    expect(viaKcat.stdout.replace('|-1|\n', '|-1|NULL\n')).toBe('user-7|1|a\nuser-7|-1|NULL\nuser-7|1|b\n')
  })

  it('prints keys and values as hex, base64 or JSON when asked', async () => {
    const t = await topic('console-formats', 1)
    await sh(`kcat -b ${bootstrap} -P -t ${t} -K : -p 0`, 'ab:{"n": 1}\n')
    const hex = await ok(['console', 'consume', t, '--from-beginning', '-e', '-q', '-f', '%k %v\\n', '--key-format', 'hex', '--value-format', 'base64'])
    expect(hex.stdout).toBe(`${Buffer.from('ab').toString('hex')} ${Buffer.from('{"n": 1}').toString('base64')}\n`)
    const json = await ok(['console', 'consume', t, '--from-beginning', '-e', '-q', '-f', '%v\\n', '--value-format', 'json'])
    expect(json.stdout).toBe('{"n":1}\n')
  })
})

describe('kcat and ConsoleProducer → console consume', () => {
  it('reads what kcat wrote: keys, headers, partitions, null values', async () => {
    const t = await topic('console-in', 2)
    await sh(`kcat -b ${bootstrap} -P -t ${t} -p 1 -K : -H trace=t1 -Z`, 'a:1\nb:2\nc:\n')
    const out = await ok(['console', 'consume', t, '--from-beginning', '-e', '-q', '-o', 'json'])
    const records = out.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(records.map((r) => [r.partition, r.offset, r.key, r.value, r.headers])).toEqual([
      [1, 0, 'a', '1', [{key: 'trace', value: 't1'}]],
      [1, 1, 'b', '2', [{key: 'trace', value: 't1'}]],
      [1, 2, 'c', null, [{key: 'trace', value: 't1'}]],
    ])
  })

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    it(`reads ${codec} batches written by Kafka's ConsoleProducer, and writes ones kcat reads`, async () => {
      const t = await topic(`console-${codec}`, 1)
      const input = Array.from({length: 200}, (_, i) => `k${i}\t${codec} record ${i} ${'x'.repeat(i % 50)}`).join('\n') + '\n'
      const java = await kafkaTool(version, 'ConsoleProducer', [
        '--bootstrap-server', bootstrap, '--topic', t, '--compression-codec', codec, '--property', 'parse.key=true',
      ], {input})
      expect(java.code, java.stderr).toBe(0)
      const read = await ok(['console', 'consume', t, '--from-beginning', '-e', '-q', '-f', '%k\\t%v\\n'])
      expect(read.stdout).toBe(input)
      await ok(['console', 'produce', t, '-z', codec, '--key-separator', '\t', '-q'], {input})
      const viaKcat = await sh(`${kcatFormat} -t ${t} -o 200 -f '%k\\t%s\\n'`)
      expect(viaKcat.stdout).toBe(input)
    })
  }
})

describe('JSON lines', () => {
  it('round-trips consume → produce → consume unchanged, binary data included', async () => {
    const [src, dst] = await Promise.all([topic('console-json-src', 3), topic('console-json-dst', 3)])
    const lines = [
      {key: 'a', value: 'plain', headers: [{key: 'h', value: 'v'}]},
      {key: null, value: '{"n":1}', headers: []},
      {key: 'tomb', value: null, headers: [{key: 'dup', value: '1'}, {key: 'dup', value: '2'}]},
      {key: '/w==', keyEncoding: 'base64', value: 'AAEC/w==', valueEncoding: 'base64', headers: [], partition: 2, timestamp: 1_600_000_000_000},
    ].map((l) => JSON.stringify(l)).join('\n')
    await ok(['console', 'produce', src, '--input', 'json'], {input: lines + '\n'})
    const first = await ok(['console', 'consume', src, '--from-beginning', '-e', '-q', '-o', 'json'])
    await ok(['console', 'produce', dst, '--input', 'json'], {input: first.stdout})
    const second = await ok(['console', 'consume', dst, '--from-beginning', '-e', '-q', '-o', 'json'])
    // Partitions interleave in any order; each record, partition and offset must be the same.
    expect(sorted(second.stdout.replaceAll(dst, src))).toEqual(sorted(first.stdout))
    const records = first.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(records).toHaveLength(4)
    expect(records.find((r) => r.keyEncoding)).toMatchObject({partition: 2, timestamp: 1_600_000_000_000, key: '/w==', value: 'AAEC/w==', valueEncoding: 'base64'})
    expect(records.find((r) => r.key === 'tomb')).toMatchObject({value: null, headers: [{key: 'dup', value: '1'}, {key: 'dup', value: '2'}]})
  })

  it('counts records that fail and exits non-zero', async () => {
    const t = await topic('console-fail', 2)
    const result = await kadm(['console', 'produce', t, '--input', 'json', ...b], {input: '{"value":"ok"}\nnot json\n{"value":"x","partition":9}\n'})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/error: 2 records failed/)
    expect(result.stderr).toMatch(/produced 1 record /)
  })
})

describe('console consume', () => {
  it('starts, stops and filters where asked', async () => {
    const t = await topic('console-range', 2)
    const input = Array.from({length: 50}, (_, i) => JSON.stringify({key: `k${i}`, value: `v${i}`, partition: i % 2, headers: i % 10 === 0 ? [{key: 'tenth', value: 'yes'}] : []})).join('\n')
    await ok(['console', 'produce', t, '--input', 'json'], {input})
    const fmt = ['-q', '-f', '%p:%o:%v\\n']
    const tail = await ok(['console', 'consume', t, '--offset', '-2', '-e', ...fmt])
    expect(sorted(tail.stdout)).toEqual(['0:23:v46', '0:24:v48', '1:23:v47', '1:24:v49'])
    const one = await ok(['console', 'consume', t, '--partition', '1', '--offset', '3', '--until', '6', '-e', ...fmt])
    expect(one.stdout).toBe('1:3:v7\n1:4:v9\n1:5:v11\n')
    const limited = await ok(['console', 'consume', t, '--from-beginning', '-n', '3', ...fmt])
    expect(sorted(limited.stdout)).toHaveLength(3)
    const grep = await ok(['console', 'consume', t, '--from-beginning', '-e', '--grep', '^v1[0-2]$', ...fmt])
    expect(sorted(grep.stdout)).toEqual(['0:5:v10', '0:6:v12', '1:5:v11'])
    const header = await ok(['console', 'consume', t, '--from-beginning', '-e', '--header', 'tenth=yes', ...fmt])
    expect(sorted(header.stdout)).toEqual(['0:0:v0', '0:10:v20', '0:15:v30', '0:20:v40', '0:5:v10'])
    const future = await ok(['console', 'consume', t, '--offset', '@+1h', '-e', ...fmt])
    expect(future.stdout).toBe('')
    const past = await ok(['console', 'consume', t, '--offset', '@-1h', '-e', ...fmt])
    expect(sorted(past.stdout)).toHaveLength(50)
  })

  it('reads committed data only with --isolation read_committed', async () => {
    const t = await topic('console-txn', 1)
    const producer = kafka.producer({transactionalId: uniqueName('console-txn'), idempotent: true, maxInFlightRequests: 1})
    await producer.connect()
    try {
      for (const [values, commit] of [[['c1', 'c2'], true], [['a1', 'a2'], false], [['c3'], true]] as const) {
        const txn = await producer.transaction()
        await txn.send({topic: t, messages: values.map((value) => ({value}))})
        await (commit ? txn.commit() : txn.abort())
      }
    } finally {
      await producer.disconnect()
    }
    const committed = await ok(['console', 'consume', t, '--from-beginning', '-e', '-q', '--isolation', 'read_committed'])
    expect(committed.stdout).toBe('c1\nc2\nc3\n')
    const all = await ok(['console', 'consume', t, '--from-beginning', '-e', '-q'])
    expect(all.stdout).toBe('c1\nc2\na1\na2\nc3\n')
  })

  it('exits 0 without error text when the reader of its pipe goes away', async () => {
    const t = await topic('console-pipe', 1)
    const input = Array.from({length: 20_000}, (_, i) => `line ${i} ${'y'.repeat(40)}`).join('\n')
    await ok(['console', 'produce', t, '-q'], {input})
    const result = await sh(`${KADM} console consume ${t} -b ${bootstrap} --from-beginning | head -5; echo "exit=\${PIPESTATUS[0]}" >&2`)
    expect(result.stdout.split('\n').slice(0, 5)).toEqual(Array.from({length: 5}, (_, i) => `line ${i} ${'y'.repeat(40)}`))
    expect(result.stderr.trim()).toBe('exit=0')
  })

  it('with --group: commits what it printed, stops on Ctrl-C and leaves the group', async () => {
    const t = await topic('console-group', 2)
    const group = uniqueName('console-group')
    await ok(['console', 'produce', t, '-q'], {input: Array.from({length: 30}, (_, i) => `g${i}`).join('\n')})
    const child = spawn(process.execPath, [BIN, 'console', 'consume', t, '--group', group, '--from-beginning', ...b], {stdio: ['ignore', 'pipe', 'pipe'], env: CHILD_ENV})
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve))
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => {
      stdout += d
      if (stdout.split('\n').length > 30) resolve()
    }))
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(sorted(stdout)).toHaveLength(30)
    expect(stderr).toMatch(/consumed 30 records/)
    const offsets = await admin.fetchOffsets({groupId: group, topics: [t]})
    const total = offsets[0].partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0)
    expect(total).toBe(30)
    const {groups} = await admin.describeGroups([group])
    expect(groups[0].state).toBe('Empty')
    // The group resumes where it committed (partitions without commits from the beginning): just the two new records.
    await ok(['console', 'produce', t, '-q'], {input: 'g30\ng31\n'})
    const resumed = await ok(['console', 'consume', t, '--group', group, '--from-beginning', '-e'])
    expect(resumed.stdout).toBe('g30\ng31\n')
  })

  it('without --group: Ctrl-C while following stops cleanly with a summary', async () => {
    const t = await topic('console-follow', 1)
    const child = spawn(process.execPath, [BIN, 'console', 'consume', t, ...b], {stdio: ['ignore', 'pipe', 'pipe'], env: CHILD_ENV})
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve))
    const printed = new Promise<void>((resolve) => child.stdout.on('data', (d) => {
      stdout += d
      if (stdout.includes('live 2\n')) resolve()
    }))
    // It follows from the end: produce until it has printed what came after it started.
    const feed = setInterval(() => void kadm(['console', 'produce', t, '-q', ...b], {input: 'live 1\nlive 2\n'}), 500)
    try {
      await printed
    } finally {
      clearInterval(feed)
    }
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stderr).toMatch(/^consumed \d+ records? .* \(interrupted\)\n$/)
  })

  it('without --group: follows a partition whose leader moves to another broker', async () => {
    const t = await createTopic(bootstrap, uniqueName('console-move'), {assignment: '1:2'})
    const child = spawn(process.execPath, [BIN, 'console', 'consume', t, '--from-beginning', '-q', ...b], {stdio: ['ignore', 'pipe', 'pipe'], env: CHILD_ENV})
    let stdout = ''
    let waiting: (() => void) | undefined
    child.stdout.on('data', (d) => {
      stdout += d
      waiting?.()
    })
    const seen = (text: string) => new Promise<void>((resolve) => {
      waiting = () => stdout.includes(text) && resolve()
      waiting()
    })
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve))
    await ok(['console', 'produce', t, '-q'], {input: 'before\n'})
    await seen('before\n')
    // Broker 1 leaves the replica set: the leader has to move to 2 or 3.
    await admin.alterPartitionReassignments({topics: [{topic: t, partitionAssignment: [{partition: 0, replicas: [3, 2]}]}]})
    for (;;) {
      const [meta] = (await admin.fetchTopicMetadata({topics: [t]})).topics
      if (meta.partitions[0].leader !== 1 && !meta.partitions[0].replicas.includes(1)) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    await ok(['console', 'produce', t, '-q'], {input: 'after\n'})
    await seen('after\n')
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stdout).toBe('before\nafter\n')
  })

  it('without --group: joins no group and prints the first record at once', async () => {
    const t = await topic('console-nogroup', 1)
    const before = new Set((await admin.listGroups()).groups.map((g) => g.groupId))
    await ok(['console', 'produce', t, '-q'], {input: 'first\n'})
    const out = await ok(['console', 'consume', t, '--from-beginning', '-n', '1', '-q'])
    expect(out.stdout).toBe('first\n')
    const after = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => !before.has(g))
    expect(after.filter((g) => g.startsWith('kadm'))).toEqual([])
  })
})
