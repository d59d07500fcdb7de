import {describe, expect, it} from 'vitest'

import {isHealthy, matchesFilter, partitionMarkers, predictElection, summarise, withState} from '../../src/domain/partition-state.js'
import {groupSizes, sortSizes} from '../../src/domain/partition-sizes.js'

const p = (leader: number, replicas: number[], isr: number[]) => ({topic: 't', partition: 0, leader, replicas, isr, offlineReplicas: []})

describe('partitionMarkers', () => {
  it('marks a healthy partition with nothing', () => {
    expect(partitionMarkers(p(1, [1, 2, 3], [1, 2, 3]), 2)).toEqual([])
  })

  it('marks a lost follower as under-replicated and at min ISR', () => {
    expect(partitionMarkers(p(1, [1, 2, 3], [1, 2]), 2)).toEqual(['under-replicated', 'at-min-isr'])
  })

  it('does not count replicas a reassignment is adding as out of sync (TopicCommand), but does count a lost one', () => {
    expect(partitionMarkers({...p(1, [1, 2], [1]), addingReplicas: [2]}, null)).toEqual([])
    expect(partitionMarkers({...p(1, [1, 2, 3], [1]), addingReplicas: [3]}, 1)).toEqual(['under-replicated', 'at-min-isr'])
  })

  it('marks a leader that is not the first replica', () => {
    expect(partitionMarkers(p(2, [1, 2, 3], [2, 3, 1]), 1)).toEqual(['not-preferred-leader'])
  })

  it('marks a leaderless partition unavailable, not "not preferred"', () => {
    expect(partitionMarkers(p(-1, [1, 2], [1]), 2)).toEqual(['unavailable', 'under-replicated', 'under-min-isr'])
    expect(partitionMarkers(p(3, [3], [3]), null, new Set([1, 2]))).toEqual(['unavailable'])
  })

  it('filters by markers (any of them) and broker, and counts per state', () => {
    const rows = [withState(p(1, [1, 2], [1, 2]), 1), withState({...p(2, [1, 2], [2]), partition: 1}, 1)]
    expect(rows.filter((r) => matchesFilter(r, {markers: ['under-replicated']})).map((r) => r.partition)).toEqual([1])
    expect(rows.filter((r) => matchesFilter(r, {markers: [], broker: 3}))).toEqual([])
    expect(summarise(rows)).toMatchObject({partitions: 2, healthy: 1, 'under-replicated': 1, 'not-preferred-leader': 1, 'at-min-isr': 1})
    expect(rows.map(isHealthy)).toEqual([true, false])
  })
})

describe('groupSizes', () => {
  const replicas = [
    {topic: 'a', partition: 0, broker: 1, logDir: '/d1', bytes: 100},
    {topic: 'a', partition: 0, broker: 2, logDir: '/d2', bytes: 90},
    {topic: 'a', partition: 1, broker: 2, logDir: '/d2', bytes: 10},
    {topic: 'b', partition: 0, broker: 1, logDir: '/d1', bytes: 500},
  ]
  const dirs = [{broker: 1, logDir: '/d1', bytes: 600, totalBytes: 1000, usableBytes: 400}, {broker: 2, logDir: '/d2', bytes: 100, totalBytes: null, usableBytes: null}]

  it('sizes a partition by its largest replica and a topic by its partitions', () => {
    expect(sortSizes(groupSizes(replicas, dirs, 'partition'), 'name').map((r) => [r.name, r.bytes, r.replicas])).toEqual([['a-0', 100, 2], ['a-1', 10, 1], ['b-0', 500, 1]])
    expect(sortSizes(groupSizes(replicas, dirs, 'topic'), 'size').map((r) => [r.name, r.bytes])).toEqual([['b', 500], ['a', 110]])
  })

  it('sums disk use per broker', () => {
    expect(groupSizes(replicas, dirs, 'broker').map((r) => [r.name, r.bytes, r.replicas, r.usableBytes])).toEqual([['1', 600, 2, 400], ['2', 100, 2, null]])
  })

  it('marks an offline log dir, and the broker that has one', () => {
    const offline = [...dirs, {broker: 2, logDir: '/d3', bytes: 0, totalBytes: null, usableBytes: null, error: 'KAFKA_STORAGE_ERROR'}]
    expect(groupSizes(replicas, offline, 'logdir').map((r) => [r.name, r.error])).toEqual([['1:/d1', undefined], ['2:/d2', undefined], ['2:/d3', 'KAFKA_STORAGE_ERROR']])
    expect(groupSizes(replicas, offline, 'broker').map((r) => [r.name, r.error])).toEqual([['1', undefined], ['2', 'a log dir is offline']])
  })
})

describe('predictElection', () => {
  it('preferred: elects the first replica when it is in the ISR', () => {
    expect(predictElection(withState(p(2, [1, 2], [2, 1]), 1), 'preferred')).toEqual({outcome: 'would-elect', newLeader: 1})
    expect(predictElection(withState(p(1, [1, 2], [1, 2]), 1), 'preferred')).toEqual({outcome: 'already-leader'})
    expect(predictElection(withState(p(2, [1, 2], [2]), 1), 'preferred')).toEqual({outcome: 'not-eligible'})
  })

  it('unclean: only a leaderless partition changes, to a live replica', () => {
    expect(predictElection(withState(p(1, [1, 2], [1]), 1), 'unclean')).toEqual({outcome: 'already-leader'})
    const leaderless = {...p(-1, [1, 2, 3], [1]), offlineReplicas: [1]}
    expect(predictElection(withState(leaderless, 1), 'unclean')).toEqual({outcome: 'would-elect', newLeader: 2})
    expect(predictElection(withState({...p(-1, [1], [1]), offlineReplicas: [1]}, 1), 'unclean')).toEqual({outcome: 'not-eligible'})
  })
})
