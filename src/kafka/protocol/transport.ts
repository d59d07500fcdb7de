import {KadmError} from '../../errors.js'
import {brokerAddress, type BrokerConnection, sendOver} from '../kafkajs.js'
import {Reader, Writer} from './codec.js'

export type {BrokerConnection} from '../kafkajs.js'

/**
 * One Kafka API as kadm speaks it: the versions kadm implements, the first flexible version
 * (request header v2 / response header v1 with tagged fields), and the encoders.
 */
export interface ApiSpec<Req, Res> {
  name: string
  apiKey: number
  minVersion: number
  maxVersion: number
  flexibleFrom: number
  /** The first Kafka release that speaks minVersion, named when a broker does not (when older brokers are worth telling apart). */
  since?: string
  /** False for ApiVersions, whose response header has no tagged fields in any version (so that any client can read it). */
  flexibleResponseHeader?: boolean
  encode(w: Writer, request: Req, version: number): void
  /** `request` is what was sent, for responses whose reading depends on it (transport always passes it). */
  decode(r: Reader, version: number, request?: Req): Res
}

/** Picks the highest version both sides speak (versions come from the broker's ApiVersions). */
export function negotiateVersion(spec: Pick<ApiSpec<unknown, unknown>, 'name' | 'apiKey' | 'minVersion' | 'maxVersion' | 'since'>, broker: {versions: BrokerConnection['versions']; connectionPool: {host: string; port: number}}): number {
  const range = broker.versions?.[spec.apiKey]
  const where = brokerAddress(broker)
  const since = spec.since ? ` (Kafka ${spec.since} or later)` : ''
  if (!range) throw new KadmError(`broker ${where} does not support ${spec.name} (API key ${spec.apiKey})${since}`)
  const version = Math.min(range.maxVersion, spec.maxVersion)
  if (version < Math.max(range.minVersion, spec.minVersion)) {
    throw new KadmError(`broker ${where} supports ${spec.name} v${range.minVersion}-${range.maxVersion}, kadm needs v${spec.minVersion}-${spec.maxVersion}${since}`)
  }
  return version
}

export interface SendOptions {
  version?: number
  timeoutMs?: number
  /**
   * Which of kafkajs's two connections to the broker carries the request (default 0). A broker
   * answers the requests of one connection one after the other: requests on both run in parallel.
   */
  connection?: 0 | 1
}

/**
 * Sends one request over kafkajs's own connection to the broker (authenticated, with its
 * correlation ids and timeouts). kafkajs always writes request header v1; for flexible versions
 * the payload starts with the header's empty tagged-field section, which turns it into header v2.
 */
export async function sendRequest<Req, Res>(broker: BrokerConnection, spec: ApiSpec<Req, Res>, request: Req, options: SendOptions = {}): Promise<Res> {
  const version = options.version ?? negotiateVersion(spec, broker)
  const protocolRequest = {
    apiKey: spec.apiKey,
    apiVersion: version,
    apiName: spec.name,
    encode: async () => {
      const buf = writeRequest(spec, version, new Writer(), request).toBuffer()
      // kafkajs only reads `.buf`/`.buffer` from what encode() returns.
      return {buf, buffer: buf}
    },
  }
  const protocolResponse = {
    decode: async (payload: Buffer) => readResponse(spec, version, new Reader(payload), request),
    parse: async (data: Res) => data,
  }
  return (await sendOver(broker, {request: protocolRequest, response: protocolResponse, requestTimeout: options.timeoutMs ?? null}, options.connection)) as Res
}

/**
 * A request as `spec` writes it at `version` into `w`, after the fields of request header v1
 * (for flexible versions the header's tagged fields come first, which makes it header v2).
 */
export function writeRequest<Req, Res>(spec: ApiSpec<Req, Res>, version: number, w: Writer, request: Req): Writer {
  if (version >= spec.flexibleFrom) w.tags()
  spec.encode(w, request, version)
  return w
}

/**
 * A response as `spec` reads it at `version` from `r`, over what follows the correlation id (for
 * flexible versions the response header's tagged fields come first).
 */
export function readResponse<Req, Res>(spec: ApiSpec<Req, Res>, version: number, r: Reader, request: Req): Res {
  if (version >= spec.flexibleFrom && spec.flexibleResponseHeader !== false) r.tags()
  return spec.decode(r, version, request)
}
