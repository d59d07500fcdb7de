import {describe, expect, it} from 'vitest'

import {
  activeGroupMessage, isResettable, parseTopicScope, planGroupReset, resetTargetFromFlags, resolveScopes,
  type PartitionFacts, type ResetTarget,
} from '../../src/domain/offset-reset.js'

const NOW = Date.UTC(2026, 5, 15, 12)

/** Partition 0: log [10, 100), committed 50. Partition 1: log [0, 20), nothing committed. */
const facts = (requested?: [number | null, number | null]): PartitionFacts[] => [
  {topic: 't', partition: 0, logStartOffset: 10, logEndOffset: 100, committedOffset: 50, ...(requested ? {requestedOffset: requested[0]} : {})},
  {topic: 't', partition: 1, logStartOffset: 0, logEndOffset: 20, committedOffset: null, ...(requested ? {requestedOffset: requested[1]} : {})},
]
const newOffsets = (target: ResetTarget, f = facts()) => planGroupReset('g', target, f).rows.map((r) => r.newOffset)

describe('planGroupReset', () => {
  it('computes every Kafka target', () => {
    expect(newOffsets({kind: 'earliest'})).toEqual([10, 0])
    expect(newOffsets({kind: 'latest'})).toEqual([100, 20])
    expect(newOffsets({kind: 'current'})).toEqual([50, 20])
    expect(newOffsets({kind: 'offset', offset: 15})).toEqual([15, 15])
    expect(newOffsets({kind: 'datetime', timestamp: NOW}, facts([60, 5]))).toEqual([60, 5])
    expect(newOffsets({kind: 'duration', ms: 1000, timestamp: NOW}, facts([60, 5]))).toEqual([60, 5])
    expect(newOffsets({kind: 'file', path: 'p.csv', offsets: []}, facts([70, 3]))).toEqual([70, 3])
    expect(newOffsets({kind: 'group', from: 'other'}, facts([70, 3]))).toEqual([70, 3])
  })

  it('clamps into [log start, log end] with a warning per partition, as ConsumerGroupCommand does', () => {
    const plan = planGroupReset('g', {kind: 'offset', offset: 5}, facts())
    expect(plan.rows.map((r) => r.newOffset)).toEqual([10, 5])
    expect(plan.rows[0].requestedOffset).toBe(5)
    expect(plan.rows[1].requestedOffset).toBeUndefined()
    expect(plan.warnings).toEqual(['new offset (5) is lower than the log start offset of t:0 for group g: it will be set to 10'])
    const high = planGroupReset('g', {kind: 'offset', offset: 1000}, facts())
    expect(high.rows.map((r) => r.newOffset)).toEqual([100, 20])
    expect(high.warnings).toHaveLength(2)
    expect(high.warnings[1]).toMatch(/higher than the log end offset of t:1/)
  })

  it('shifts from the committed offset and refuses partitions without one', () => {
    const plan = planGroupReset('g', {kind: 'shift', by: -45}, facts())
    expect(plan.rows).toHaveLength(1)
    expect(plan.rows[0]).toMatchObject({currentOffset: 50, newOffset: 10, change: -40, requestedOffset: 5, lagAfter: 90})
    expect(plan.problems).toEqual(['cannot shift t:1 for group g: it has no committed offset'])
  })

  it('falls back to the log end when no record is at or after the time', () => {
    const plan = planGroupReset('g', {kind: 'datetime', timestamp: NOW}, facts([null, 4]))
    expect(plan.rows.map((r) => r.newOffset)).toEqual([100, 4])
    expect(plan.warnings).toEqual(['1 partition(s) of group g have no record at or after 2026-06-15T12:00:00.000Z, so they go to their log end offset: t:0'])
  })

  it('reports partitions a file or a source group gives no offset for', () => {
    expect(planGroupReset('g', {kind: 'group', from: 'src'}, facts([7, null])).problems).toEqual(['group src has no committed offset for t:1'])
    expect(planGroupReset('g', {kind: 'file', path: 'p.csv', offsets: []}, facts([null, 1])).problems).toEqual(['p.csv has no offset for t:0 of group g'])
  })

  it('shows change and lag after', () => {
    const [row0, row1] = planGroupReset('g', {kind: 'latest'}, facts()).rows
    expect(row0).toMatchObject({group: 'g', topic: 't', partition: 0, currentOffset: 50, newOffset: 100, change: 50, lagAfter: 0, logStartOffset: 10, logEndOffset: 100})
    expect(row1).toMatchObject({currentOffset: null, change: null})
  })
})

describe('resetTargetFromFlags', () => {
  it('takes exactly one target', () => {
    expect(() => resetTargetFromFlags({}, NOW)).toThrow(/say what to reset to/)
    expect(() => resetTargetFromFlags({'to-earliest': true, 'to-latest': true}, NOW)).toThrow(/--to-earliest and --to-latest/)
    expect(resetTargetFromFlags({'to-earliest': false, 'to-latest': true}, NOW)).toEqual({kind: 'latest'})
  })

  it('parses values', () => {
    expect(resetTargetFromFlags({'shift-by': '-3'}, NOW)).toEqual({kind: 'shift', by: -3})
    expect(resetTargetFromFlags({'shift-by': '+3'}, NOW)).toEqual({kind: 'shift', by: 3})
    expect(resetTargetFromFlags({'to-offset': '42'}, NOW)).toEqual({kind: 'offset', offset: 42})
    expect(resetTargetFromFlags({'to-datetime': '2026-06-15T14:00:00', timezone: 'Europe/Paris'}, NOW)).toEqual({kind: 'datetime', timestamp: NOW})
    expect(resetTargetFromFlags({'to-datetime': '-5m'}, NOW)).toEqual({kind: 'datetime', timestamp: NOW - 300_000})
    expect(resetTargetFromFlags({'to-datetime': '1781524800000'}, NOW)).toEqual({kind: 'datetime', timestamp: 1_781_524_800_000})
    expect(resetTargetFromFlags({'by-duration': 'PT1H'}, NOW)).toEqual({kind: 'duration', ms: 3_600_000, timestamp: NOW - 3_600_000})
    expect(resetTargetFromFlags({'by-duration': '1h30m'}, NOW)).toMatchObject({ms: 5_400_000})
    expect(resetTargetFromFlags({'from-file': 'p.csv'}, NOW)).toEqual({kind: 'file', path: 'p.csv'})
    expect(resetTargetFromFlags({'from-group': 'src'}, NOW)).toEqual({kind: 'group', from: 'src'})
  })

  it('rejects bad values', () => {
    expect(() => resetTargetFromFlags({'to-offset': '-1'}, NOW)).toThrow(/0 or more/)
    expect(() => resetTargetFromFlags({'shift-by': '1.5'}, NOW)).toThrow(/not an integer/)
    expect(() => resetTargetFromFlags({'to-datetime': 'tomorrow'}, NOW)).toThrow(/--to-datetime: "tomorrow"/)
    expect(() => resetTargetFromFlags({'by-duration': 'P1Y'}, NOW)).toThrow(/not a duration/)
    expect(() => resetTargetFromFlags({'to-latest': true, timezone: 'UTC'}, NOW)).toThrow(/--timezone only applies/)
  })
})

describe('scopes', () => {
  it('parses Kafka --topic syntax', () => {
    expect(parseTopicScope('orders')).toEqual({topic: 'orders', partitions: null})
    expect(parseTopicScope('orders:2,0,2')).toEqual({topic: 'orders', partitions: [0, 2]})
    expect(parseTopicScope('orders:0-2,5')).toEqual({topic: 'orders', partitions: [0, 1, 2, 5]})
    expect(parseTopicScope('orders-*:1')).toEqual({topic: 'orders-*', partitions: [1]})
    expect(() => parseTopicScope('orders:3-1')).toThrow(/not topic or topic:partitions/)
    expect(() => parseTopicScope('orders:a')).toThrow(/not topic or topic:partition/)
    expect(() => parseTopicScope(':1')).toThrow()
  })

  it('expands against metadata and reports what does not exist', () => {
    const meta = new Map([['a', [0, 1, 2]], ['b', [0]]])
    expect(resolveScopes([{topic: 'a', partitions: null}, {topic: 'b', partitions: [0, 3]}, {topic: 'c', partitions: null}, {topic: 'a', partitions: [1]}], meta)).toEqual({
      partitions: [{topic: 'a', partition: 0}, {topic: 'a', partition: 1}, {topic: 'a', partition: 2}, {topic: 'b', partition: 0}],
      missing: [{topic: 'b', partition: 3}],
      missingTopics: ['c'],
    })
  })
})

describe('group state', () => {
  it('only Empty and Dead groups can be reset', () => {
    expect(isResettable('Empty')).toBe(true)
    expect(isResettable('Dead')).toBe(true)
    expect(isResettable('Stable')).toBe(false)
    expect(isResettable('PreparingRebalance')).toBe(false)
  })

  it('names the active members in one line', () => {
    const line = activeGroupMessage('g', 'Stable', [{memberId: 'm-1', clientId: 'app', clientHost: '/10.0.0.1'}])
    expect(line).toBe('group g is Stable with 1 active member(s): m-1 (app /10.0.0.1); stop its consumers first (offsets can only be reset in an Empty or Dead group)')
    expect(line).not.toContain('\n')
  })
})
