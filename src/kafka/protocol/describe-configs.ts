import type {Reader, Writer} from './codec.js'
import type {ApiSpec} from './transport.js'

/** Resource types shared by DescribeConfigs and IncrementalAlterConfigs. */
export const RESOURCE_TYPE = {topic: 2, broker: 4, brokerLogger: 8} as const

/** ConfigEntry.ConfigSource as the broker numbers it. */
export const CONFIG_SOURCES = [
  'UNKNOWN',
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'CLIENT_METRICS_CONFIG',
  'GROUP_CONFIG',
] as const

export type ConfigSource = (typeof CONFIG_SOURCES)[number] | `SOURCE_${number}`

export function configSourceName(code: number): ConfigSource {
  return CONFIG_SOURCES[code] ?? `SOURCE_${code}`
}

export interface DescribeConfigsRequest {
  resources: Array<{type: number; name: string; keys: string[] | null}>
  includeSynonyms: boolean
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
  encode(w: Writer, request, version) {
    const flexible = version >= 4
    const str = (s: string) => (flexible ? w.compactString(s) : w.string(s))
    const eachResource = (_: Writer, res: DescribeConfigsRequest['resources'][number]) => {
      w.int8(res.type)
      str(res.name)
      if (flexible) w.compactArray(res.keys, (_, k) => str(k))
      else w.array(res.keys, (_, k) => str(k))
      if (flexible) w.tags()
    }
    if (flexible) w.compactArray(request.resources, eachResource)
    else w.array(request.resources, eachResource)
    w.boolean(request.includeSynonyms)
    if (version >= 3) w.boolean(false) // include_documentation
    if (flexible) w.tags()
  },
  decode(r: Reader, version) {
    const flexible = version >= 4
    const str = () => (flexible ? r.compactString() : r.string())
    const arr = <T>(each: () => T): T[] => (flexible ? r.compactArray(each) : r.array(each))
    r.int32() // throttle_time_ms
    const results = arr(() => {
      const errorCode = r.int16()
      const errorMessage = str()
      const type = r.int8()
      const name = str() ?? ''
      const configs = arr(() => {
        const entry: RawConfigEntry = {
          name: str() ?? '',
          value: str(),
          readOnly: r.boolean(),
          source: configSourceName(r.int8()),
          sensitive: r.boolean(),
          synonyms: arr(() => {
            const synonym = {name: str() ?? '', value: str(), source: configSourceName(r.int8())}
            if (flexible) r.tags()
            return synonym
          }),
        }
        if (version >= 3) {
          r.int8() // config_type
          str() // documentation
        }
        if (flexible) r.tags()
        return entry
      })
      if (flexible) r.tags()
      return {errorCode, errorMessage, type, name, configs}
    })
    if (flexible) r.tags()
    return results
  },
}
