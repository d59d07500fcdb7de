import {type ChildProcess, spawn} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'
import {parse} from 'yaml'
import {afterAll, describe, expect, inject, it} from 'vitest'

import {compareVersions} from '../../src/local/versions.js'
import {createTopic, kadm, kadmJson, uniqueName} from '../helpers/kadm.js'
import {kafkaTool, kafkaToolArgv} from '../helpers/kafka-tools.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const B = ['-b', bootstrap]

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
})
