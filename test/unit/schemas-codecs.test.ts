import {describe, expect, it} from 'vitest'

import {avroJsonWriter, type JsonWriter} from '../../src/schemas/avro-json.js'
import {avroToJson, jsonToAvro, loadAvsc, parseAvro} from '../../src/schemas/avro.js'

const SCHEMA = {
  type: 'record', name: 'All', namespace: 'test',
  fields: [
    {name: 'n', type: 'null'}, {name: 'i', type: 'int'}, {name: 'l', type: 'long'}, {name: 'f', type: 'float'}, {name: 'd', type: 'double'},
    {name: 'b', type: 'boolean'}, {name: 's', type: 'string'}, {name: 'bytes', type: 'bytes'}, {name: 'fixed', type: {type: 'fixed', name: 'F2', size: 2}},
    {name: 'e', type: {type: 'enum', name: 'E', symbols: ['A', 'B']}}, {name: 'a', type: {type: 'array', items: ['null', 'string', 'test.E']}},
    {name: 'm', type: {type: 'map', values: {type: 'record', name: 'Inner', fields: [{name: 'x', type: ['null', 'long']}]}}},
    {name: 'again', type: 'test.Inner'}, {name: 'empty', type: {type: 'record', name: 'Empty', fields: []}},
  ],
}

describe('Avro JSON encoding', () => {
  it('round trips every kind of type through Avro binary in Avro\'s JSON encoding', async () => {
    const lib = await loadAvsc()
    const type = parseAvro(lib, JSON.stringify(SCHEMA))
    const values = [
      {n: null, i: -7, l: 4_503_599_627_370_496, f: 1.5, d: 0.1 + 0.2, b: true, s: 'qu"ote\\n\u2028é', bytes: '\u0000\u00ff"', fixed: '\u0001\u0002', e: 'B',
        a: [null, {string: 'x'}, {'test.E': 'A'}], m: {k: {x: {long: 3}}, 'k"2': {x: null}}, again: {x: null}, empty: {}},
      {n: null, i: 0, l: -1, f: 0, d: -1e300, b: false, s: '', bytes: '', fixed: '\u0000\u0000', e: 'A', a: [], m: {}, again: {x: {long: 0}}, empty: {}},
    ]
    for (const value of values) {
      const bytes = jsonToAvro(type, JSON.stringify(value))
      expect(JSON.parse(avroToJson(type, bytes).toString())).toEqual(value)
    }
  })

  it('names the field and the reason when JSON does not fit', async () => {
    const type = parseAvro(await loadAvsc(), JSON.stringify(SCHEMA))
    expect(() => jsonToAvro(type, JSON.stringify({n: null}))).toThrow('field i: missing')
    expect(() => jsonToAvro(type, '{"n": null, "i": "x"}')).toThrow('field i: not a valid "int": "x"')
  })
})

describe('Protobuf message indexes (Confluent wire format)', () => {
  it('writes [0] as one 0 byte and others as zigzag varints: a count, then each index', async () => {
    const {readMessageIndexes, writeMessageIndexes} = await import('../../src/schemas/protobuf.js')
    expect([...writeMessageIndexes([0])]).toEqual([0])
    expect([...writeMessageIndexes([1])]).toEqual([2, 2])
    expect([...writeMessageIndexes([2, 70])]).toEqual([4, 4, 0x8C, 0x01])
    const bytes = Buffer.from([9, 9, 4, 4, 0x8C, 0x01, 0xAA])
    expect(readMessageIndexes(bytes, 2)).toEqual({indexes: [2, 70], end: 6})
    expect(readMessageIndexes(Buffer.from([0, 0x0A]), 0)).toEqual({indexes: [0], end: 1})
    expect(() => readMessageIndexes(Buffer.from([4, 0x80]), 0)).toThrow('message indexes run past the end of the record')
  })
})

describe('JSON Schema (draft-07)', () => {
  const ORDER = JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#', title: 'Order', type: 'object',
    properties: {id: {type: 'integer'}, customer: {$ref: 'customer.json'}, lines: {type: 'array', items: {type: 'string'}}},
    required: ['id'], additionalProperties: false,
  })
  const CUSTOMER = JSON.stringify({type: 'object', properties: {name: {type: 'string'}}, required: ['name']})

  it('sends a matching record as given (numbers beyond 2^53 kept) and reads it back', async () => {
    const {jsonSchemaToJson, jsonToJsonSchema, loadAjv, parseJsonSchema} = await import('../../src/schemas/json-schema.js')
    const schema = parseJsonSchema(await loadAjv(), ORDER, [{name: 'customer.json', text: CUSTOMER}])
    expect(schema.title).toBe('Order')
    const text = ' {"id": 9007199254740993, "customer": {"name": "Ann"}, "lines": ["a"]} '
    const bytes = jsonToJsonSchema(schema, text)
    expect(bytes.toString()).toBe(text.trim())
    expect(jsonSchemaToJson(schema, bytes)).toBe(text.trim())
  })

  it('names the field and the reason when a record does not match, and refuses other drafts and bad schemas', async () => {
    const {jsonSchemaToJson, jsonToJsonSchema, loadAjv, parseJsonSchema} = await import('../../src/schemas/json-schema.js')
    const Ajv = await loadAjv()
    const schema = parseJsonSchema(Ajv, ORDER, [{name: 'customer.json', text: CUSTOMER}])
    expect(() => jsonToJsonSchema(schema, '{"id": "x"}')).toThrow('field /id: must be integer')
    expect(() => jsonToJsonSchema(schema, '{"lines": []}')).toThrow("the record: must have required property 'id'")
    expect(() => jsonToJsonSchema(schema, '{"id": 1, "extra": 2}')).toThrow('the record: must NOT have additional properties (extra)')
    expect(() => jsonToJsonSchema(schema, '{"id": 1, "customer": {}}')).toThrow("field /customer: must have required property 'name'")
    expect(() => jsonToJsonSchema(schema, '{"id": 1,')).toThrow(/^not JSON: /)
    expect(() => jsonSchemaToJson(schema, Buffer.from('{"id": 1.5}'))).toThrow('field /id: must be integer')
    expect(() => parseJsonSchema(Ajv, JSON.stringify({$schema: 'https://json-schema.org/draft/2020-12/schema'}), [], 'x.json')).toThrow('x.json declares $schema "https://json-schema.org/draft/2020-12/schema": kadm validates JSON Schema draft-07 (and schemas that declare no $schema)')
    expect(() => parseJsonSchema(Ajv, '{"type": 3}', [], 'y.json')).toThrow(/^bad schema: y\.json: /)
    expect(() => parseJsonSchema(Ajv, '[1]', [], 'z.json')).toThrow('bad schema: z.json: a JSON Schema is an object')
  })

  it('checks format keywords ajv-formats knows, and leaves unknown ones unchecked without a word', async () => {
    const {jsonToJsonSchema, loadAjv, parseJsonSchema} = await import('../../src/schemas/json-schema.js')
    const props = {at: {type: 'string', format: 'date-time'}, mail: {type: 'string', format: 'email'}, id: {type: 'string', format: 'uuid'}, ip: {type: 'string', format: 'ipv4'}, day: {type: 'string', format: 'date'}, own: {type: 'string', format: 'sku-code'}}
    const schema = parseJsonSchema(await loadAjv(), JSON.stringify({type: 'object', properties: props}))
    const good = '{"at": "2026-11-27T08:40:00Z", "mail": "ada@example.com", "id": "0b7e8e9a-3f4c-4e1d-9a7b-2c1d0e9f8a7b", "ip": "10.0.0.1", "day": "2026-02-28", "own": "anything"}'
    expect(jsonToJsonSchema(schema, good).toString()).toBe(good)
    expect(() => jsonToJsonSchema(schema, '{"at": "2026-11-27 08:40"}')).toThrow('field /at: must match format "date-time"')
    expect(() => jsonToJsonSchema(schema, '{"mail": "ada at example"}')).toThrow('field /mail: must match format "email"')
    expect(() => jsonToJsonSchema(schema, '{"id": "123"}')).toThrow('field /id: must match format "uuid"')
    expect(() => jsonToJsonSchema(schema, '{"ip": "10.0.0.256"}')).toThrow('field /ip: must match format "ipv4"')
    expect(() => jsonToJsonSchema(schema, '{"day": "2026-02-30"}')).toThrow('field /day: must match format "date"')
  })
})

/**
 * The JSON a fast writer writes for bytes, or undefined when it gives up. The bytes lie inside a
 * larger buffer (other bytes on both sides, which it must not read) and the sink starts small and
 * part filled, so that growing it and writing from its middle are checked too.
 */
function fastJson(write: JsonWriter, bytes: Buffer): string | undefined {
  const data = Buffer.concat([Buffer.from([0x02, 0x80]), bytes, Buffer.from([0x04, 0x22])])
  const sink = {out: Buffer.from('ab'), at: 2}
  const before = sink.at
  if (!write(data, 2, 2 + bytes.length, sink)) {
    expect(sink.at).toBe(before)
    return undefined
  }
  expect(sink.out.toString('utf8', 0, 2)).toBe('ab')
  return sink.out.toString('utf8', 2, sink.at)
}

describe('Avro binary straight to JSON (the fast path of consume)', () => {
  it('writes exactly the bytes avsc writes, for random values of every kind of type', async () => {
    const lib = await loadAvsc()
    const recursive = {type: 'record', name: 'Node', fields: [{name: 'label', type: 'string'}, {name: 'next', type: ['null', 'Node']}]}
    const mutual = {type: 'record', name: 'A', fields: [{name: 'b', type: ['null', {type: 'record', name: 'B', fields: [{name: 'a', type: {type: 'array', items: 'A'}}, {name: 'm', type: {type: 'map', values: 'B'}}]}]}]}
    const nested = {type: 'array', items: {type: 'array', items: {type: 'map', values: ['null', 'int', 'boolean', {type: 'fixed', name: 'F3', size: 3}, {type: 'enum', name: 'Color', symbols: ['RED', 'GREEN']}]}}}
    for (const schema of [SCHEMA, recursive, nested, {type: 'map', values: ['null', 'double', 'bytes']}, {type: 'array', items: 'float'}, 'string', 'long', 'int', 'double', 'boolean', 'null', 'bytes']) {
      const type = parseAvro(lib, JSON.stringify(schema))
      const write = avroJsonWriter(type)!
      expect(write).toBeDefined()
      for (let i = 0; i < 300; i++) {
        const bytes = type.toBuffer(type.random())
        const expected = type.toString(type.fromBuffer(bytes))
        expect(fastJson(write, bytes)).toBe(expected)
      }
    }
    // Records that refer to each other (through an array and a map): each gets a function.
    const m = parseAvro(lib, JSON.stringify(mutual))
    const leaf = {b: {'B': {a: [], m: {}}}}
    for (const value of [{b: null}, leaf, {b: {'B': {a: [{b: null}, leaf], m: {x: {a: [leaf], m: {}}, y: {a: [], m: {z: {a: [], m: {}}}}}}}}]) {
      const bytes = m.toBuffer(m.fromString(JSON.stringify(value)))
      expect(fastJson(avroJsonWriter(m)!, bytes)).toBe(JSON.stringify(value))
      expect(m.toString(m.fromBuffer(bytes))).toBe(JSON.stringify(value))
    }
    // Strings that need escaping or are not ASCII, and numbers JSON has no word for.
    const type = parseAvro(lib, JSON.stringify({type: 'record', name: 'R', fields: [{name: 's', type: 'string'}, {name: 'd', type: 'double'}, {name: 'f', type: 'float'}]}))
    for (const value of [{s: 'qu"ote\\\n\t\u0001é\u2028😀', d: Number.NaN, f: Number.POSITIVE_INFINITY}, {s: '', d: -0, f: 1.1}, {s: 'abc\u007f', d: Number.NEGATIVE_INFINITY, f: -0}, {s: 'x'.repeat(5000) + 'é', d: 1e21, f: 3.4e38}]) {
      const bytes = type.toBuffer(value)
      expect(fastJson(avroJsonWriter(type)!, bytes)).toBe(type.toString(type.fromBuffer(bytes)))
    }
    // Integers of every size written digit by digit, as String() writes them: ints, longs (to
    // 2^53), and doubles that are integers.
    const numbers = parseAvro(lib, JSON.stringify({type: 'record', name: 'N', fields: [{name: 'i', type: 'int'}, {name: 'l', type: 'long'}, {name: 'd', type: 'double'}]}))
    const edges = [0, 1, -1, 9, 10, 99, 100, 2 ** 31 - 1, -(2 ** 31), 99_999_999, 100_000_000, 100_000_001, 199_999_999_999, 1_700_000_000_000, 2 ** 53 - 2, -(2 ** 53 - 2), 123_456_789_012_345, 999_999_999_999_999, 1_000_000_000_000_000, 9_007_199_200_000_000]
    for (const x of edges) {
      const i = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, x))
      for (const d of [x, x + 0.5, -x, x / 7, 2 ** 53, -(2 ** 53), 2 ** 60]) {
        const bytes = numbers.toBuffer({i, l: x, d})
        expect(fastJson(avroJsonWriter(numbers)!, bytes)).toBe(numbers.toString(numbers.fromBuffer(bytes)))
      }
    }
    // Decimals of few places, written digit by digit (and the ones next to them, by String()).
    for (let k = 0; k < 3000; k++) {
      const places = k % 9
      const d = (k % 2 ? -1 : 1) * Math.round(Math.random() * 10 ** (k % 13)) / 10 ** places
      for (const x of [d, d + Number.EPSILON * Math.abs(d) * 2, 1e-6 + d / 1e9, 4_503_599_627 - Math.abs(d) / 1e6]) {
        const bytes = numbers.toBuffer({i: 0, l: 0, d: x})
        expect(fastJson(avroJsonWriter(numbers)!, bytes)).toBe(numbers.toString(numbers.fromBuffer(bytes)))
      }
    }
    for (const d of [0.1, 0.000001, 0.0000015, 0.00000099, 1e-7, 4_503_599_626.999999, 4_503_599_627.5, 123.456, -0.5, 0.3 - 0.1, 1.1]) {
      const bytes = numbers.toBuffer({i: 0, l: 0, d})
      expect(fastJson(avroJsonWriter(numbers)!, bytes)).toBe(`{"i":0,"l":0,"d":${String(d)}}`)
    }
    // Doubles of 16 and 17 significant digits from 1 to 10^15, written digit by digit (the rest
    // by String()): every kind a reading gives, each as String() writes it.
    const double = parseAvro(lib, '"double"')
    const writeDouble = avroJsonWriter(double)!
    const bits = new Float64Array(1)
    const words = new Uint32Array(bits.buffer)
    const doubles: number[] = [1 / 3, 2 / 3, 9.999999999999998, 99_999.99999999999, 1e15 - 0.125, 999_999_999_999_999.9, 1.0000000000000002, 4_503_599_627_370_495.5, 123_456.78901234567, 0.1 + 0.2 + 1]
    for (let k = 0; k < 40_000; k++) {
      const e = k % 16
      doubles.push(k / 7, -k / 3, Math.random() * 10 ** e, Math.fround(Math.random() * 10 ** e), Number((1 + Math.random() * 10 ** e).toPrecision(16)), Number((1 + Math.random() * 10 ** e).toPrecision(15)))
      // Halfway between two 17-digit decimals, and next to it.
      const half = 1 + Math.floor(Math.random() * 1e5) + 0.5e-11 * (2 * Math.floor(Math.random() * 1e5) + 1)
      doubles.push(half, half + half * Number.EPSILON)
      // Random bits with exponents 0 to 49.
      words[0] = Math.random() * 2 ** 32
      words[1] = ((0x3ff + (k % 50)) << 20) | (Math.random() * 0x100000)
      doubles.push(bits[0])
    }
    for (const d of doubles) {
      expect(fastJson(writeDouble, double.toBuffer(d))).toBe(String(d))
    }
    for (let k = 0; k < 2000; k++) {
      const l = Math.trunc((Math.random() * 2 - 1) * 2 ** (Math.random() * 52.99))
      const bytes = numbers.toBuffer({i: l | 0, l, d: l * Math.random()})
      expect(fastJson(avroJsonWriter(numbers)!, bytes)).toBe(numbers.toString(numbers.fromBuffer(bytes)))
    }
  })

  it('gives up where avsc must decode and say what is wrong: truncated, trailing bytes, bad indexes, unsafe longs, keys an object reorders', async () => {
    const lib = await loadAvsc()
    const type = parseAvro(lib, JSON.stringify(SCHEMA))
    const write = avroJsonWriter(type)!
    const bytes = type.toBuffer(type.random())
    expect(fastJson(write, bytes.subarray(0, bytes.length - 1))).toBeUndefined()
    expect(fastJson(write, Buffer.concat([bytes, Buffer.from([0])]))).toBeUndefined()
    const e = parseAvro(lib, JSON.stringify({type: 'enum', name: 'E', symbols: ['A']}))
    expect(fastJson(avroJsonWriter(e)!, Buffer.from([2]))).toBeUndefined()
    const u = parseAvro(lib, JSON.stringify(['null', 'int']))
    expect(fastJson(avroJsonWriter(u)!, Buffer.from([4]))).toBeUndefined()
    const l = parseAvro(lib, '"long"')
    expect(fastJson(avroJsonWriter(l)!, Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBeUndefined()
    // Longs about 2^53, where avsc reads some with a possible loss of precision: the fast path
    // writes what avsc writes, or gives up where avsc refuses.
    const avsc = (t: typeof l, b: Buffer) => {
      try {
        return t.toString(t.fromBuffer(b))
      } catch {
        return undefined
      }
    }
    const refused = []
    for (const hex of ['fcffffffffffff1f', 'fdffffffffffff1f', 'feffffffffffff1f', 'ffffffffffffff1f', '8080808080808020', '8180808080808020', 'fbffffffffffff1f']) {
      const b = Buffer.from(hex, 'hex')
      expect(fastJson(avroJsonWriter(l)!, b)).toBe(avsc(l, b))
      if (avsc(l, b) === undefined) refused.push(hex)
    }
    expect(refused).toEqual(['feffffffffffff1f', 'ffffffffffffff1f', '8080808080808020', '8180808080808020'])
    // An int past 32 bits (a long's bytes) is left to avsc too.
    const i = parseAvro(lib, '"int"')
    expect(fastJson(avroJsonWriter(i)!, l.toBuffer(2 ** 31))).toBeUndefined()
    // A string whose length runs past the end of the value (into the bytes after it).
    const s = parseAvro(lib, '"string"')
    expect(fastJson(avroJsonWriter(s)!, Buffer.from([4, 0x61]))).toBeUndefined()
    const m = parseAvro(lib, JSON.stringify({type: 'map', values: 'int'}))
    for (const value of [{b: 1, 2: 2}, {['__proto__']: 1}]) expect(fastJson(avroJsonWriter(m)!, m.toBuffer(value))).toBeUndefined()
    // avroToJson then says it in avsc's words.
    expect(() => avroToJson(e, Buffer.from([2]))).toThrow()
    expect(avroToJson(m, m.toBuffer({b: 1, 2: 2})).toString()).toBe('{"2":2,"b":1}')
    expect(() => avroToJson(i, l.toBuffer(2 ** 31))).toThrow('invalid "int": 2147483648')
  })

  it('has no writer for types it does not know: avsc decodes them', async () => {
    const lib = await loadAvsc()
    const logical = parseAvro(lib, JSON.stringify({type: 'record', name: 'T', fields: [{name: 'at', type: {type: 'long', logicalType: 'timestamp-millis'}}]}))
    expect(avroJsonWriter(logical)).toBe(avroJsonWriter(logical))
  })
})

describe('DecodingPrinter (consume with --value-format avro)', () => {
  it('writes value lines straight into the output exactly as the printer prints decoded records', async () => {
    const {mkdtemp, writeFile, rm} = await import('node:fs/promises')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const {DecodingPrinter, FieldDecoder} = await import('../../src/schemas/codec.js')
    const {compileTemplate, FetchedRecord, OutputBuffer} = await import('../../src/domain/record-format.js')
    const dir = await mkdtemp(join(tmpdir(), 'kadm-avro-'))
    try {
      const schema = {type: 'record', name: 'R', fields: [{name: 'id', type: 'long'}, {name: 's', type: 'string'}, {name: 'd', type: 'double'}]}
      await writeFile(join(dir, 'r.avsc'), JSON.stringify(schema))
      const type = parseAvro(await loadAvsc(), JSON.stringify(schema))
      // Records in one fetched batch: plain ones, a null value, one that does not decode (cut short).
      const values: Array<Buffer | null> = [type.toBuffer({id: 1, s: 'a"b', d: 0.5}), null, type.toBuffer({id: -(2 ** 40), s: 'é', d: 1 / 3}).subarray(0, 3), type.toBuffer({id: 7, s: '', d: -0})]
      const data = Buffer.concat(values.filter((v) => v !== null) as Buffer[])
      let at = 0
      const records = values.map((v, i) => {
        const r = new FetchedRecord('t', 0, i, 0, [], data, 0, -1, at, v === null ? -1 : v.length)
        at += v?.length ?? 0
        return r
      })
      const print = compileTemplate('%v\n', {keyFormat: 'string', valueFormat: 'string'})
      const viaPrinter = new OutputBuffer(16)
      const printing = new DecodingPrinter(undefined, await FieldDecoder.create('avro', undefined, join(dir, 'r.avsc'), undefined, 'value'), (r) => print(r, viaPrinter))
      const direct = new OutputBuffer(16)
      let printed = 0
      const lines = new DecodingPrinter(undefined, await FieldDecoder.create('avro', undefined, join(dir, 'r.avsc'), undefined, 'value'), () => expect.fail('lines do not print'), {out: direct, printed: () => printed++})
      for (const r of records) {
        printing.take(r)
        lines.take(r)
      }
      const text = direct.take().toString()
      expect(text).toBe(viaPrinter.take().toString())
      expect(text.split('\n').slice(0, 2)).toEqual(['{"id":1,"s":"a\\"b","d":0.5}', ''])
      expect(text.split('\n')[2]).toMatch(/^<undecodable: does not decode with its schema: .*; hex [0-9a-f]{6}>$/)
      expect(text.split('\n')[3]).toBe('{"id":7,"s":"","d":0}')
      expect(printed).toBe(4)
      expect(lines.undecodable).toEqual([{where: 't/0@2 value', reason: printing.undecodable[0].reason}])
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
