import {describe, expect, it} from 'vitest'

import {Reader, Writer, ZERO_UUID} from '../../src/kafka/protocol/codec.js'
import {Metadata} from '../../src/kafka/protocol/metadata.js'
import {negotiateVersion} from '../../src/kafka/protocol/transport.js'

describe('codec', () => {
  it('round-trips every primitive', () => {
    const w = new Writer(4)
      .int8(-3).int16(-300).int32(70_000).int64(2n ** 60n).boolean(true)
      .uvarint(0).uvarint(127).uvarint(128).uvarint(300_000)
      .string('héllo').string(null).compactString('kafka').compactString(null)
      .compactArray([1, 2, 3], (w, n) => w.int32(n)).compactArray(null, () => {})
      .array(['a'], (w, s) => w.string(s)).uuid('AAECAwQFBgcICQoLDA0ODw').tags()
    const r = new Reader(w.toBuffer())
    expect([r.int8(), r.int16(), r.int32(), r.int64(), r.boolean()]).toEqual([-3, -300, 70_000, 2n ** 60n, true])
    expect([r.uvarint(), r.uvarint(), r.uvarint(), r.uvarint()]).toEqual([0, 127, 128, 300_000])
    expect([r.string(), r.string(), r.compactString(), r.compactString()]).toEqual(['héllo', null, 'kafka', null])
    expect(r.compactArray((r) => r.int32())).toEqual([1, 2, 3])
    expect(r.compactArray((r) => r.int32())).toEqual([])
    expect(r.array((r) => r.string())).toEqual(['a'])
    expect(r.uuid()).toBe('AAECAwQFBgcICQoLDA0ODw')
    r.tags()
    expect(r.remaining).toBe(0)
  })

  it('reads the extremes of every signed width', () => {
    const w = new Writer().int8(-128).int8(127).int16(-32_768).int16(32_767).int32(-(2 ** 31)).int32(2 ** 31 - 1).int32(-1)
    const r = new Reader(w.toBuffer())
    expect([r.int8(), r.int8(), r.int16(), r.int16(), r.int32(), r.int32(), r.int32()]).toEqual([-128, 127, -32_768, 32_767, -(2 ** 31), 2 ** 31 - 1, -1])
  })

  it('writes INT64s from numbers and reads them back as numbers, exactly up to 2^53', () => {
    const values = [0, 1, -1, -2, -3, 2 ** 32 - 1, 2 ** 32, -(2 ** 32), 1_700_000_000_000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]
    const w = new Writer()
    for (const v of values) w.int64(v)
    const bytes = w.toBuffer()
    const r = new Reader(bytes)
    expect(values.map(() => r.int64n())).toEqual(values)
    const big = new Reader(bytes)
    expect(values.map(() => big.int64())).toEqual(values.map(BigInt))
    expect(() => new Reader(new Writer().int64(2n ** 60n).toBuffer()).int64n()).toThrow(/exceeds 2\^53/)
    expect(() => new Reader(new Writer().int64(-(2n ** 60n)).toBuffer()).int64n()).toThrow(/exceeds 2\^53/)
  })

  it('reads INT32 arrays in both encodings, empty and null ones as empty', () => {
    const w = new Writer()
      .compactArray([3, 1, 2], (w, n) => w.int32(n)).compactArray([], () => {}).compactArray(null, () => {})
      .array([7, -1], (w, n) => w.int32(n)).array(null, () => {})
    const r = new Reader(w.toBuffer())
    expect([r.int32s(true), r.int32s(true), r.int32s(true), r.int32s(false), r.int32s(false)]).toEqual([[3, 1, 2], [], [], [7, -1], []])
    expect(r.remaining).toBe(0)
  })

  it('fails on a truncated response instead of reading past its end', () => {
    const whole = new Writer().int32(1).compactString('orders').toBuffer()
    for (let cut = 0; cut < whole.length; cut++) {
      const r = new Reader(whole.subarray(0, cut))
      expect(() => [r.int32(), r.compactString()], `cut at ${cut}`).toThrow(/truncated/)
    }
    expect(() => new Reader(Buffer.from([0x80])).uvarint()).toThrow(/truncated/)
  })

  it('encodes uvarints as Kafka does', () => {
    expect([...new Writer().uvarint(300).toBuffer()]).toEqual([0xac, 0x02])
  })

  it('skips unknown tagged fields', () => {
    const buf = new Writer().uvarint(2).uvarint(0).uvarint(2).raw(Buffer.from([9, 9])).uvarint(5).uvarint(0).int32(42).toBuffer()
    const r = new Reader(buf)
    r.tags()
    expect(r.int32()).toBe(42)
  })
})

describe('version negotiation', () => {
  const broker = (min: number, max: number) => ({versions: {3: {minVersion: min, maxVersion: max}}, connectionPool: {host: 'h', port: 1}})

  it('picks the highest common version', () => {
    expect(negotiateVersion(Metadata, broker(0, 13))).toBe(12)
    expect(negotiateVersion(Metadata, broker(0, 10))).toBe(10)
  })

  it('fails with a clear line when there is none', () => {
    expect(() => negotiateVersion(Metadata, broker(0, 8))).toThrow('broker h:1 supports Metadata v0-8, kadm needs v9-12')
    expect(() => negotiateVersion(Metadata, {versions: {}, connectionPool: {host: 'h', port: 1}})).toThrow(/does not support Metadata/)
  })
})

describe('Metadata v12', () => {
  it('asks for all topics with a null array', () => {
    const w = new Writer()
    Metadata.encode(w, {topics: null}, 12)
    expect([...w.toBuffer()]).toEqual([0, 0, 0, 0])
  })

  it('decodes brokers, topic ids and partitions', () => {
    const w = new Writer().int32(0)
      .compactArray([1], (w) => w.int32(1).compactString('127.0.0.1').int32(9092).compactString('r1').tags())
      .compactString('cid').int32(1)
      .compactArray([1], (w) => {
        w.int16(0).compactString('t').uuid('AAECAwQFBgcICQoLDA0ODw').boolean(false)
          .compactArray([0], (w) => w.int16(0).int32(0).int32(1).int32(5).compactArray([1, 2], (w, n) => w.int32(n)).compactArray([1], (w, n) => w.int32(n)).compactArray([2], (w, n) => w.int32(n)).tags())
          .int32(-2147483648).tags()
      }).tags()
    const decoded = Metadata.decode(new Reader(w.toBuffer()), 12)
    expect(decoded).toEqual({
      brokers: [{nodeId: 1, host: '127.0.0.1', port: 9092, rack: 'r1'}],
      clusterId: 'cid',
      controllerId: 1,
      topics: [{errorCode: 0, name: 't', topicId: 'AAECAwQFBgcICQoLDA0ODw', isInternal: false, partitions: [{errorCode: 0, partition: 0, leader: 1, leaderEpoch: 5, replicas: [1, 2], isr: [1], offlineReplicas: [2]}]}],
    })
    expect(ZERO_UUID).toHaveLength(22)
  })

  const manyPartitions = () => {
    const ids = Array.from({length: 200}, (_, i) => i)
    return new Writer().int32(0)
      .compactArray([], () => {}).compactString(null).int32(-1)
      .compactArray(['big'], (w, name) => {
        w.int16(0).compactString(name).uuid('AAECAwQFBgcICQoLDA0ODw').boolean(false)
          .compactArray(ids, (w, p) => {
            w.int16(p === 7 ? 9 : 0).int32(p).int32(p === 3 ? -1 : p % 3).int32(-1)
              .compactArray(p === 5 ? ids : [1, 2, 3], (w, n) => w.int32(n)).compactArray([p % 3], (w, n) => w.int32(n)).compactArray([], () => {})
            // partition 9 carries a tagged field (tag 0, 1 byte)
            if (p === 9) w.uvarint(1).uvarint(0).uvarint(1).raw(Buffer.from([42]))
            else w.tags()
          })
          .int32(0).tags()
      }).tags().toBuffer()
  }

  it('decodes topics of more than 127 partitions, long replica lists, errors, no leader and tagged fields', () => {
    const r = new Reader(manyPartitions())
    const [topic] = Metadata.decode(r, 12).topics
    expect(r.remaining).toBe(0)
    expect(topic.partitions).toHaveLength(200)
    expect(topic.partitions[3]).toEqual({errorCode: 0, partition: 3, leader: -1, leaderEpoch: -1, replicas: [1, 2, 3], isr: [0], offlineReplicas: []})
    expect(topic.partitions[5].replicas).toHaveLength(200)
    expect(topic.partitions[7].errorCode).toBe(9)
    expect(topic.partitions[199]).toMatchObject({partition: 199, leader: 1, isr: [1]})
  })

  it('fails on truncated metadata', () => {
    const whole = manyPartitions()
    for (const cut of [40, 300, 2000, whole.length - 6]) expect(() => Metadata.decode(new Reader(whole.subarray(0, cut)), 12), `cut at ${cut}`).toThrow(/truncated/)
  })
})
