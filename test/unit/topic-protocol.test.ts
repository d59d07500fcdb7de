import {describe, expect, it} from 'vitest'

import {Reader, Writer} from '../../src/kafka/protocol/codec.js'
import {DescribeConfigs} from '../../src/kafka/protocol/describe-configs.js'
import {IncrementalAlterConfigs} from '../../src/kafka/protocol/incremental-alter-configs.js'

describe('DescribeConfigs', () => {
  it('encodes v4 (flexible) requests', () => {
    const w = new Writer()
    DescribeConfigs.encode(w, {resources: [{type: 2, name: 't', keys: null}], includeSynonyms: true}, 4)
    // 1 resource (uvarint 2), type 2, "t" (uvarint 2 + byte), null keys (0), tags, synonyms, documentation, tags
    expect([...w.toBuffer()]).toEqual([2, 2, 2, 0x74, 0, 0, 1, 0, 0])
  })

  it('encodes v1 requests with plain strings and key lists', () => {
    const w = new Writer()
    DescribeConfigs.encode(w, {resources: [{type: 4, name: '1', keys: ['a']}], includeSynonyms: false}, 1)
    expect([...w.toBuffer()]).toEqual([0, 0, 0, 1, 4, 0, 1, 0x31, 0, 0, 0, 1, 0, 1, 0x61, 0])
  })

  for (const version of [1, 2, 3, 4]) {
    it(`decodes v${version} responses with sources, sensitivity and synonyms`, () => {
      const flexible = version >= 4
      const w = new Writer()
      const str = (s: string | null) => (flexible ? w.compactString(s) : w.string(s))
      const arr = <T>(xs: T[], each: (x: T) => void) => (flexible ? w.compactArray(xs, (_, x) => each(x)) : w.array(xs, (_, x) => each(x)))
      w.int32(0)
      arr([0], () => {
        w.int16(0)
        str(null)
        w.int8(2)
        str('orders')
        arr([['retention.ms', '1000', 1], ['ssl.key.password', null, 5]] as Array<[string, string | null, number]>, ([name, value, source]) => {
          str(name)
          str(value)
          w.boolean(false).int8(source).boolean(value === null)
          arr([[name, value, source]] as Array<[string, string | null, number]>, ([n, v, s]) => {
            str(n)
            str(v)
            w.int8(s)
            if (flexible) w.tags()
          })
          if (version >= 3) {
            w.int8(5)
            str('doc')
          }
          if (flexible) w.tags()
        })
        if (flexible) w.tags()
      })
      if (flexible) w.tags()
      const r = new Reader(w.toBuffer())
      const [result] = DescribeConfigs.decode(r, version)
      expect(r.remaining).toBe(0)
      expect(result).toMatchObject({errorCode: 0, type: 2, name: 'orders'})
      expect(result.configs[0]).toEqual({name: 'retention.ms', value: '1000', readOnly: false, source: 'DYNAMIC_TOPIC_CONFIG', sensitive: false, synonyms: [{name: 'retention.ms', value: '1000', source: 'DYNAMIC_TOPIC_CONFIG'}]})
      expect(result.configs[1]).toMatchObject({source: 'DEFAULT_CONFIG', sensitive: true, value: null})
    })

    it(`v${version}: omitDefaultsExcept drops default entries while reading, except those named`, () => {
      const flexible = version >= 4
      const w = new Writer()
      const str = (s: string | null) => (flexible ? w.compactString(s) : w.string(s))
      const arr = <T>(xs: T[], each: (x: T) => void) => (flexible ? w.compactArray(xs, (_, x) => each(x)) : w.array(xs, (_, x) => each(x)))
      const entries: Array<[string, string | null, number]> = [
        ['cleanup.policy', 'delete', 5], ['min.insync.replicas', '1', 5], ['retention.ms', '1000', 1],
        ['min.insync.replicaz', '2', 5], ['segment.bytes', null, 4], ['compression.type', 'producer', 5],
      ]
      w.int32(0)
      arr(['a', 'b'], (topic) => {
        w.int16(0)
        str(null)
        w.int8(2)
        str(topic)
        arr(entries, ([name, value, source]) => {
          str(name)
          str(value)
          w.boolean(false).int8(source).boolean(false)
          arr([], () => {})
          if (version >= 3) {
            w.int8(5)
            str(null)
          }
          if (flexible) w.tags()
        })
        if (flexible) w.tags()
      })
      if (flexible) w.tags()
      const request = {resources: [], includeSynonyms: false, omitDefaultsExcept: ['min.insync.replicas']}
      const r = new Reader(w.toBuffer())
      const results = DescribeConfigs.decode(r, version, request)
      expect(r.remaining).toBe(0)
      expect(results.map((x) => x.name)).toEqual(['a', 'b'])
      for (const result of results) {
        expect(result.configs.map((c) => [c.name, c.value, c.source])).toEqual([
          ['min.insync.replicas', '1', 'DEFAULT_CONFIG'], ['retention.ms', '1000', 'DYNAMIC_TOPIC_CONFIG'], ['segment.bytes', null, 'STATIC_BROKER_CONFIG'],
        ])
      }
      expect(DescribeConfigs.decode(new Reader(w.toBuffer()), version).map((x) => x.configs.length)).toEqual([6, 6])
    })
  }
})

describe('DescribeConfigs v4 entries with long strings and tagged fields', () => {
  const response = () => {
    const w = new Writer().int32(0)
    w.compactArray(['t'], (w, topic) => {
      w.int16(0).compactString(null).int8(2).compactString(topic)
      w.compactArray([0, 1, 2], (w, i) => {
        w.compactString(i === 1 ? 'x'.repeat(150) : `key.${i}`)
        w.compactString(i === 0 ? 'v'.repeat(300) : 'short')
        w.boolean(false).int8(i === 2 ? 5 : 1).boolean(false)
        w.compactArray([], () => {})
        w.int8(5).compactString(i === 0 ? 'd'.repeat(200) : null)
        // entry 2 carries one tagged field (tag 7, 2 bytes), which readers skip
        if (i === 2) w.uvarint(1).uvarint(7).uvarint(2).raw(Buffer.from([1, 2]))
        else w.tags()
      })
      w.tags()
    })
    return w.tags().toBuffer()
  }

  it('reads multi-byte lengths and skips tagged fields, with and without omitDefaultsExcept', () => {
    const all = DescribeConfigs.decode(new Reader(response()), 4)
    expect(all[0].configs.map((c) => [c.name.length, c.value?.length, c.source])).toEqual([[5, 300, 'DYNAMIC_TOPIC_CONFIG'], [150, 5, 'DYNAMIC_TOPIC_CONFIG'], [5, 5, 'DEFAULT_CONFIG']])
    const r = new Reader(response())
    const shown = DescribeConfigs.decode(r, 4, {resources: [], includeSynonyms: false, omitDefaultsExcept: ['min.insync.replicas']})
    expect(r.remaining).toBe(0)
    expect(shown[0].configs.map((c) => c.name)).toEqual(['key.0', 'x'.repeat(150)])
  })

  it('fails on a truncated response', () => {
    const whole = response()
    for (const cut of [20, 100, 400, whole.length - 3]) {
      expect(() => DescribeConfigs.decode(new Reader(whole.subarray(0, cut)), 4), `cut at ${cut}`).toThrow(/truncated/)
    }
  })
})

describe('IncrementalAlterConfigs', () => {
  it('encodes v1 (flexible) with op codes and a null value for delete', () => {
    const w = new Writer()
    IncrementalAlterConfigs.encode(w, {resources: [{type: 2, name: 't', configs: [{name: 'a', op: 1, value: null}]}], validateOnly: true}, 1)
    expect([...w.toBuffer()]).toEqual([2, 2, 2, 0x74, 2, 2, 0x61, 1, 0, 0, 0, 1, 0])
  })

  it('encodes v0 with plain strings', () => {
    const w = new Writer()
    IncrementalAlterConfigs.encode(w, {resources: [{type: 4, name: '', configs: [{name: 'a', op: 0, value: 'b'}]}], validateOnly: false}, 0)
    expect([...w.toBuffer()]).toEqual([0, 0, 0, 1, 4, 0, 0, 0, 0, 0, 1, 0, 1, 0x61, 0, 0, 1, 0x62, 0])
  })

  it('decodes per-resource errors (v0 and v1)', () => {
    const v1 = new Writer().int32(0).compactArray([0], (w) => w.int16(40).compactString('Unknown topic config name: foo').int8(2).compactString('t').tags()).tags()
    expect(IncrementalAlterConfigs.decode(new Reader(v1.toBuffer()), 1)).toEqual([{errorCode: 40, errorMessage: 'Unknown topic config name: foo', type: 2, name: 't'}])
    const v0 = new Writer().int32(0).array([0], (w) => w.int16(0).string(null).int8(4).string('1'))
    expect(IncrementalAlterConfigs.decode(new Reader(v0.toBuffer()), 0)).toEqual([{errorCode: 0, errorMessage: null, type: 4, name: '1'}])
  })
})
