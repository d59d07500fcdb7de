import type * as AjvModule from 'ajv'
import type * as AjvFormats from 'ajv-formats/dist/formats.js'

import {commonjsExports} from '../commonjs.js'
import {BadSchemaError} from './errors.js'

type Ajv = AjvModule.Ajv
type AjvClass = typeof AjvModule.Ajv

let ajvClass: AjvClass | undefined
let formats: typeof AjvFormats.fullFormats | undefined

/** ajv and ajv-formats' format checks, loaded on first use (most kadm runs never see a JSON Schema record). */
export async function loadAjv(): Promise<AjvClass> {
  ajvClass ??= commonjsExports(await import('ajv')) as unknown as AjvClass
  formats ??= commonjsExports(await import('ajv-formats/dist/formats.js')).fullFormats
  return ajvClass
}


/** A JSON Schema: the check of a value, and its title (what the record strategies name a subject after). */
export interface JsonSchema {
  /** Undefined when the value matches, else "field /a/b: reason". */
  check(value: unknown): string | undefined
  title: string | undefined
}

/** The drafts kadm validates with: ajv's default, draft-07 (what Confluent's serializers and Apicurio write). */
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/

function parseJson(text: string, where: string): Record<string, unknown> | boolean {
  let schema: unknown
  try {
    schema = JSON.parse(text)
  } catch (error) {
    throw new BadSchemaError(`bad schema: ${where}: not JSON: ${(error as Error).message}`)
  }
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) throw new BadSchemaError(`bad schema: ${where}: a JSON Schema is an object`)
  const declared = typeof schema === 'object' ? (schema as Record<string, unknown>).$schema : undefined
  if (declared !== undefined && !(typeof declared === 'string' && DRAFT_07.test(declared))) {
    throw new BadSchemaError(`${where} declares $schema ${JSON.stringify(declared)}: kadm validates JSON Schema draft-07 (and schemas that declare no $schema)`)
  }
  return schema as Record<string, unknown> | boolean
}

/**
 * Compiles a JSON Schema (text) with the schemas it refers to (`references`, each under the name
 * a `$ref` uses for it, as a registry's schema references are). `format` keywords are checked
 * with ajv-formats' checks ("date-time", "email", "uuid", "ipv4", ...: `checkedFormats()`), as
 * Confluent's JSON Schema serializer checks them; a format it does not know (idn-email, iri, a
 * team's own) is not checked, and not an error: JSON Schema makes formats an annotation unless
 * a validator knows them. loadAjv() must have been awaited.
 */
export function parseJsonSchema(Ajv: AjvClass, text: string, references: Array<{name: string; text: string}> = [], where = 'JSON Schema'): JsonSchema {
  const schema = parseJson(text, where)
  // logger false: ajv would warn on stderr about each format it does not know.
  const ajv: Ajv = new Ajv({strict: false, validateFormats: true, allErrors: false, logger: false})
  for (const [name, format] of Object.entries(formats!)) ajv.addFormat(name, format)
  let validate: AjvModule.ValidateFunction
  try {
    for (const ref of references) ajv.addSchema(parseJson(ref.text, ref.name) as object, ref.name)
    validate = ajv.compile(schema as object)
  } catch (error) {
    throw new BadSchemaError(`bad schema: ${where}: ${(error as Error).message}`)
  }
  return {
    check(value) {
      if (validate(value)) return undefined
      const [first] = validate.errors ?? []
      if (!first) return 'does not match the schema'
      const field = first.instancePath ? `field ${first.instancePath}` : 'the record'
      const detail = first.keyword === 'additionalProperties' ? ` (${String((first.params as {additionalProperty?: string}).additionalProperty)})` : ''
      return `${field}: ${first.message ?? first.keyword}${detail}`
    },
    title: typeof schema === 'object' && typeof schema.title === 'string' ? schema.title : undefined,
  }
}

/** `text` parsed and checked against the schema; throws "not JSON: ..." or the field and the reason. */
function check(schema: JsonSchema, text: string): void {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`)
  }
  const problem = schema.check(value)
  if (problem) throw new Error(problem)
}

/**
 * A JSON record (one input line) checked against the schema -> the bytes to send: the text as
 * given, trimmed (re-serialising would round numbers beyond 2^53 that the schema allows).
 */
export function jsonToJsonSchema(schema: JsonSchema, text: string): Buffer {
  check(schema, text)
  return Buffer.from(text.trim())
}

/** A payload -> its JSON text, once checked against the schema. */
export function jsonSchemaToJson(schema: JsonSchema, bytes: Buffer): string {
  const text = bytes.toString('utf8')
  check(schema, text)
  return text.trim()
}
