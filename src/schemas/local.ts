import {readdir, readFile, stat} from 'node:fs/promises'
import {basename, dirname, extname, join, relative} from 'node:path'

import {KadmError, UsageError} from '../errors.js'
import {avroJsonWriter, type JsonWriter} from './avro-json.js'
import {avroName, type AvroType, loadAvsc} from './avro.js'
import {BadSchemaError} from './errors.js'
import {type JsonSchema, loadAjv, parseJsonSchema} from './json-schema.js'
import {loadProtobuf, parseProto, type ProtoSchema, readProtoImports} from './protobuf.js'
import type {SchemaInput} from './registry.js'

/**
 * A schema kadm can decode and encode with: an Avro type, a Protobuf message (of a .proto file, by
 * its message indexes: [0] is the file's first message), or a JSON Schema.
 */
export type Codec = {kind: 'avro'; type: AvroType; write?: JsonWriter} | {kind: 'proto'; schema: ProtoSchema; indexes: number[]} | {kind: 'json'; schema: JsonSchema}

/** An Avro codec, with the type's fast JSON writer (see avro-json) at hand for each record. */
export function avroCodec(type: AvroType): Codec {
  return {kind: 'avro', type, write: avroJsonWriter(type)}
}

/** A schema chosen from a local file or folder: what encodes and decodes, and what a registry is given. */
export interface LocalSchema {
  codec: Codec
  /** Its full name (Avro named type, Protobuf message, JSON Schema title): what the record strategies name a subject after. */
  name: string | undefined
  /** The file that defines it. */
  file: string
  /** Where a .proto file's imports are read from: the folder of schemas, or the file's directory. */
  root: string
  /** How messages name it: the file, and the name when one was chosen from a folder or a file of several. */
  label: string
  /** The schema as a registry is given it (a .proto file's imports are added as references by its caller). */
  input: SchemaInput
}

const KIND_OF: Record<string, 'avro' | 'proto' | 'json'> = {'.avsc': 'avro', '.proto': 'proto', '.json': 'json'}

/** One schema a file or folder offers, built only when chosen. */
interface Candidate {
  /** The name it is chosen by; undefined for an Avro file whose type has no name (a primitive, an array...). */
  name: string | undefined
  file: string
  /** The file's own schema (Avro: its top-level type; Protobuf: its first message; JSON Schema: the file). */
  main: boolean
  build(): Promise<Omit<LocalSchema, 'label' | 'root' | 'file'>>
}

/** The .avsc, .proto and .json files under `dir` (its subfolders too), sorted. */
async function schemaFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {withFileTypes: true, recursive: true})
  return entries
    .filter((e) => e.isFile() && KIND_OF[extname(e.name).toLowerCase()] !== undefined)
    .map((e) => join(e.parentPath ?? (e as unknown as {path: string}).path, e.name))
    .sort()
}

/**
 * Avro files parsed into one set of named types, each file once the files whose types it uses
 * are parsed (in any order: a file that names a type not parsed yet waits for a later round).
 */
async function avroCandidates(files: string[]): Promise<Candidate[]> {
  if (!files.length) return []
  const avsc = await loadAvsc()
  let registry: Record<string, AvroType> = {}
  const texts = new Map<string, string>()
  for (const file of files) texts.set(file, await readText(file))
  const candidates: Candidate[] = []
  let pending = [...files]
  while (pending.length) {
    const failed: Array<{file: string; error: Error}> = []
    for (const file of pending) {
      // Into a copy: a schema that fails half way must not leave its first types behind.
      const attempt = {...registry}
      let root: AvroType
      try {
        root = avsc.Type.forSchema(JSON.parse(texts.get(file)!), {registry: attempt, wrapUnions: true})
      } catch (error) {
        failed.push({file, error: error as Error})
        continue
      }
      const text = texts.get(file)!
      const types = Object.entries(attempt).filter(([name, type]) => !(name in registry) && avroName(type) === name).map(([, type]) => type)
      if (!types.includes(root)) types.unshift(root)
      for (const type of types) {
        candidates.push({
          name: avroName(type), file, main: type === root,
          // The file's own text for its top-level type; else the type written out whole (with the types it uses from other files).
          build: async () => ({codec: avroCodec(type), name: avroName(type), input: {schemaType: 'AVRO', schema: type === root && files.length === 1 ? text : JSON.stringify(type.schema({exportAttrs: true}))}}),
        })
      }
      registry = attempt
    }
    if (failed.length === pending.length) throw new BadSchemaError(`bad schema: ${failed[0].file}: ${failed[0].error.message}`)
    pending = failed.map((f) => f.file)
  }
  return candidates
}

/** Each .proto file's messages (nested ones too), the file parsed with its imports read from `root`. */
async function protoCandidates(files: string[], root: string): Promise<Candidate[]> {
  const candidates: Candidate[] = []
  for (const file of files) {
    const {main, imports} = await readProtoImports(file, root)
    const schema = parseProto(await loadProtobuf(), main, imports)
    for (const [name, indexes] of schema.messages()) {
      candidates.push({name, file, main: name === schema.firstName, build: async () => ({codec: {kind: 'proto', schema, indexes}, name, input: {schemaType: 'PROTOBUF', schema: main.text}})})
    }
  }
  return candidates
}

/** JSON Schema files by title (by file name without .json when there is none); a `$ref` to another file of the folder is resolved there. */
async function jsonCandidates(files: string[], root: string): Promise<Candidate[]> {
  const candidates: Candidate[] = []
  for (const file of files) {
    const text = await readText(file)
    let title: unknown
    try {
      title = (JSON.parse(text) as {title?: unknown} | null)?.title
    } catch (error) {
      throw new BadSchemaError(`bad schema: ${file}: not JSON: ${(error as Error).message}`)
    }
    candidates.push({
      name: typeof title === 'string' ? title : basename(file, extname(file)), file, main: true,
      build: async () => {
        const schema = parseJsonSchema(await loadAjv(), text, await jsonReferences(text, file, root), file)
        return {codec: {kind: 'json', schema}, name: schema.title, input: {schemaType: 'JSON', schema: text}}
      },
    })
  }
  return candidates
}

/** The files of the folder a JSON Schema's `$ref`s name (relative to the folder), and theirs, by the name the `$ref` uses. */
async function jsonReferences(text: string, file: string, root: string): Promise<Array<{name: string; text: string}>> {
  const found = new Map<string, string>()
  const visit = async (schema: string) => {
    for (const [, target] of schema.matchAll(/"\$ref"\s*:\s*"([^"#]+)/g)) {
      if (found.has(target) || /^[a-z]+:/i.test(target)) continue
      const path = join(root, target)
      if (path === file) continue
      let referenced: string
      try {
        referenced = await readFile(path, 'utf8')
      } catch {
        continue
      }
      found.set(target, referenced)
      await visit(referenced)
    }
  }
  await visit(text)
  return [...found].map(([name, referenced]) => ({name, text: referenced}))
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new KadmError(`${file}: ${(error as Error).message}`)
  }
}

/** The names to show in a message: at most 10. */
function someNames(candidates: Candidate[]): string {
  const names = [...new Set(candidates.flatMap((c) => (c.name === undefined ? [] : [c.name])))].sort()
  return names.length > 10 ? `${names.slice(0, 10).join(', ')}, ... (${names.length})` : names.join(', ')
}

/**
 * The schema `path` names, a file or a folder (`flag` is how messages name the flag):
 *
 * - a file (.avsc, .proto, .json): its own schema (a .proto file: its first message), or with
 *   `name` the named type of the file with that full name (an Avro named type, any message of
 *   the .proto file, nested ones too; a JSON Schema whose title it is);
 * - a folder: every .avsc, .proto and .json file under it; `name` chooses the schema by its
 *   full name (needed unless the folder holds one file). Avro files may use the named types of
 *   the others; a .proto file's imports are read relative to the folder; a JSON Schema's $ref
 *   to another file names it by its path in the folder.
 */
export async function localSchema(path: string, name: string | undefined, flag: string, nameFlag: string): Promise<LocalSchema> {
  let folder: boolean
  try {
    folder = (await stat(path)).isDirectory()
  } catch (error) {
    throw new UsageError(`${flag} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`)
  }
  let files: string[]
  let root: string
  if (folder) {
    files = await schemaFiles(path)
    root = path
    if (!files.length) throw new UsageError(`${flag} ${path}: no .avsc, .proto or .json file in the folder`)
  } else {
    if (!KIND_OF[extname(path).toLowerCase()]) throw new UsageError(`${path}: a schema file is .avsc (Avro), .proto (Protobuf) or .json (JSON Schema)`)
    files = [path]
    root = dirname(path)
  }
  const of = (kind: string) => files.filter((f) => KIND_OF[extname(f).toLowerCase()] === kind)
  const candidates = [...(await avroCandidates(of('avro'))), ...(await protoCandidates(of('proto'), root)), ...(await jsonCandidates(of('json'), root))]
  let chosen: Candidate | undefined
  if (name === undefined) {
    if (files.length > 1) throw new UsageError(`${flag} ${path} holds ${files.length} schema files: choose a schema with ${nameFlag} NAME (${someNames(candidates.filter((c) => c.main))})`)
    chosen = candidates.find((c) => c.main)
  } else {
    const named = candidates.filter((c) => c.name === name)
    if (named.length > 1) throw new UsageError(`${flag} ${path}: ${name} is defined in ${named.map((c) => relative(root, c.file)).join(' and ')}: give the file instead of the folder`)
    chosen = named[0]
    if (!chosen) throw new UsageError(`${flag} ${path} has no schema named ${name} (${someNames(candidates)})`)
  }
  if (!chosen) throw new BadSchemaError(`bad schema: ${path}: no schema in it`)
  const built = await chosen.build()
  const label = name === undefined ? chosen.file : `${chosen.file} (${name})`
  return {...built, file: chosen.file, root, label}
}
