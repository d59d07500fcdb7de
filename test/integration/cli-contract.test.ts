import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, inject, it} from 'vitest'

import {BIN, createTopic, kadm, kadmEnv, kadmJson, kadmOnTerminal, ROOT, uniqueName} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'
import {runProcess} from '../helpers/process.js'
import {TESTED_KAFKA_VERSIONS} from '../../src/local/versions.js'

const bootstrap = inject('bootstrap')
const B = ['-b', bootstrap]

/** A usage error: exit 2, and its first line on stderr is exactly `line`. */
async function expectUsageError(args: string[], line: string, env?: Record<string, string | undefined>): Promise<void> {
  const result = await kadm(args, {env})
  expect({args, code: result.code, first: result.stderr.split('\n')[0]}).toEqual({args, code: 2, first: `error: ${line}`})
  expect(result.stdout).toBe('')
}

describe('the command-line contract: errors name what is wrong, in one line', () => {
  it.each([
    [['console', 'consume'], 'missing argument TOPIC'],
    [['console', 'produce'], 'missing argument TOPIC'],
    [['topics', 'create'], 'missing argument NAME'],
    [['topics', 'delete'], 'missing argument NAME'],
    [['topics', 'alter'], 'missing argument NAME'],
    [['partitions', 'add', '--count', '1'], 'missing argument TOPIC'],
    [['offsets', 'show'], 'missing argument TOPICS'],
    [['contexts', 'use'], 'missing argument NAME'],
    [['contexts', 'add'], 'missing argument NAME'],
    [['consumer-groups', 'delete'], 'missing argument GROUP'],
  ])('%j: %s', async (args, line) => {
    await expectUsageError(args, line)
  })

  it.each([
    [['partitions', 'truncate', 'clicks', ...B], 'Exactly one of the following must be provided: --before, --partition'],
    [['offsets', 'delete', '--group', 'g', ...B], 'missing required flag --topic'],
    [['topics', 'create', 'foo', '-p', '0', ...B], '--partitions: Expected an integer greater than or equal to 1 but received: 0'],
    [['topics', 'alter', 'foo', '-p', '0', ...B], '--partitions: Expected an integer greater than or equal to 1 but received: 0'],
    [['topics', 'list', '--nope', ...B], 'Nonexistent flag: --nope'],
  ])('%j: %s', async (args, line) => {
    await expectUsageError(args, line)
  })
})

describe('durations need a unit', () => {
  it.each([
    [['cluster', 'describe', '--timeout', '5000', ...B], '--timeout 5000: add a unit, e.g. 5000ms or 5s'],
    [['topics', 'list', '--timeout', '30', ...B], '--timeout 30: add a unit, e.g. 30ms or 30s'],
    [['topics', 'create', 'never-created', '--timeout', '5000', ...B], '--timeout 5000: add a unit, e.g. 5000ms or 5s'],
    [['console', 'produce', 'never-created', '--delivery-timeout', '3000', ...B], '--delivery-timeout 3000: add a unit, e.g. 3000ms or 3s'],
    [['cluster', 'describe', '--timeout', 'soon', ...B], '--timeout "soon" is not a duration (e.g. 5s, 500ms, 1m)'],
  ])('%j: %s', async (args, line) => {
    await expectUsageError(args, line)
  })

  it('takes a duration with a unit', async () => {
    const result = await kadm(['topics', 'list', '--timeout', '4500ms', ...B])
    expect(result.code).toBe(0)
    expect((await kadm(['topics', 'describe', 'never-created', '--timeout', '5000', ...B])).code).toBe(2)
  })
})

describe('--config-file is kadm\'s config file, --config a topic config', () => {
  async function contextFile(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'kadm-contract-'))
    const path = join(dir, 'config.yaml')
    await writeFile(path, `current-context: suite\ncontexts:\n  suite:\n    bootstrap-servers: [${bootstrap}]\n`, {mode: 0o600})
    return path
  }

  it('connects through the context of the file --config-file or KADM_CONFIG names', async () => {
    const path = await contextFile()
    const topic = await createTopic(bootstrap, uniqueName('contract-file'))
    const byFlag = (await kadmJson<{topics: Array<{name: string}>}>(['topics', 'list', topic, '--config-file', path])).topics
    expect(byFlag.map((t) => t.name)).toEqual([topic])
    const byEnv = (await kadmJson<{topics: Array<{name: string}>}>(['topics', 'list', topic], {env: {KADM_CONFIG: path}})).topics
    expect(byEnv.map((t) => t.name)).toEqual([topic])
    const {contexts} = await kadmJson<{contexts: Array<{name: string}>}>(['contexts', 'list', '--config-file', path])
    expect(contexts.map((c) => c.name)).toEqual(['suite'])
  })

  it('refuses a named config file that does not exist, rather than connecting elsewhere', async () => {
    const missing = join(tmpdir(), uniqueName('no-such-kadm-config'), 'config.yaml')
    await expectUsageError(['topics', 'list', '--config-file', missing], `--config-file ${missing}: no such file`)
    await expectUsageError(['cluster', 'describe'], `KADM_CONFIG ${missing}: no such file`, {KADM_CONFIG: missing})
    await expectUsageError(['contexts', 'list', '--config-file', missing], `--config-file ${missing}: no such file`)
    await expectUsageError(['contexts', 'use', 'x', '--config-file', missing], `--config-file ${missing}: no such file`)
  })

  it('contexts add creates the file it is given', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'kadm-contract-')), 'new.yaml')
    const added = await kadm(['contexts', 'add', 'fresh', '-b', bootstrap, '--config-file', path])
    expect(added.code).toBe(0)
    expect(await readFile(path, 'utf8')).toContain('fresh')
  })

  it.each([
    [['topics', 'list']],
    [['cluster', 'describe']],
    [['contexts', 'list']],
    [['consumer-groups', 'list']],
  ])('%j refuses --config PATH: it never means the config file', async (args) => {
    const path = await contextFile()
    await expectUsageError([...args, '--config', path], `--config ${path}: --config is a topic config (topics create, topics alter); name kadm's config file with --config-file`)
  })

  it('topics create and topics alter apply --config key=value; alter never drops it', async () => {
    const topic = uniqueName('contract-config')
    await kadmJson(['topics', 'create', topic, '-p', '1', '-r', '1', '--config', 'retention.ms=7200000', ...B])
    const configOf = async (key: string) => {
      const {topics: [described]} = await kadmJson<{topics: Array<{partitionCount: number; configs: Array<{name: string; value: string | null}>}>}>(['topics', 'describe', topic, ...B])
      return {partitions: described.partitionCount, value: described.configs.find((c) => c.name === key)?.value}
    }
    expect(await configOf('retention.ms')).toEqual({partitions: 1, value: '7200000'})

    const altered = await kadm(['topics', 'alter', topic, '--partitions', '2', '--config', 'retention.ms=3600000', ...B])
    expect(altered.code).toBe(0)
    expect(await configOf('retention.ms')).toEqual({partitions: 2, value: '3600000'})

    expect((await kadm(['topics', 'alter', topic, '-c', 'segment.ms=7200000', ...B])).code).toBe(0)
    expect(await configOf('segment.ms')).toEqual({partitions: 2, value: '7200000'})

    await expectUsageError(['topics', 'alter', topic, '--config', 'retention.ms', ...B], '--config "retention.ms" is not key=value')
    await expectUsageError(['topics', 'create', uniqueName('contract-bad'), '--config', 'retention.ms', ...B], '--config "retention.ms" is not key=value')
  })
})

/**
 * Runs kadm on a pseudo-terminal and, once the confirmation prompt shows, types `answer` as a
 * person would ("n" and Enter, or Ctrl-C: \x03).
 */
async function answerPrompt(args: string[], answer: string): Promise<{code: number | null; output: string}> {
  let answered = false
  return kadmOnTerminal(args, {
    respond(output, type) {
      if (answered || !/\(y\/N\)/.test(output)) return
      answered = true
      type(answer, true)
    },
  })
}

describe('a command that asks before it risks data, without a terminal and without --yes: a usage error saying what is at stake', () => {
  const cases: Array<[string, (topic: string, group: string) => string[], (topic: string, group: string) => string]> = [
    ['partitions truncate', (topic) => ['partitions', 'truncate', topic, '--before', 'end', ...B], () => 'deleting records cannot be undone'],
    ['partitions elect-leaders --unclean', (topic) => ['partitions', 'elect-leaders', '--unclean', '--topic', topic, ...B], () => 'an unclean election may lose data'],
    ['topics delete', (topic) => ['topics', 'delete', topic, ...B], () => 'deleting 1 topic cannot be undone'],
    ['consumer-groups delete', (_topic, group) => ['consumer-groups', 'delete', group, ...B], (_topic, group) => `deleting consumer group ${group} and its committed offsets cannot be undone`],
    ['offsets delete', (topic, group) => ['offsets', 'delete', '--group', group, '--topic', topic, ...B], (_topic, group) => `deleting the committed offsets of group ${group} cannot be undone`],
  ]
  it.each(cases)('%s', async (_name, args, risk) => {
    const topic = await createTopic(bootstrap, uniqueName('contract-noterm'), {partitions: 1, replicationFactor: 1})
    const written = await runProcess('kcat', ['-P', '-b', bootstrap, '-t', topic], {input: 'a\nb\nc\n', timeoutMs: 30_000})
    expect(written.code, written.stderr).toBe(0)
    const group = uniqueName('contract-noterm')
    const joined = await runProcess('kcat', ['-b', bootstrap, '-G', group, '-o', 'beginning', '-e', '-q', topic], {timeoutMs: 60_000})
    expect(joined.code, joined.stderr).toBe(0)
    const result = await kadm(args(topic, group))
    expect(result.code).toBe(2)
    expect(result.stderr.split('\n').filter(Boolean).at(-1)).toBe(`error: ${risk(topic, group)}: pass --yes to confirm without a terminal`)
    // Nothing deleted: kcat still reads all three records, and the group its committed offsets.
    const read = await runProcess('kcat', ['-C', '-b', bootstrap, '-t', topic, '-e', '-q'], {timeoutMs: 30_000})
    expect(read.stdout).toBe('a\nb\nc\n')
    const offsets = await kafkaTool(inject('kafkaVersion'), 'ConsumerGroupCommand', ['--bootstrap-server', bootstrap, '--describe', '--group', group])
    expect(offsets.stdout).toMatch(new RegExp(`${group}\\s+${topic}\\s+0\\s+3\\s+3\\s+0`))
  })
})

describe('"no" or Ctrl-C at a confirmation prompt: one line "cancelled", exit 5, nothing changed', () => {
  const answers = [['no', 'n\r'], ['Ctrl-C', '\x03']] as const
  const commands: Array<[string, (topic: string, group: string) => string[], ReadonlyArray<readonly [string, string]>]> = [
    ['topics delete', (topic) => ['topics', 'delete', topic, ...B], answers],
    ['partitions elect-leaders --unclean', (topic) => ['partitions', 'elect-leaders', '--unclean', '--topic', topic, ...B], answers],
    ['partitions truncate', (topic) => ['partitions', 'truncate', topic, '--before', 'end', ...B], answers],
    ['consumer-groups delete', (_topic, group) => ['consumer-groups', 'delete', group, ...B], answers],
    ['offsets delete', (topic, group) => ['offsets', 'delete', '--group', group, '--topic', topic, ...B], answers],
  ]
  it.each(commands.flatMap(([name, args, keys]) => keys.map(([what, typed]) => [name, what, args, typed] as const)))('%s, %s', async (name, what, args, keys) => {
    const topic = await createTopic(bootstrap, uniqueName('contract-prompt'), {partitions: 1, replicationFactor: 1})
    // Records to delete (truncate asks only when its plan deletes something) and a group with offsets.
    const written = await runProcess('kcat', ['-P', '-b', bootstrap, '-t', topic], {input: 'a\nb\nc\n', timeoutMs: 30_000})
    expect(written.code, written.stderr).toBe(0)
    const group = uniqueName('contract-group')
    if (name.includes('delete') && name !== 'topics delete') {
      const read = await runProcess('kcat', ['-b', bootstrap, '-G', group, '-o', 'beginning', '-e', '-q', topic], {timeoutMs: 60_000})
      expect(read.code, read.stderr).toBe(0)
    }
    const result = await answerPrompt(args(topic, group), keys)
    const lines = result.output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
    expect({what, code: result.code, last: lines.at(-1)?.replace(/^\u001B\[\?25h/, '')}).toEqual({what, code: 5, last: 'cancelled'})
    expect(result.output).not.toContain('error:')
    expect(result.output).not.toContain('force closed')
    const listed = (await kadmJson<{topics: Array<{name: string}>}>(['topics', 'list', topic, ...B])).topics
    expect(listed.map((t) => t.name)).toEqual([topic])
  })
})

describe('one time language: every flag that takes a time reads the same forms the same way', () => {
  // Three records one hour apart; kept forever (retention.ms=-1) although they are old.
  const T0 = Date.UTC(2026, 0, 1, 0)
  const HOUR = 3_600_000
  let topic: string
  beforeAll(async () => {
    topic = await createTopic(bootstrap, uniqueName('contract-times'), {partitions: 1, replicationFactor: 1, config: {'retention.ms': '-1'}})
    const input = [0, 1, 2].map((i) => JSON.stringify({value: `r${i}`, timestamp: T0 + i * HOUR})).join('\n') + '\n'
    const produced = await kadm(['console', 'produce', topic, '--input', 'json', ...B], {input})
    if (produced.code !== 0) throw new Error(produced.stderr)
    // kcat, not kadm, says what the records' offsets and timestamps are.
    const read = await runProcess('kcat', ['-C', '-b', bootstrap, '-t', topic, '-e', '-q', '-f', '%o %T\n'], {timeoutMs: 30_000})
    expect(read.stdout).toBe(`0 ${T0}\n1 ${T0 + HOUR}\n2 ${T0 + 2 * HOUR}\n`)
  })

  /** Ways of writing T0 + 1h (2026-01-01T01:00:00Z), with the environment and flags each needs. */
  const notations: Array<[string, string, {env?: Record<string, string>; flags?: string[]}]> = [
    ['UTC, with Z', '2026-01-01T01:00:00Z', {}],
    ['with an offset', '2026-01-01T02:00:00+01:00', {env: {TZ: 'America/New_York'}}],
    ['without a zone: UTC, whatever TZ says', '2026-01-01T01:00:00', {env: {TZ: 'Asia/Kolkata'}}],
    ['without a zone, --timezone', '2026-01-01T02:00:00', {env: {TZ: 'Asia/Kolkata'}, flags: ['--timezone', 'Europe/Paris']}],
    ['short, a space for T', '2026-01-01 01:00', {env: {TZ: 'America/New_York'}}],
    ['epoch milliseconds', String(T0 + HOUR), {}],
  ]
  const resolved = new Date(T0 + HOUR).toISOString()

  it.each(notations)('%s: %s', async (_what, time, {env, flags = []}) => {
    const show = await kadmJson<{time: string; partitions: Array<{offsetAtTime: number}>}>(['offsets', 'show', topic, '--time', time, ...flags, ...B], {env})
    expect({time: show.time, offset: show.partitions[0].offsetAtTime}).toEqual({time: resolved, offset: 1})

    const reset = await kadmJson<{resolvedTime: string; groups: Array<{rows: Array<{newOffset: number}>}>}>(['offsets', 'reset', '--group', uniqueName('times'), '--topic', topic, '--to-datetime', time, ...flags, ...B], {env})
    expect({time: reset.resolvedTime, offset: reset.groups[0].rows[0].newOffset}).toEqual({time: resolved, offset: 1})

    const offsetsRead = async (args: string[]) => {
      const result = await kadm(['console', 'consume', topic, '-e', '-q', '-f', '%o\n', ...args, ...flags, ...B], {env})
      expect(result.code, result.stderr).toBe(0)
      return result.stdout
    }
    expect(await offsetsRead(['--offset', `@${time}`])).toBe('1\n2\n')
    expect(await offsetsRead(['--offset', 'earliest', '--until', time])).toBe('0\n')
    expect(await offsetsRead(['--offset', 'earliest', '--until', `@${time}`])).toBe('0\n')
  })

  it('relative times: -1h, -PT1H and 1h30m are before now, +5m after', async () => {
    const before = Date.now()
    const show = await kadmJson<{time: string}>(['offsets', 'show', topic, '--time', '-PT1H', ...B])
    const reset = await kadmJson<{resolvedTime: string}>(['offsets', 'reset', '--group', uniqueName('times'), '--topic', topic, '--to-datetime', '1h30m', ...B])
    const after = Date.now()
    expect(Date.parse(show.time)).toBeGreaterThanOrEqual(before - HOUR)
    expect(Date.parse(show.time)).toBeLessThanOrEqual(after - HOUR)
    expect(Date.parse(reset.resolvedTime)).toBeGreaterThanOrEqual(before - 1.5 * HOUR)
    expect(Date.parse(reset.resolvedTime)).toBeLessThanOrEqual(after - 1.5 * HOUR)
    // The records are from January 2026: none is in the last hour, and all are before now + 5 min.
    const recent = await kadm(['console', 'consume', topic, '--offset', '@-1h', '-e', '-q', '-f', '%o\n', ...B])
    expect({code: recent.code, out: recent.stdout}).toEqual({code: 0, out: ''})
    const untilLater = await kadm(['console', 'consume', topic, '--offset', 'earliest', '--until', '+5m', '-e', '-q', '-f', '%o\n', ...B])
    expect({code: untilLater.code, out: untilLater.stdout}).toEqual({code: 0, out: '0\n1\n2\n'})
  })

  it.each([
    [['offsets', 'show', 'TOPIC', '--time', 'soon'], '--time: "soon" is not a time: use earliest, latest, an ISO-8601 date-time (2026-01-01T10:00:00, zone optional), epoch milliseconds, now, or a relative time (-1h, +5m, -PT1H, or 1h30m for that long ago)'],
    [['offsets', 'reset', '--group', 'g', '--topic', 'TOPIC', '--to-datetime', 'soon'], '--to-datetime: "soon" is not a time: use an ISO-8601 date-time (2026-01-01T10:00:00, zone optional), epoch milliseconds, now, or a relative time (-1h, +5m, -PT1H, or 1h30m for that long ago)'],
    [['console', 'consume', 'TOPIC', '--offset', '@soon'], '--offset: "soon" is not a time: use an ISO-8601 date-time (2026-01-01T10:00:00, zone optional), epoch milliseconds, now, or a relative time (-1h, +5m, -PT1H, or 1h30m for that long ago)'],
    [['console', 'consume', 'TOPIC', '--until', 'soon'], '--until: "soon" is not a time: use an ISO-8601 date-time (2026-01-01T10:00:00, zone optional), epoch milliseconds, now, or a relative time (-1h, +5m, -PT1H, or 1h30m for that long ago)'],
    [['console', 'consume', 'TOPIC', '--until', '-1x'], '--until: "-1x" is not a relative time (e.g. -1h, +5m, -1d12h, -PT2H)'],
    [['offsets', 'show', 'TOPIC', '--time', '2026-02-30T00:00:00'], '--time: "2026-02-30T00:00:00" is not a valid date-time'],
    [['offsets', 'show', 'TOPIC', '--time', '2026-01-01T00:00:00', '--timezone', 'Mars/Olympus'], '--time: unknown time zone "Mars/Olympus" (use an IANA name like Europe/Paris, or an offset like +02:00)'],
    [['console', 'consume', 'TOPIC', '--until', '+1h', '--timezone', 'Mars/Olympus'], '--until: unknown time zone "Mars/Olympus" (use an IANA name like Europe/Paris, or an offset like +02:00)'],
    [['offsets', 'show', 'TOPIC', '--timezone', 'UTC'], '--timezone only applies to --time'],
    [['offsets', 'reset', '--group', 'g', '--topic', 'TOPIC', '--to-latest', '--timezone', 'UTC'], '--timezone only applies to --to-datetime'],
    [['console', 'consume', 'TOPIC', '--offset', 'earliest', '--timezone', 'UTC'], '--timezone only applies to --offset @<time> and --until <time>'],
  ])('%j is refused: %s', async (args, line) => {
    await expectUsageError([...args.map((a) => (a === 'TOPIC' ? topic : a)), ...B], line)
  })
})

describe("the habits of Kafka's scripts and kcat", () => {
  /** A topic of two partitions holding a, b, c (written by kcat) and a group, made by kcat, that read them. */
  async function topicAndGroup(): Promise<{topic: string; group: string}> {
    const topic = await createTopic(bootstrap, uniqueName('contract-habits'), {partitions: 2, replicationFactor: 1})
    const written = await runProcess('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', '0'], {input: 'a\nb\nc\n', timeoutMs: 30_000})
    expect(written.code, written.stderr).toBe(0)
    const group = uniqueName('contract-habits')
    const read = await runProcess('kcat', ['-b', bootstrap, '-G', group, '-o', 'beginning', '-e', '-q', topic], {timeoutMs: 60_000})
    expect(read.code, read.stderr).toBe(0)
    return {topic, group}
  }

  it('global flags before the command: kadm -b HOST -o json topics list', async () => {
    const topic = await createTopic(bootstrap, uniqueName('contract-global'))
    const result = await kadm(['-b', bootstrap, '-o', 'json', 'topics', 'list', topic])
    expect(result.code, result.stderr).toBe(0)
    expect((JSON.parse(result.stdout) as {topics: Array<{name: string}>}).topics.map((t) => t.name)).toEqual([topic])
    const byEquals = await kadm(['--bootstrap-server=' + bootstrap, '--output=json', 'topics', 'list', topic])
    expect(JSON.parse(byEquals.stdout)).toEqual(JSON.parse(result.stdout))
  })

  it('kadm consume and kadm produce (--topic, -t), kadm groups, Kafka\'s --group, --all-groups, --isolation-level', async () => {
    const {topic, group} = await topicAndGroup()
    // --acks -1 as Kafka writes it; -H k:v as kafka-console-producer's headers, k=v as kcat's; kcat reads them back.
    const produced = await kadm(['produce', '--topic', topic, '-p', '0', '--acks', '-1', '-H', 'source:web', '-H', 'id=7', ...B], {input: 'd\n'})
    expect(produced.code, produced.stderr).toBe(0)
    const check = await runProcess('kcat', ['-C', '-b', bootstrap, '-t', topic, '-p', '0', '-o', '3', '-e', '-q', '-f', '%s %h\n'], {timeoutMs: 30_000})
    expect(check.stdout).toBe('d source=web,id=7\n')

    const consumed = await kadm(['consume', '-t', topic, '--from-beginning', '-e', '-q', '--isolation-level', 'read_committed', '-f', '%p %v\n', ...B])
    expect(consumed.code, consumed.stderr).toBe(0)
    expect(consumed.stdout.split('\n').filter(Boolean).sort()).toEqual(['0 a', '0 b', '0 c', '0 d'])

    type Groups = {groups: Array<{groupId: string; totalLag: number}>}
    const byAlias = await kadmJson<Groups>(['groups', 'describe', '--group', group, ...B])
    const byName = await kadmJson<Groups>(['consumer-groups', 'describe', group, ...B])
    expect(byAlias.groups.map((g) => [g.groupId, g.totalLag])).toEqual([[group, 1]])
    expect(byName.groups.map((g) => [g.groupId, g.totalLag])).toEqual([[group, 1]])
    const all = await kadmJson<Groups>(['consumer-groups', 'describe', '--all-groups', ...B])
    expect(all.groups.map((g) => g.groupId)).toContain(group)
    const lag = await kadmJson<Groups>(['groups', 'lag', '-g', group, ...B])
    expect(lag.groups.map((g) => [g.groupId, g.totalLag])).toEqual([[group, 1]])
    const deleted = await kadmJson<{dryRun: boolean; groups: Array<{groupId: string; deleted: boolean}>}>(['groups', 'delete', '--group', group, '--dry-run', ...B])
    expect(deleted).toEqual({dryRun: true, groups: [{groupId: group, deleted: false, error: null}]})
  })

  it('offsets show --time -1 and -2 are latest and earliest, as kafka-get-offsets reads them', async () => {
    const {topic} = await topicAndGroup()
    for (const time of ['-1', '-2']) {
      const shown = await kadmJson<{time: string; partitions: Array<{partition: number; offsetAtTime: number}>}>(['offsets', 'show', topic, '--time', time, ...B])
      const tool = await kafkaTool(inject('kafkaVersion'), 'GetOffsetShell', ['--bootstrap-server', bootstrap, '--topic', topic, '--time', time])
      expect(tool.code, tool.stderr).toBe(0)
      expect({time: shown.time, offsets: shown.partitions.map((p) => `${topic}:${p.partition}:${p.offsetAtTime}`)})
        .toEqual({time: time === '-1' ? 'latest' : 'earliest', offsets: tool.stdout.split('\n').filter(Boolean).sort()})
    }
  })

  it('partitions elect-leaders --all-topic-partitions and reassign verify --preserve-throttles are Kafka\'s names', async () => {
    const elect = await kadm(['partitions', 'elect-leaders', '--all-topic-partitions', '--dry-run', '-o', 'json', ...B])
    expect(elect.code, elect.stderr).toBe(0)
    const byKadmName = await kadm(['partitions', 'elect-leaders', '--all', '--dry-run', '-o', 'json', ...B])
    expect(JSON.parse(elect.stdout)).toEqual(JSON.parse(byKadmName.stdout))
    const help = await kadm(['partitions', 'reassign', 'verify', '--help'])
    expect(help.stdout).toContain('--preserve-throttles')
  })

  it.each([
    [['console', 'consume', 'TOPIC', '-o', 'beginning'], "-o beginning: -o is kadm's output format (table, json); for kcat's -o beginning use --offset beginning"],
    [['consume', 'TOPIC', '-o', '-5'], "-o -5: -o is kadm's output format (table, json); for kcat's -o -5 use --offset -5"],
    [['console', 'consume', 'TOPIC', '-c', '10'], "-c: to stop after N records use -n, --max-messages (kcat's -c)"],
    [['console', 'consume', '-G', 'g', 'TOPIC'], "-G: to consume as a group member use -g, --group GROUP (kcat's -G)"],
    [['console', 'produce', 'a', '--topic', 'b'], 'console produce writes to one topic, not a, b'],
  ])('%j: %s', async (args, line) => {
    await expectUsageError([...args.map((a) => (a === 'TOPIC' ? 'any-topic' : a)), ...B], line)
  })

  it.each([
    [['topcs', 'list', 'orders'], 'unknown command "topcs list orders"; did you mean "topics list orders"?'],
    [['consumer-group', 'lag', 'billing'], 'unknown command "consumer-group lag billing"; did you mean "consumer-groups lag billing"?'],
    [['topic'], 'unknown command "topic"; did you mean "topics"?'],
  ])('a typo, arguments and all: %j', async (args, line) => {
    await expectUsageError(args, line)
  })
})

describe('long names on a terminal', () => {
  it('are cut with an ellipsis to the terminal\'s width, and never in a pipe or in JSON', async () => {
    const name = await createTopic(bootstrap, uniqueName(`contract-${'very-long-topic-name-'.repeat(5)}`))
    const command = `stty cols 60; NO_COLOR=1 ${process.execPath} ${BIN} topics list ${name} -b ${bootstrap}`
    const onTerminal = await runProcess('script', ['-qfec', command, '/dev/null'], {env: kadmEnv(), timeoutMs: 60_000})
    expect(onTerminal.code, onTerminal.stdout).toBe(0)
    const lines = onTerminal.stdout.split(/\r?\n/).filter(Boolean)
    expect(lines).toHaveLength(2)
    expect(lines.every((l) => l.length <= 60), lines.join('\n')).toBe(true)
    expect(lines[1]).toMatch(new RegExp(`^${name.slice(0, 20)}[\\w-]*…\\s+1\\s+1\\s+ok$`))
    const piped = await kadm(['topics', 'list', name, ...B])
    expect(piped.stdout.split('\n')[1]).toMatch(new RegExp(`^${name}\\s+1\\s+1\\s+ok$`))
    expect((await kadmJson<{topics: Array<{name: string}>}>(['topics', 'list', name, ...B])).topics[0].name).toBe(name)
  })
})

describe('--version, help and --help', () => {
  it('--version names kadm, its version, the platform, Node and the Kafka releases kadm is tested with', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {version: string}
    const result = await kadm(['--version'])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe([
      `kadm/${pkg.version} ${process.platform}-${process.arch} node-${process.version}`,
      `tested with Apache Kafka ${TESTED_KAFKA_VERSIONS.join(', ')}`,
    ].join('\n') + '\n')
  })

  it('--version --verbose (either order) adds the Node, where kadm is, each codec with its package, and the folders it writes to', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kadm-version-'))
    const env = {XDG_CACHE_HOME: join(home, 'cache'), XDG_STATE_HOME: join(home, 'state'), XDG_DATA_HOME: join(home, 'data'), KADM_LOCAL_DIR: undefined}
    // Each package's version as its installed package.json says.
    const version = async (name: string) => (JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {version: string}).version
    const plain = await kadm(['--version'], {env})
    const verbose = await kadm(['--version', '--verbose'], {env})
    expect(verbose.code, verbose.stderr).toBe(0)
    expect(verbose.stderr).toBe('')
    expect(verbose.stdout).toBe(plain.stdout + [
      `node          ${process.version} (${process.execPath})`,
      `installed in  ${ROOT}`,
      `gzip          ok (Node's zlib)`,
      `snappy        ok (kafkajs-snappy ${await version('kafkajs-snappy')})`,
      `lz4           ok (lz4-napi ${await version('lz4-napi')})`,
      `zstd          ok (@mongodb-js/zstd ${await version('@mongodb-js/zstd')})`,
      `crc32c        ok (@node-rs/crc32 ${await version('@node-rs/crc32')})`,
      `code cache    ${join(home, 'cache', 'kadm', 'v8')}`,
      `kafka jars    ${join(home, 'cache', 'kadm', 'kafka')}`,
      `state         ${join(home, 'state', 'kadm')}`,
      `local data    ${join(home, 'data', 'kadm', 'local')}`,
    ].join('\n') + '\n')
    expect((await kadm(['--verbose', '--version'], {env})).stdout).toBe(verbose.stdout)
    const off = await kadm(['--version', '--verbose'], {env: {...env, KADM_NO_CODE_CACHE: '1'}})
    expect(off.stdout.split('\n').filter((l) => l.startsWith('code cache'))).toEqual(['code cache    off (KADM_NO_CODE_CACHE=1)'])
    await rm(home, {recursive: true, force: true})
  })

  it('help COMMAND is the same as COMMAND --help, and names every flag of the command', async () => {
    const byHelp = await kadm(['help', 'consumer-groups', 'lag'])
    const byFlag = await kadm(['consumer-groups', 'lag', '--help'])
    expect([byHelp.code, byFlag.code]).toEqual([0, 0])
    expect(byHelp.stdout).toBe(byFlag.stdout)
    const manifest = JSON.parse(await readFile(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {flags: Record<string, {hidden?: boolean}>}>}
    for (const [flag, spec] of Object.entries(manifest.commands['consumer-groups:lag'].flags)) {
      if (!spec.hidden) expect(byFlag.stdout, flag).toContain(`--${flag}`)
    }
    const topics = await kadm(['help', 'topics'])
    expect(topics.stdout).toMatch(/topics list +List topics/)
    // --nested-commands: every command of every topic, not only the topics.
    const nested = await kadm(['help', '--nested-commands'])
    for (const id of Object.keys(manifest.commands)) expect(nested.stdout, id).toContain(id.replaceAll(':', ' '))
  })
})
