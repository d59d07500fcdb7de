/**
 * Issue #15, "one command-line contract": the silent wrong results. Topics are selected the same
 * way by every command (globs, or full-match regexes with --regex); a name that is not a topic is
 * an error, a pattern that matches nothing a warning (and a failed check).
 */
import {mkdtemp, writeFile} from 'node:fs/promises'
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

      const listed = await kadm(['partitions', 'list', ...b, '--topic', topic, '--fail-on-unhealthy', '-o', 'json'])
      expect(listed.code, listed.stderr).toBe(0)
      const [row] = JSON.parse(listed.stdout).partitions
      expect(row).toMatchObject({replicas: [1, 2], isr: [1], addingReplicas: [2]})
      expect(row.markers).not.toContain('under-replicated')
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
