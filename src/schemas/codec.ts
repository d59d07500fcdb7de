import {readFile} from 'node:fs/promises'
import {extname} from 'node:path'

import {type ConsumedRecord, FetchedRecord} from '../domain/record-format.js'
import {KadmError, UsageError} from '../errors.js'
import {type JsonSink, sinkBytes, sinkRoom, sinkText} from './avro-json.js'
import {jsonToAvro, loadAvsc, parseAvro, writeAvroJson} from './avro.js'
import {BadSchemaError} from './errors.js'
import {jsonSchemaToJson, jsonToJsonSchema, loadAjv, parseJsonSchema} from './json-schema.js'
import {type SchemaFormat, type SubjectStrategy} from './formats.js'
import {avroCodec, type Codec, localSchema} from './local.js'
import {jsonToProto, loadProtobuf, parseProto, type ProtoFile, protoToJson, readMessageIndexes, readProtoImports, writeMessageIndexes} from './protobuf.js'
import {type RegisteredSchema, RegistryError, type RegistryClient, type SchemaInput, type SchemaReference, type SchemaType} from './registry.js'


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
  if (schemaType === 'PROTOBUF') {
    const {main, imports} = await readProtoImports(path)
    parseProto(await loadProtobuf(), main, imports)
  }
  if (schemaType === 'JSON') parseJsonSchema(await loadAjv(), schema, [], path)
  return {schema, schemaType}
}

/**
 * The registry references of a .proto file's imports, each import registered under its own name
 * as subject (as Confluent's serializers do). An import the registry does not hold is an error,
 * unless `register`.
 */
export async function protoReferences(client: RegistryClient, path: string, register: boolean, root?: string): Promise<SchemaReference[]> {
  const {main, imports} = await readProtoImports(path, root)
  const versions = new Map<string, number>()
  const refs = (file: ProtoFile) => (file.imports ?? []).map((name) => ({name, subject: name, version: versions.get(name)!}))
  // Depth first: each import after the ones it imports.
  const byName = new Map(imports.map((f) => [f.name, f]))
  const done = new Set<string>()
  const visit = async (file: ProtoFile): Promise<void> => {
    for (const name of file.imports ?? []) {
      if (done.has(name)) continue
      done.add(name)
      const imported = byName.get(name)!
      await visit(imported)
      const input: SchemaInput = {schema: imported.text, schemaType: 'PROTOBUF', references: refs(imported)}
      let found = await client.lookup(name, input)
      if (!found) {
        if (!register) throw new KadmError(`${path} imports ${name}, which is not registered under subject "${name}": pass --register to register it`)
        await client.register(name, input)
        found = await client.lookup(name, input)
      }
      versions.set(name, found!.version)
    }
  }
  await visit(main)
  return refs(main)
}

/** The schemas a registered schema refers to, depth first (each before what refers to it), by the name it refers to them. */
async function referencedFiles(client: RegistryClient, references: SchemaReference[], seen = new Set<string>()): Promise<ProtoFile[]> {
  const files: ProtoFile[] = []
  for (const ref of references) {
    const key = `${ref.subject}\0${ref.version}`
    if (seen.has(key)) continue
    seen.add(key)
    const version = await client.version(ref.subject, ref.version)
    files.push(...(await referencedFiles(client, version.references, seen)), {name: ref.name, text: version.schema})
  }
  return files
}

async function referencedSchemas(client: RegistryClient, references: SchemaReference[]): Promise<string[]> {
  return (await referencedFiles(client, references)).map((f) => f.text)
}

/** The codec kind each --key-format/--value-format decodes with, and the registry's name of its schema type. */
const CODEC_OF = {avro: 'avro', protobuf: 'proto', 'json-schema': 'json'} as const
const SCHEMA_TYPE_OF = {avro: 'AVRO', proto: 'PROTOBUF', json: 'JSON'} as const

/** The codec of a registered schema (its references fetched), or why there is none. */
async function registryCodec(client: RegistryClient, found: RegisteredSchema, where: string): Promise<Codec> {
  if (found.schemaType === 'AVRO') return avroCodec(parseAvro(await loadAvsc(), found.schema, await referencedSchemas(client, found.references), where))
  if (found.schemaType === 'PROTOBUF') return {kind: 'proto', schema: parseProto(await loadProtobuf(), {name: where, text: found.schema}, await referencedFiles(client, found.references)), indexes: [0]}
  if (found.schemaType === 'JSON') return {kind: 'json', schema: parseJsonSchema(await loadAjv(), found.schema, await referencedFiles(client, found.references), where)}
  throw new BadSchemaError(`${where} is a ${String(found.schemaType)} schema: kadm decodes and encodes Avro, Protobuf and JSON Schema`)
}

/** Confluent's wire format: magic byte 0, the schema id (4 bytes, big-endian), the payload. */
export function wireHeader(id: number): Buffer {
  const header = Buffer.alloc(5)
  header.writeInt32BE(id, 1)
  return header
}

/**
 * What decoding one field gave: undefined when its JSON was written into the sink; else the schema
 * id to fetch first (a number), or why it does not decode (a string).
 */
type Decoded = undefined | number | string

/**
 * Decodes one field (key or value) of consumed records: Confluent wire format with the schema
 * from the registry (Protobuf's message indexes after the id), or plain Avro or Protobuf binary (or JSON)
 * with a local schema (Protobuf: the file's first message). decode() is synchronous: a schema id
 * it has not seen yet is returned, fetched by resolve() before the record is printed.
 */
export class FieldDecoder {
  private readonly codecs = new Map<number, Codec | string>()
  /** The codec of the schema id last seen (most topics hold one schema): no map lookup per record. */
  private lastId = -1
  private lastCodec: Codec | string | undefined

  private constructor(private readonly format: SchemaFormat, private readonly client?: RegistryClient, private readonly local?: Codec) {}

  static async create(format: SchemaFormat, client: RegistryClient | undefined, schemaFile: string | undefined, typeName: string | undefined, what: string): Promise<FieldDecoder> {
    if (schemaFile !== undefined) {
      if (format === 'schema-registry') throw new UsageError(`--${what}-schema: a local schema decodes --${what}-format avro, protobuf or json-schema`)
      const local = await localSchema(schemaFile, typeName, `--${what}-schema`, `--${what}-type`)
      if (local.codec.kind !== CODEC_OF[format]) throw new UsageError(`--${what}-schema ${local.label} is not a ${format} schema`)
      return new FieldDecoder(format, undefined, local.codec)
    }
    if (typeName !== undefined) throw new UsageError(`--${what}-type chooses a schema of --${what}-schema`)
    if (!client) throw new UsageError(`--${what}-format ${format} needs a schema registry (--schema-registry-url, or a context's schema-registry) or a local schema (--${what}-schema FILE)`)
    return new FieldDecoder(format, client)
  }

  /** Decodes bytes[start, end) into the sink as JSON (see Decoded). */
  decode(bytes: Buffer, start: number, end: number, sink: JsonSink): Decoded {
    try {
      if (this.local) return writeWith(this.local, bytes, start, end, sink)
      if (end - start < 5 || bytes[start] !== 0) return 'not in the schema registry wire format (no magic byte 0 and schema id)'
      const id = bytes.readUInt32BE(start + 1)
      let codec = this.lastCodec
      if (id !== this.lastId) {
        codec = this.codecs.get(id)
        if (codec === undefined) return id
        this.lastId = id
        this.lastCodec = codec
      }
      if (typeof codec === 'string') return codec
      if (codec!.kind !== 'proto') return writeWith(codec!, bytes, start + 5, end, sink)
      const payload = bytes.subarray(start, end)
      const {indexes, end: at} = readMessageIndexes(payload, 5)
      sinkText(sink, protoToJson(codec!.schema.message(indexes), payload.subarray(at)))
      return undefined
    } catch (error) {
      return `does not decode with its schema: ${(error as Error).message}`
    }
  }

  /** Fetches and parses the schemas of these ids; an id the registry does not know makes its records undecodable. */
  async resolve(ids: Iterable<number>): Promise<void> {
    for (const id of ids) {
      if (this.codecs.has(id)) continue
      try {
        const found = await this.client!.schema(id)
        const wanted = this.format === 'schema-registry' ? found.schemaType : SCHEMA_TYPE_OF[CODEC_OF[this.format]]
        if (found.schemaType !== wanted) {
          this.codecs.set(id, `schema id ${id} is ${found.schemaType}, not ${wanted}`)
          continue
        }
        this.codecs.set(id, await registryCodec(this.client!, found, `schema id ${id}`))
      } catch (error) {
        if (error instanceof RegistryError && error.notFound) this.codecs.set(id, `schema id ${id} is not in the registry`)
        else if (error instanceof BadSchemaError) this.codecs.set(id, error.message)
        else throw error
      }
    }
  }
}

/** A payload without a wire header -> its JSON, into the sink (a Protobuf payload: the codec's message). */
function writeWith(codec: Codec, bytes: Buffer, start: number, end: number, sink: JsonSink): undefined {
  if (codec.kind === 'avro') writeAvroJson(codec.type, bytes, start, end, sink, codec.write)
  else if (codec.kind === 'json') sinkText(sink, jsonSchemaToJson(codec.schema, bytes.subarray(start, end)))
  else sinkText(sink, protoToJson(codec.schema.message(codec.indexes), bytes.subarray(start, end)))
  return undefined
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

  /**
   * `lines`: records are printed as their values alone, each followed by a newline (consume's
   * output in a pipe): the values' JSON is then written straight into `lines.out`, and
   * `lines.printed` called after each record, instead of print.
   */
  constructor(private readonly key: FieldDecoder | undefined, private readonly value: FieldDecoder | undefined, private readonly print: (r: ConsumedRecord) => void,
    private readonly lines?: {out: JsonSink; printed: () => void}) {}

  /** Where decoded records are written: each record's key, then its value, from the start. */
  private readonly sink: JsonSink = {out: Buffer.allocUnsafe(64 * 1024), at: 0}

  /**
   * Writes one field into the sink, decoded (or as it is, without a decoder); its length, -1 for
   * null, or -2 when a schema must be fetched first.
   */
  private field(r: ConsumedRecord, decoder: FieldDecoder | undefined, what: 'key' | 'value', sink = this.sink): number {
    let bytes: Buffer
    let start: number
    let length: number
    if (r instanceof FetchedRecord) {
      // Straight from the fetched batch: no Buffer view per record.
      bytes = r.data
      start = what === 'key' ? r.keyStart : r.valueStart
      length = what === 'key' ? r.keyLength : r.valueLength
      if (length < 0) return -1
    } else {
      const field = r[what]
      if (field === null) return -1
      bytes = field
      start = 0
      length = field.length
    }
    const at = sink.at
    if (!decoder) {
      sinkBytes(sink, bytes, start, start + length)
      return length
    }
    const decoded = decoder.decode(bytes, start, start + length, sink)
    if (decoded === undefined) return sink.at - at
    if (typeof decoded === 'number') {
      const ids = this.missing.get(decoder) ?? new Set()
      ids.add(decoded)
      this.missing.set(decoder, ids)
      return -2
    }
    this.undecodable.push({where: `${r.topic}/${r.partition}@${r.offset} ${what}`, reason: decoded})
    sinkText(sink, undecodableMarker(decoded, bytes.subarray(start, start + length)))
    return sink.at - at
  }

  /**
   * The record with its fields decoded, or undefined when a schema must be fetched first. Its key
   * and value are in the sink, valid until the next record is decoded (the printer copies them).
   */
  private decoded(r: ConsumedRecord): ConsumedRecord | undefined {
    this.sink.at = 0
    const key = this.field(r, this.key, 'key')
    const valueStart = this.sink.at
    const value = this.field(r, this.value, 'value')
    if (key === -2 || value === -2) return undefined
    return new FetchedRecord(r.topic, r.partition, r.offset, r.timestamp, r.headers, this.sink.out, 0, key, valueStart, value)
  }

  /** Prints the record as a line of its value (see lines), or false when a schema must be fetched first. */
  private line(r: ConsumedRecord): boolean {
    const {out, printed} = this.lines!
    const at = out.at
    this.sink.at = 0
    // A key is decoded all the same: one that does not decode is reported.
    const key = this.key ? this.field(r, this.key, 'key') : 0
    const value = this.field(r, this.value, 'value', out)
    if (key === -2 || value === -2) {
      out.at = at
      return false
    }
    if (out.at === out.out.length) sinkRoom(out, 1)
    out.out[out.at++] = 0x0a
    printed()
    return true
  }

  /** Prints the record now, or false when a schema must be fetched first. */
  private printNow(r: ConsumedRecord): boolean {
    if (this.lines) return this.line(r)
    const d = this.decoded(r)
    if (d) this.print(d)
    return d !== undefined
  }

  take(r: ConsumedRecord): void {
    if (this.pending.length === 0 && this.printNow(r)) return
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
        if (!this.printNow(r)) {
          this.pending.push(...waiting.slice(i))
          break
        }
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
  /** The schema of --X-schema (a folder, or a file of several types) chosen by full name. */
  typeName?: string
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
  private constructor(private readonly codec: Codec, private readonly header: Buffer | undefined, readonly id: number | undefined, readonly subject: string | undefined) {}

  private static wire(codec: Codec, id: number, subject: string | undefined): FieldEncoder {
    // Protobuf: the message indexes of the message after the id.
    const header = codec.kind === 'proto' ? Buffer.concat([wireHeader(id), writeMessageIndexes(codec.indexes)]) : wireHeader(id)
    return new FieldEncoder(codec, header, id, subject)
  }

  static async create(options: EncoderOptions): Promise<FieldEncoder> {
    const {client, what} = options
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
      return FieldEncoder.wire(await registryCodec(registry, found, `schema id ${options.schemaId}`), options.schemaId, undefined)
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
      return FieldEncoder.wire(await registryCodec(registry, found, `subject ${subject}`), found.id, subject)
    }
    if (options.schemaFile === undefined) throw new UsageError(`--${what}-type chooses a schema of --${what}-schema`)
    const local = await localSchema(options.schemaFile, options.typeName, `--${what}-schema`, `--${what}-type`)
    const {codec, label} = local
    if (!client) {
      if (options.register) throw new UsageError('--register needs a schema registry (--schema-registry-url, or a context\'s schema-registry)')
      return new FieldEncoder(codec, undefined, undefined, undefined)
    }
    const subject = subjectName(options.strategy, options.topic, what, local.name, label)
    const input: SchemaInput = {...local.input}
    if (codec.kind === 'proto') input.references = await protoReferences(client, local.file, options.register, local.root)
    const found = await client.lookup(subject, input)
    if (found) return FieldEncoder.wire(codec, found.id, subject)
    if (!options.register) throw new KadmError(`${label} is not registered under subject "${subject}": pass --register to register it`)
    return FieldEncoder.wire(codec, await client.register(subject, input), subject)
  }

  /** JSON text -> the bytes to send; throws naming the field and the reason when it does not match. */
  encode(text: string): Buffer {
    const {codec} = this
    const body = codec.kind === 'avro' ? jsonToAvro(codec.type, text) : codec.kind === 'json' ? jsonToJsonSchema(codec.schema, text) : jsonToProto(codec.schema.message(codec.indexes), text)
    return this.header ? Buffer.concat([this.header, body]) : body
  }
}

/** The subject a strategy names: topic -> TOPIC-value, record -> the record's full name, topic-record -> TOPIC-NAME. */
export function subjectName(strategy: SubjectStrategy, topic: string, what: 'key' | 'value', recordName: string | undefined, file: string): string {
  if (strategy === 'topic') return `${topic}-${what}`
  if (!recordName) throw new UsageError(`--subject-strategy ${strategy}: ${file} has no named type (record, message, or a JSON Schema's title) to name the subject after`)
  return strategy === 'record' ? recordName : `${topic}-${recordName}`
}
