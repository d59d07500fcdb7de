import {describe, expect, it} from 'vitest'

import {Reader, Writer} from '../../src/kafka/protocol/codec.js'
import {LATEST_TIMESTAMP, ListOffsets} from '../../src/kafka/protocol/list-offsets.js'

describe('ListOffsets', () => {
  it('encodes v7 (flexible): one timestamp for every partition, unknown leader epochs', () => {
    const w = new Writer()
    ListOffsets.encode(w, {isolationLevel: 1, timestamp: LATEST_TIMESTAMP, topics: [{name: 't', partitions: [0, 5]}]}, 7)
    const partition = (p: number) => [0, 0, 0, p, 0xff, 0xff, 0xff, 0xff, ...Array(8).fill(0xff), 0]
    expect([...w.toBuffer()]).toEqual([
      0xff, 0xff, 0xff, 0xff, 1, // replica id -1, read_committed
      2, 2, 0x74, 3, ...partition(0), ...partition(5), 0, // 1 topic "t", 2 partitions, tags
      0,
    ])
  })

  it('encodes v2 (plain arrays, no leader epoch) with a timestamp', () => {
    const w = new Writer()
    ListOffsets.encode(w, {isolationLevel: 0, timestamp: 1_700_000_000_000, topics: [{name: 't', partitions: [1]}]}, 2)
    const r = new Reader(w.toBuffer())
    expect([r.int32(), r.int8(), r.int32(), r.string(), r.int32(), r.int32(), r.int64()]).toEqual([-1, 0, 1, 't', 1, 1, 1_700_000_000_000n])
    expect(r.remaining).toBe(0)
  })

  it('decodes v7 per-partition answers as numbers, errors included', () => {
    const w = new Writer().int32(0).compactArray(['a'], (w, name) => {
      w.compactString(name).compactArray([[0, 0, 42], [1, 6, -1]], (w, [p, error, offset]) => {
        w.int32(p).int16(error).int64(-1).int64(offset).int32(3).tags()
      }).tags()
    }).tags()
    expect(ListOffsets.decode(new Reader(w.toBuffer()), 7)).toEqual([
      {topic: 'a', partition: 0, errorCode: 0, offset: 42, timestamp: -1},
      {topic: 'a', partition: 1, errorCode: 6, offset: -1, timestamp: -1},
    ])
  })

  it('skips tagged fields of a partition, reads more than 127 partitions, and fails on a truncated v7 response', () => {
    const ids = Array.from({length: 130}, (_, i) => i)
    const whole = new Writer().int32(0).compactArray(['a'], (w, name) => {
      w.compactString(name).compactArray(ids, (w, p) => {
        w.int32(p).int16(0).int64(1_700_000_000_000 + p).int64(p * 10).int32(0)
        if (p === 2) w.uvarint(1).uvarint(0).uvarint(3).raw(Buffer.from([1, 2, 3]))
        else w.tags()
      }).tags()
    }).tags().toBuffer()
    const r = new Reader(whole)
    const decoded = ListOffsets.decode(r, 7)
    expect(r.remaining).toBe(0)
    expect(decoded).toHaveLength(130)
    expect(decoded[3]).toEqual({topic: 'a', partition: 3, errorCode: 0, offset: 30, timestamp: 1_700_000_000_003})
    expect(decoded[129].offset).toBe(1290)
    for (const cut of [12, 60, whole.length - 30]) expect(() => ListOffsets.decode(new Reader(whole.subarray(0, cut)), 7), `cut at ${cut}`).toThrow(/truncated/)
  })
})
