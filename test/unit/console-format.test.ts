import {describe, expect, it} from 'vitest'

import {murmur2, partitionForKey} from '../../src/domain/partitioner.js'
import {
  compileTemplate,
  terminalSafeBytes,
  terminalSafeJson,
  terminalSafeText,
  type ConsumedRecord,
  LineSplitter,
  makeRecordFilter,
  OutputBuffer,
  parseHeaderPair,
  parseJsonRecord,
  parseLineRecord,
  type ProducedRecord,
  producedRecord,
  toJsonLine,
} from '../../src/domain/record-format.js'
import {renderConsumeSummary, writeChunk} from '../../src/render/records.js'
import {Writable} from 'node:stream'
import {parsePartitionList, parseStartPosition, parseStopPosition, tailOffset} from '../../src/domain/start-position.js'

const record = (over: Partial<ConsumedRecord> = {}): ConsumedRecord => ({
  topic: 'orders',
  partition: 2,
  offset: 41,
  timestamp: 1_700_000_000_000,
  key: Buffer.from('k1'),
  value: Buffer.from('{"a":1}'),
  headers: [['trace', Buffer.from('abc')], ['empty', null]],
  ...over,
})

const render = (template: string, r: ConsumedRecord, keyFormat = 'string', valueFormat = 'string') => {
  const out = new OutputBuffer(16)
  compileTemplate(template, {keyFormat: keyFormat as 'string', valueFormat: valueFormat as 'string'})(r, out)
  return out.take().toString()
}

describe('record templates', () => {
  it('fills every field kcat-style', () => {
    expect(render('%t %p %o %k %v %T %h %K %S %%\\n', record())).toBe('orders 2 41 k1 {"a":1} 1700000000000 trace=abc,empty= 2 7 %\n')
  })

  it('writes null keys and values as nothing, sizes as -1', () => {
    expect(render('[%k|%v|%K|%S]', record({key: null, value: null}))).toBe('[||-1|-1]')
  })

  it('renders hex, base64 and json formats', () => {
    expect(render('%k %v', record({value: Buffer.from('{ "a" : 1 }')}), 'hex', 'json')).toBe('6b31 {"a":1}')
    expect(render('%v', record({value: Buffer.from([0xff, 0x00])}), 'string', 'base64')).toBe('/wA=')
    expect(render('%v', record({value: Buffer.from('not json')}), 'string', 'json')).toBe('not json')
  })

  it('passes raw bytes through in string format (binary safe)', () => {
    const out = new OutputBuffer(4)
    compileTemplate('%v', {keyFormat: 'string', valueFormat: 'string'})(record({value: Buffer.from([0xff, 0xfe, 0x0a])}), out)
    expect([...out.take()]).toEqual([0xff, 0xfe, 0x0a])
  })

  it('copies byte ranges exactly at every length and offset, across chunks and growth', () => {
    const data = Buffer.from(Array.from({length: 700}, (_, i) => (i * 131 + 17) & 0xff)).subarray(3)
    const out = new OutputBuffer(64)
    const expected: Buffer[] = []
    const chunks: Buffer[] = []
    for (let length = 0; length <= 300; length += 1) {
      const start = (length * 7) % 13
      out.range(data, start, length)
      out.bytes(Buffer.from([0x0a]))
      expected.push(data.subarray(start, start + length), Buffer.from([0x0a]))
      if (length % 50 === 0) chunks.push(Buffer.from(out.take()))
    }
    chunks.push(out.take())
    expect(Buffer.concat(chunks).equals(Buffer.concat(expected))).toBe(true)
  })

  it('rejects unknown fields', () => {
    expect(() => compileTemplate('%x', {keyFormat: 'string', valueFormat: 'string'})).toThrow(/unknown field %x/)
  })
})

describe('JSON lines', () => {
  it('writes the documented schema and reads it back', () => {
    const line = toJsonLine(record())
    expect(JSON.parse(line)).toEqual({
      topic: 'orders', partition: 2, offset: 41, timestamp: 1_700_000_000_000, key: 'k1', value: '{"a":1}',
      headers: [{key: 'trace', value: 'abc'}, {key: 'empty', value: null}],
    })
    const back = parseJsonRecord(line)
    expect(back).toEqual({key: Buffer.from('k1'), keyStart: 0, keyEnd: 2, value: Buffer.from('{"a":1}'), valueStart: 0, valueEnd: 7, headers: [['trace', Buffer.from('abc')], ['empty', null]], partition: 2, timestamp: 1_700_000_000_000})
  })

  it('keeps binary data exact with base64 and an encoding marker', () => {
    const bytes = Buffer.from([0xc3, 0x28, 0x00, 0xff])
    const line = JSON.parse(toJsonLine(record({key: null, value: bytes, headers: [['bin', bytes]]})))
    expect(line.valueEncoding).toBe('base64')
    expect(line.key).toBeNull()
    expect(line.headers[0]).toEqual({key: 'bin', value: bytes.toString('base64'), encoding: 'base64'})
    const back = parseJsonRecord(JSON.stringify(line))
    expect(back.value).toEqual(bytes)
    expect(back.key).toBeNull()
    expect(back.headers[0][1]).toEqual(bytes)
  })

  it('embeds JSON values with --value-format json and writes them back compact', () => {
    const line = toJsonLine(record({value: Buffer.from('{"a": [1, 2]}')}), 'string', 'json')
    expect(JSON.parse(line).value).toEqual({a: [1, 2]})
    expect(parseJsonRecord(line).value?.toString()).toBe('{"a":[1,2]}')
  })

  it('accepts hand-written lines: object headers, non-string values', () => {
    const r = parseJsonRecord('{"value": {"x": 1}, "headers": {"h": "v"}}')
    expect(r.value?.toString()).toBe('{"x":1}')
    expect(r.key).toBeNull()
    expect(r.headers).toEqual([['h', Buffer.from('v')]])
  })

  it('refuses malformed lines with a reason', () => {
    expect(() => parseJsonRecord('nope')).toThrow(/not JSON/)
    expect(() => parseJsonRecord('[1]')).toThrow(/JSON object/)
    expect(() => parseJsonRecord('{"value":"a","partition":-1}')).toThrow(/partition/)
    expect(() => parseJsonRecord('{"value":"a","valueEncoding":"rot13"}')).toThrow(/encoding/)
  })
})

describe('line input', () => {
  /** The key and value of a line record as strings (null stays null). */
  const text = (r: ProducedRecord) => [r.key && Buffer.from(r.key.subarray(r.keyStart, r.keyEnd)).toString(), r.value && Buffer.from(r.value.subarray(r.valueStart, r.valueEnd)).toString()]

  it('splits keys at the first separator and applies the null marker', () => {
    const options = {keySeparator: Buffer.from('\t'), nullMarker: Buffer.from('NULL')}
    expect(text(parseLineRecord(Buffer.from('k\tv\tw'), 0, 5, options))).toEqual(['k', 'v\tw'])
    expect(text(parseLineRecord(Buffer.from('k\tNULL'), 0, 6, options))).toEqual(['k', null])
    expect(text(parseLineRecord(Buffer.from('NULL\tv'), 0, 6, options))).toEqual([null, 'v'])
    expect(() => parseLineRecord(Buffer.from('no-tab'), 0, 6, options)).toThrow(/separator/)
  })

  it('reads a line as a range of its chunk: separators and markers outside the range do not count', () => {
    const chunk = Buffer.from('ab\nc::d\nNULL::x\ny::NULLz\ne:')
    const options = {keySeparator: Buffer.from('::'), nullMarker: Buffer.from('NULL')}
    // "ab": the next line's separator is past the line's end.
    expect(() => parseLineRecord(chunk, 0, 2, options)).toThrow(/separator/)
    expect(text(parseLineRecord(chunk, 3, 7, options))).toEqual(['c', 'd'])
    expect(text(parseLineRecord(chunk, 8, 15, options))).toEqual([null, 'x'])
    expect(text(parseLineRecord(chunk, 16, 24, options))).toEqual(['y', 'NULLz'])
    // "e:" holds the separator's first byte only, at the end of the range.
    expect(() => parseLineRecord(chunk, 25, 27, options)).toThrow(/separator/)
    // One record object filled line after line.
    const into = producedRecord(null, null)
    expect(parseLineRecord(chunk, 3, 7, options, into)).toBe(into)
    expect(text(parseLineRecord(chunk, 8, 15, options, into))).toEqual([null, 'x'])
  })

  it('uses a fixed key and static headers', () => {
    const r = parseLineRecord(Buffer.from('v'), 0, 1, {key: Buffer.from('K'), headers: [['a', Buffer.from('b')]]})
    expect(text(r)).toEqual(['K', 'v'])
    expect(r.headers).toEqual([['a', Buffer.from('b')]])
  })

  it('splits a byte stream into lines across chunk boundaries', () => {
    const lines: string[] = []
    const each = (out: string[]) => (b: Buffer, start: number, end: number) => out.push(b.toString('utf8', start, end))
    const s = new LineSplitter()
    for (const chunk of ['ab', 'c\nde', 'f\n\ng', 'h']) s.push(Buffer.from(chunk), each(lines))
    s.end(each(lines))
    expect(lines).toEqual(['abc', 'def', '', 'gh'])
    // A line over three chunks, a chunk that starts with the newline, lines that end a chunk.
    const more: string[] = []
    const t = new LineSplitter()
    for (const chunk of ['lo', 'ng', '\nx\n', 'y\n', '\n']) t.push(Buffer.from(chunk), each(more))
    expect(t.pendingBytes).toBe(0)
    t.end(each(more))
    expect(more).toEqual(['long', 'x', 'y', ''])
  })

  it('parses k=v and k:v pairs, at whichever comes first', () => {
    expect(parseHeaderPair('a=b=c')).toEqual(['a', 'b=c'])
    expect(parseHeaderPair('a:b')).toEqual(['a', 'b'])
    expect(parseHeaderPair('at=12:00')).toEqual(['at', '12:00'])
    expect(parseHeaderPair('url:http://x?a=1')).toEqual(['url', 'http://x?a=1'])
    expect(parseHeaderPair('=x')).toBeUndefined()
    expect(parseHeaderPair(':x')).toBeUndefined()
    expect(parseHeaderPair('x')).toBeUndefined()
  })
})

describe('filters', () => {
  it('matches --grep on key or value and --header on all pairs', () => {
    const f = makeRecordFilter({grep: /abc|"a"/, headers: [['trace', 'abc']]})!
    expect(f(record())).toBe(true)
    expect(f(record({headers: []}))).toBe(false)
    expect(makeRecordFilter({grep: /zzz/})!(record())).toBe(false)
    expect(makeRecordFilter({})).toBeUndefined()
  })
})

describe('start and stop positions', () => {
  const now = Date.parse('2024-06-01T12:00:00Z')
  it('parses every --offset form', () => {
    expect(parseStartPosition('earliest')).toEqual({kind: 'earliest'})
    expect(parseStartPosition('end')).toEqual({kind: 'latest'})
    expect(parseStartPosition('42')).toEqual({kind: 'offset', offset: 42})
    expect(parseStartPosition('-10')).toEqual({kind: 'tail', count: 10})
    expect(parseStartPosition('@-1h', {now})).toEqual({kind: 'time', timestamp: now - 3_600_000})
    expect(parseStartPosition('@2024-06-01T10:00:00Z')).toEqual({kind: 'time', timestamp: Date.parse('2024-06-01T10:00:00Z')})
    expect(parseStartPosition('@1717236000000')).toEqual({kind: 'time', timestamp: 1_717_236_000_000})
    expect(parseStartPosition('soon')).toBeUndefined()
    expect(() => parseStartPosition('@yesterday')).toThrow(/"yesterday" is not a time/)
    expect(parseStartPosition('@2024-06-01T12:00:00', {zone: 'Europe/Paris'})).toEqual({kind: 'time', timestamp: Date.parse('2024-06-01T10:00:00Z')})
  })

  it('parses --until offsets and times', () => {
    expect(parseStopPosition('100')).toEqual({kind: 'offset', offset: 100})
    expect(parseStopPosition('@-5m', {now})).toEqual({kind: 'time', timestamp: now - 300_000})
    expect(parseStopPosition('2024-06-01', {now, zone: 'UTC'})).toEqual({kind: 'time', timestamp: Date.parse('2024-06-01T00:00:00Z')})
    expect(parseStopPosition('1717236000000')).toEqual({kind: 'time', timestamp: 1_717_236_000_000})
    expect(parseStopPosition('now', {now})).toEqual({kind: 'time', timestamp: now})
    expect(parseStopPosition('+1m', {now})).toEqual({kind: 'time', timestamp: now + 60_000})
    expect(() => parseStopPosition('soon')).toThrow(/"soon" is not a time/)
  })

  it('clamps tails to the log start', () => {
    expect(tailOffset(0, 100, 10)).toBe(90)
    expect(tailOffset(95, 100, 10)).toBe(95)
  })

  it('parses partition lists and ranges', () => {
    expect(parsePartitionList('2,0,1-3')).toEqual([0, 1, 2, 3])
    expect(parsePartitionList('a')).toBeUndefined()
    expect(parsePartitionList('3-1')).toBeUndefined()
  })
})

describe('murmur2 partitioner', () => {
  it('matches the Java client (values from Kafka UtilsTest.testMurmur2)', () => {
    const cases: Array<[string | number[], number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      [[0x61, 0x62, 0x63], 479470107],
    ]
    for (const [input, expected] of cases) expect(murmur2(Buffer.from(input as string))).toBe(expected)
  })

  it('matches kafkajs DefaultPartitioner for random keys', async () => {
    const {createRequire} = await import('node:module')
    const require = createRequire(import.meta.url)
    const kafkajsMurmur = require('kafkajs/src/producer/partitioners/default/murmur2') as (k: Buffer) => number
    for (let i = 0; i < 500; i++) {
      const key = Buffer.from(`key-${i}-${'x'.repeat(i % 7)}`)
      expect(murmur2(key)).toBe(kafkajsMurmur(key))
      // The same key as a range of a larger buffer (a line of console produce's input).
      const line = Buffer.concat([Buffer.from('ab\n'), key, Buffer.from('\tvalue')])
      expect(murmur2(line, 3, 3 + key.length)).toBe(kafkajsMurmur(key))
    }
    expect(partitionForKey(Buffer.from('21'), 7)).toBe((-973932308 & 0x7fffffff) % 7)
    expect(partitionForKey(Buffer.from('x21\t'), 7, 1, 3)).toBe((-973932308 & 0x7fffffff) % 7)
  })
})

describe('terminal-safe text', () => {
  it('escapes C0 (but newline and tab), DEL, invalid UTF-8, C1 and bidi characters, and nothing else', () => {
    const bytes = Buffer.concat([Buffer.from('a\tb\n\u001B[31m\r\u007F é ☃ 😀 \u202E \u009B'), Buffer.from([0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80])])
    expect(terminalSafeBytes(bytes)).toBe('a\tb\n\\x1b[31m\\x0d\\x7f é ☃ 😀 \\u202e \\u009b\\xff\\xc3(\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80')
    expect(terminalSafeBytes(Buffer.from('plain'))).toBe('plain')
    expect(terminalSafeText('k\u001B\u2066')).toBe('k\\x1b\\u2066')
    expect(terminalSafeJson('{"v":"\\u001b \u202E \u009B"}')).toBe('{"v":"\\u001b \\u202e \\u009b"}')
  })
})

describe('summary line', () => {
  it('gives a rate from 100 records and 100 ms on, never 0', () => {
    expect(renderConsumeSummary({records: 3, bytes: 11, ms: 48})).toBe('consumed 3 records (11 B) in 48ms')
    expect(renderConsumeSummary({records: 1, bytes: 5, ms: 5000})).toBe('consumed 1 record (5 B) in 5.0s')
    expect(renderConsumeSummary({records: 150, bytes: 150, ms: 600_000}, 'produced')).toBe('produced 150 records (150 B) in 600.0s, 0.25 records/s')
    expect(renderConsumeSummary({records: 1_000_000, bytes: 100_000_000, ms: 1600})).toBe('consumed 1000000 records (95.4 MiB) in 1.6s, 625000 records/s')
  })
})

describe('writeChunk', () => {
  /** A stream whose writes complete at once (`later` false) or on the next event loop turn. */
  const sink = (later: boolean, highWaterMark = 16) => new Writable({highWaterMark, write: (_chunk, _enc, done) => (later ? setImmediate(done) : done())})

  it('hands a chunk back once: at once when the stream has written it, else when the stream is done with it', async () => {
    const now: string[] = []
    await writeChunk(sink(false, 1 << 20), Buffer.from('x'), () => now.push('back'))
    // Taken synchronously: handed back before writeChunk returns, and not a second time afterwards.
    expect(now).toEqual(['back'])
    await new Promise((r) => setImmediate(r))
    expect(now).toEqual(['back'])

    const later: string[] = []
    const stream = sink(true, 1 << 20)
    await writeChunk(stream, Buffer.from('y'), () => later.push('back'))
    expect(later).toEqual([])
    await new Promise((r) => setImmediate(r))
    await new Promise((r) => setImmediate(r))
    expect(later).toEqual(['back'])
  })

  it('waits for drain when the stream is full, and hands the chunk back by then', async () => {
    const events: string[] = []
    await writeChunk(sink(true, 4), Buffer.alloc(64), () => events.push('back'))
    events.push('returned')
    expect(events).toEqual(['back', 'returned'])
  })
})
