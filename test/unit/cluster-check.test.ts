import {describe, expect, it} from 'vitest'

import {CHECK_IDS, type CheckSnapshot, failsAt, resolveThresholds, runChecks, selectChecks} from '../../src/domain/cluster-check.js'
import {withState} from '../../src/domain/partition-state.js'

const DEFAULTS = resolveThresholds({})

function snapshot(extra: Partial<CheckSnapshot> = {}): CheckSnapshot {
  return {brokers: [1, 2, 3], partitions: [], placement: [], topics: [], logDirs: [], keyless: [], groups: [], logStarts: new Map(), lastConsumed: new Map(), at: 1_000_000, ...extra}
}

describe('cluster check thresholds', () => {
  it('take the flag, else the context, else the default; a bad value names where it came from', () => {
    expect(DEFAULTS).toEqual({maxPartitionsPerBroker: 4000, maxSkewPercent: 25, maxLeaderImbalancePercent: 10, minFreeDiskPercent: 10, maxLag: 10_000, maxLagTimeMs: 300_000, maxEmptyGroupAgeMs: 604_800_000})
    expect(resolveThresholds({'max-lag': '5'}, {'max-lag': '7', 'max-lag-time': '1h'})).toMatchObject({maxLag: 5, maxLagTimeMs: 3_600_000})
    expect(() => resolveThresholds({}, {'max-lag': '1.5'})).toThrow('checks: max-lag "1.5" is not a whole number')
    expect(() => resolveThresholds({'min-free-disk': 'ten'})).toThrow('--min-free-disk "ten" is not a percentage (e.g. 25)')
    expect(() => resolveThresholds({}, {lag: '1'})).toThrow(/^checks: unknown threshold lag \(known: /)
  })

  it('--only and --skip take check ids and categories', () => {
    expect([...selectChecks(['consumers'], ['empty-group'])]).toEqual(['group-lag', 'offsets-below-log-start'])
    expect(selectChecks([], []).size).toBe(CHECK_IDS.length)
    expect(() => selectChecks(['nope'], [])).toThrow(/^"nope" is neither a check nor a category/)
  })
})

describe('runChecks', () => {
  it('is silent on a healthy snapshot and orders errors first', () => {
    const healthy = withState({topic: 'a', partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3], offlineReplicas: []}, 2)
    const s = snapshot({partitions: [healthy], placement: [healthy], topics: [{topic: 'a', internal: false, replicationFactor: 3, configs: {'min.insync.replicas': '2', 'cleanup.policy': 'delete', 'retention.ms': '604800000', 'retention.bytes': '-1'}}]})
    expect(runChecks(s, DEFAULTS)).toEqual([])

    const offline = withState({topic: 'b', partition: 0, leader: -1, replicas: [2], isr: [], offlineReplicas: [2]}, 1)
    const withFaults = snapshot({partitions: [healthy, offline], placement: [healthy, offline], topics: [...s.topics, {topic: 'b', internal: false, replicationFactor: 1, configs: {'min.insync.replicas': '1'}}]})
    expect(runChecks(withFaults, DEFAULTS).map((f) => [f.check, f.severity, f.objects])).toEqual([
      ['offline-partitions', 'error', ['b-0']],
      ['under-min-isr', 'error', ['b-0']],
      ['under-replicated', 'warn', ['b-0']],
      ['replication-factor-1', 'warn', ['b']],
      // Broker 2 is registered here, and does not lead the one partition it is preferred for.
      ['preferred-leader-imbalance', 'warn', ['broker 2']],
    ])
    expect(failsAt(runChecks(withFaults, DEFAULTS, new Set(['under-replicated'])), 'error')).toBe(false)
    expect(failsAt(runChecks(withFaults, DEFAULTS), 'error')).toBe(true)
  })

  it('names the brokers in replica sets that the metadata does not list (down, fenced or shut down)', () => {
    const withFour = withState({topic: 'c', partition: 0, leader: 1, replicas: [1, 4], isr: [1], offlineReplicas: [4]}, 1)
    const alsoFive = withState({topic: 'c', partition: 1, leader: 2, replicas: [2, 5, 4], isr: [2], offlineReplicas: [5, 4]}, 1)
    const findings = runChecks(snapshot({placement: [withFour, alsoFive]}), DEFAULTS, new Set(['offline-brokers']))
    expect(findings).toEqual([{
      check: 'offline-brokers', category: 'replication', severity: 'error', objects: ['broker 4', 'broker 5'],
      message: '2 brokers holding replicas but not in the cluster\'s metadata (4, 5): down, fenced or shut down',
      why: 'their replicas are out of sync: what they led moved or went offline, and the partitions they share with one more lost broker go offline',
      fix: 'kadm partitions list --broker 4',
    }])
    // Every replica on a listed broker: nothing to say.
    expect(runChecks(snapshot({placement: [withState({topic: 'c', partition: 0, leader: 1, replicas: [1, 3], isr: [1, 3], offlineReplicas: []}, 1)]}), DEFAULTS, new Set(['offline-brokers']))).toEqual([])
  })

  it('counts skew only beyond the percentage and 5 partitions above the average', () => {
    const on = (leader: number) => ({leader, replicas: [leader]})
    const placement = [...Array.from({length: 10}, () => on(1)), on(2), on(3)]
    expect(runChecks(snapshot({placement}), DEFAULTS).map((f) => [f.check, f.objects])).toEqual([['partition-skew', ['broker 1']], ['leader-skew', ['broker 1']]])
    expect(runChecks(snapshot({placement: placement.slice(5)}), DEFAULTS)).toEqual([])
  })

  it('names the compacted topics holding keyless records once each, with their partitions', () => {
    const [finding] = runChecks(snapshot({keyless: ['my-topic-1', 'my-topic-0', 'other-2']}), DEFAULTS)
    expect(finding).toMatchObject({
      check: 'compact-without-keys', category: 'config', severity: 'warn', objects: ['my-topic', 'other'],
      message: '2 compacted topics holding records without keys (3 partitions: my-topic-0, my-topic-1, other-2)', fix: 'kadm configs get topic my-topic',
    })
  })
})
