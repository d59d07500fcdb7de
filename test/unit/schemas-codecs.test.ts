import {describe, expect, it} from 'vitest'

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

describe('Avro binary straight to JSON (the fast path of consume)', () => {
  it('writes exactly the bytes avsc writes, for random values of every kind of type', async () => {
    const {avroJsonWriter} = await import('../../src/schemas/avro-json.js')
    const lib = await loadAvsc()
    const recursive = {type: 'record', name: 'Node', fields: [{name: 'label', type: 'string'}, {name: 'next', type: ['null', 'Node']}]}
    for (const schema of [SCHEMA, recursive, {type: 'map', values: ['null', 'double', 'bytes']}, {type: 'array', items: 'float'}, 'string', 'long']) {
      const type = parseAvro(lib, JSON.stringify(schema))
      const write = avroJsonWriter(type)!
      expect(write).toBeDefined()
      for (let i = 0; i < 300; i++) {
        const bytes = type.toBuffer(type.random())
        const expected = type.toString(type.fromBuffer(bytes))
        expect(write(bytes)?.toString()).toBe(expected)
      }
    }
    // Strings that need escaping or are not ASCII, and numbers JSON has no word for.
    const type = parseAvro(lib, JSON.stringify({type: 'record', name: 'R', fields: [{name: 's', type: 'string'}, {name: 'd', type: 'double'}, {name: 'f', type: 'float'}]}))
    for (const value of [{s: 'qu"ote\\\n\t\u0001é\u2028😀', d: Number.NaN, f: Number.POSITIVE_INFINITY}, {s: '', d: -0, f: 1.1}]) {
      const bytes = type.toBuffer(value)
      expect(avroJsonWriter(type)!(bytes)?.toString()).toBe(type.toString(type.fromBuffer(bytes)))
    }
  })

  it('gives up where avsc must decode and say what is wrong: truncated, trailing bytes, bad indexes, unsafe longs, keys an object reorders', async () => {
    const {avroJsonWriter} = await import('../../src/schemas/avro-json.js')
    const lib = await loadAvsc()
    const type = parseAvro(lib, JSON.stringify(SCHEMA))
    const write = avroJsonWriter(type)!
    const bytes = type.toBuffer(type.random())
    expect(write(bytes.subarray(0, bytes.length - 1))).toBeUndefined()
    expect(write(Buffer.concat([bytes, Buffer.from([0])]))).toBeUndefined()
    const e = parseAvro(lib, JSON.stringify({type: 'enum', name: 'E', symbols: ['A']}))
    expect(avroJsonWriter(e)!(Buffer.from([2]))).toBeUndefined()
    const u = parseAvro(lib, JSON.stringify(['null', 'int']))
    expect(avroJsonWriter(u)!(Buffer.from([4]))).toBeUndefined()
    const l = parseAvro(lib, '"long"')
    expect(avroJsonWriter(l)!(Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBeUndefined()
    const m = parseAvro(lib, JSON.stringify({type: 'map', values: 'int'}))
    for (const value of [{b: 1, 2: 2}, {['__proto__']: 1}]) expect(avroJsonWriter(m)!(m.toBuffer(value))).toBeUndefined()
    // avroToJson then says it in avsc's words.
    const {avroToJson} = await import('../../src/schemas/avro.js')
    expect(() => avroToJson(e, Buffer.from([2]))).toThrow()
    expect(avroToJson(m, m.toBuffer({b: 1, 2: 2})).toString()).toBe('{"2":2,"b":1}')
  })
})
