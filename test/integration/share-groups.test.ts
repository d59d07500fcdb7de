import {type ChildProcess, spawn} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'
import {parse} from 'yaml'
import {afterAll, describe, expect, inject, it} from 'vitest'

import {compareVersions} from '../../src/local/versions.js'
import {createTopic, kadm, kadmJson, uniqueName} from '../helpers/kadm.js'
import {kafkaTool, kafkaToolArgv} from '../helpers/kafka-tools.js'
import {runProcess} from '../helpers/process.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const B = ['-b', bootstrap]

const shareGroups = compareVersions(version, '4.1.0') >= 0
const SHARE_LINE = /^error: share groups need Kafka 4\.1 or newer: broker 127\.0\.0\.1:\d+ does not support ShareGroupDescribe v1\n$/

interface Listed {
  groups: Array<{groupId: string; state: string; type: string | null; protocolType: string; members: number | null; topics: string[]; totalLag: number | null}>
}

interface ResetPlan {
  mode: string
  groups: Array<{group: string; state: string; rows: Array<{topic: string; partition: number; currentOffset: number | null; newOffset: number; error?: string | null}>}>
}

interface Described {
  groups: Array<{groupId: string; state: string; coordinator: number; groupEpoch: number; assignmentEpoch: number; assignor: string; members: Array<{memberId: string; clientId: string; host: string; memberEpoch: number; subscribedTopics: string[]; assignment: Array<{topic: string; partition: number}>}>}>
}

/** The rows of a kafka-share-groups.sh table (space-aligned columns under a header line), by header. */
function toolRows(stdout: string, headers: string[]): Array<Record<string, string>> {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '')
  const header = lines.findIndex((l) => l.startsWith(headers[0]))
  return lines.slice(header + 1).map((l) => {
    // "COORDINATOR (ID)" values hold a space ("127.0.0.1:9092  (1)"): join them first.
    const cells = l.replace(/\s+\((\d+)\)/, '($1)').trim().split(/\s+/)
    return Object.fromEntries(headers.map((h, i) => [h, cells[i]]))
  })
}

describe(`share groups (Kafka ${version})`, () => {
  const topic = uniqueName('share')
  const group = uniqueName('share-group')
  let consumer: ChildProcess | undefined

  afterAll(() => {
    consumer?.kill('SIGKILL')
  })

  /** kafka-share-groups.sh --describe --offsets: START-OFFSET per partition of `topic` ("-": none), sorted by partition. */
  async function toolStartOffsets(of: string): Promise<Array<[number, string]>> {
    const result = await kafkaTool(version, 'ShareGroupCommand', ['--bootstrap-server', bootstrap, '--describe', '--group', of, '--offsets'])
    expect(result.code, result.stderr).toBe(0)
    return toolRows(result.stdout, ['GROUP', 'TOPIC', 'PARTITION', 'START-OFFSET', 'LAG'])
      .filter((r) => r.TOPIC === topic).map((r) => [Number(r.PARTITION), r['START-OFFSET']] as [number, string]).sort((a, b) => a[0] - b[0])
  }

  async function toolShareGroups(): Promise<string[]> {
    const result = await kafkaTool(version, 'ShareGroupCommand', ['--bootstrap-server', bootstrap, '--list'])
    expect(result.code, result.stderr).toBe(0)
    return result.stdout.split('\n').map((l) => l.trim()).filter(Boolean)
  }

  it('list and describe a share group with a member, as kafka-share-groups.sh shows it; before Kafka 4.1, one line naming the release', async () => {
    if (compareVersions(version, '4.1.0') < 0) {
      for (const args of [['share-groups', 'list'], ['share-groups', 'describe', 'any']]) {
        const result = await kadm([...args, ...B])
        expect(result.code).toBe(1)
        expect(result.stderr).toMatch(/^error: share groups need Kafka 4\.1 or newer: broker 127\.0\.0\.1:\d+ does not support ShareGroupDescribe v1\n$/)
      }
      return
    }
    await createTopic(bootstrap, topic, {partitions: 2, replicationFactor: 1})
    // A real share consumer (Kafka's console-share-consumer) joins the group and stays.
    const [java, ...argv] = await kafkaToolArgv(version, 'ConsoleShareConsumer', ['--bootstrap-server', bootstrap, '--topic', topic, '--group', group])
    consumer = spawn(java, argv, {stdio: 'ignore'})
    let described: Described | undefined
    for (let i = 0; i < 120; i++) {
      const result = await kadm(['share-groups', 'describe', group, '-o', 'json', ...B])
      if (result.code === 0) {
        described = JSON.parse(result.stdout) as Described
        if (described.groups[0].state === 'Stable' && described.groups[0].members[0]?.assignment.length === 2) break
      }
      await sleep(500)
    }
    const [ours] = described!.groups
    expect([ours.groupId, ours.state, ours.assignor, ours.members.length]).toEqual([group, 'Stable', 'simple', 1])

    const state = await kafkaTool(version, 'ShareGroupCommand', ['--bootstrap-server', bootstrap, '--describe', '--group', group, '--state', '--verbose'])
    expect(state.code, state.stderr).toBe(0)
    const [toolState] = toolRows(state.stdout, ['GROUP', 'COORDINATOR', 'STATE', 'GROUP-EPOCH', 'ASSIGNMENT-EPOCH', '#MEMBERS'])
    expect([ours.groupId, `(${ours.coordinator})`, ours.state, String(ours.groupEpoch), String(ours.assignmentEpoch), String(ours.members.length)])
      .toEqual([toolState.GROUP, toolState.COORDINATOR.replace(/^.*(\(\d+\))$/, '$1'), toolState.STATE, toolState['GROUP-EPOCH'], toolState['ASSIGNMENT-EPOCH'], toolState['#MEMBERS']])

    const members = await kafkaTool(version, 'ShareGroupCommand', ['--bootstrap-server', bootstrap, '--describe', '--group', group, '--members', '--verbose'])
    expect(members.code, members.stderr).toBe(0)
    const toolMembers = toolRows(members.stdout, ['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', 'MEMBER-EPOCH', 'ASSIGNMENT'])
    expect(ours.members.map((m) => [m.memberId, m.host, m.clientId, String(m.assignment.length), String(m.memberEpoch), `${topic}:${m.assignment.map((a) => a.partition).join(',')}`]))
      .toEqual(toolMembers.map((r) => [r['CONSUMER-ID'], r.HOST, r['CLIENT-ID'], r['#PARTITIONS'], r['MEMBER-EPOCH'], r.ASSIGNMENT]))
    expect(ours.members[0].subscribedTopics).toEqual([topic])

    const listed = await kadmJson<{groups: Array<{groupId: string; state: string; coordinator: number}>}>(['share-groups', 'list', ...B])
    const list = await kafkaTool(version, 'ShareGroupCommand', ['--bootstrap-server', bootstrap, '--list', '--state'])
    expect(list.code, list.stderr).toBe(0)
    expect(listed.groups.map((g) => [g.groupId, g.state])).toEqual(toolRows(list.stdout, ['GROUP', 'STATE']).map((r) => [r.GROUP, r.STATE]).sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    expect(listed.groups.find((g) => g.groupId === group)).toEqual({groupId: group, state: 'Stable', coordinator: ours.coordinator})

    const empty = await kadm(['share-groups', 'list', '--state', 'Empty', '-o', 'yaml', ...B])
    expect(empty.code, empty.stderr).toBe(0)
    expect((parse(empty.stdout) as {groups: Array<{groupId: string}>}).groups.map((g) => g.groupId)).not.toContain(group)
    const table = await kadm(['share-groups', 'describe', group, ...B])
    expect(table.stdout).toMatch(new RegExp(`^Members: +1$`, 'm'))

    const missing = await kadm(['share-groups', 'describe', 'no-such-share-group', ...B])
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([1, 'error: share group no-such-share-group does not exist'])
  })

  it('consumer-groups list --type all: every group with its type and protocol, as kafka-groups.sh --list; a share group without lag', async () => {
    const other = await createTopic(bootstrap, uniqueName('group-types'), {partitions: 1, replicationFactor: 1})
    const written = await runProcess('kcat', ['-P', '-b', bootstrap, '-t', other], {input: 'a\nb\nc\n', timeoutMs: 30_000})
    expect(written.code, written.stderr).toBe(0)
    // A classic group (kcat's balanced consumer) and, on 4.x, a group on the consumer protocol (KIP-848), both left with offsets.
    const classic = uniqueName('types-classic')
    const read = await runProcess('kcat', ['-b', bootstrap, '-G', classic, '-o', 'beginning', '-e', '-q', other], {timeoutMs: 60_000})
    expect(read.code, read.stderr).toBe(0)
    const modern = uniqueName('types-consumer')
    const ours = [classic, ...(compareVersions(version, '4.0.0') >= 0 ? [modern] : []), ...(shareGroups ? [group] : [])]
    if (compareVersions(version, '4.0.0') >= 0) {
      const consumed = await kafkaTool(version, 'ConsoleConsumer', ['--bootstrap-server', bootstrap, '--topic', other, '--group', modern, '--from-beginning', '--max-messages', '3', '--consumer-property', 'group.protocol=consumer'])
      expect(consumed.code, consumed.stderr).toBe(0)
    }
    const listed = (await kadmJson<Listed>(['consumer-groups', 'list', '--type', 'all', ...B])).groups.filter((g) => ours.includes(g.groupId))
    let tool: Array<[string, string, string]>
    if (compareVersions(version, '4.0.0') >= 0) {
      const result = await kafkaTool(version, 'GroupsCommand', ['--bootstrap-server', bootstrap, '--list'])
      expect(result.code, result.stderr).toBe(0)
      tool = toolRows(result.stdout, ['GROUP', 'TYPE', 'PROTOCOL']).map((r) => [r.GROUP, r.TYPE.toLowerCase(), r.PROTOCOL ?? ''] as [string, string, string])
    } else {
      // 3.9 has no kafka-groups.sh: kafka-consumer-groups.sh --list --type shows the types of its (consumer) groups.
      const result = await kafkaTool(version, 'ConsumerGroupCommand', ['--bootstrap-server', bootstrap, '--list', '--type'])
      expect(result.code, result.stderr).toBe(0)
      tool = toolRows(result.stdout, ['GROUP', 'TYPE']).map((r) => [r.GROUP, r.TYPE.toLowerCase(), ''] as [string, string, string])
    }
    const expected = tool.filter(([g]) => ours.includes(g)).sort((a, b) => (a[0] < b[0] ? -1 : 1))
    expect(expected.map(([g]) => g).sort()).toEqual([...ours].sort())
    expect(listed.map((g) => [g.groupId, g.type, compareVersions(version, '4.0.0') >= 0 ? g.protocolType : ''])).toEqual(expected)
    expect(listed.find((g) => g.groupId === classic)).toMatchObject({state: 'Empty', type: 'classic', members: 0, topics: [other], totalLag: 0})
    // Names as every command takes them: a glob, a pattern that matches nothing (a warning), a name that is no group of those types (an error).
    const globbed = await kadm(['consumer-groups', 'list', `${classic.slice(0, -3)}*`, 'no-such-group-*', '--type', 'classic', '-o', 'json', ...B])
    expect([globbed.code, globbed.stderr]).toEqual([0, 'warning: no group matches "no-such-group-*"\n'])
    expect((JSON.parse(globbed.stdout) as Listed).groups.map((g) => g.groupId)).toEqual([classic])
    const missing = await kadm(['consumer-groups', 'list', classic, 'no-such-group', '--type', 'classic,consumer', ...B])
    expect([missing.code, missing.stderr]).toEqual([1, 'error: no group of type classic, consumer is named no-such-group\n'])
    if (compareVersions(version, '4.0.0') >= 0) expect(listed.find((g) => g.groupId === modern)).toMatchObject({state: 'Empty', type: 'consumer', members: 0, topics: [other], totalLag: 0})
    if (!shareGroups) {
      const share = await kadm(['consumer-groups', 'list', '--type', 'share', ...B])
      expect(share.code).toBe(1)
      expect(share.stderr).toMatch(SHARE_LINE)
      return
    }
    expect(listed.find((g) => g.groupId === group)).toEqual({groupId: group, state: 'Stable', type: 'share', protocolType: 'share', assignor: 'simple', members: 1, topics: [topic], totalLag: null})
    const table = await kadm(['consumer-groups', 'list', group, '--type', 'share', ...B])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toMatch(new RegExp(`^${group} +Stable +share +share +simple +1 +${topic} +-$`, 'm'))
    expect(table.stderr).toBe('share groups have no consumer lag: see kadm share-groups describe GROUP\n')
    // Asked for as a consumer group, a share group says what it is instead of "does not exist".
    const described = await kadm(['consumer-groups', 'describe', group, ...B])
    expect([described.code, described.stderr]).toEqual([1, `error: group ${group} is a share group, not a consumer group: see kadm share-groups describe ${group}\n`])
  })

  it('share-groups reset-offsets, delete-offsets and delete, as kafka-share-groups.sh shows their effect; refusals in one line', async () => {
    if (!shareGroups) {
      for (const args of [['delete', 'any', '--yes'], ['reset-offsets', 'any', '--topic', 'any', '--to-earliest'], ['delete-offsets', 'any', '--topic', 'any', '--yes']]) {
        const result = await kadm(['share-groups', ...args, ...B])
        expect(result.code).toBe(1)
        expect(result.stderr).toMatch(SHARE_LINE)
      }
      return
    }
    // Records to move the start offsets over: four on partition 0, two on partition 1.
    for (const [partition, input] of [['0', '1\n2\n3\n4\n'], ['1', '5\n6\n']]) {
      const written = await runProcess('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', partition], {input, timeoutMs: 30_000})
      expect(written.code, written.stderr).toBe(0)
    }
    const activeLine = new RegExp(String.raw`^error: (refusing to delete: )?share group ${group} is Stable with 1 active member\(s\): \S+ \(\S+ /?[\d.]+\); stop its share consumers first \(only an Empty share group can be changed\)\n$`)
    for (const args of [['delete', group, '--yes'], ['reset-offsets', group, '--topic', topic, '--to-earliest', '--execute'], ['delete-offsets', group, '--topic', topic, '--yes']]) {
      const refused = await kadm(['share-groups', ...args, ...B])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(activeLine)
    }
    // The member leaves (SIGTERM: it closes and leaves the group): Empty.
    const exited = new Promise((resolve) => consumer!.once('exit', resolve))
    consumer!.kill('SIGTERM')
    await Promise.race([exited, sleep(15_000)])
    consumer!.kill('SIGKILL')
    for (let i = 0; i < 60 && (await kadmJson<Described>(['share-groups', 'describe', group, ...B])).groups[0].state !== 'Empty'; i++) await sleep(500)

    // The start offsets as the group left them (the share coordinator persists them lazily: whatever
    // they are, kadm's CURRENT is what Kafka's tool shows); then --execute to the log end.
    const before = await toolStartOffsets(group)
    const current = await kadmJson<ResetPlan>(['share-groups', 'reset-offsets', group, '--topic', topic, '--to-current', ...B])
    expect(current.groups[0].rows.map((r) => [r.partition, r.currentOffset === null ? '-' : String(r.currentOffset)])).toEqual(before)
    const latest = await kadmJson<ResetPlan>(['share-groups', 'reset-offsets', group, '--topic', topic, '--to-latest', '--execute', ...B])
    expect(latest.groups[0].rows.map((r) => [r.partition, r.newOffset, r.error])).toEqual([[0, 4, null], [1, 2, null]])

    // Dry run (the default, and --dry-run): the plan Kafka's own dry run shows; nothing changes (the tool still sees --to-latest's offsets).
    const plan = await kadmJson<ResetPlan>(['share-groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', ...B])
    const dry = await kadmJson<ResetPlan>(['share-groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--dry-run', ...B])
    expect(dry).toEqual(plan)
    expect(plan.mode).toBe('dry-run')
    expect(plan.groups[0].state).toBe('Empty')
    expect(plan.groups[0].rows.map((r) => [r.partition, r.currentOffset, r.newOffset])).toEqual([[0, 4, 0], [1, 2, 0]])
    const toolPlan = await kafkaTool(version, 'ShareGroupCommand', ['--bootstrap-server', bootstrap, '--reset-offsets', '--group', group, '--topic', topic, '--to-earliest', '--dry-run'])
    expect(toolPlan.code, toolPlan.stderr).toBe(0)
    expect(toolRows(toolPlan.stdout, ['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET']).map((r) => [Number(r.PARTITION), Number(r['NEW-OFFSET'])]).sort((a, b) => a[0] - b[0]))
      .toEqual(plan.groups[0].rows.map((r) => [r.partition, r.newOffset]))
    expect(await toolStartOffsets(group)).toEqual([[0, '4'], [1, '2']])

    // --execute: partition 0 to offset 1, partition 1 to an offset past its end (clamped to 2, with a warning).
    const one = await kadm(['share-groups', 'reset-offsets', group, '--topic', `${topic}:0`, '--to-offset', '1', '--execute', ...B])
    expect(one.code, one.stderr).toBe(0)
    expect(one.stdout).toMatch(new RegExp(`^${group} +${topic} +0 +4 +1 +-3 +3 +committed$`, 'm'))
    const past = await kadm(['share-groups', 'reset-offsets', group, '--topic', `${topic}:1`, '--to-offset', '9', '--execute', '-o', 'json', ...B])
    expect(past.code, past.stderr).toBe(0)
    expect(past.stderr).toBe(`warning: new offset (9) is higher than the log end offset of ${topic}:1 for group ${group}: it will be set to 2\n`)
    expect(await toolStartOffsets(group)).toEqual([[0, '1'], [1, '2']])
    const earliest = await kadmJson<ResetPlan>(['share-groups', 'reset-offsets', group, '--all-topics', '--to-earliest', '--execute', ...B])
    expect(earliest.groups[0].rows.map((r) => [r.partition, r.newOffset, r.error])).toEqual([[0, 0, null], [1, 0, null]])
    // The other targets, as dry runs: offsets reset's syntax and planning.
    const newOffsets = async (...target: string[]) => (await kadmJson<ResetPlan>(['share-groups', 'reset-offsets', group, '--topic', topic, ...target, ...B])).groups[0].rows.map((r) => r.newOffset)
    expect(await newOffsets('--shift-by', '3')).toEqual([3, 2])
    expect(await newOffsets('--to-datetime', '2000-01-01T01:00:00', '--timezone', '+01:00')).toEqual([0, 0])
    expect(await newOffsets('--by-duration', 'PT0S')).toEqual([4, 2])

    // delete-offsets: without a terminal it needs --yes; --dry-run changes nothing (the tool sees --to-earliest's offsets); then the group has no offsets on the topic.
    const noTerminal = await kadm(['share-groups', 'delete-offsets', group, '--topic', topic, ...B])
    expect([noTerminal.code, noTerminal.stderr]).toEqual([2, `error: deleting the start offsets of share group ${group} on ${topic} cannot be undone: pass --yes to confirm without a terminal\n`])
    const dryDelete = await kadm(['share-groups', 'delete-offsets', group, '--topic', topic, '--dry-run', ...B])
    expect(dryDelete.stdout).toMatch(new RegExp(`^${group} +${topic} +0:0,1:0 +would delete$`, 'm'))
    expect(await toolStartOffsets(group)).toEqual([[0, '0'], [1, '0']])
    const deletedOffsets = await kadm(['share-groups', 'delete-offsets', group, '--topic', topic, '--yes', ...B])
    expect(deletedOffsets.code, deletedOffsets.stderr).toBe(0)
    expect(deletedOffsets.stdout).toMatch(new RegExp(`^${group} +${topic} +0:0,1:0 +deleted$`, 'm'))
    expect(await toolStartOffsets(group)).toEqual([])

    // delete: unknown groups refused, a dry run and no terminal change nothing, then the group is gone.
    const unknown = await kadm(['share-groups', 'delete', group, 'no-such-share-group', '--yes', ...B])
    expect([unknown.code, unknown.stderr]).toEqual([1, 'error: share group no-such-share-group does not exist\n'])
    const noTerminalDelete = await kadm(['share-groups', 'delete', group, ...B])
    expect([noTerminalDelete.code, noTerminalDelete.stderr]).toEqual([2, `error: deleting share group ${group} and its offsets cannot be undone: pass --yes to confirm without a terminal\n`])
    const dryRun = await kadmJson<{dryRun: boolean; groups: Array<{groupId: string; deleted: boolean}>}>(['share-groups', 'delete', '--group', group, '--dry-run', ...B])
    expect(dryRun).toEqual({dryRun: true, groups: [{groupId: group, deleted: false, error: null}]})
    const matched = await kadm(['share-groups', 'delete', '-r', `${group}|no-such-share-group-.*`, 'no-such-share-.*', '--dry-run', '-o', 'json', ...B])
    expect([matched.code, JSON.parse(matched.stdout), matched.stderr]).toEqual([0, dryRun, 'warning: no share group matches "no-such-share-.*"\ndry run: would delete 1 share group\n'])
    expect(await toolShareGroups()).toContain(group)
    const deleted = await kadm(['share-groups', 'delete', group, '--yes', '-o', 'yaml', ...B])
    expect(deleted.code, deleted.stderr).toBe(0)
    expect(parse(deleted.stdout)).toEqual({dryRun: false, groups: [{groupId: group, deleted: true, error: null}]})
    expect(await toolShareGroups()).not.toContain(group)
    const again = await kadm(['share-groups', 'delete-offsets', group, '--topic', topic, '--yes', ...B])
    expect([again.code, again.stderr]).toEqual([1, `error: share group ${group} does not exist\n`])
  }, 300_000)
})
