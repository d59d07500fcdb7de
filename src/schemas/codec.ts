import {readFile} from 'node:fs/promises'
import {extname} from 'node:path'

import type {ConsumedRecord} from '../domain/record-format.js'
import {KadmError, UsageError} from '../errors.js'
import {avroName, avroToJson, type AvroType, jsonToAvro, loadAvsc, parseAvro} from './avro.js'
import {type SchemaFormat, type SubjectStrategy} from './formats.js'
import {RegistryError, type RegistryClient, type SchemaInput, type SchemaReference, type SchemaType} from './registry.js'


/** A schema file: its type from the extension (.avsc Avro, .proto Protobuf, .json JSON Schema). */
export async function readSchemaFile(path: string): Promise<SchemaInput> {
  const types: Record<string, SchemaType> = {'.avsc': 'AVRO', '.proto': 'PROTOBUF', '.json': 'JSON'}
  const schemaType = types[extname(path).toLowerCase()]
  if (!schemaType) throw new UsageError(`${path}: a schema file is .avsc (Avro), .proto (Protobuf) or .json (JSON Schema)`)
  let schema: string
  try {
    schema = await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
  if (schemaType === 'AVRO') parseAvro(await loadAvsc(), schema, [], path)
  return {schema, schemaType}
}

/** The schemas a registered schema refers to, depth first (each before what refers to it), as texts. */
async function referencedSchemas(client: RegistryClient, references: SchemaReference[], seen = new Set<string>()): Promise<string[]> {
  const texts: string[] = []
  for (const ref of references) {
    const key = `${ref.subject}\0${ref.version}`
    if (seen.has(key)) continue
    seen.add(key)
    const version = await client.version(ref.subject, ref.version)
    texts.push(...(await referencedSchemas(client, version.references, seen)), version.schema)
  }
  return texts
}

/** Confluent's wire format: magic byte 0, the schema id (4 bytes, big-endian), the payload. */
export function wireHeader(id: number): Buffer {
  const header = Buffer.alloc(5)
  header.writeInt32BE(id, 1)
  return header
}

type Decoded = {text: string} | {error: string} | {missing: number}

/**
 * Decodes one field (key or value) of consumed records: Confluent wire format with the schema
 * from the registry, or plain Avro binary with a local schema. decode() is synchronous: a schema
 * id it has not seen yet is `missing`, fetched by resolve() before the record is printed.
 */
export class FieldDecoder {
  private readonly types = new Map<number, AvroType | string>()

  private constructor(private readonly client?: RegistryClient, private readonly local?: AvroType) {}

  static async create(format: SchemaFormat, client: RegistryClient | undefined, schemaFile: string | undefined, what: string): Promise<FieldDecoder> {
    if (schemaFile !== undefined) {
      if (format !== 'avro') throw new UsageError(`--${what}-schema: a local schema decodes --${what}-format avro`)
      const input = await readSchemaFile(schemaFile)
      if (input.schemaType !== 'AVRO') throw new UsageError(`--${what}-schema ${schemaFile}: only Avro (.avsc) schemas decode records so far`)
      return new FieldDecoder(undefined, parseAvro(await loadAvsc(), input.schema, [], schemaFile))
    }
    if (!client) throw new UsageError(`--${what}-format ${format} needs a schema registry (--schema-registry-url, or a context's schema-registry) or a local schema (--${what}-schema FILE.avsc)`)
    await loadAvsc()
    return new FieldDecoder(client)
  }

  decode(bytes: Buffer): Decoded {
    try {
      if (this.local) return {text: avroToJson(this.local, bytes)}
      if (bytes.length < 5 || bytes[0] !== 0) return {error: 'not in the schema registry wire format (no magic byte 0 and schema id)'}
      const id = bytes.readUInt32BE(1)
      const type = this.types.get(id)
      if (type === undefined) return {missing: id}
      if (typeof type === 'string') return {error: type}
      return {text: avroToJson(type, bytes.subarray(5))}
    } catch (error) {
      return {error: `does not decode with its schema: ${(error as Error).message}`}
    }
  }

  /** Fetches and parses the schemas of these ids; an id the registry does not know makes its records undecodable. */
  async resolve(ids: Iterable<number>): Promise<void> {
    const lib = await loadAvsc()
    for (const id of ids) {
      if (this.types.has(id)) continue
      try {
        const found = await this.client!.schema(id)
        if (found.schemaType !== 'AVRO') {
          this.types.set(id, `schema id ${id} is ${found.schemaType}: kadm decodes Avro only so far`)
          continue
        }
        this.types.set(id, parseAvro(lib, found.schema, await referencedSchemas(this.client!, found.references), `schema id ${id}`))
      } catch (error) {
        if (error instanceof RegistryError && error.notFound) this.types.set(id, `schema id ${id} is not in the registry`)
        else if (error instanceof KadmError && error.message.startsWith('bad schema')) this.types.set(id, error.message)
        else throw error
      }
    }
  }
}

/** What consume prints for a record that does not decode: one marker with the reason and the bytes. */
export function undecodableMarker(reason: string, bytes: Buffer): string {
  return `<undecodable: ${reason}; hex ${bytes.toString('hex')}>`
}

/**
 * Wraps a printer so that keys and values are decoded first: a decoded field is its JSON text
 * (printed as json), one that does not decode is a marker. Records whose schema is not known yet
 * wait (in order) until flush() has fetched it.
 */
export class DecodingPrinter {
  readonly undecodable: Array<{where: string; reason: string}> = []
  private readonly pending: ConsumedRecord[] = []
  private readonly missing = new Map<FieldDecoder, Set<number>>()

  constructor(private readonly key: FieldDecoder | undefined, private readonly value: FieldDecoder | undefined, private readonly print: (r: ConsumedRecord) => void) {}

  private field(r: ConsumedRecord, decoder: FieldDecoder | undefined, bytes: Buffer | null, what: string): Buffer | null | number {
    if (!decoder || bytes === null) return bytes
    const decoded = decoder.decode(bytes)
    if ('text' in decoded) return Buffer.from(decoded.text)
    if ('missing' in decoded) {
      const ids = this.missing.get(decoder) ?? new Set()
      ids.add(decoded.missing)
      this.missing.set(decoder, ids)
      return decoded.missing
    }
    this.undecodable.push({where: `${r.topic}/${r.partition}@${r.offset} ${what}`, reason: decoded.error})
    return Buffer.from(undecodableMarker(decoded.error, bytes))
  }

  /** The record with its fields decoded, or undefined when a schema must be fetched first. */
  private decoded(r: ConsumedRecord): ConsumedRecord | undefined {
    const key = this.field(r, this.key, r.key, 'key')
    const value = this.field(r, this.value, r.value, 'value')
    if (typeof key === 'number' || typeof value === 'number') return undefined
    return {topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp, headers: r.headers, key, value}
  }

  take(r: ConsumedRecord): void {
    const d = this.pending.length ? undefined : this.decoded(r)
    if (d) return this.print(d)
    const {key, value} = r
    this.pending.push({topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp, headers: r.headers, key: key && Buffer.from(key), value: value && Buffer.from(value)})
  }

  /** Fetches the schemas records wait for, then prints them. */
  async drain(): Promise<void> {
    while (this.pending.length) {
      for (const [decoder, ids] of this.missing) await decoder.resolve(ids)
      this.missing.clear()
      const waiting = this.pending.splice(0)
      for (const [i, r] of waiting.entries()) {
        const d = this.decoded(r)
        if (!d) {
          this.pending.push(...waiting.slice(i))
          break
        }
        this.print(d)
      }
    }
  }
}

export interface EncoderOptions {
  client?: RegistryClient
  topic: string
  what: 'key' | 'value'
  /** S or S:version (latest without one). */
  subject?: string
  schemaId?: number
  schemaFile?: string
  register: boolean
  strategy: SubjectStrategy
}

/**
 * Encodes one field of produced records from the JSON encoding of a value: by subject (a
 * version, or the latest), by schema id, or from a local .avsc. With a registry the bytes are in
 * its wire format; a local schema without a registry gives plain Avro binary. A local schema is
 * looked up under the subject its strategy names, and registered there only with --register.
 */
export class FieldEncoder {
  private constructor(private readonly type: AvroType, private readonly header: Buffer | undefined, readonly id: number | undefined, readonly subject: string | undefined) {}

  static async create(options: EncoderOptions): Promise<FieldEncoder> {
    const {client, what} = options
    const lib = await loadAvsc()
    const need = (flag: string) => {
      if (!client) throw new UsageError(`--${what}-${flag} needs a schema registry (--schema-registry-url, or a context's schema-registry)`)
      return client
    }
    if (options.schemaId !== undefined) {
      const registry = need('schema-id')
      const found = await registry.schema(options.schemaId).catch((error: unknown) => {
        if (error instanceof RegistryError && error.notFound) throw new KadmError(`--${what}-schema-id ${options.schemaId}: no such schema in the registry`)
        throw error
      })
      if (found.schemaType !== 'AVRO') throw new KadmError(`--${what}-schema-id ${options.schemaId} is a ${found.schemaType} schema: kadm encodes Avro only so far`)
      return new FieldEncoder(parseAvro(lib, found.schema, await referencedSchemas(registry, found.references), `schema id ${options.schemaId}`), wireHeader(options.schemaId), options.schemaId, undefined)
    }
    if (options.subject !== undefined) {
      const registry = need('subject')
      const match = /^(.*?)(?::(\d+|latest))?$/.exec(options.subject)!
      const subject = match[1]
      const version = match[2] === undefined || match[2] === 'latest' ? 'latest' : Number(match[2])
      const found = await registry.version(subject, version).catch((error: unknown) => {
        if (error instanceof RegistryError && error.notFound) throw new KadmError(`--${what}-subject ${options.subject}: ${version === 'latest' ? `no subject "${subject}" in the registry` : `subject "${subject}" has no version ${version}`}`)
        throw error
      })
      if (found.schemaType !== 'AVRO') throw new KadmError(`--${what}-subject ${options.subject} is a ${found.schemaType} schema: kadm encodes Avro only so far`)
      return new FieldEncoder(parseAvro(lib, found.schema, await referencedSchemas(registry, found.references), `subject ${subject}`), wireHeader(found.id), found.id, subject)
    }
    const file = options.schemaFile!
    const input = await readSchemaFile(file)
    if (input.schemaType !== 'AVRO') throw new UsageError(`--${what}-schema ${file}: kadm encodes Avro (.avsc) only so far`)
    const type = parseAvro(lib, input.schema, [], file)
    if (!client) {
      if (options.register) throw new UsageError('--register needs a schema registry (--schema-registry-url, or a context\'s schema-registry)')
      return new FieldEncoder(type, undefined, undefined, undefined)
    }
    const subject = subjectName(options.strategy, options.topic, what, avroName(type), file)
    const found = await client.lookup(subject, input)
    if (found) return new FieldEncoder(type, wireHeader(found.id), found.id, subject)
    if (!options.register) throw new KadmError(`${file} is not registered under subject "${subject}": pass --register to register it`)
    const id = await client.register(subject, input)
    return new FieldEncoder(type, wireHeader(id), id, subject)
  }

  /** JSON text -> the bytes to send; throws naming the field and the reason when it does not match. */
  encode(text: string): Buffer {
    const body = jsonToAvro(this.type, text)
    return this.header ? Buffer.concat([this.header, body]) : body
  }
}

/** The subject a strategy names: topic -> TOPIC-value, record -> the record's full name, topic-record -> TOPIC-NAME. */
export function subjectName(strategy: SubjectStrategy, topic: string, what: 'key' | 'value', recordName: string | undefined, file: string): string {
  if (strategy === 'topic') return `${topic}-${what}`
  if (!recordName) throw new UsageError(`--subject-strategy ${strategy}: ${file} has no named type (record) to name the subject after`)
  return strategy === 'record' ? recordName : `${topic}-${recordName}`
}
