import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {decodeConsumerAssignment} from '../../src/kafka/groups.js'
import {Reader, Writer} from '../../src/kafka/protocol/codec.js'
import {firstRecordAtOrAfter} from '../../src/kafka/protocol/fetch-one.js'
import {FindCoordinator} from '../../src/kafka/protocol/find-coordinator.js'
import {OffsetFetch} from '../../src/kafka/protocol/offset-fetch.js'
import {compactAssignment} from '../../src/render/groups.js'

import {zigzagVarint} from '../helpers/varint.js'

describe('group protocol pieces', () => {
  it('decodes a classic consumer assignment (ConsumerProtocolAssignment)', () => {
    const w = new Writer().int16(1).array([['orders', [0, 2]], ['audit', [1]]] as const, (w, [topic, ps]) => {
      w.string(topic).array(ps, (w, p) => w.int32(p))
    }).int32(-1)
    expect(decodeConsumerAssignment(w.toBuffer())).toEqual([
      {topic: 'orders', partition: 0}, {topic: 'orders', partition: 2}, {topic: 'audit', partition: 1},
    ])
    expect(decodeConsumerAssignment(Buffer.alloc(0))).toEqual([])
  })

  it('encodes OffsetFetch v8 for many groups and v9 with a null member id', () => {
    const v8 = new Writer()
    OffsetFetch.encode(v8, {groups: [{groupId: 'a', topics: null}, {groupId: 'b', topics: [{name: 't', partitions: [0]}]}]}, 8)
    expect(v8.toBuffer().toString('hex')).toBe([
      '03', // 2 groups
      '0261', '00', '00', // "a", topics null, tags
      '0262', '02', '0274', '02', '00000000', '00', '00', // "b", [t [0]]
      '00', // require_stable
      '00',
    ].join(''))
    const v9 = new Writer()
    OffsetFetch.encode(v9, {groups: [{groupId: 'a', topics: null}]}, 9)
    expect(v9.toBuffer().toString('hex')).toBe('02' + '0261' + '00' + 'ffffffff' + '00' + '00' + '00' + '00')
  })

  it('decodes OffsetFetch v8 answers per group', () => {
    const w = new Writer().int32(0)
      .compactArray(['g'], (w, g) => {
        w.compactString(g).compactArray(['t'], (w, t) => {
          w.compactString(t).compactArray([[0, 42n], [1, -1n]] as const, (w, [p, o]) => {
            w.int32(p).int64(o).int32(-1).compactString(null).int16(0).tags()
          }).tags()
        }).int16(0).tags()
      }).tags()
    expect(OffsetFetch.decode(new Reader(w.toBuffer()), 8)).toEqual([{groupId: 'g', errorCode: 0, partitions: [
      {topic: 't', partition: 0, offset: 42n, metadata: null, errorCode: 0},
      {topic: 't', partition: 1, offset: -1n, metadata: null, errorCode: 0},
    ]}])
  })

  it('batches group keys in one FindCoordinator v4', () => {
    const w = new Writer()
    FindCoordinator.encode(w, {keyType: 0, keys: ['a', 'bc']}, 4)
    expect(w.toBuffer().toString('hex')).toBe('00' + '03' + '0261' + '036263' + '00')
  })

  it('prints assignments compactly', () => {
    expect(compactAssignment([{topic: 'b', partition: 0}, {topic: 'a', partition: 3}, {topic: 'a', partition: 1}, {topic: 'a', partition: 2}, {topic: 'a', partition: 5}]))
      .toBe('a:1-3,5 b:0')
    expect(compactAssignment([])).toBeNull()
  })
})

describe('firstRecordAtOrAfter (lag as time, keys of compacted topics)', () => {
  // Records at even offset deltas have a null key, odd ones the key "k".
  const record = (timestampDelta: number, offsetDelta: number) => {
    const key = offsetDelta % 2 === 0 ? zigzagVarint(-1) : [...zigzagVarint(1), 0x6b]
    const body = Buffer.from([0, ...zigzagVarint(timestampDelta), ...zigzagVarint(offsetDelta), ...key, ...zigzagVarint(1), 0x61, ...zigzagVarint(0)])
    return Buffer.concat([Buffer.from(zigzagVarint(body.length)), body])
  }
  const batch = (baseOffset: number, baseTimestamp: number, deltas: number[], options: {attributes?: number; gzip?: boolean; maxTimestamp?: number} = {}) => {
    let records = Buffer.concat(deltas.map((d, i) => record(d, i)))
    if (options.gzip) records = gzipSync(records)
    const header = Buffer.alloc(61)
    header.writeBigInt64BE(BigInt(baseOffset), 0)
    header.writeInt32BE(61 - 12 + records.length, 8)
    header.writeInt8(2, 16)
    header.writeInt16BE((options.attributes ?? 0) | (options.gzip ? 1 : 0), 21)
    header.writeInt32BE(deltas.length - 1, 23)
    header.writeBigInt64BE(BigInt(baseTimestamp), 27)
    header.writeBigInt64BE(BigInt(options.maxTimestamp ?? baseTimestamp + Math.max(...deltas)), 35)
    header.writeInt32BE(deltas.length, 57)
    return Buffer.concat([header, records])
  }

  it('reads the exact timestamp of the record at an offset inside a batch, and whether its key is null', () => {
    const data = Buffer.concat([batch(10, 1000, [0, 5, 9]), batch(13, 2000, [0, 1])])
    expect(firstRecordAtOrAfter(data, 11)).toEqual({offset: 11, timestamp: 1005, approximate: false, keyless: false})
    expect(firstRecordAtOrAfter(data, 14)).toEqual({offset: 14, timestamp: 2001, approximate: false, keyless: false})
    expect(firstRecordAtOrAfter(data, 13)).toEqual({offset: 13, timestamp: 2000, approximate: false, keyless: true})
    expect(firstRecordAtOrAfter(data, 8)).toEqual({offset: 10, timestamp: 1000, approximate: false, keyless: true})
    expect(firstRecordAtOrAfter(data, 15)).toBeNull()
  })

  it('unpacks gzip batches, skips control batches, and uses the append time for LogAppendTime topics', () => {
    expect(firstRecordAtOrAfter(batch(0, 500, [0, 7], {gzip: true}), 1)).toEqual({offset: 1, timestamp: 507, approximate: false, keyless: false})
    const control = batch(0, 100, [0], {attributes: 0x20})
    expect(firstRecordAtOrAfter(Buffer.concat([control, batch(1, 300, [0])]), 0)).toEqual({offset: 1, timestamp: 300, approximate: false, keyless: true})
    expect(firstRecordAtOrAfter(batch(0, 100, [0, 1], {attributes: 0x08, maxTimestamp: 9999}), 1)).toEqual({offset: 1, timestamp: 9999, approximate: false, keyless: false})
  })

  it('falls back to the batch start for codecs it does not unpack, and ignores a truncated last batch', () => {
    const lz4 = batch(20, 4000, [0, 3])
    lz4.writeInt16BE(3, 21)
    expect(firstRecordAtOrAfter(lz4, 21)).toEqual({offset: 21, timestamp: 4000, approximate: true, keyless: null})
    const whole = batch(0, 100, [0, 1])
    expect(firstRecordAtOrAfter(whole.subarray(0, whole.length - 3), 0)).toBeNull()
  })
})
