/**
 * Issue #15, "one command-line contract": the silent wrong results. Topics are selected the same
 * way by every command (globs, or full-match regexes with --regex); a name that is not a topic is
 * an error, a pattern that matches nothing a warning (and a failed check).
 */
import {mkdtemp, readdir, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {beforeAll, describe, expect, inject, it} from 'vitest'

import {createTopic, kadm, uniqueName} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'

const bootstrap = inject('bootstrap')
const kafkaVersion = inject('kafkaVersion')
const b = ['-b', bootstrap]

// Two topics under one prefix (and a third that must stay out), and a group with committed offsets on both.
const prefix = uniqueName('sel')
const topics = [`${prefix}-clicks`, `${prefix}-views`]
const outsider = `${prefix}x-other`
const group = uniqueName('sel-group')

beforeAll(async () => {
  for (const t of [...topics, outsider]) await createTopic(bootstrap, t, {partitions: 2, replicationFactor: 1})
  // On a fresh cluster the group coordinator may not be ready yet (NOT_COORDINATOR): try again for a while.
  const deadline = Date.now() + 60_000
  for (;;) {
    const reset = await kadm(['offsets', 'reset', ...b, '--group', group, '--topic', topics[0], '--topic', topics[1], '--to-earliest', '--execute', '--undo-file', '/dev/null'])
    if (reset.code === 0) break
    if (Date.now() > deadline) throw new Error(`committing offsets for ${group}: ${reset.stderr}`)
    await sleep(500)
  }
})

/** Each command that takes --topic, and the topic names it answered for (from -o json). */
const commands: Array<{name: string; argv: string[]; topicsOf: (out: any) => string[]}> = [
  {name: 'partitions list', argv: ['partitions', 'list'], topicsOf: (o) => o.partitions.map((p: {topic: string}) => p.topic)},
  {name: 'partitions sizes', argv: ['partitions', 'sizes'], topicsOf: (o) => o.rows.map((r: {topic: string}) => r.topic)},
  {name: 'partitions elect-leaders --dry-run', argv: ['partitions', 'elect-leaders', '--dry-run'], topicsOf: (o) => o.results.map((r: {topic: string}) => r.topic)},
  {name: 'partitions reassign plan', argv: ['partitions', 'reassign', 'plan'], topicsOf: (o) => o.current.partitions.map((p: {topic: string}) => p.topic)},
  {name: 'consumer-groups describe', argv: ['consumer-groups', 'describe', group], topicsOf: (o) => o.groups[0].partitions.map((p: {topic: string}) => p.topic)},
]

const distinct = (names: string[]) => [...new Set(names)].sort()

describe.each(commands)('$name --topic', ({argv, topicsOf}) => {
  it('reads a glob as a glob', async () => {
    const r = await kadm([...argv, ...b, '--topic', `${prefix}-*`, '-o', 'json'])
    expect(r.code, r.stderr).toBe(0)
    expect(distinct(topicsOf(JSON.parse(r.stdout)))).toEqual(topics)
  })

  it('reads --regex as a full-match regular expression', async () => {
    const r = await kadm([...argv, ...b, '--regex', '--topic', `${prefix}-(clicks|views)`, '-o', 'json'])
    expect(r.code, r.stderr).toBe(0)
    expect(distinct(topicsOf(JSON.parse(r.stdout)))).toEqual(topics)
    // Full match: a regex for the start of the names alone selects nothing.
    const partial = await kadm([...argv, ...b, '--regex', '--topic', `${prefix}-(cl|vi)`, '-o', 'json'])
    expect(partial.stderr).toContain(`warning: no topic matches "${prefix}-(cl|vi)"`)
  })

  it('warns on stderr when a pattern matches nothing', async () => {
    const r = await kadm([...argv, ...b, '--topic', `${prefix}-nothing-*`, '-o', 'json'])
    expect(r.stderr).toContain(`warning: no topic matches "${prefix}-nothing-*"`)
  })

  it('refuses a topic name that does not exist (exit 1)', async () => {
    const r = await kadm([...argv, ...b, '--topic', `${prefix}-typo`])
    expect([r.code, r.stderr.trim()]).toEqual([1, `error: topic ${prefix}-typo does not exist`])
  })
})

// Groups are selected the same way: three groups with offsets, two under one prefix.
const groupPrefix = uniqueName('selg')
const groups = [`${groupPrefix}-a`, `${groupPrefix}-b`]
const outsiderGroup = `${groupPrefix}x-c`

describe('selecting groups', () => {
  beforeAll(async () => {
    for (const g of [...groups, outsiderGroup]) {
      const reset = await kadm(['offsets', 'reset', ...b, '--group', g, '--topic', topics[0], '--to-earliest', '--execute', '--undo-file', '/dev/null'])
      expect(reset.code, reset.stderr).toBe(0)
    }
    // Kafka's own list is the oracle that the three exist.
    const listed = await kafkaTool(kafkaVersion, 'ConsumerGroupCommand', ['--bootstrap-server', bootstrap, '--list'])
    expect(listed.stdout.split('\n').filter((l) => l.startsWith(groupPrefix)).sort()).toEqual([...groups, outsiderGroup].sort())
  })

  const groupCommands: Array<{name: string; argv: string[]}> = [
    {name: 'consumer-groups list', argv: ['consumer-groups', 'list']},
    {name: 'consumer-groups describe', argv: ['consumer-groups', 'describe']},
    {name: 'consumer-groups lag', argv: ['consumer-groups', 'lag']},
    {name: 'consumer-groups delete --dry-run', argv: ['consumer-groups', 'delete', '--dry-run']},
  ]
  const idsOf = (stdout: string) => (JSON.parse(stdout) as {groups: Array<{groupId: string}>}).groups.map((g) => g.groupId).sort()

  describe.each(groupCommands)('$name', ({argv}) => {
    it('reads a glob as a glob, and --regex as a full-match regular expression', async () => {
      const glob = await kadm([...argv, `${groupPrefix}-*`, ...b, '-o', 'json'])
      expect(glob.code, glob.stderr).toBe(0)
      expect(idsOf(glob.stdout)).toEqual(groups)
      const regex = await kadm([...argv, '--regex', `${groupPrefix}-[ab]`, ...b, '-o', 'json'])
      expect(regex.code, regex.stderr).toBe(0)
      expect(idsOf(regex.stdout)).toEqual(groups)
      const partial = await kadm([...argv, '--regex', groupPrefix, ...b, '-o', 'json'])
      expect(partial.stderr).toContain(`error: consumer group ${groupPrefix} does not exist`)
    })

    it('warns when a pattern matches no group, and refuses a group that does not exist (exit 1)', async () => {
      const none = await kadm([...argv, `${groupPrefix}-nothing-*`, ...b, '-o', 'json'])
      expect(none.code, none.stderr).toBe(0)
      expect(none.stderr).toContain(`warning: no group matches "${groupPrefix}-nothing-*"`)
      expect(idsOf(none.stdout)).toEqual([])
      const typo = await kadm([...argv, `${groupPrefix}-typo`, ...b])
      expect([typo.code, typo.stderr.trim()]).toEqual([1, `error: consumer group ${groupPrefix}-typo does not exist`])
    })
  })

  it('offsets reset --group takes globs of existing groups', async () => {
    const plan = await kadm(['offsets', 'reset', '--group', `${groupPrefix}-*`, '--topic', topics[0], '--to-latest', ...b, '-o', 'json'])
    expect(plan.code, plan.stderr).toBe(0)
    expect((JSON.parse(plan.stdout) as {groups: Array<{group: string}>}).groups.map((g) => g.group).sort()).toEqual(groups)
    const none = await kadm(['offsets', 'reset', '--group', `${groupPrefix}-nothing-*`, '--topic', topics[0], '--to-latest', ...b])
    expect([none.code, none.stderr.trim().split('\n')]).toEqual([1, [`warning: no group matches "${groupPrefix}-nothing-*"`, 'error: no group to reset']])
  })

  it('consumer-groups lag --fail-above with a pattern that matches nothing fails the check (exit 3)', async () => {
    const none = await kadm(['consumer-groups', 'lag', `${groupPrefix}-nothing-*`, '--fail-above', '0', ...b])
    expect(none.code).toBe(3)
    expect(none.stderr).toContain(`warning: no group matches "${groupPrefix}-nothing-*"`)
    const some = await kadm(['consumer-groups', 'lag', `${groupPrefix}-*`, '--fail-above', '1000', ...b])
    expect(some.code, some.stderr).toBe(0)
  })
})

describe('offsets show|reset|delete --topic takes globs, with or without partitions', () => {
  const cases: Array<[string, (topic: string) => string[], (out: any) => string[]]> = [
    ['offsets show', (t) => ['offsets', 'show', t], (o) => o.partitions.map((p: {topic: string; partition: number}) => `${p.topic}:${p.partition}`)],
    ['offsets reset', (t) => ['offsets', 'reset', '--group', group, '--topic', t, '--to-earliest'], (o) => o.groups[0].rows.map((r: {topic: string; partition: number}) => `${r.topic}:${r.partition}`)],
    ['offsets delete --dry-run', (t) => ['offsets', 'delete', '--group', group, '--topic', t, '--dry-run'], (o) => o.partitions.map((p: {topic: string; partition: number}) => `${p.topic}:${p.partition}`)],
  ]
  it.each(cases)('%s', async (_name, args, partitionsOf) => {
    const all = await kadm([...args(`${prefix}-*`), ...b, '-o', 'json'])
    expect(all.code, all.stderr).toBe(0)
    expect(partitionsOf(JSON.parse(all.stdout)).sort()).toEqual(topics.flatMap((t) => [`${t}:0`, `${t}:1`]))
    const one = await kadm([...args(`${prefix}-*:1`), ...b, '-o', 'json'])
    expect(partitionsOf(JSON.parse(one.stdout)).sort()).toEqual(topics.map((t) => `${t}:1`))
    const none = await kadm([...args(`${prefix}-nothing-*`), ...b, '-o', 'json'])
    expect(none.stderr).toContain(`warning: no topic matches "${prefix}-nothing-*"`)
    const typo = await kadm([...args(`${prefix}-typo`), ...b])
    expect([typo.code, typo.stderr.trim().split('\n').at(-1)]).toEqual([1, expect.stringContaining(`topic ${prefix}-typo does not exist`)])
  })
})

describe('a health check that selects nothing does not pass', () => {
  it('partitions list --fail-on-unhealthy with a pattern matching nothing exits 3', async () => {
    const r = await kadm(['partitions', 'list', ...b, '--topic', `${prefix}-nothing-*`, '--fail-on-unhealthy'])
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toContain(`warning: no topic matches "${prefix}-nothing-*"`)
    const healthy = await kadm(['partitions', 'list', ...b, '--topic', `${prefix}-*`, '--fail-on-unhealthy'])
    expect(healthy.code, healthy.stderr).toBe(0)
  })

  it('partitions reassign status takes the same selection', async () => {
    const r = await kadm(['partitions', 'reassign', 'status', ...b, '--topic', `${prefix}-nothing-*`, '-o', 'json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain(`warning: no topic matches "${prefix}-nothing-*"`)
    const missing = await kadm(['partitions', 'reassign', 'status', ...b, '--regex', '--topic', `${prefix}-typo`])
    expect([missing.code, missing.stderr.trim()]).toEqual([1, `error: topic ${prefix}-typo does not exist`])
  })
})

describe('health checks during a reassignment (as TopicCommand)', () => {
  it('does not count replicas being added as missing from the ISR', async () => {
    const topic = uniqueName('sel-moving')
    await createTopic(bootstrap, topic, {assignment: '1'})
    // 12 MB at a 1 kB/s throttle: the new replica copies for a minute, so the move stays in progress.
    const {Kafka, logLevel} = await import('kafkajs')
    const producer = new Kafka({brokers: bootstrap.split(','), logLevel: logLevel.NOTHING}).producer()
    await producer.connect()
    const value = Buffer.alloc(100_000, 'x')
    for (let i = 0; i < 120; i += 5) await producer.send({topic, acks: -1, messages: Array.from({length: 5}, () => ({partition: 0, value}))})
    await producer.disconnect()
    const dir = await mkdtemp(join(tmpdir(), 'kadm-selection-'))
    const planFile = join(dir, 'plan.json')
    const rollbackFile = join(dir, 'rollback.json')
    await writeFile(planFile, JSON.stringify({version: 1, partitions: [{topic, partition: 0, replicas: [1, 2]}]}))
    await writeFile(rollbackFile, JSON.stringify({version: 1, partitions: [{topic, partition: 0, replicas: [1]}]}))
    const moving = async () => JSON.parse((await kadm(['partitions', 'reassign', 'status', ...b, '--topic', topic, '-o', 'json'])).stdout).reassignments
    try {
      expect((await kadm(['partitions', 'reassign', 'apply', ...b, planFile, '--throttle', '1000'])).code).toBe(0)
      expect(await moving()).toEqual([{topic, partition: 0, replicas: [1, 2], adding: [2], removing: []}])

      // The brokers learn the new replica set a moment after the controller (on 3.9 it took longer
      // than one kadm start in a CI run): wait until the metadata kadm reads has it.
      const list = async () => kadm(['partitions', 'list', ...b, '--topic', topic, '--fail-on-unhealthy', '-o', 'json'])
      let listed = await list()
      for (const deadline = Date.now() + 30_000; listed.code === 0 && JSON.parse(listed.stdout).partitions[0].replicas.length < 2 && Date.now() < deadline;) {
        await sleep(200)
        listed = await list()
      }
      expect(listed.code, listed.stderr).toBe(0)
      const [row] = JSON.parse(listed.stdout).partitions
      expect(row).toMatchObject({replicas: [1, 2], isr: [1], addingReplicas: [2]})
      expect(row.markers).not.toContain('under-replicated')
      // topics list judges health with the same markers.
      const unhealthy = await kadm(['topics', 'list', ...b, topic, '--unhealthy', '-o', 'json'])
      expect([unhealthy.code, JSON.parse(unhealthy.stdout)], unhealthy.stderr).toEqual([0, {topics: []}])
      // Kafka's own tool agrees: no under-replicated partition while the replica is being added.
      const tool = await kafkaTool(kafkaVersion, 'TopicCommand', ['--bootstrap-server', bootstrap, '--describe', '--under-replicated-partitions', '--topic', topic])
      expect([tool.code, tool.stdout.trim()]).toEqual([0, ''])
      // Still in progress after the checks, so they saw a reassignment.
      expect(await moving()).toHaveLength(1)
    } finally {
      await kadm(['partitions', 'reassign', 'cancel', ...b, planFile])
      const deadline = Date.now() + 60_000
      while ((await moving()).length > 0 && Date.now() < deadline) await sleep(300)
      await kadm(['partitions', 'reassign', 'verify', ...b, rollbackFile])
    }
  })
})

describe('partitions truncate clamps like offsets reset', () => {
  it('clamps a target beyond the end, leaves a partition before its start alone, and the dry run says so', async () => {
    const topic = uniqueName('sel-trunc')
    await createTopic(bootstrap, topic, {partitions: 2, replicationFactor: 1})
    const {Kafka, logLevel} = await import('kafkajs')
    const producer = new Kafka({brokers: bootstrap.split(','), logLevel: logLevel.NOTHING}).producer({idempotent: true})
    await producer.connect()
    await producer.send({topic, acks: -1, messages: Array.from({length: 10}, () => ({partition: 0, value: 'x'}))})
    await producer.send({topic, acks: -1, messages: Array.from({length: 200}, () => ({partition: 1, value: 'x'}))})
    await producer.disconnect()
    const starts = async () => JSON.parse((await kadm(['offsets', 'show', ...b, topic, '-o', 'json'])).stdout).partitions.map((p: {earliestOffset: number}) => p.earliestOffset)

    const dry = await kadm(['partitions', 'truncate', ...b, topic, '--before', '100', '--dry-run', '-o', 'json'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(JSON.parse(dry.stdout).partitions).toEqual([
      {topic, partition: 0, before: 0, after: null, target: 10, requestedOffset: 100},
      {topic, partition: 1, before: 0, after: null, target: 100},
    ])
    expect(dry.stderr).toContain(`warning: offset 100 is beyond the high watermark of ${topic}:0: deleting up to 10 instead`)
    expect(await starts()).toEqual([0, 0])

    const real = await kadm(['partitions', 'truncate', ...b, topic, '--before', '100', '--yes', '-o', 'json'])
    expect(real.code, real.stderr).toBe(0)
    expect(JSON.parse(real.stdout).partitions.map((p: {before: number; after: number; target: number}) => [p.before, p.after, p.target])).toEqual([[0, 10, 10], [0, 100, 100]])
    expect(real.stderr).toContain(`warning: offset 100 is beyond the high watermark of ${topic}:0`)
    expect(await starts()).toEqual([10, 100])

    // Before the log start: nothing to do there, and no error.
    const again = await kadm(['partitions', 'truncate', ...b, topic, '--partition', '1=50', '--yes', '-o', 'json'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toContain(`warning: offset 50 is before the log start offset of ${topic}:1 (100): nothing to delete there`)
    expect(JSON.parse(again.stdout).partitions).toEqual([{topic, partition: 1, before: 100, after: 100, target: 100, requestedOffset: 50}])
    expect(await starts()).toEqual([10, 100])
  })
})

describe('offsets reset undo files', () => {
  it('five --execute runs at once get five undo files in the state folder, none collides', async () => {
    const state = await mkdtemp(join(tmpdir(), 'kadm-state-'))
    const runs = await Promise.all(Array.from({length: 5}, () =>
      kadm(['offsets', 'reset', ...b, '--group', group, '--topic', topics[0], '--to-latest', '--execute', '-o', 'json'], {env: {XDG_STATE_HOME: state}})))
    for (const r of runs) expect(r.code, r.stderr).toBe(0)
    const files = runs.map((r) => JSON.parse(r.stdout).undoFile as string)
    expect(new Set(files).size).toBe(5)
    for (const [i, f] of files.entries()) {
      expect(f.startsWith(join(state, 'kadm', `kadm-undo-${group}-`))).toBe(true)
      expect(runs[i].stderr).toContain(`undo file: ${f}`)
    }
    expect((await readdir(join(state, 'kadm'))).sort()).toEqual(files.map((f) => f.slice(join(state, 'kadm').length + 1)).sort())
  })
})
