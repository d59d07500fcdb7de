import {describe, expect, it} from 'vitest'

import {assessTopics, isUnhealthy, matchesHealthFilter, partitionMarkers} from '../../src/domain/topic-health.js'

const p = (partition: number, leader: number, replicas: number[], isr: number[]) => ({partition, leader, replicas, isr})

describe('partitionMarkers', () => {
  it('a healthy partition led by its preferred replica has no marker', () => {
    expect(partitionMarkers(p(0, 1, [1, 2, 3], [1, 2, 3]), 2)).toEqual([])
  })

  it('marks under-replicated and at-min-isr', () => {
    expect(partitionMarkers(p(0, 1, [1, 2, 3], [1, 2]), 2)).toEqual(['under-replicated', 'at-min-isr'])
  })

  it('marks under-min-isr below min.insync.replicas', () => {
    expect(partitionMarkers(p(0, 1, [1, 2, 3], [1]), 2)).toEqual(['under-replicated', 'under-min-isr'])
  })

  it('marks a partition without a leader (-1 or null) unavailable and never calls it not-preferred', () => {
    expect(partitionMarkers(p(0, -1, [1, 2], [2]), 1)).toEqual(['unavailable', 'under-replicated', 'at-min-isr'])
    expect(partitionMarkers({leader: null, replicas: [1], isr: [1]}, null)).toEqual(['unavailable'])
  })

  it('a leader that is not a live broker counts as unavailable', () => {
    expect(partitionMarkers(p(0, 4, [4, 1], [4, 1]), 1, new Set([1, 2, 3]))).toContain('unavailable')
  })

  it('marks a leader that is not the first replica', () => {
    expect(partitionMarkers(p(0, 2, [1, 2, 3], [1, 2, 3]), 1)).toEqual(['not-preferred-leader'])
  })

  it('without min.insync.replicas, no min-ISR marker', () => {
    expect(partitionMarkers(p(0, 1, [1, 2], [1]), undefined)).toEqual(['under-replicated'])
  })
})

describe('assessTopics', () => {
  it('counts markers per topic with each topic\'s min ISR', () => {
    const [a, b] = assessTopics([
      {name: 'a', partitions: [p(0, 1, [1, 2, 3], [1, 2, 3]), p(1, -1, [2, 3, 1], [2]), p(2, 3, [1, 3, 2], [3, 1])]},
      {name: 'b', partitions: [p(0, 1, [1, 2], [1])]},
    ], new Map([['a', 2], ['b', 1]]))
    expect(a).toMatchObject({name: 'a', partitions: 3, unavailable: 1, underReplicated: 2, underMinIsr: 1, atMinIsr: 1, notPreferredLeader: 1})
    expect(a.markers.get(0)).toEqual([])
    expect(b).toMatchObject({underReplicated: 1, atMinIsr: 1, underMinIsr: 0})
    expect(isUnhealthy(a)).toBe(true)
    expect(isUnhealthy({...b, underReplicated: 0})).toBe(false)
  })
})

describe('matchesHealthFilter (kafka-topics semantics)', () => {
  it('no filter keeps everything', () => {
    expect(matchesHealthFilter([], [])).toBe(true)
  })

  it('unavailable also counts as under min ISR', () => {
    expect(matchesHealthFilter(['unavailable'], ['unavailable'])).toBe(true)
    expect(matchesHealthFilter(['unavailable'], ['under-min-isr'])).toBe(true)
    expect(matchesHealthFilter(['unavailable'], ['at-min-isr'])).toBe(false)
  })

  it('filters are or-ed', () => {
    expect(matchesHealthFilter(['at-min-isr'], ['under-replicated', 'at-min-isr'])).toBe(true)
    expect(matchesHealthFilter(['not-preferred-leader'], ['under-replicated', 'at-min-isr'])).toBe(false)
  })
})
