import {describe, expect, it} from 'vitest'

import {AlterShareGroupOffsets} from '../../src/kafka/protocol/alter-share-group-offsets.js'
import {Reader, Writer} from '../../src/kafka/protocol/codec.js'
import {DeleteShareGroupOffsets} from '../../src/kafka/protocol/delete-share-group-offsets.js'
import {DescribeShareGroupOffsets} from '../../src/kafka/protocol/describe-share-group-offsets.js'

const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ'

const decode = <T>(spec: {decode(r: Reader, v: number): T}, w: Writer, version: number) => {
  const r = new Reader(w.toBuffer())
  const out = spec.decode(r, version)
  expect(r.remaining, 'every byte read').toBe(0)
  return out
}

describe('DescribeShareGroupOffsets', () => {
  it('asks for every partition of many groups (topics null)', () => {
    const w = new Writer()
    DescribeShareGroupOffsets.encode(w, ['a', 'b'], 1)
    const r = new Reader(w.toBuffer())
    const groups = r.compactArray(() => {
      const id = r.compactString()
      expect(r.uvarint()).toBe(0) // null topics
      r.tags()
      return id
    })
    r.tags()
    expect([groups, r.remaining]).toEqual([['a', 'b'], 0])
  })

  it.each([0, 1])('reads start offsets and group and partition errors (v%i; v1 adds the lag)', (version) => {
    const w = new Writer().int32(0)
    w.compactArray([['g', 0], ['missing', 69]] as const, (w, [id, error]) => {
      w.compactString(id)
      w.compactArray(error ? [] : ['t'], (w, topic) => {
        w.compactString(topic).uuid(TOPIC_ID)
        w.compactArray([[0, 4n], [1, -1n]] as const, (w, [partition, start]) => {
          w.int32(partition).int64(start).int32(3)
          if (version >= 1) w.int64(7n)
          w.int16(0).compactString(null).tags()
        })
        w.tags()
      })
      w.int16(error).compactString(error ? 'Group missing does not exist' : null).tags()
    })
    w.tags()
    expect(decode(DescribeShareGroupOffsets, w, version)).toEqual([
      {groupId: 'g', errorCode: 0, errorMessage: null, partitions: [
        {topic: 't', partition: 0, startOffset: 4, errorCode: 0, errorMessage: null},
        {topic: 't', partition: 1, startOffset: -1, errorCode: 0, errorMessage: null},
      ]},
      {groupId: 'missing', errorCode: 69, errorMessage: 'Group missing does not exist', partitions: []},
    ])
  })
})

describe('AlterShareGroupOffsets', () => {
  it('sends the start offsets grouped by topic and reads the group and partition errors (v0)', () => {
    const w = new Writer()
    AlterShareGroupOffsets.encode(w, {groupId: 'g', offsets: [{topic: 't', partition: 0, startOffset: 5}, {topic: 'u', partition: 1, startOffset: 0}, {topic: 't', partition: 2, startOffset: 9}]}, 0)
    const r = new Reader(w.toBuffer())
    expect(r.compactString()).toBe('g')
    const topics = r.compactArray(() => {
      const topic = r.compactString()
      const partitions = r.compactArray(() => {
        const p = [r.int32(), r.int64()]
        r.tags()
        return p
      })
      r.tags()
      return [topic, partitions]
    })
    r.tags()
    expect([topics, r.remaining]).toEqual([[['t', [[0, 5n], [2, 9n]]], ['u', [[1, 0n]]]], 0])

    const answer = new Writer().int32(0).int16(0).compactString(null)
    answer.compactArray(['t'], (w, topic) => {
      w.compactString(topic).uuid(TOPIC_ID)
      w.compactArray([[0, 0], [2, 3]] as const, (w, [partition, error]) => w.int32(partition).int16(error).compactString(error ? 'no such partition' : null).tags())
      w.tags()
    })
    answer.tags()
    expect(decode(AlterShareGroupOffsets, answer, 0)).toEqual({errorCode: 0, errorMessage: null, partitions: [
      {topic: 't', partition: 0, errorCode: 0, errorMessage: null},
      {topic: 't', partition: 2, errorCode: 3, errorMessage: 'no such partition'},
    ]})
    const refused = new Writer().int32(0).int16(68).compactString('the group is not empty').compactArray([], () => {}).tags()
    expect(decode(AlterShareGroupOffsets, refused, 0)).toEqual({errorCode: 68, errorMessage: 'the group is not empty', partitions: []})
  })
})

describe('DeleteShareGroupOffsets', () => {
  it('sends whole topics and reads the group and topic errors (v0)', () => {
    const w = new Writer()
    DeleteShareGroupOffsets.encode(w, {groupId: 'g', topics: ['t', 'u']}, 0)
    const r = new Reader(w.toBuffer())
    expect(r.compactString()).toBe('g')
    const topics = r.compactArray(() => {
      const topic = r.compactString()
      r.tags()
      return topic
    })
    r.tags()
    expect([topics, r.remaining]).toEqual([['t', 'u'], 0])

    const answer = new Writer().int32(0).int16(0).compactString(null)
    answer.compactArray([['t', 0], ['u', 3]] as const, (w, [topic, error]) => w.compactString(topic).uuid(TOPIC_ID).int16(error).compactString(null).tags())
    answer.tags()
    expect(decode(DeleteShareGroupOffsets, answer, 0)).toEqual({errorCode: 0, errorMessage: null, topics: [
      {topic: 't', errorCode: 0, errorMessage: null},
      {topic: 'u', errorCode: 3, errorMessage: null},
    ]})
  })
})
