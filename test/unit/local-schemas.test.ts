import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {localSchema} from '../../src/schemas/local.js'

describe('local schemas: a file or a folder, a schema chosen by full name', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kadm-local-schemas-'))
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  const pick = (path: string, name?: string) => localSchema(path, name, '--value-schema', '--value-type')

  it('reads Avro files in any order, each using the named types of the others; the type chosen is written out whole', async () => {
    const folder = join(dir, 'avro')
    await mkdir(folder)
    // a-order.avsc comes first and uses z-money.avsc's type.
    await writeFile(join(folder, 'a-order.avsc'), JSON.stringify({type: 'record', name: 'Order', namespace: 'shop', fields: [{name: 'total', type: 'shop.Money'}]}))
    await writeFile(join(folder, 'z-money.avsc'), JSON.stringify({type: 'record', name: 'Money', namespace: 'shop', fields: [{name: 'cents', type: 'long'}]}))
    const order = await pick(folder, 'shop.Order')
    expect([order.name, order.file, order.label, order.codec.kind]).toEqual(['shop.Order', join(folder, 'a-order.avsc'), `${join(folder, 'a-order.avsc')} (shop.Order)`, 'avro'])
    expect(JSON.parse(order.input.schema)).toEqual({name: 'shop.Order', type: 'record', fields: [{name: 'total', type: {name: 'shop.Money', type: 'record', fields: [{name: 'cents', type: 'long'}]}}]})
    await expect(pick(folder)).rejects.toThrow(`--value-schema ${folder} holds 2 schema files: choose a schema with --value-type NAME (shop.Money, shop.Order)`)
    await expect(pick(folder, 'shop.Nope')).rejects.toThrow(`--value-schema ${folder} has no schema named shop.Nope (shop.Money, shop.Order)`)
  })

  it('a single file: its own schema (the text as written), an unnamed Avro type, a nested message by name', async () => {
    await writeFile(join(dir, 'ids.avsc'), '{"type": "array", "items": "long"}')
    const ids = await pick(join(dir, 'ids.avsc'))
    expect([ids.name, ids.input.schema, ids.label]).toEqual([undefined, '{"type": "array", "items": "long"}', join(dir, 'ids.avsc')])
    await writeFile(join(dir, 'pay.proto'), 'syntax = "proto3";\npackage p;\nmessage A { message B { string x = 1; } message C { string y = 1; } }\nmessage D { string z = 1; }\n')
    const first = await pick(join(dir, 'pay.proto'))
    expect([first.name, first.codec.kind === 'proto' && first.codec.indexes]).toEqual(['p.A', [0]])
    const nested = await pick(join(dir, 'pay.proto'), 'p.A.C')
    expect([nested.name, nested.codec.kind === 'proto' && nested.codec.indexes]).toEqual(['p.A.C', [0, 1]])
    const second = await pick(join(dir, 'pay.proto'), 'p.D')
    expect(second.codec.kind === 'proto' && second.codec.indexes).toEqual([1])
  })

  it('JSON Schemas by title or file name; a name defined twice, an empty folder and a missing path are errors', async () => {
    const folder = join(dir, 'json')
    await mkdir(folder)
    await writeFile(join(folder, 'one.json'), JSON.stringify({title: 'Thing', type: 'object'}))
    await writeFile(join(folder, 'two.json'), JSON.stringify({title: 'Thing', type: 'string'}))
    await writeFile(join(folder, 'untitled.json'), JSON.stringify({type: 'integer'}))
    const untitled = await pick(folder, 'untitled')
    // Chosen by its file name, but it has no title to name a subject after.
    expect([untitled.name, untitled.codec.kind]).toEqual([undefined, 'json'])
    await expect(pick(folder, 'Thing')).rejects.toThrow(`--value-schema ${folder}: Thing is defined in one.json and two.json: give the file instead of the folder`)
    await mkdir(join(dir, 'empty'))
    await expect(pick(join(dir, 'empty'))).rejects.toThrow(`--value-schema ${join(dir, 'empty')}: no .avsc, .proto or .json file in the folder`)
    await expect(pick(join(dir, 'nowhere'))).rejects.toThrow(`--value-schema ${join(dir, 'nowhere')}: no such file or folder`)
  })
})
