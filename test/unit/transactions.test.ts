import {describe, expect, it} from 'vitest'

import {heldAtLastStableOffset} from '../../src/domain/lag.js'
import {abortSpecAt, hangingTransactions, parseTopicPartition, type ProducerState, staleOpenTransactions} from '../../src/domain/transactions.js'

const producer = (producerId: number, lastTimestamp: number, start: number | null, coordinatorEpoch = -1): ProducerState =>
  ({producerId, producerEpoch: 3, lastSequence: 9, lastTimestamp, coordinatorEpoch, currentTransactionStartOffset: start})

describe('staleOpenTransactions', () => {
  const partitions = [
    {topic: 'a', partition: 0, producers: [producer(1, 1_000, 10), producer(2, 1_000, null), producer(3, 9_500, 20)]},
    {topic: 'b', partition: 4, producers: [producer(1, 4_000, 0)]},
  ]

  it('keeps open transactions whose producer last wrote longer ago than the bound, strictly', () => {
    expect(staleOpenTransactions(partitions, 10_000, 6_000).map((t) => [t.topic, t.partition, t.producer.producerId])).toEqual([['a', 0, 1]])
    // Exactly the bound is not older than it (the tool compares with >).
    expect(staleOpenTransactions(partitions, 10_000, 9_000)).toEqual([])
    expect(staleOpenTransactions(partitions, 10_000, 0).map((t) => [t.topic, t.producer.producerId])).toEqual([['a', 1], ['a', 3], ['b', 1]])
  })
})

describe('hangingTransactions', () => {
  const open = (topic: string, partition: number, producerId: number) => ({topic, partition, producer: producer(producerId, 0, 5)})
  const candidates = [open('a', 0, 1), open('a', 1, 1), open('b', 0, 2), open('c', 0, 3)]

  it('is every open transaction whose producer id no coordinator lists', () => {
    expect(hangingTransactions(candidates, new Map(), new Map())).toEqual(candidates)
  })

  it('is the partitions the current transaction of the transactional id does not include, or all when the coordinator no longer knows the id', () => {
    const ids = new Map([[1, 'app-1'], [2, 'app-2']])
    const described = new Map([
      ['app-1', {partitions: [{topic: 'a', partition: 0}]}],
      ['app-2', null],
    ])
    expect(hangingTransactions(candidates, ids, described)).toEqual([open('a', 1, 1), open('b', 0, 2), open('c', 0, 3)])
  })
})

describe('abortSpecAt', () => {
  const producers = [producer(7, 0, null, 4), producer(8, 0, 120, -1), producer(9, 0, 130, 6)]

  it('names the producer whose open transaction starts at the offset, coordinator epoch -1 taken as 0', () => {
    expect(abortSpecAt('t', 2, producers, 120)).toEqual({topic: 't', partition: 2, producerId: 8, producerEpoch: 3, coordinatorEpoch: 0})
    expect(abortSpecAt('t', 2, producers, 130)).toEqual({topic: 't', partition: 2, producerId: 9, producerEpoch: 3, coordinatorEpoch: 6})
  })

  it('is undefined when no open transaction starts there', () => {
    expect(abortSpecAt('t', 2, producers, 121)).toBeUndefined()
  })
})

describe('parseTopicPartition', () => {
  it('splits at the last colon and wants a partition number', () => {
    expect(parseTopicPartition('orders:3')).toEqual({topic: 'orders', partition: 3})
    expect(parseTopicPartition('orders')).toBeUndefined()
    expect(parseTopicPartition(':3')).toBeUndefined()
    expect(parseTopicPartition('orders:x')).toBeUndefined()
    expect(parseTopicPartition('orders:-1')).toBeUndefined()
  })
})

describe('heldAtLastStableOffset', () => {
  it('is a group committed exactly at the last stable offset with records after it', () => {
    expect(heldAtLastStableOffset(5, 5, 9)).toBe(true)
    expect(heldAtLastStableOffset(4, 5, 9)).toBe(false)
    expect(heldAtLastStableOffset(9, 9, 9)).toBe(false)
    expect(heldAtLastStableOffset(null, 5, 9)).toBe(false)
    expect(heldAtLastStableOffset(5, null, 9)).toBe(false)
    expect(heldAtLastStableOffset(5, 5, null)).toBe(false)
  })
})
