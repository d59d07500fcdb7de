import type * as Avsc from 'avsc'

import {commonjsExports} from '../commonjs.js'
import {avroJsonWriter, type JsonSink, sinkText} from './avro-json.js'
import {BadSchemaError} from './errors.js'

export type AvroType = Avsc.Type

let avsc: typeof Avsc | undefined

/** avsc, loaded on first use (most kadm runs never see an Avro record). */
export async function loadAvsc(): Promise<typeof Avsc> {
  avsc ??= commonjsExports(await import('avsc'))
  return avsc
}

/**
 * Parses an Avro schema (JSON text) after the schemas it refers to (`references`, parsed in order
 * into the same registry of named types, as a registry's schema references or a folder of .avsc
 * files are). Unions are wrapped: records print in Avro's JSON encoding ({"string": "x"}), as
 * Confluent's and Avro's own tools (avro-tools tojson) print them, so that what is printed can be
 * produced back unchanged.
 */
export function parseAvro(lib: typeof Avsc, schema: string, references: string[] = [], where = 'Avro schema'): AvroType {
  const registry: Record<string, AvroType> = {}
  try {
    for (const text of references) lib.Type.forSchema(JSON.parse(text), {registry, wrapUnions: true})
    return lib.Type.forSchema(JSON.parse(schema), {registry, wrapUnions: true})
  } catch (error) {
    throw new BadSchemaError(`bad schema: ${where}: ${(error as Error).message}`)
  }
}

/**
 * Avro binary in bytes[start, end) -> the UTF-8 bytes of the value's JSON encoding, written into
 * the sink (throws with avsc's reason when the bytes do not fit): straight from the bytes where
 * avroJsonWriter can (`write`: the type's writer, when the caller keeps it), else by avsc.
 */
export function writeAvroJson(type: AvroType, bytes: Buffer, start: number, end: number, sink: JsonSink, write = avroJsonWriter(type)): void {
  if (write?.(bytes, start, end, sink)) return
  sinkText(sink, type.toString(type.fromBuffer(bytes.subarray(start, end))))
}

/** Avro binary -> the UTF-8 bytes of the value's JSON encoding (a Buffer of its own; see writeAvroJson). */
export function avroToJson(type: AvroType, bytes: Buffer): Buffer {
  const sink: JsonSink = {out: Buffer.allocUnsafe(256), at: 0}
  writeAvroJson(type, bytes, 0, bytes.length, sink)
  return sink.out.subarray(0, sink.at)
}

/**
 * The JSON encoding of a value (one input record) -> Avro binary; a value that does not match the
 * schema throws an Error naming the field (a.b.c) and the reason.
 */
export function jsonToAvro(type: AvroType, text: string): Buffer {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`)
  }
  let value: unknown
  try {
    value = (type as unknown as {_copy(v: unknown, o: {coerce: number}): unknown})._copy(json, {coerce: 2})
  } catch (error) {
    throw new Error(whereInvalid(type, json, []) ?? `does not match the schema: ${(error as Error).message}`)
  }
  return type.toBuffer(value)
}

/** The first field of `json` that does not fit `type`, as "field a.b: reason". */
function whereInvalid(type: AvroType, json: unknown, path: string[]): string | undefined {
  const fits = (t: AvroType, v: unknown) => {
    try {
      (t as unknown as {_copy(v: unknown, o: {coerce: number}): unknown})._copy(v, {coerce: 2})
      return undefined
    } catch (error) {
      return (error as Error).message
    }
  }
  const name = (p: string[]) => (p.length ? `field ${p.join('.')}` : 'the record')
  const t = type as unknown as {typeName: string; fields?: Array<{name: string; type: AvroType; defaultValue(): unknown}>; itemsType?: AvroType; valuesType?: AvroType; types?: AvroType[]}
  if (t.typeName === 'record' || t.typeName === 'error') {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return `${name(path)}: expected an object (record ${(type as unknown as {name: string}).name})`
    for (const field of t.fields ?? []) {
      const v = (json as Record<string, unknown>)[field.name]
      if (v === undefined) {
        if (field.defaultValue() === undefined) return `${name([...path, field.name])}: missing`
        continue
      }
      if (fits(field.type, v) !== undefined) return whereInvalid(field.type, v, [...path, field.name])
    }
  } else if (t.typeName === 'array' && Array.isArray(json)) {
    for (const [i, item] of json.entries()) if (fits(t.itemsType!, item) !== undefined) return whereInvalid(t.itemsType!, item, [...path, String(i)])
  } else if (t.typeName === 'map' && typeof json === 'object' && json !== null) {
    for (const [k, v] of Object.entries(json)) if (fits(t.valuesType!, v) !== undefined) return whereInvalid(t.valuesType!, v, [...path, k])
  } else if (t.typeName.startsWith('union') && typeof json === 'object' && json !== null && !Array.isArray(json) && Object.keys(json).length === 1) {
    const [branch, v] = Object.entries(json)[0]
    const match = t.types?.find((b) => (b as unknown as {branchName: string}).branchName === branch)
    if (match && fits(match, v) !== undefined) return whereInvalid(match, v, path)
  }
  const reason = fits(type, json)
  return reason === undefined ? undefined : `${name(path)}: ${reason.replace(/^invalid /, 'not a valid ')}`
}

/** The full name of a named type (the record strategy's subject), or undefined for a primitive. */
export function avroName(type: AvroType): string | undefined {
  return (type as unknown as {name?: string}).name
}
