import {type Reader, tagsAt, varintAt} from './codec.js'
import type {ApiSpec} from './transport.js'

/** Resource types shared by DescribeConfigs and IncrementalAlterConfigs. */
export const RESOURCE_TYPE = {topic: 2, broker: 4, brokerLogger: 8, clientMetrics: 16, group: 32} as const

/** ConfigEntry.ConfigSource as the broker numbers it, named as Kafka's Admin client (and kafka-configs) names them. */
export const CONFIG_SOURCES = [
  'UNKNOWN',
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'DYNAMIC_CLIENT_METRICS_CONFIG',
  'DYNAMIC_GROUP_CONFIG',
] as const

const DEFAULT_SOURCE = CONFIG_SOURCES.indexOf('DEFAULT_CONFIG')

export type ConfigSource = (typeof CONFIG_SOURCES)[number] | `SOURCE_${number}`

export function configSourceName(code: number): ConfigSource {
  return CONFIG_SOURCES[code] ?? `SOURCE_${code}`
}

export interface DescribeConfigsRequest {
  resources: Array<{type: number; name: string; keys: string[] | null}>
  includeSynonyms: boolean
  /**
   * Not sent: drop entries whose value is the default (source DEFAULT_CONFIG) while reading the
   * response, except those named. A topic has ~60 configs and nearly all are defaults; reading only
   * the others makes the configs of 1,000 topics (1.2 MB) several times cheaper to decode.
   */
  omitDefaultsExcept?: string[]
  /** v3+: each entry's documentation (what shell completion shows beside a config key). */
  includeDocumentation?: boolean
}

export interface ConfigSynonym {
  name: string
  value: string | null
  source: ConfigSource
}

export interface RawConfigEntry {
  name: string
  value: string | null
  readOnly: boolean
  source: ConfigSource
  sensitive: boolean
  synonyms: ConfigSynonym[]
  /** Only when the request asked for it (includeDocumentation, v3+). */
  documentation?: string | null
}

export interface DescribeConfigsResult {
  errorCode: number
  errorMessage: string | null
  type: number
  name: string
  configs: RawConfigEntry[]
}

/**
 * DescribeConfigs v1-4: every entry comes with its source (default, static broker, dynamic
 * topic...) and, when asked, its synonyms, for many resources in one request.
 */
export const DescribeConfigs: ApiSpec<DescribeConfigsRequest, DescribeConfigsResult[]> = {
  name: 'DescribeConfigs',
  apiKey: 32,
  minVersion: 1,
  maxVersion: 4,
  flexibleFrom: 4,
  encode(w, request, version) {
    const v = w.versioned(version >= 4)
    v.structs(request.resources, (res) => {
      w.int8(res.type)
      v.str(res.name).arr(res.keys, (k) => v.str(k))
    })
    w.boolean(request.includeSynonyms)
    if (version >= 3) w.boolean(Boolean(request.includeDocumentation)) // include_documentation
    v.tags()
  },
  decode(r, version, request) {
    const v = r.versioned(version >= 4)
    const kept = request?.omitDefaultsExcept?.map((name) => Buffer.from(name, 'utf8'))
    const documented = Boolean(request?.includeDocumentation)
    r.int32() // throttle_time_ms
    const results = v.structs((): DescribeConfigsResult => {
      const errorCode = r.int16()
      const errorMessage = v.str()
      const type = r.int8()
      const name = v.str() ?? ''
      const configs: RawConfigEntry[] = []
      if (version >= 4) {
        readFlexibleEntries(r, configs, kept, documented)
        return {errorCode, errorMessage, type, name, configs}
      }
      v.eachStruct(() => {
        const nameLength = v.skipStr()
        const nameEnd = r.position
        const valueLength = v.skipStr()
        const valueEnd = r.position
        const readOnly = r.boolean()
        const sourceCode = r.int8()
        const sensitive = r.boolean()
        const synonyms = v.structs(() => ({name: v.str() ?? '', value: v.str(), source: configSourceName(r.int8())}))
        let documentation: string | null | undefined
        if (version >= 3) {
          r.int8() // config_type
          if (documented) documentation = v.str()
          else v.skipStr()
        }
        const nameAt = nameEnd - Math.max(0, nameLength)
        if (kept && sourceCode === DEFAULT_SOURCE && !isKept(r, kept, nameAt, nameLength)) return
        configs.push({
          name: nameLength < 0 ? '' : r.textAt(nameAt, nameLength),
          value: valueLength < 0 ? null : r.textAt(valueEnd - valueLength, valueLength),
          readOnly,
          source: configSourceName(sourceCode),
          sensitive,
          synonyms,
          ...(documentation === undefined ? {} : {documentation}),
        })
      })
      return {errorCode, errorMessage, type, name, configs}
    })
    v.tags()
    return results
  },
}

/**
 * The config entries of one resource in a flexible (v4) response, walked with a local position:
 * the configs of every topic run to some 60,000 entries, read once by a process that has just
 * started, where each method call costs. Default entries not `kept` are stepped over without
 * decoding a string. Lengths and counts under 128 (nearly all) take one byte; longer ones, and
 * synonyms and tagged fields, go through the Reader.
 */
function readFlexibleEntries(r: Reader, configs: RawConfigEntry[], kept: Buffer[] | undefined, documented = false): void {
  // No closure over `p`: it stays a plain local, the cheapest thing to read and write.
  const b = r.bytesView
  let p = r.position
  let count: number
  if (b[p] < 0x80) count = b[p++]
  else [count, p] = varintAt(r, p)
  for (let i = 1; i < count; i++) {
    let nameLength: number
    if (b[p] < 0x80) nameLength = b[p++] - 1
    else [nameLength, p] = varintAt(r, p, -1)
    const nameAt = p
    if (nameLength > 0) p += nameLength
    let valueLength: number
    if (b[p] < 0x80) valueLength = b[p++] - 1
    else [valueLength, p] = varintAt(r, p, -1)
    const valueAt = p
    if (valueLength > 0) p += valueLength
    const readOnly = b[p++] !== 0
    const sourceCode = (b[p++] << 24) >> 24
    const sensitive = b[p++] !== 0
    let synonyms: ConfigSynonym[] = []
    if (b[p] !== 1) [synonyms, p] = synonymsAt(r, p)
    else p++
    p++ // config_type
    let documentationLength: number
    if (b[p] < 0x80) documentationLength = b[p++] - 1
    else [documentationLength, p] = varintAt(r, p, -1)
    const documentationAt = p
    if (documentationLength > 0) p += documentationLength
    if (b[p] === 0) p++
    else p = tagsAt(r, p)
    if (p > b.length) break
    if (kept && sourceCode === DEFAULT_SOURCE && !isKept(r, kept, nameAt, nameLength)) continue
    configs.push({
      name: nameLength < 0 ? '' : r.textAt(nameAt, nameLength),
      value: valueLength < 0 ? null : r.textAt(valueAt, valueLength),
      readOnly,
      source: configSourceName(sourceCode),
      sensitive,
      synonyms,
      ...(documented ? {documentation: documentationLength < 0 ? null : r.textAt(documentationAt, documentationLength)} : {}),
    })
  }
  r.seek(p) // throws "truncated" if the walk went past the end
}

function synonymsAt(r: Reader, p: number): [ConfigSynonym[], number] {
  r.seek(p)
  const synonyms = r.versioned(true).structs(() => ({name: r.compactString() ?? '', value: r.compactString(), source: configSourceName(r.int8())}))
  return [synonyms, r.position]
}

function isKept(r: Reader, kept: Buffer[], at: number, length: number): boolean {
  for (const k of kept) if (length === k.length && r.bytesEqualAt(at, k)) return true
  return false
}

