import {execFileSync} from 'node:child_process'
import {createSign, generateKeyPairSync, type KeyObject} from 'node:crypto'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {createTopic, kadm, uniqueName} from '../helpers/kadm.js'
import {runProcess} from '../helpers/process.js'
import {generateCertificates, type SecurityFiles, securityFiles} from '../../src/local/security.js'
import {avroToolsJar, type RunningRegistry, startRegistry} from '../helpers/schema-registry.js'

const bootstrap = inject('bootstrap')

const ADDRESS = {type: 'record', name: 'Address', namespace: 'shop', fields: [{name: 'city', type: 'string'}, {name: 'zip', type: ['null', 'string'], default: null}]}
/** Two fields of the named type Address: the second refers to it by name. */
const ORDER = {
  type: 'record', name: 'Order', namespace: 'shop',
  fields: [
    {name: 'id', type: 'long'}, {name: 'customer', type: 'string'}, {name: 'amount', type: 'double'}, {name: 'paid', type: 'boolean'},
    {name: 'status', type: {type: 'enum', name: 'Status', symbols: ['NEW', 'SHIPPED']}},
    {name: 'tags', type: {type: 'array', items: 'string'}}, {name: 'note', type: ['null', 'string'], default: null},
    {name: 'billing', type: ADDRESS}, {name: 'shipping', type: 'shop.Address'},
  ],
}
const orders = [
  {id: 1, customer: 'ada', amount: 12.5, paid: true, status: 'NEW', tags: ['a', 'b'], note: null, billing: {city: 'Paris', zip: {string: '75001'}}, shipping: {city: 'Lyon', zip: null}},
  {id: 2, customer: 'bob', amount: 0.25, paid: false, status: 'SHIPPED', tags: [], note: {string: 'fragile'}, billing: {city: 'Oslo', zip: null}, shipping: {city: 'Bergen', zip: {string: '5003'}}},
]

describe('schemas: Avro through a real Apicurio Registry', () => {
  let registry: RunningRegistry
  let dir = ''
  let url = ''
  /** The subject the first test registers order.avsc under. */
  let orderSubject = ''
  /** The registry's user: reads are open to anyone, writes need it (HTTP basic auth). */
  const secret = 'registry-s3cret-never-printed'
  const auth = {authorization: `Basic ${Buffer.from(`svc:${secret}`).toString('base64')}`}
  /** kadm is given the user in the URL (the basic auth of a URL with user info). */
  const sr = () => ['--schema-registry-url', url.replace('http://', `http://svc:${secret}@`)]
  let tls: SecurityFiles
  /** The key bearer tokens are signed with; the registry verifies them with its public half. */
  const issuer = generateKeyPairSync('rsa', {modulusLength: 2048})

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kadm-schemas-'))
    // The CA and the certificate for 127.0.0.1 that `kadm local start --secure` makes, also served by the registry over HTTPS.
    tls = securityFiles(dir)
    await generateCertificates(tls)
    registry = await startRegistry(Number(process.env.KADM_TEST_PORT ?? 19_092) + 10, {
      tls: {cert: join(tls.dir, 'broker.pem'), key: join(tls.dir, 'broker.key')},
      users: {svc: secret},
      bearerPublicKey: issuer.publicKey.export({type: 'spki', format: 'der'}).toString('base64'),
    })
    url = registry.url
    await writeFile(join(dir, 'order.avsc'), JSON.stringify(ORDER))
    await writeFile(join(dir, 'key.avsc'), JSON.stringify({type: 'record', name: 'OrderKey', namespace: 'shop', fields: [{name: 'id', type: 'long'}]}))
    await writeFile(join(dir, 'order-v2.avsc'), JSON.stringify({...ORDER, fields: [...ORDER.fields, {name: 'rush', type: 'boolean'}]}))
    await writeFile(join(dir, 'bad.avsc'), '{"type": "record", "name": "X", "fields": [{"name": "a", "type": "strin"}]}')
  }, 600_000)
  afterAll(async () => {
    await registry?.stop()
    await rm(dir, {recursive: true, force: true})
  })

  it('registers, lists, gets and checks subjects; unknown subjects, bad schemas and an unreachable registry are one line', async () => {
    const subject = uniqueName('orders') + '-value'
    orderSubject = subject
    const registered = await kadm(['schemas', 'register', subject, join(dir, 'order.avsc'), ...sr(), '-o', 'json'])
    expect(registered.code, registered.stderr).toBe(0)
    const reg = JSON.parse(registered.stdout)
    expect(reg).toEqual({subject, file: join(dir, 'order.avsc'), schemaType: 'AVRO', id: reg.id, version: 1, status: 'registered'})
    // The registry's own answer (GET /subjects/S/versions/1), not kadm's.
    const direct = await (await fetch(`${url}/subjects/${subject}/versions/1`)).json() as {id: number; schema: string}
    expect(direct.id).toBe(reg.id)
    // Apicurio stores the schema in its canonical form (namespaces it can infer left out).
    expect((JSON.parse(direct.schema) as typeof ORDER).fields.map((f) => f.name)).toEqual(ORDER.fields.map((f) => f.name))

    const again = await kadm(['schemas', 'register', subject, join(dir, 'order.avsc'), ...sr()])
    expect(again.stdout.trim()).toBe(`${subject} already holds ${join(dir, 'order.avsc')} (version 1, id ${reg.id})`)

    const listed = await kadm(['schemas', 'list', ...sr(), '-o', 'yaml', '--timeout', '5s'])
    expect(listed.code).toBe(0)
    const subjects = await (await fetch(`${url}/subjects`)).json() as string[]
    expect(listed.stdout).toBe(`subjects:\n${subjects.sort().map((s) => `  - ${s}\n`).join('')}`)

    const got = JSON.parse((await kadm(['schemas', 'get', subject, '--version', '1', ...sr(), '-o', 'json', '--timeout', '5s'])).stdout)
    expect(got).toEqual({subject, version: 1, id: reg.id, schemaType: 'AVRO', schema: direct.schema, references: []})

    // A new required field breaks BACKWARD compatibility: check says so (exit 3), a dry run refuses, nothing is registered.
    const config = await fetch(`${url}/config/${subject}`, {method: 'PUT', headers: {'content-type': 'application/vnd.schemaregistry.v1+json', ...auth}, body: JSON.stringify({compatibility: 'BACKWARD'})})
    expect(config.status).toBe(200)
    const check = await kadm(['schemas', 'check', subject, join(dir, 'order-v2.avsc'), ...sr()])
    expect([check.code, check.stdout.trim()]).toEqual([3, `${join(dir, 'order-v2.avsc')} is NOT compatible with ${subject}`])
    const checkOk = await kadm(['schemas', 'check', subject, join(dir, 'order.avsc'), ...sr(), '-o', 'json', '--version', '1', '--timeout', '5s', '--no-color'])
    expect([checkOk.code, JSON.parse(checkOk.stdout).compatible]).toEqual([0, true])
    const dry = await kadm(['schemas', 'register', subject, join(dir, 'order-v2.avsc'), ...sr(), '--dry-run'])
    expect([dry.code, dry.stderr.trim()]).toEqual([3, `error: ${join(dir, 'order-v2.avsc')} is not compatible with subject "${subject}": the registry would refuse it`])
    expect(await (await fetch(`${url}/subjects/${subject}/versions`)).json()).toEqual([1])

    const unknown = await kadm(['schemas', 'get', 'no-such-subject', ...sr()])
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'error: no subject "no-such-subject" in the registry'])
    const bad = await kadm(['schemas', 'register', subject, join(dir, 'bad.avsc'), ...sr()])
    expect([bad.code, bad.stderr.trim()]).toEqual([1, `error: bad schema: ${join(dir, 'bad.avsc')}: undefined type name: strin`])
    const down = await kadm(['schemas', 'list', '--schema-registry-url', 'http://127.0.0.1:1'])
    expect([down.code, down.stderr.trim()]).toEqual([1, 'error: schema registry http://127.0.0.1:1 is unreachable: connect ECONNREFUSED 127.0.0.1:1'])
    const none = await kadm(['schemas', 'list'])
    expect(none.code).toBe(2)
  })

  it('produces JSON as Avro (key and value, --register, refused records) and consumes it back; avro-tools decodes the same bytes', async () => {
    const topic = await createTopic(bootstrap, uniqueName('avro'))
    const input = orders.map((o) => `${JSON.stringify({id: o.id})}\t${JSON.stringify(o)}`)
    // The second line's billing.city is a number: refused whole, counted, the rest is sent.
    const wrong = {...orders[0], billing: {city: 7, zip: null}}
    const lines = [input[0], `{"id": 9}\t${JSON.stringify(wrong)}`, input[1]].join('\n') + '\n'

    const unregistered = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-schema', join(dir, 'order.avsc'), '-K', '\t'], {input: lines})
    expect([unregistered.code, unregistered.stderr.trim()]).toEqual([1, `error: ${join(dir, 'order.avsc')} is not registered under subject "${topic}-value": pass --register to register it`])

    const produced = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-schema', join(dir, 'order.avsc'), '--key-schema', join(dir, 'key.avsc'), '--register', '-K', '\t'], {input: lines})
    expect(produced.code).toBe(1)
    expect(produced.stderr).toContain('warning: line 2: value field billing.city: not a valid "string": 7\n')
    expect(produced.stderr).toContain('error: 1 record failed (1: does not match its schema)')
    const valueId = (await (await fetch(`${url}/subjects/${topic}-value/versions/latest`)).json() as {id: number}).id
    const keyId = (await (await fetch(`${url}/subjects/${topic}-key/versions/latest`)).json() as {id: number}).id

    const consumed = await kadm(['console', 'consume', topic, '-b', bootstrap, ...sr(), '--from-beginning', '-e', '--key-format', 'avro', '--value-format', 'schema-registry', '-f', '%k\t%v\n'])
    expect(consumed.code, consumed.stderr).toBe(0)
    expect(consumed.stdout).toBe(input.map((l) => l + '\n').join(''))

    const json = await kadm(['console', 'consume', topic, '-b', bootstrap, ...sr(), '--from-beginning', '-e', '--key-format', 'avro', '--value-format', 'avro', '-o', 'json'])
    const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(records.map((r) => [r.key, r.keyEncoding, r.value, r.valueEncoding])).toEqual(orders.map((o) => [{id: o.id}, 'json', o, 'json']))

    // Independent check of the bytes: kcat reads them raw, avro-tools decodes the payload after the 5-byte header.
    const raw = execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', topic, '-c', '1', '-f', '%s'], {timeout: 60_000})
    expect([raw[0], raw.readUInt32BE(1)]).toEqual([0, valueId])
    await writeFile(join(dir, 'payload.bin'), raw.subarray(5))
    const tools = await runProcess('java', ['-jar', await avroToolsJar(), 'fragtojson', '--schema-file', join(dir, 'order.avsc'), join(dir, 'payload.bin')], {timeoutMs: 120_000})
    expect(tools.code, tools.stderr).toBe(0)
    expect(JSON.parse(tools.stdout)).toEqual(orders[0])
    const rawKey = execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', topic, '-c', '1', '-f', '%k'], {timeout: 60_000})
    expect([rawKey[0], rawKey.readUInt32BE(1)]).toEqual([0, keyId])

    // A record that is not Avro: one marker with its bytes, the stream goes on, one line at the end.
    expect((await kadm(['console', 'produce', topic, '-b', bootstrap], {input: 'plain text\n'})).code).toBe(0)
    const produced3 = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-subject', `${topic}-value:1`], {input: JSON.stringify(orders[1]) + '\n'})
    expect(produced3.code, produced3.stderr).toBe(0)
    const mixed = await kadm(['console', 'consume', topic, '-b', bootstrap, ...sr(), '--from-beginning', '-e', '--value-format', 'avro', '-q'])
    expect(mixed.stdout.split('\n')).toEqual([
      JSON.stringify(orders[0]), JSON.stringify(orders[1]),
      `<undecodable: not in the schema registry wire format (no magic byte 0 and schema id); hex ${Buffer.from('plain text').toString('hex')}>`,
      JSON.stringify(orders[1]), '',
    ])
    expect([mixed.code, mixed.stderr.trim()]).toEqual([1, `error: 1 record could not be decoded (first: ${topic}/0@2 value: not in the schema registry wire format (no magic byte 0 and schema id))`])

    // Keys by subject, values by id: the same bytes as --register gave.
    const again = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--key-subject', `${topic}-key`, '--value-schema-id', String(valueId), '-K', '\t'], {input: input[0] + '\n'})
    expect(again.code, again.stderr).toBe(0)
    const keyById = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--key-schema-id', String(keyId), '--value-subject', `${topic}-value`, '-K', '\t'], {input: input[1] + '\n'})
    expect(keyById.code, keyById.stderr).toBe(0)
    const tail = await kadm(['console', 'consume', topic, '-b', bootstrap, ...sr(), '--offset', '-2', '-e', '--key-format', 'avro', '--value-format', 'avro', '-f', '%k\t%v\n', '-q'])
    expect(tail.stdout).toBe(input.map((l) => l + '\n').join(''))

    const byId = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-schema-id', '999999'], {input: '{}\n'})
    expect([byId.code, byId.stderr.trim()]).toEqual([1, 'error: --value-schema-id 999999: no such schema in the registry'])
    const noSubject = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-subject', 'nope-value'], {input: '{}\n'})
    expect([noSubject.code, noSubject.stderr.trim()]).toEqual([1, 'error: --value-subject nope-value: no subject "nope-value" in the registry'])
    const unreachable = await kadm(['console', 'consume', topic, '-b', bootstrap, '--schema-registry-url', 'http://127.0.0.1:1', '--from-beginning', '-e', '--value-format', 'avro'])
    expect([unreachable.code, unreachable.stderr.trim().split('\n').at(-1)]).toEqual([1, 'error: schema registry http://127.0.0.1:1 is unreachable: connect ECONNREFUSED 127.0.0.1:1'])
  })

  it('decodes a schema with a registry reference (a named type from another subject), record strategies, and local schemas without a registry', async () => {
    const topic = await createTopic(bootstrap, uniqueName('avro-ref'))
    const headers = {'content-type': 'application/vnd.schemaregistry.v1+json', ...auth}
    const addressSubject = `${topic}-shop.Address`
    const a = await fetch(`${url}/subjects/${addressSubject}/versions`, {method: 'POST', headers, body: JSON.stringify({schema: JSON.stringify(ADDRESS)})})
    expect(a.status).toBe(200)
    const withRef = {...ORDER, fields: ORDER.fields.map((f) => (f.name === 'billing' ? {name: 'billing', type: 'shop.Address'} : f))}
    const o = await fetch(`${url}/subjects/shop.Order/versions`, {method: 'POST', headers, body: JSON.stringify({schema: JSON.stringify(withRef), references: [{name: 'shop.Address', subject: addressSubject, version: 1}]})})
    expect(o.status, await o.clone().text()).toBe(200)

    // --value-subject with the record strategy's subject name, which holds the schema with its reference.
    const produced = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-subject', 'shop.Order'], {input: orders.map((x) => JSON.stringify(x)).join('\n') + '\n'})
    expect(produced.code, produced.stderr).toBe(0)
    const consumed = await kadm(['console', 'consume', topic, '-b', bootstrap, ...sr(), '--from-beginning', '-e', '--value-format', 'schema-registry', '-q'])
    expect(consumed.stdout).toBe(orders.map((x) => JSON.stringify(x) + '\n').join(''))

    // topic-record strategy: the local schema's subject is TOPIC-shop.Order.
    const strategy = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-schema', join(dir, 'order.avsc'), '--subject-strategy', 'topic-record', '--register'], {input: JSON.stringify(orders[0]) + '\n'})
    expect(strategy.code, strategy.stderr).toBe(0)
    expect(await (await fetch(`${url}/subjects/${topic}-shop.Order/versions`)).json()).toEqual([1])

    // No registry: plain Avro binary with a local schema, both ways; avro-tools reads the bytes kcat sees.
    const local = await createTopic(bootstrap, uniqueName('avro-local'))
    const plain = await kadm(['console', 'produce', local, '-b', bootstrap, '--value-schema', join(dir, 'order.avsc'), '--key-schema', join(dir, 'key.avsc'), '-K', '|'], {input: `{"id": 2}|${JSON.stringify(orders[1])}\n`})
    expect(plain.code, plain.stderr).toBe(0)
    const back = await kadm(['console', 'consume', local, '-b', bootstrap, '--from-beginning', '-e', '--value-format', 'avro', '--value-schema', join(dir, 'order.avsc'), '--key-format', 'avro', '--key-schema', join(dir, 'key.avsc'), '-f', '%k|%v\n', '-q'])
    expect(back.stdout).toBe(`{"id":2}|${JSON.stringify(orders[1])}\n`)
    await writeFile(join(dir, 'plain.bin'), execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', local, '-c', '1', '-f', '%s'], {timeout: 60_000}))
    const tools = await runProcess('java', ['-jar', await avroToolsJar(), 'fragtojson', '--schema-file', join(dir, 'order.avsc'), join(dir, 'plain.bin')], {timeoutMs: 120_000})
    expect(JSON.parse(tools.stdout)).toEqual(orders[1])
  })

  it('Protobuf: a .proto with an import, registered with its reference; message indexes; protoc decodes the same bytes; local files without a registry', async () => {
    await writeFile(join(dir, 'common.proto'), 'syntax = "proto3";\npackage shop;\nmessage Money { string currency = 1; int64 cents = 2; }\n')
    await writeFile(join(dir, 'order.proto'), [
      'syntax = "proto3";', 'package shop;', 'import "common.proto";',
      'message Order {', '  int64 id = 1;', '  string customer = 2;', '  Money total = 3;', '  Status status = 4;', '  repeated string tags = 5;',
      '  message Line { string sku = 1; int32 qty = 2; }', '  repeated Line lines = 6;', '}',
      'enum Status { NEW = 0; SHIPPED = 1; }', 'message Other { string x = 1; }', '',
    ].join('\n'))
    const protoOrders = [
      {id: '12345678901234', customer: 'ada', total: {currency: 'EUR', cents: '1250'}, status: 'SHIPPED', tags: ['a', 'b'], lines: [{sku: 'x-1', qty: 2}]},
      {id: '7', customer: 'bob', total: {currency: 'NOK', cents: '99'}, status: 'SHIPPED', tags: ['c'], lines: [{sku: 'y-2', qty: 1}, {sku: 'z-3', qty: 5}]},
    ]
    const topic = await createTopic(bootstrap, uniqueName('proto'))
    const bad = {...protoOrders[0], lines: [{sku: 'q', qty: 'x'}]}
    const lines = [protoOrders[0], bad, protoOrders[1]].map((o) => JSON.stringify(o)).join('\n') + '\n'
    const unregistered = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-schema', join(dir, 'order.proto')], {input: lines})
    expect([unregistered.code, unregistered.stderr.trim()]).toEqual([1, `error: ${join(dir, 'order.proto')} imports common.proto, which is not registered under subject "common.proto": pass --register to register it`])
    const produced = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-schema', join(dir, 'order.proto'), '--register'], {input: lines})
    expect(produced.code).toBe(1)
    expect(produced.stderr).toContain('warning: line 2: value field lines.0.qty: "x" is not a valid int32\n')
    expect(produced.stderr).toContain('error: 1 record failed (1: does not match its schema)')

    const got = JSON.parse((await kadm(['schemas', 'get', `${topic}-value`, ...sr(), '-o', 'json'])).stdout)
    expect([got.schemaType, got.references]).toEqual(['PROTOBUF', [{name: 'common.proto', subject: 'common.proto', version: 1}]])
    for (const format of ['protobuf', 'schema-registry']) {
      const consumed = await kadm(['console', 'consume', topic, '-b', bootstrap, ...sr(), '--from-beginning', '-e', '--value-format', format, '-q'])
      expect(consumed.stdout).toBe(protoOrders.map((o) => JSON.stringify(o) + '\n').join(''))
    }
    // protoc, from Debian's protobuf-compiler, decodes the payload after the id and the message index.
    const raw = execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', topic, '-c', '1', '-f', '%s'], {timeout: 60_000})
    expect([raw[0], raw.readUInt32BE(1), raw[5]]).toEqual([0, got.id, 0])
    const text = execFileSync('protoc', ['-I', dir, '--decode=shop.Order', join(dir, 'order.proto')], {input: raw.subarray(6), encoding: 'utf8'})
    expect(text).toBe('id: 12345678901234\ncustomer: "ada"\ntotal {\n  currency: "EUR"\n  cents: 1250\n}\nstatus: SHIPPED\ntags: "a"\ntags: "b"\nlines {\n  sku: "x-1"\n  qty: 2\n}\n')

    // No registry: keys and values as plain Protobuf of each file's first message.
    const local = await createTopic(bootstrap, uniqueName('proto-local'))
    const plain = await kadm(['console', 'produce', local, '-b', bootstrap, '--key-schema', join(dir, 'common.proto'), '--value-schema', join(dir, 'order.proto'), '-K', '|'], {input: `{"currency": "USD", "cents": 5}|${JSON.stringify(protoOrders[1])}\n`})
    expect(plain.code, plain.stderr).toBe(0)
    const back = await kadm(['console', 'consume', local, '-b', bootstrap, '--from-beginning', '-e', '--key-format', 'protobuf', '--key-schema', join(dir, 'common.proto'), '--value-format', 'protobuf', '--value-schema', join(dir, 'order.proto'), '-o', 'json'])
    const record = JSON.parse(back.stdout)
    expect([record.key, record.value]).toEqual([{currency: 'USD', cents: '5'}, protoOrders[1]])
    const rawKey = execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', local, '-c', '1', '-f', '%k'], {timeout: 60_000})
    expect(execFileSync('protoc', ['-I', dir, '--decode=shop.Money', join(dir, 'common.proto')], {input: rawKey, encoding: 'utf8'})).toBe('currency: "USD"\ncents: 5\n')
  })

  it('JSON Schema: produced as given when it matches (refused with the field otherwise), read back; kcat sees the id and the JSON; local files without a registry', async () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#', title: 'Order', type: 'object',
      properties: {id: {type: 'integer'}, customer: {type: 'string'}, lines: {type: 'array', items: {type: 'object', properties: {sku: {type: 'string'}, qty: {type: 'integer', minimum: 1}}, required: ['sku', 'qty']}}},
      required: ['id', 'customer'], additionalProperties: false,
    }
    await writeFile(join(dir, 'order.json'), JSON.stringify(schema))
    await writeFile(join(dir, 'order-2020.json'), JSON.stringify({...schema, $schema: 'https://json-schema.org/draft/2020-12/schema'}))
    const jsonOrders = [{id: 9007199254740993, customer: 'ada', lines: [{sku: 'x-1', qty: 2}]}, {id: 2, customer: 'bob', lines: []}]
    // JSON.stringify would round 9007199254740993: the first line is written by hand, as a producer's input would be.
    const first = '{"id":9007199254740993,"customer":"ada","lines":[{"sku":"x-1","qty":2}]}'
    const second = JSON.stringify(jsonOrders[1])
    const topic = await createTopic(bootstrap, uniqueName('jsonschema'))
    const input = [first, JSON.stringify({id: 3, customer: 'cy', lines: [{sku: 'q', qty: 0}]}), JSON.stringify({id: 4, customer: 'dee', extra: true}), second].join('\n') + '\n'
    const unregistered = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-schema', join(dir, 'order.json'), '--subject-strategy', 'topic-record'], {input})
    expect([unregistered.code, unregistered.stderr.trim()]).toEqual([1, `error: ${join(dir, 'order.json')} is not registered under subject "${topic}-Order": pass --register to register it`])
    const produced = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-schema', join(dir, 'order.json'), '--subject-strategy', 'topic-record', '--register'], {input})
    expect(produced.code).toBe(1)
    expect(produced.stderr).toContain('warning: line 2: value field /lines/0/qty: must be >= 1\n')
    expect(produced.stderr).toContain('warning: line 3: value the record: must NOT have additional properties (extra)\n')
    expect(produced.stderr).toContain('error: 2 records failed (2: does not match its schema)')

    const got = JSON.parse((await kadm(['schemas', 'get', `${topic}-Order`, ...sr(), '-o', 'json'])).stdout)
    expect([got.schemaType, JSON.parse(got.schema)]).toEqual(['JSON', schema])
    for (const format of ['json-schema', 'schema-registry']) {
      const consumed = await kadm(['console', 'consume', topic, '-b', bootstrap, ...sr(), '--from-beginning', '-e', '--value-format', format, '-q'])
      expect(consumed.stdout).toBe(`${first}\n${second}\n`)
    }
    // The payload after the magic byte and the id is the JSON as given, digits and all.
    const raw = execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', topic, '-c', '1', '-f', '%s'], {timeout: 60_000})
    expect([raw[0], raw.readUInt32BE(1), raw.subarray(5).toString()]).toEqual([0, got.id, first])

    // A registry schema of another draft is one line; so is a record (written by kcat) without the wire format.
    const draft = await kadm(['console', 'produce', topic, '-b', bootstrap, ...sr(), '--value-schema', join(dir, 'order-2020.json')], {input: second + '\n'})
    expect([draft.code, draft.stderr.trim()]).toEqual([1, `error: ${join(dir, 'order-2020.json')} declares $schema "https://json-schema.org/draft/2020-12/schema": kadm validates JSON Schema draft-07 (and schemas that declare no $schema)`])
    execFileSync('kcat', ['-P', '-b', bootstrap, '-t', topic], {input: second + '\n', timeout: 60_000})
    const mixed = await kadm(['console', 'consume', topic, '-b', bootstrap, ...sr(), '--from-beginning', '-e', '--value-format', 'json-schema', '-q'])
    expect([mixed.code, mixed.stdout.split('\n')[2], mixed.stderr.trim()]).toEqual([1, `<undecodable: not in the schema registry wire format (no magic byte 0 and schema id); hex ${Buffer.from(second).toString('hex')}>`, `error: 1 record could not be decoded (first: ${topic}/0@2 value: not in the schema registry wire format (no magic byte 0 and schema id))`])

    // No registry: plain JSON checked against the local file both ways.
    const local = await createTopic(bootstrap, uniqueName('jsonschema-local'))
    const plain = await kadm(['console', 'produce', local, '-b', bootstrap, '--value-schema', join(dir, 'order.json')], {input: `${second}\n{"id": "x", "customer": "z"}\n`})
    expect([plain.code, plain.stderr.includes('warning: line 2: value field /id: must be integer\n')]).toEqual([1, true])
    execFileSync('kcat', ['-P', '-b', bootstrap, '-t', local], {input: '{"id": 5}\n', timeout: 60_000})
    const back = await kadm(['console', 'consume', local, '-b', bootstrap, '--from-beginning', '-e', '--value-format', 'json-schema', '--value-schema', join(dir, 'order.json'), '-q'])
    expect([back.code, back.stdout]).toEqual([1, `${second}\n<undecodable: does not decode with its schema: the record: must have required property 'customer'; hex ${Buffer.from('{"id": 5}').toString('hex')}>\n`])
  })

  it('a folder of local schemas: types by full name across files, proto imports inside the folder, JSON $refs; without and with a registry', async () => {
    const folder = join(dir, 'folder')
    await mkdir(join(folder, 'shop'), {recursive: true})
    // Order uses the named type Address of another file, read after it (files are read in any order).
    const address = {type: 'record', name: 'Address', namespace: 'shop', fields: [{name: 'city', type: 'string'}]}
    await writeFile(join(folder, 'shop', 'address.avsc'), JSON.stringify(address))
    await writeFile(join(folder, 'order.avsc'), JSON.stringify({type: 'record', name: 'Order', namespace: 'shop', fields: [{name: 'id', type: 'long'}, {name: 'ship', type: 'shop.Address'}]}))
    await writeFile(join(folder, 'shop', 'common.proto'), 'syntax = "proto3";\npackage shop.common;\nmessage Money { string currency = 1; int64 cents = 2; }\n')
    await writeFile(join(folder, 'payment.proto'), 'syntax = "proto3";\npackage shop;\nimport "shop/common.proto";\nmessage Payment {\n  string id = 1;\n  shop.common.Money amount = 2;\n  message Card { string last4 = 1; }\n  Card card = 3;\n}\n')
    await writeFile(join(folder, 'customer.json'), JSON.stringify({title: 'Customer', type: 'object', properties: {name: {type: 'string'}, email: {type: 'string', format: 'email'}, address: {$ref: 'shop/address.json'}}, required: ['name']}))
    await writeFile(join(folder, 'shop', 'address.json'), JSON.stringify({type: 'object', properties: {city: {type: 'string'}}, required: ['city']}))
    const names = 'Customer, address, shop.Address, shop.Order, shop.Payment, shop.Payment.Card, shop.common.Money'

    const topic = await createTopic(bootstrap, uniqueName('folder'))
    const noType = await kadm(['console', 'produce', topic, '-b', bootstrap, '--value-schema', folder], {input: '{}\n'})
    expect([noType.code, noType.stderr.trim()]).toEqual([2, `error: --value-schema ${folder} holds 6 schema files: choose a schema with --value-type NAME (Customer, address, shop.Address, shop.Order, shop.Payment, shop.common.Money)`])
    const unknown = await kadm(['console', 'consume', topic, '-b', bootstrap, '-e', '--value-format', 'avro', '--value-schema', folder, '--value-type', 'shop.Nope'])
    expect([unknown.code, unknown.stderr.trim()]).toEqual([2, `error: --value-schema ${folder} has no schema named shop.Nope (${names})`])
    const wrongKind = await kadm(['console', 'consume', topic, '-b', bootstrap, '-e', '--value-format', 'avro', '--value-schema', folder, '--value-type', 'shop.Payment'])
    expect([wrongKind.code, wrongKind.stderr.trim()]).toEqual([2, `error: --value-schema ${join(folder, 'payment.proto')} (shop.Payment) is not a avro schema`])
    // The file alone does not know Address: the folder does.
    const alone = await kadm(['console', 'produce', topic, '-b', bootstrap, '--value-schema', join(folder, 'order.avsc')], {input: '{}\n'})
    expect([alone.code, alone.stderr.trim()]).toEqual([1, `error: bad schema: ${join(folder, 'order.avsc')}: undefined type name: shop.Address`])

    // No registry: plain Avro (key: a nested Protobuf message, plain), read back with the same folder.
    const order = {id: 7, ship: {city: 'Oslo'}}
    const produced = await kadm(['console', 'produce', topic, '-b', bootstrap, '--value-schema', folder, '--value-type', 'shop.Order', '--key-schema', folder, '--key-type', 'shop.Payment.Card', '-K', '|'], {input: `{"last4": "4242"}|${JSON.stringify(order)}\n`})
    expect(produced.code, produced.stderr).toBe(0)
    const back = await kadm(['console', 'consume', topic, '-b', bootstrap, '--from-beginning', '-e', '-q', '--value-format', 'avro', '--value-schema', folder, '--value-type', 'shop.Order', '--key-format', 'protobuf', '--key-schema', folder, '--key-type', 'shop.Payment.Card', '-f', '%k|%v\n'])
    expect([back.code, back.stdout]).toEqual([0, `{"last4":"4242"}|${JSON.stringify(order)}\n`])
    // avro-tools, given the whole schema written by hand, and protoc read the bytes kcat sees.
    await writeFile(join(dir, 'order-whole.avsc'), JSON.stringify({type: 'record', name: 'Order', namespace: 'shop', fields: [{name: 'id', type: 'long'}, {name: 'ship', type: address}]}))
    await writeFile(join(dir, 'folder-value.bin'), execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', topic, '-c', '1', '-f', '%s'], {timeout: 60_000}))
    const tools = await runProcess('java', ['-jar', await avroToolsJar(), 'fragtojson', '--schema-file', join(dir, 'order-whole.avsc'), join(dir, 'folder-value.bin')], {timeoutMs: 120_000})
    expect(JSON.parse(tools.stdout)).toEqual(order)
    const rawKey = execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', topic, '-c', '1', '-f', '%k'], {timeout: 60_000})
    expect(execFileSync('protoc', ['-I', folder, '--decode=shop.Payment.Card', join(folder, 'payment.proto')], {input: rawKey, encoding: 'utf8'})).toBe('last4: "4242"\n')

    // Protobuf with an import inside the folder (shop/common.proto), and JSON Schema with a $ref to a file of the folder.
    const payment = {id: 'p-1', amount: {currency: 'EUR', cents: '995'}, card: {last4: '0005'}}
    const local = await createTopic(bootstrap, uniqueName('folder-local'))
    const proto = await kadm(['console', 'produce', local, '-b', bootstrap, '--value-schema', folder, '--value-type', 'shop.Payment'], {input: JSON.stringify(payment) + '\n'})
    expect(proto.code, proto.stderr).toBe(0)
    const rawPayment = execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', local, '-c', '1', '-f', '%s'], {timeout: 60_000})
    expect(execFileSync('protoc', ['-I', folder, '--decode=shop.Payment', join(folder, 'payment.proto')], {input: rawPayment, encoding: 'utf8'})).toBe('id: "p-1"\namount {\n  currency: "EUR"\n  cents: 995\n}\ncard {\n  last4: "0005"\n}\n')
    // Formats are checked (ajv-formats): the third record's email is refused.
    const json = await kadm(['console', 'produce', topic, '-b', bootstrap, '--value-schema', folder, '--value-type', 'Customer'], {input: '{"name": "ada", "email": "ada@example.com", "address": {"city": "Paris"}}\n{"name": "bob", "address": {}}\n{"name": "cy", "email": "cy at example"}\n'})
    expect([json.code, json.stderr.split('\n').filter((l) => l.startsWith('warning') || l.startsWith('error'))]).toEqual([1, [
      "warning: line 2: value field /address: must have required property 'city'", 'warning: line 3: value field /email: must match format "email"', 'error: 2 records failed (2: does not match its schema)',
    ]])
    const jsonBack = await kadm(['console', 'consume', topic, '-b', bootstrap, '--offset', '1', '-e', '-q', '--value-format', 'json-schema', '--value-schema', folder, '--value-type', 'Customer'])
    expect([jsonBack.code, jsonBack.stdout]).toEqual([0, '{"name": "ada", "email": "ada@example.com", "address": {"city": "Paris"}}\n'])

    // With a registry: the Avro type registered whole (the registry holds no Address), the nested message with its indexes.
    const registered = await kadm(['console', 'produce', local, '-b', bootstrap, ...sr(), '--value-schema', folder, '--value-type', 'shop.Order', '--subject-strategy', 'topic-record', '--register'], {input: JSON.stringify(order) + '\n'})
    expect(registered.code, registered.stderr).toBe(0)
    const held = await (await fetch(`${url}/subjects/${local}-shop.Order/versions/1`)).json() as {schema: string; references?: unknown[]}
    expect(JSON.parse(held.schema).fields[1].type.fields).toEqual(address.fields)
    const card = await kadm(['console', 'produce', local, '-b', bootstrap, ...sr(), '--value-schema', folder, '--value-type', 'shop.Payment.Card', '--subject-strategy', 'record', '--register'], {input: '{"last4": "1881"}\n'})
    expect(card.code, card.stderr).toBe(0)
    const cardId = (await (await fetch(`${url}/subjects/shop.Payment.Card/versions/latest`)).json() as {id: number}).id
    expect(await (await fetch(`${url}/subjects/shop%2Fcommon.proto/versions`)).json()).toEqual([1])
    const rawCard = execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', local, '-o', '2', '-c', '1', '-f', '%s'], {timeout: 60_000})
    // Magic byte, id, then the message indexes [0, 0] (count 2 and two zeros, zigzag varints).
    expect([rawCard[0], rawCard.readUInt32BE(1), [...rawCard.subarray(5, 8)]]).toEqual([0, cardId, [4, 0, 0]])
    expect(execFileSync('protoc', ['-I', folder, '--decode=shop.Payment.Card', join(folder, 'payment.proto')], {input: rawCard.subarray(8), encoding: 'utf8'})).toBe('last4: "1881"\n')
    const viaRegistry = await kadm(['console', 'consume', local, '-b', bootstrap, ...sr(), '--offset', '1', '-e', '-q', '--value-format', 'schema-registry'])
    expect([viaRegistry.code, viaRegistry.stdout]).toEqual([0, `${JSON.stringify(order)}\n{"last4":"1881"}\n`])
  })

  it('takes the registry from a context, with basic auth from the environment, and never prints the secret', async () => {
    const config = join(dir, 'config.yaml')
    await writeFile(config, `current-context: dev\ncontexts:\n  dev:\n    bootstrap-servers: ${bootstrap}\n    schema-registry:\n      url: ${url}\n      username: svc\n      password-env: REGISTRY_PASSWORD\n`, {mode: 0o600})
    // The registry checks the credentials on every request that carries them; reads need none.
    const listed = await kadm(['schemas', 'list', '--config-file', config, '--verbose'], {env: {REGISTRY_PASSWORD: secret}})
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toContain('shop.Order')
    const got = await kadm(['schemas', 'get', 'shop.Order', '--config-file', config, '--context', 'dev', '-o', 'json'], {env: {REGISTRY_PASSWORD: secret}})
    expect(JSON.parse(got.stdout).references).toEqual([{name: 'shop.Address', subject: expect.stringMatching(/-shop\.Address$/), version: 1}])
    const checked = await kadm(['schemas', 'check', orderSubject, join(dir, 'order.avsc'), '--config-file', config, '--context', 'dev'], {env: {REGISTRY_PASSWORD: secret}})
    expect(checked.code, checked.stderr).toBe(0)
    const dry = await kadm(['schemas', 'register', 'shop.Other', join(dir, 'key.avsc'), '--config-file', config, '--context', 'dev', '--timeout', '5s', '--dry-run'], {env: {REGISTRY_PASSWORD: secret}})
    expect([dry.code, dry.stdout.trim()]).toEqual([0, `would register ${join(dir, 'key.avsc')} under shop.Other (dry run: nothing registered)`])
    expect((await fetch(`${url}/subjects/shop.Other/versions`)).status).toBe(404)
    // A write needs the user: without it and with a wrong password the registry refuses (one line, the password nowhere).
    const anonymous = await kadm(['schemas', 'register', 'shop.Other', join(dir, 'key.avsc'), '--schema-registry-url', url])
    expect([anonymous.code, anonymous.stderr.trim()]).toEqual([1, `error: schema registry ${url} refused the credentials (HTTP 401)`])
    const wrong = await kadm(['schemas', 'list', '--config-file', config], {env: {REGISTRY_PASSWORD: 'not-the-password'}})
    expect([wrong.code, wrong.stderr.trim()]).toEqual([1, `error: schema registry ${url} refused the credentials (HTTP 401)`])
    const registered = await kadm(['schemas', 'register', 'shop.Other', join(dir, 'key.avsc'), '--config-file', config, '-o', 'json'], {env: {REGISTRY_PASSWORD: secret}})
    expect([registered.code, JSON.parse(registered.stdout).status]).toEqual([0, 'registered'])
    expect(await (await fetch(`${url}/subjects/shop.Other/versions`)).json()).toEqual([1])
    const missing = await kadm(['schemas', 'list', '--config-file', config, '--context', 'dev'])
    expect([missing.code, missing.stderr.trim()]).toEqual([1, 'error: schema registry password: environment variable REGISTRY_PASSWORD is not set'])
    const shown = await kadm(['contexts', 'show', 'dev', '--config-file', config])
    expect(shown.stdout).toContain('password-env: REGISTRY_PASSWORD')
    const inline = join(dir, 'inline.yaml')
    await writeFile(inline, `contexts:\n  dev:\n    bootstrap-servers: ${bootstrap}\n    schema-registry: {url: "${url}", token: ${secret}}\n`, {mode: 0o600})
    const shownInline = await kadm(['contexts', 'show', 'dev', '--config-file', inline, '-o', 'json'])
    expect(JSON.parse(shownInline.stdout)['schema-registry']).toEqual({url, token: '<redacted>'})
    const viaFlag = await kadm(['schemas', 'list', '--config-file', inline, '--context', 'dev', '--schema-registry-url', 'http://127.0.0.1:1', '--verbose'])
    expect(viaFlag.stdout + viaFlag.stderr).not.toContain(secret)
    expect(viaFlag.code).toBe(1)
  })

  it('bearer tokens: from token-command, token-env or inline, checked by the registry (signature and expiry); a token it refuses is one line, never printed', async () => {
    /** An RS256 JWT as an OIDC server issues it, signed with `key`, valid for `seconds` (negative: expired). */
    const jwt = (key: KeyObject, seconds: number) => {
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
      const now = Math.floor(Date.now() / 1000)
      const body = `${part({alg: 'RS256', typ: 'JWT'})}.${part({sub: 'kadm-ci', preferred_username: 'kadm-ci', iat: now - 60, exp: now + seconds})}`
      return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`
    }
    const token = jwt(issuer.privateKey, 600)
    const tokenFile = join(dir, 'token.txt')
    await writeFile(tokenFile, `${token}\n`, {mode: 0o600})
    const config = join(dir, 'bearer.yaml')
    await writeFile(config, [
      'contexts:',
      ...[['command', `token-command: "cat ${tokenFile}"`], ['env', 'token-env: REGISTRY_TOKEN'], ['inline', `token: "${token}"`]].flatMap(([name, source]) => [
        `  ${name}:`, `    bootstrap-servers: ${bootstrap}`, '    schema-registry:', `      url: ${url}`, `      ${source}`,
      ]),
    ].join('\n') + '\n', {mode: 0o600})
    // Writes need a user: each source's token is accepted by the registry, which then holds the schema.
    for (const context of ['command', 'env', 'inline']) {
      const subject = uniqueName(`bearer-${context}`) + '-value'
      const registered = await kadm(['schemas', 'register', subject, join(dir, 'key.avsc'), '--config-file', config, '--context', context, '-o', 'json'], {env: {REGISTRY_TOKEN: token}})
      expect([registered.code, registered.stderr, JSON.parse(registered.stdout || '{}').status]).toEqual([0, '', 'registered'])
      expect(await (await fetch(`${url}/subjects/${subject}/versions`)).json()).toEqual([1])
      // Refused without the token: the registry does check it.
      const anonymous = await kadm(['schemas', 'register', uniqueName('bearer-none') + '-value', join(dir, 'key.avsc'), '--schema-registry-url', url])
      expect([anonymous.code, anonymous.stderr.trim()]).toEqual([1, `error: schema registry ${url} refused the credentials (HTTP 401)`])
    }
    // A token signed by another key, and an expired one: refused on any request, reads too; the token is printed nowhere.
    const stranger = jwt(generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey, 600)
    const expired = jwt(issuer.privateKey, -120)
    for (const bad of [stranger, expired]) {
      const refused = await kadm(['schemas', 'list', '--config-file', config, '--context', 'env', '--verbose'], {env: {REGISTRY_TOKEN: bad}})
      expect([refused.code, refused.stderr.trim().split('\n').at(-1)]).toEqual([1, `error: schema registry ${url} refused the credentials (HTTP 401)`])
      expect(refused.stdout + refused.stderr).not.toContain(bad.split('.')[2])
    }
    const shown = await kadm(['contexts', 'show', 'inline', '--config-file', config, '-o', 'json'])
    expect(JSON.parse(shown.stdout)['schema-registry']).toEqual({url, token: '<redacted>'})
    const missing = await kadm(['schemas', 'list', '--config-file', config, '--context', 'env'])
    expect([missing.code, missing.stderr.trim()]).toEqual([1, 'error: schema registry token: environment variable REGISTRY_TOKEN is not set'])
  })

  it('TLS to the registry: the context\'s CA verifies its certificate; another CA, none, or a plain HTTP port are one line', async () => {
    const httpsUrl = registry.httpsUrl!
    const context = (ca: string | undefined) => `contexts:\n  tls:\n    bootstrap-servers: ${bootstrap}\n    schema-registry:\n      url: ${httpsUrl}\n      username: svc\n      password-env: REGISTRY_PASSWORD\n${ca ? `      ca: ${ca}\n` : ''}`
    const config = join(dir, 'tls.yaml')
    await writeFile(config, context(tls.ca), {mode: 0o600})
    const env = {REGISTRY_PASSWORD: secret}
    const listed = await kadm(['schemas', 'list', '--config-file', config, '--context', 'tls', '-o', 'json'], {env})
    expect(listed.code, listed.stderr).toBe(0)
    // The registry's own answer, over plain HTTP.
    expect(JSON.parse(listed.stdout)).toEqual({subjects: ((await (await fetch(`${url}/subjects`)).json()) as string[]).sort()})
    // A write over TLS, with the user; a URL given by flag keeps the context's CA and user.
    const subject = uniqueName('tls') + '-value'
    const registered = await kadm(['schemas', 'register', subject, join(dir, 'key.avsc'), '--config-file', config, '--context', 'tls', '--schema-registry-url', httpsUrl], {env})
    expect(registered.code, registered.stderr).toBe(0)
    expect(await (await fetch(`${url}/subjects/${subject}/versions`)).json()).toEqual([1])

    const untrusted = `error: TLS error connecting to schema registry ${httpsUrl}: the schema registry certificate is not signed by a trusted CA (check the context's schema-registry ca) (unable to verify the first certificate)`
    await writeFile(config, context(tls.wrongCa), {mode: 0o600})
    const wrongCa = await kadm(['schemas', 'get', subject, '--config-file', config, '--context', 'tls'], {env})
    expect([wrongCa.code, wrongCa.stderr.trim()]).toEqual([1, untrusted])
    await writeFile(config, context(undefined), {mode: 0o600})
    const noCa = await kadm(['schemas', 'list', '--config-file', config, '--context', 'tls'], {env})
    expect([noCa.code, noCa.stderr.trim()]).toEqual([1, untrusted])
    const plainPort = url.replace('http://', 'https://')
    const notTls = await kadm(['schemas', 'list', '--config-file', config, '--context', 'tls', '--schema-registry-url', plainPort], {env})
    expect(notTls.code).toBe(1)
    // OpenSSL's own words differ between the OpenSSL versions of Node 20, 22 and 24.
    expect(notTls.stderr).toMatch(new RegExp(`^error: TLS error connecting to schema registry ${plainPort.replaceAll('.', '\\.')}: the TLS handshake failed: is this an HTTPS port\\? \\((wrong version number|packet length too long)\\)\n$`))
    await writeFile(config, context(join(dir, 'no-such-ca.pem')), {mode: 0o600})
    const missingCa = await kadm(['schemas', 'list', '--config-file', config, '--context', 'tls'], {env})
    expect([missingCa.code, missingCa.stderr.trim()]).toEqual([1, `error: schema registry CA file ${join(dir, 'no-such-ca.pem')}: ENOENT`])
  })
})
