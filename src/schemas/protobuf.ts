import {readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import type * as Protobuf from 'protobufjs'

import {commonjsExports} from '../commonjs.js'
import {KadmError} from '../errors.js'
import {BadSchemaError} from './errors.js'

let protobuf: typeof Protobuf | undefined

/** protobufjs, loaded on first use. */
export async function loadProtobuf(): Promise<typeof Protobuf> {
  protobuf ??= commonjsExports(await import('protobufjs'))
  return protobuf
}

/** One .proto file: the name others import it by, and its text. */
export interface ProtoFile {
  name: string
  text: string
  /** The names it imports (google/protobuf ones left out: protobufjs knows them). */
  imports?: string[]
}

/**
 * A parsed .proto file with the files it imports: its messages by Confluent's message indexes
 * (the top-level messages of the file in order, then nested messages by their order within).
 */
export class ProtoSchema {
  constructor(private readonly root: Protobuf.Root, private readonly topLevel: string[], readonly where: string) {}

  /** The full name of the file's first message (the record strategy's subject). */
  get firstName(): string {
    return this.topLevel[0]
  }

  /** Every message the file defines (nested ones too) by full name, with its message indexes. */
  messages(): Map<string, number[]> {
    const all = new Map<string, number[]>()
    const walk = (type: Protobuf.Type, indexes: number[]) => {
      all.set(type.fullName.slice(1), indexes)
      for (const [i, nested] of (type.nestedArray ?? []).filter((n): n is Protobuf.Type => n instanceof protobuf!.Type).entries()) walk(nested, [...indexes, i])
    }
    for (const [i, name] of this.topLevel.entries()) walk(this.root.lookupType(name), [i])
    return all
  }

  /** The message at `indexes` ([0]: the file's first message). */
  message(indexes: number[]): Protobuf.Type {
    const [first, ...rest] = indexes
    const name = this.topLevel[first]
    if (name === undefined) throw new Error(`message index ${first}: ${this.where} has ${this.topLevel.length} top-level message(s)`)
    let type = this.root.lookupType(name)
    for (const i of rest) {
      const nested = (type.nestedArray ?? []).filter((n): n is Protobuf.Type => n instanceof protobuf!.Type)
      if (!nested[i]) throw new Error(`message index ${i}: ${type.fullName.slice(1)} has ${nested.length} nested message(s)`)
      type = nested[i]
    }
    return type
  }
}

/** Parses `main` after the files it imports (`imports`, each parsed into the same root by its name). */
export function parseProto(lib: typeof Protobuf, main: ProtoFile, imports: ProtoFile[]): ProtoSchema {
  const options = {keepCase: true}
  try {
    const root = new lib.Root()
    for (const file of imports) lib.parse(file.text, root, options)
    const parsed = lib.parse(main.text, root, options)
    root.resolveAll()
    // The file alone, to know its own top-level messages in order.
    const own = lib.parse(main.text, new lib.Root(), options)
    const ns = own.package ? own.root.lookup(own.package) : own.root
    const topLevel = ((ns as Protobuf.Namespace | null)?.nestedArray ?? []).filter((n) => n instanceof lib.Type).map((n) => (parsed.package ? `${parsed.package}.${n.name}` : n.name))
    if (!topLevel.length) throw new Error('no message in it')
    return new ProtoSchema(root, topLevel, main.name)
  } catch (error) {
    throw new BadSchemaError(`bad schema: ${main.name}: ${(error as Error).message}`)
  }
}

/**
 * The files a .proto file imports (`import "x.proto";`), read relative to `root` (its directory,
 * or the folder of schemas it is in), depth first; google/protobuf ones are left to protobufjs.
 */
export async function readProtoImports(path: string, root = dirname(path)): Promise<{main: ProtoFile; imports: ProtoFile[]}> {
  const dir = root
  const seen = new Set<string>()
  const imports: ProtoFile[] = []
  const visit = async (name: string, file: string): Promise<ProtoFile> => {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      throw new KadmError(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {exitCode: 2})
    }
    const own: string[] = []
    for (const [, imported] of text.matchAll(/^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm)) {
      if (imported.startsWith('google/protobuf/')) continue
      own.push(imported)
      if (seen.has(imported)) continue
      seen.add(imported)
      imports.push(await visit(imported, join(dir, imported)))
    }
    return {name, text, imports: own}
  }
  const main = await visit(path, path)
  return {main, imports}
}

/** Confluent's message indexes: a zigzag varint count, then each index; a single 0 means [0]. */
export function readMessageIndexes(bytes: Buffer, start: number): {indexes: number[]; end: number} {
  let pos = start
  const varint = () => {
    let result = 0
    let shift = 0
    for (;;) {
      if (pos >= bytes.length) throw new Error('message indexes run past the end of the record')
      const b = bytes[pos++]
      result |= (b & 0x7F) << shift
      if (!(b & 0x80)) break
      shift += 7
      if (shift > 28) throw new Error('message index varint too long')
    }
    return (result >>> 1) ^ -(result & 1)
  }
  const count = varint()
  if (count === 0) return {indexes: [0], end: pos}
  if (count < 0 || count > 100) throw new Error(`bad message index count ${count}`)
  const indexes: number[] = []
  for (let i = 0; i < count; i++) indexes.push(varint())
  return {indexes, end: pos}
}

export function writeMessageIndexes(indexes: number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0])
  const out: number[] = []
  const varint = (n: number) => {
    let z = ((n << 1) ^ (n >> 31)) >>> 0
    while (z > 0x7F) {
      out.push((z & 0x7F) | 0x80)
      z >>>= 7
    }
    out.push(z)
  }
  varint(indexes.length)
  for (const i of indexes) varint(i)
  return Buffer.from(out)
}

/** Protobuf binary -> JSON (int64 as strings, enums by name, bytes base64, as proto3's JSON mapping). */
export function protoToJson(type: Protobuf.Type, bytes: Uint8Array): string {
  return JSON.stringify(type.toObject(type.decode(bytes), {longs: String, enums: String, bytes: String}))
}

const INT32 = new Set(['int32', 'sint32', 'sfixed32'])
const UINT32 = new Set(['uint32', 'fixed32'])
const INT64 = new Set(['int64', 'sint64', 'sfixed64', 'uint64', 'fixed64'])

/** Why `value` does not fit `field` (a scalar, enum or message), or undefined. */
function misfit(field: Protobuf.Field, value: unknown, path: string): string | undefined {
  const lib = protobuf!
  const type = field.resolvedType
  if (type instanceof lib.Type) return typeof value === 'object' && value !== null && !Array.isArray(value) ? invalidField(type, value as Record<string, unknown>, `${path}.`) : `field ${path}: expected an object (message ${type.name})`
  if (type instanceof lib.Enum) return (typeof value === 'string' && value in type.values) || (Number.isInteger(value) && Object.values(type.values).includes(value as number)) ? undefined : `field ${path}: ${JSON.stringify(value)} is not a value of enum ${type.name}`
  const t = field.type
  const ok =
    INT32.has(t) ? Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31
      : UINT32.has(t) ? Number.isInteger(value) && (value as number) >= 0 && (value as number) < 2 ** 32
        : INT64.has(t) ? Number.isSafeInteger(value) || (typeof value === 'string' && (t.startsWith('u') || t.startsWith('fixed') ? /^\d+$/ : /^-?\d+$/).test(value))
          : t === 'double' || t === 'float' ? typeof value === 'number' || value === 'NaN' || value === 'Infinity' || value === '-Infinity'
            : t === 'bool' ? typeof value === 'boolean'
              : t === 'string' ? typeof value === 'string'
                : t === 'bytes' ? typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value)
                  : true
  return ok ? undefined : `field ${path}: ${JSON.stringify(value)} is not a valid ${t}`
}

/** The first field of `json` that does not fit message `type`, as "field a.b: reason". */
export function invalidField(type: Protobuf.Type, json: Record<string, unknown>, prefix = ''): string | undefined {
  for (const key of Object.keys(json)) if (!type.fields[key]) return `field ${prefix}${key}: no such field in message ${type.name}`
  for (const field of type.fieldsArray) {
    const value = json[field.name]
    const path = prefix + field.name
    if (value === undefined || value === null) continue
    if (field.repeated) {
      if (!Array.isArray(value)) return `field ${path}: expected an array`
      for (const [i, item] of value.entries()) {
        const why = misfit(field, item, `${path}.${i}`)
        if (why) return why
      }
    } else if (field.map) {
      if (typeof value !== 'object' || Array.isArray(value)) return `field ${path}: expected an object (map)`
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const why = misfit(field, v, `${path}.${k}`)
        if (why) return why
      }
    } else {
      const why = misfit(field, value, path)
      if (why) return why
    }
  }
  return undefined
}

/** JSON text -> Protobuf binary of `type`; throws naming the field and the reason when it does not fit. */
export function jsonToProto(type: Protobuf.Type, text: string): Buffer {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`the record: expected an object (message ${type.name})`)
  const why = invalidField(type, json as Record<string, unknown>)
  if (why) throw new Error(why)
  return Buffer.from(type.encode(type.fromObject(json as Record<string, unknown>)).finish())
}
