import {commonjsExports} from '../commonjs.js'
import {KadmError} from '../errors.js'

export type Kafkajs = typeof import('kafkajs')
type RequestQueueClass = typeof import('kafkajs/src/network/requestQueue/index.js')
type ConnectionClass = typeof import('kafkajs/src/network/connection.js')
type EncoderClass = typeof import('kafkajs/src/protocol/encoder.js')
type CreateRequest = typeof import('kafkajs/src/protocol/request.js')

/**
 * The kafkajs release kadm is built on, pinned exactly in package.json. This file is the only one
 * that reaches into kafkajs's internals (its request queue, broker pool and broker connections),
 * which no other release promises to keep; test/unit/kafkajs.test.ts fails when either changes.
 */
export const KAFKAJS_VERSION = '2.2.4'

/**
 * kafkajs 2.2.4's RequestQueue.scheduleCheckPendingRequests, word for word: the code that
 * patchRequestQueue replaces. Compared (as code, see codeOnly) before patching, so a different kafkajs is never patched blind.
 */
export const PATCHED_SCHEDULE_SOURCE = `scheduleCheckPendingRequests() {
    // If we're throttled: Schedule checkPendingRequests when the throttle
    // should be resolved. If there is already something scheduled we assume that that
    // will be fine, and potentially fix up a new timeout if needed at that time.
    // Note that if we're merely "overloaded" by having too many inflight requests
    // we will anyways check the queue when one of them gets fulfilled.
    let scheduleAt = this.throttledUntil - Date.now()
    if (!this.throttleCheckTimeoutId) {
      if (this.pending.length > 0) {
        scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL
      }
      this.throttleCheckTimeoutId = setTimeout(() => {
        this.throttleCheckTimeoutId = null
        this.checkPendingRequests()
      }, scheduleAt)
    }
  }`

/**
 * Source without comments, semicolons and white space, with one kind of string quote: the
 * bundler reformats kafkajs's code (and prints its strings in double quotes), not its tokens.
 */
export function codeOnly(source: string): string {
  return source.replace(/\/\/[^\n]*/g, '').replace(/[\s;]+/g, '').replace(/"/g, "'")
}

/** How soon kafkajs looks again at requests waiting for an in-flight slot (its CHECK_PENDING_REQUESTS_INTERVAL). */
const CHECK_PENDING_MS = 10

/**
 * kafkajs checks its queue of waiting requests after every response, and then always arms a timer
 * to check again, even with nothing waiting: `throttledUntil` starts at -1, so the delay is about
 * minus Date.now(). Node clamps it to 1 ms, so every connection re-checks an empty queue every
 * millisecond for as long as it is open, and Node 24 warns about it on stderr
 * (TimeoutNegativeWarning). A timer is only needed when requests wait: at the end of a broker's
 * throttle, or shortly for an in-flight slot (a response also checks).
 */
export function patchRequestQueue(RequestQueue: RequestQueueClass): boolean {
  const proto = RequestQueue.prototype
  if (codeOnly(proto.scheduleCheckPendingRequests.toString()) !== codeOnly(PATCHED_SCHEDULE_SOURCE)) return false
  proto.scheduleCheckPendingRequests = function scheduleCheckPendingRequests() {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return
    const untilThrottleEnds = this.throttledUntil - Date.now()
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null
      this.checkPendingRequests()
    }, untilThrottleEnds > 0 ? untilThrottleEnds : CHECK_PENDING_MS)
  }
  return true
}

/**
 * The lines of kafkajs 2.2.4's Connection.processData that patchConnection relies on: the bytes
 * of a response are collected in `chunks`, concatenated when there are several, and what follows
 * the response is kept as the first chunk, an empty one when nothing does.
 */
export const PROCESS_DATA_LINES = [
  'this.chunks.push(rawData)',
  'this.bytesBuffered += Buffer.byteLength(rawData)',
  'const buffer = this.chunks.length > 1 ? Buffer.concat(this.chunks) : this.chunks[0]',
  'const remainderBuffer = decoder.readAll()',
  'this.chunks = [remainderBuffer]',
  'this.bytesBuffered = Buffer.byteLength(remainderBuffer)',
]

/**
 * After each response kafkajs keeps an empty chunk, so the next response, even one that arrives
 * whole (src/kafka/framed-socket.ts hands over each response in one piece), is concatenated with
 * it: a copy of every response, 5-10% of the CPU time of reading a topic at full speed. An empty
 * first chunk adds nothing to the concatenation, so it is dropped before a new chunk comes in.
 */
export function patchConnection(Connection: ConnectionClass): boolean {
  const proto = Connection.prototype
  const source = codeOnly(proto.processData.toString())
  if (!PROCESS_DATA_LINES.every((line) => source.includes(codeOnly(line))) || source.includes('kadm:')) return false
  const processData = proto.processData
  proto.processData = function (rawData) {
    // kadm: an empty remainder is dropped, see patchConnection.
    if (this.bytesBuffered === 0 && this.chunks.length === 1) this.chunks = []
    return processData.call(this, rawData)
  }
  return true
}

/** kafkajs 2.2.4's Encoder.writeEncoder, word for word: the code patchEncoder wraps. */
export const PATCHED_WRITE_ENCODER_SOURCE = `writeEncoder(value) {
    if (value == null || !Buffer.isBuffer(value.buf)) {
      throw new Error('value should be an instance of Encoder')
    }

    this.writeBufferInternal(value.buffer)
    return this
  }`

/**
 * The lines of kafkajs 2.2.4's request framing (src/protocol/request.js) that in-place framing
 * relies on: the payload goes into a new Encoder after the header, that Encoder into another
 * after the size, and nothing is written after either.
 */
export const CREATE_REQUEST_LINES = [
  'const payload = await encode()',
  '.writeString(clientId).writeEncoder(payload)',
  'return new Encoder().writeInt32(requestPayload.size()).writeEncoder(requestPayload)',
]

/**
 * Marks what a request's encode() returns as framable in place: `frame` holds the request body
 * from `start` on, and the bytes before `start` are free for kafkajs's request header and size.
 */
export const IN_PLACE = Symbol('kadm: frame in place')

export interface InPlacePayload {
  buf: Buffer
  buffer: Buffer
  [IN_PLACE]: {frame: Buffer; start: number}
}

/**
 * kafkajs frames every request by copying it twice, into zero-filled buffers of the next power of
 * two (a 512 KiB record batch: 2 MiB allocated and zeroed, 1 MiB copied), which for `console
 * produce` was most of the cost of sending. A payload marked IN_PLACE gets the header and size
 * written into the room left before it instead, and kafkajs writes the frame as it is. Anything
 * else, or a header that does not fit, is copied as before.
 */
export function patchEncoder(Encoder: EncoderClass, createRequest: CreateRequest): boolean {
  const proto = Encoder.prototype
  const framing = codeOnly(createRequest.toString())
  if (codeOnly(proto.writeEncoder.toString()) !== codeOnly(PATCHED_WRITE_ENCODER_SOURCE) || !CREATE_REQUEST_LINES.every((line) => framing.includes(codeOnly(line)))) return false
  const writeEncoder = proto.writeEncoder
  proto.writeEncoder = function (value) {
    const inPlace = (value as Partial<InPlacePayload> | null)?.[IN_PLACE]
    if (!inPlace || this.offset > inPlace.start) return writeEncoder.call(this, value)
    const start = inPlace.start - this.offset
    const end = inPlace.start + value.buffer.length
    inPlace.frame.set(this.buf.subarray(0, this.offset), start)
    this.buf = inPlace.frame.subarray(start, end)
    this.offset = end - start
    ;(this as unknown as InPlacePayload)[IN_PLACE] = {frame: inPlace.frame, start}
    return this
  }
  return true
}

/** What kadm hands kafkajs to send one request of its own over a broker connection. */
export interface ProtocolCall {
  request: unknown
  response: unknown
  requestTimeout?: number | null
  logResponseError?: boolean
}

/** The slice of a kafkajs broker the protocol module uses: its negotiated versions and its address. */
export interface BrokerConnection {
  nodeId?: number
  versions: Record<number, {minVersion: number; maxVersion: number}> | null
  connectionPool: {
    host: string
    port: number
    rack?: string | null
    send(protocol: ProtocolCall): Promise<unknown>
    /** kafkajs keeps two connections per broker: 0 for most requests, 1 for Fetch. */
    getConnection(index: 0 | 1): Promise<{send(protocol: ProtocolCall): Promise<unknown>}>
  }
}

/** host:port of a broker, as the cluster metadata advertises it. */
export function brokerAddress(broker: {connectionPool: {host: string; port: number}}): string {
  return `${broker.connectionPool.host}:${broker.connectionPool.port}`
}

/**
 * Sends one request over kafkajs's own connection to the broker (authenticated, with its
 * correlation ids and timeouts), on the first of its two connections or the second.
 */
export async function sendOver(broker: BrokerConnection, call: ProtocolCall, connection: 0 | 1 = 0): Promise<unknown> {
  const target = connection ? await broker.connectionPool.getConnection(connection) : broker.connectionPool
  return target.send(call)
}

/** A broker of kafkajs's pool: the protocol module's view of it, plus its own connect. */
export type PoolBroker = BrokerConnection & {connect(): Promise<void>; disconnect(): Promise<void>; isConnected(): boolean}

/** The parts of kafkajs's internal Cluster and BrokerPool that kadm drives. */
interface RawCluster {
  disconnect(): Promise<void>
  findGroupCoordinator(query: {groupId: string; coordinatorType?: number}): Promise<BrokerConnection>
  brokerPool: {
    seedBroker: PoolBroker | undefined
    brokers: Record<string, PoolBroker>
    versions: unknown
    rootLogger: unknown
    /** Without an address: the next bootstrap server, round robin. */
    connectionPoolBuilder: {build(address?: {host: string; port: number; rack: string | null}): Promise<unknown>}
    createBroker(options: {logger: unknown; versions?: unknown; connectionPool: unknown; nodeId?: number}): PoolBroker
    /** Connects a broker unless connected (kafkajs's retries; no metadata refresh). */
    connectBroker(broker: PoolBroker): Promise<void>
  }
}

/**
 * The brokers of a kafkajs client, connected, authenticated and with negotiated versions: what
 * kadm sends its own requests over. kafkajs keeps them in its internal Cluster, which it builds
 * behind a private symbol; this class is the one place that knows its shape.
 */
export class KafkajsBrokers {
  private constructor(private readonly cluster: RawCluster) {}

  static of(kafka: InstanceType<Kafkajs['Kafka']>): KafkajsBrokers {
    const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster')
    if (!symbol) throw new KadmError(`unsupported kafkajs version: cannot reach its cluster object (kadm is built on kafkajs ${KAFKAJS_VERSION})`)
    const create = (kafka as unknown as Record<symbol, (options: object) => RawCluster>)[symbol]
    return new KafkajsBrokers(create({allowAutoTopicCreation: false}))
  }

  private get pool() {
    return this.cluster.brokerPool
  }

  /** The broker connected first (a bootstrap server); undefined before nextSeed(). */
  get seed(): PoolBroker | undefined {
    return this.pool.seedBroker
  }

  /**
   * Makes the next bootstrap server (round robin) the seed, and returns the one it replaces, not
   * disconnected: kafkajs's own createSeedBroker waits for that, and a frozen broker never answers.
   */
  async nextSeed(): Promise<PoolBroker | undefined> {
    const previous = this.pool.seedBroker
    this.pool.seedBroker = this.pool.createBroker({connectionPool: await this.pool.connectionPoolBuilder.build(), logger: this.pool.rootLogger})
    return previous
  }

  /** After the seed connected: its API versions are the ones brokers added later start from. */
  adoptSeedVersions(): void {
    this.pool.versions = this.pool.seedBroker?.versions
  }

  byId(nodeId: number): PoolBroker | undefined {
    return this.pool.brokers[nodeId]
  }

  /** The seed first, then every broker learnt from metadata. */
  all(): PoolBroker[] {
    const seed = this.pool.seedBroker
    return [...(seed ? [seed] : []), ...Object.values(this.pool.brokers).filter((b) => b !== seed)]
  }

  /** Adds a broker from a Metadata response, unless known; the seed is recognised by its address. */
  async add(b: {nodeId: number; host: string; port: number; rack: string | null}): Promise<void> {
    if (this.pool.brokers[b.nodeId]) return
    const seed = this.pool.seedBroker
    if (seed && seed.connectionPool.host === b.host && seed.connectionPool.port === b.port) {
      // As kafkajs does: a later refresh of its own compares racks, and would take a mismatch
      // for a replaced broker and disconnect the seed connection in use.
      seed.nodeId = b.nodeId
      seed.connectionPool.rack = b.rack
      this.pool.brokers[b.nodeId] = seed
      return
    }
    const connectionPool = await this.pool.connectionPoolBuilder.build({host: b.host, port: b.port, rack: b.rack})
    this.pool.brokers[b.nodeId] = this.pool.createBroker({logger: this.pool.rootLogger, versions: this.pool.versions, connectionPool, nodeId: b.nodeId})
  }

  /** Connects a broker unless it is connected; the seed before its id is known connects itself. */
  async connect(broker: PoolBroker): Promise<void> {
    if (broker === this.pool.seedBroker && broker.nodeId === undefined) {
      if (!broker.isConnected()) await broker.connect()
      return
    }
    await this.pool.connectBroker(broker)
  }

  /** kafkajs's coordinator look-up, for brokers too old for kadm's batched FindCoordinator. */
  coordinator(groupId: string): Promise<BrokerConnection> {
    return this.cluster.findGroupCoordinator({groupId})
  }

  disconnect(): Promise<void> {
    return this.cluster.disconnect()
  }
}

let loaded: Promise<Kafkajs> | undefined

/** kafkajs (CommonJS), loaded once, patched, and only by the commands that connect. */
export function loadKafkajs(): Promise<Kafkajs> {
  loaded ??= Promise.all([
    import('kafkajs'),
    import('kafkajs/src/network/requestQueue/index.js'),
    import('kafkajs/src/network/connection.js'),
    import('kafkajs/src/protocol/encoder.js'),
    import('kafkajs/src/protocol/request.js'),
  ]).then(([kafkajs, requestQueue, connection, encoder, request]) => {
    patchRequestQueue(commonjsExports(requestQueue) as RequestQueueClass)
    patchConnection(commonjsExports(connection) as ConnectionClass)
    patchEncoder(commonjsExports(encoder) as EncoderClass, commonjsExports(request) as unknown as CreateRequest)
    return commonjsExports(kafkajs)
  })
  return loaded
}
