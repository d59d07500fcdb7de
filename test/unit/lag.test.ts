import {stripVTControlCharacters} from 'node:util'
import {describe, expect, it} from 'vitest'

import {
  buildGroupLag, buildPartitionLags, etaMs, expandOptionalFlag, filterGroupLag, formatDuration, type GroupInfo, groupsAbove,
  lagRates, lagTotals, listRow, rateWindow, partitionKey, partitionLag, partitionsNeedingTimestamps, sampleOf, sortGroups, summariseLag,
} from '../../src/domain/lag.js'
import {parseStates} from '../../src/domain/group-flags.js'
import {makeChalk} from '../../src/render/colour.js'
import {renderLagSummary} from '../../src/render/groups.js'

const member = {memberId: 'm-1', instanceId: null, clientId: 'app', host: '/10.0.0.1', assignment: [{topic: 'a', partition: 0}, {topic: 'a', partition: 2}]}
const logEnds = new Map([[partitionKey('a', 0), 100], [partitionKey('a', 1), 50], [partitionKey('a', 2), 7], [partitionKey('b', 0), 10]])
const info: GroupInfo = {groupId: 'g', state: 'Stable', type: 'classic', protocolType: 'consumer', assignor: 'range', coordinator: 1, members: [member]}

describe('partitionLag', () => {
  it('is log-end minus committed, like ConsumerGroupCommand, and unknown without either', () => {
    expect(partitionLag(40, 100)).toBe(60)
    expect(partitionLag(100, 100)).toBe(0)
    expect(partitionLag(null, 100)).toBeNull()
    expect(partitionLag(5, null)).toBeNull()
    // A commit beyond the log end (log truncated) shows as Kafka's tool shows it.
    expect(partitionLag(12, 10)).toBe(-2)
  })
})

describe('buildPartitionLags', () => {
  const rows = buildPartitionLags([member], [{topic: 'a', partition: 0, offset: 40}, {topic: 'a', partition: 1, offset: 50}, {topic: 'b', partition: 0, offset: 3}], logEnds)

  it('has one row per committed or assigned partition, sorted, with owners', () => {
    expect(rows.map((r) => `${r.topic}:${r.partition}`)).toEqual(['a:0', 'a:1', 'a:2', 'b:0'])
    expect(rows[0]).toEqual({topic: 'a', partition: 0, committed: 40, logEnd: 100, lag: 60, owner: {memberId: 'm-1', clientId: 'app', host: '/10.0.0.1'}})
    expect(rows[1].owner).toBeNull()
  })

  it('keeps an assigned partition without a commit as "no offset", not lag 0', () => {
    expect(rows[2]).toMatchObject({committed: null, logEnd: 7, lag: null})
  })

  it('totals per topic and group, with the partition of the largest lag', () => {
    const totals = lagTotals(rows)
    expect(totals.totalLag).toBe(67)
    expect(totals.maxLag).toEqual({topic: 'a', partition: 0, lag: 60})
    expect(totals.topics).toEqual([
      {topic: 'a', partitions: 3, withoutOffset: 1, lag: 60},
      {topic: 'b', partitions: 1, withoutOffset: 0, lag: 7},
    ])
    expect(totals.timeLagMs).toBeUndefined()
  })

  it('filters by topic and lagging partitions, recomputing totals', () => {
    const group = buildGroupLag(info, rows)
    const onlyB = filterGroupLag(group, {topics: ['b']})
    expect(onlyB.partitions.map((p) => p.topic)).toEqual(['b'])
    expect(onlyB.totalLag).toBe(7)
    const lagging = filterGroupLag(group, {onlyLagging: true})
    expect(lagging.partitions.map((p) => `${p.topic}:${p.partition}`)).toEqual(['a:0', 'b:0'])
    expect(lagging.totalLag).toBe(67)
  })

  it('asks for record timestamps only where there is lag', () => {
    expect(partitionsNeedingTimestamps(rows)).toEqual([{topic: 'a', partition: 0, offset: 40}, {topic: 'b', partition: 0, offset: 3}])
  })
})

describe('lag as time', () => {
  const now = 1_000_000
  const rows = (timestamps: Array<number | null>, lags: number[]) => timestamps.map((t, i) => ({
    topic: 't', partition: i, committed: 0, logEnd: lags[i], lag: lags[i], owner: null, oldestUnconsumedTimestamp: t,
  }))

  it('is the age of the oldest unconsumed record over all partitions', () => {
    const totals = lagTotals(rows([990_000, 400_000, null], [5, 3, 0]), now)
    expect(totals.timeLagMs).toBe(600_000)
    expect(totals.oldestUnconsumedTimestamp).toBe(400_000)
  })

  it('is 0 without lag and unknown when a lagging partition has no readable record', () => {
    expect(lagTotals(rows([null, null], [0, 0]), now).timeLagMs).toBe(0)
    expect(lagTotals(rows([null], [4]), now).timeLagMs).toBeNull()
    expect(lagTotals(rows([now + 5000], [1]), now).timeLagMs).toBe(0) // clock skew: never negative
  })
})

describe('rates and ETA between --watch samples', () => {
  const partitions = (committed: number, logEnd: number) => [{topic: 't', partition: 0, committed, logEnd, lag: logEnd - committed, owner: null}]

  it('measures consume and produce rates and the time to catch up', () => {
    const rates = lagRates(sampleOf(0, partitions(100, 400)), sampleOf(10_000, partitions(300, 450)))
    expect(rates).toEqual({consumeRate: 20, produceRate: 5, lagRate: -15, etaMs: 10_000})
    expect(etaMs(150, 20, 5)).toBe(10_000)
  })

  it('says "never" (null) while the group is not catching up, and 0 without lag', () => {
    expect(etaMs(100, 5, 5)).toBeNull()
    expect(etaMs(100, 1, 5)).toBeNull()
    expect(etaMs(0, 0, 5)).toBe(0)
  })

  it('ignores partitions that appear between samples', () => {
    const before = sampleOf(0, partitions(100, 200))
    const after = sampleOf(1000, [...partitions(110, 200), {topic: 't', partition: 1, committed: 5000, logEnd: 5000, lag: 0, owner: null}])
    expect(lagRates(before, after)?.consumeRate).toBe(10)
  })

  it('gives a group that keeps up an ETA, not "never", when its lag wobbles with each batch', () => {
    // 10 s: 1000 read, 1010 written, lag 50 → 60: within 5% of what was written.
    const rates = lagRates(sampleOf(0, partitions(100, 150)), sampleOf(10_000, partitions(1100, 1160)))
    expect(rates).toEqual({consumeRate: 100, produceRate: 101, lagRate: 1, etaMs: 600})
    // Lag growing by more than that is falling behind.
    expect(lagRates(sampleOf(0, partitions(100, 150)), sampleOf(10_000, partitions(1100, 1300)))?.etaMs).toBeNull()
    expect(etaMs(100, 5, 5, true)).toBe(20_000)
    expect(etaMs(100, 0, 5, true)).toBeNull()
  })

  it('measures rates over a 30 s window, keeping at least the previous sample', () => {
    const at = (t: number) => sampleOf(t, partitions(t, t))
    expect(rateWindow([at(0), at(10_000), at(20_000), at(35_000)], 45_000).map((s) => s.at)).toEqual([20_000, 35_000])
    expect(rateWindow([at(0)], 100_000).map((s) => s.at)).toEqual([0])
  })

  it('has no rate for samples taken at the same instant', () => {
    expect(lagRates(sampleOf(5, partitions(1, 2)), sampleOf(5, partitions(1, 2)))).toBeNull()
  })
})

describe('summaries', () => {
  const a = buildGroupLag({...info, groupId: 'a'}, buildPartitionLags([], [{topic: 'x', partition: 0, offset: 1}], new Map([[partitionKey('x', 0), 11]])))
  const b = buildGroupLag({...info, groupId: 'b', members: []}, buildPartitionLags([], [{topic: 'x', partition: 1, offset: 0}], new Map([[partitionKey('x', 1), 30]])))
  const c = buildGroupLag({...info, groupId: 'c', members: []}, [])

  it('sorts by lag (largest first) or name, and picks groups above a threshold', () => {
    expect(sortGroups([a, b, c], 'lag').map((g) => g.groupId)).toEqual(['b', 'a', 'c'])
    expect(sortGroups([c, b, a], 'name').map((g) => g.groupId)).toEqual(['a', 'b', 'c'])
    expect(groupsAbove([a, b, c], 10).map((g) => g.groupId)).toEqual(['b'])
    expect(groupsAbove([a, b, c], 30)).toEqual([])
  })

  it('summarises the cluster: total lag and the worst partition of any group', () => {
    const summary = summariseLag([a, b, c], Date.UTC(2026, 0, 1))
    expect(summary).toMatchObject({at: '2026-01-01T00:00:00.000Z', totalLag: 40, maxLag: {groupId: 'b', topic: 'x', partition: 1, lag: 30}})
    expect(summary.groups[0]).toEqual({groupId: 'a', state: 'Stable', members: 1, partitions: 1, withoutOffset: 0, totalLag: 10, maxLag: {topic: 'x', partition: 0, lag: 10}, timeLagMs: null, oldestUnconsumedTimestamp: null})
  })

  it('on a --watch screen too short for every group: the worst ones, and a line counting the others', () => {
    const summary = summariseLag([a, c, b], Date.UTC(2026, 0, 1))
    const lines = stripVTControlCharacters(renderLagSummary(summary, makeChalk(false), {maxGroups: 2})).split('\n')
    expect(lines.filter((l) => /^[abc] /.test(l)).map((l) => l[0])).toEqual(['a', 'b'])
    expect(lines).toContain('… 1 more group with 0 lag in all (the terminal is too short to show them)')
    expect(lines.at(-1)).toBe('Total lag: 40 over 3 groups, max 30 (b on x:1)')
    expect(renderLagSummary(summary, makeChalk(false), {maxGroups: 3})).not.toContain('more group')
  })

  it('lists topics from commits and assignments; lag is null with --no-lag', () => {
    expect(listRow(a, true)).toMatchObject({groupId: 'a', members: 1, topics: ['a', 'x'], totalLag: 10})
    expect(listRow(a, false).totalLag).toBeNull()
  })
})

describe('flags', () => {
  it('expands a bare --watch to its default and leaves given values alone', () => {
    expect(expandOptionalFlag(['g1', '--watch'], ['--watch', '-w'], '5')).toEqual(['g1', '--watch=5'])
    expect(expandOptionalFlag(['--watch', 'g1'], ['--watch', '-w'], '5')).toEqual(['--watch=5', 'g1'])
    expect(expandOptionalFlag(['--watch', '2', 'g1'], ['--watch', '-w'], '5')).toEqual(['--watch', '2', 'g1'])
    expect(expandOptionalFlag(['--watch=3'], ['--watch', '-w'], '5')).toEqual(['--watch=3'])
    expect(expandOptionalFlag(['--', '--watch'], ['--watch', '-w'], '5')).toEqual(['--', '--watch'])
    expect(expandOptionalFlag(['-w', '-o', 'json'], ['--watch', '-w'], '5')).toEqual(['--watch=5', '-o', 'json'])
  })

  it('parses states case-insensitively into Kafka spelling and rejects unknown ones', () => {
    expect(parseStates(['stable,EMPTY', 'preparingrebalance'])).toEqual(['Stable', 'Empty', 'PreparingRebalance'])
    expect(() => parseStates(['sleeping'])).toThrow(/not a group state/)
  })

  it('formats durations for humans', () => {
    expect(formatDuration(850)).toBe('850ms')
    expect(formatDuration(42_000)).toBe('42s')
    expect(formatDuration(845_000)).toBe('14m05s')
    expect(formatDuration(3 * 3_600_000 + 12 * 60_000)).toBe('3h12m')
    expect(formatDuration(52 * 3_600_000)).toBe('2d04h')
  })
})
