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
})
