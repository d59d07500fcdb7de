import {type Crc32c, loadNativeCrc32c} from '../compression.js'
import {Reader, Writer} from './codec.js'
import {IN_PLACE, type InPlacePayload, sendOver} from '../kafkajs.js'
import {type ApiSpec, type BrokerConnection, negotiateVersion} from './transport.js'

export interface ProducePartitionRequest {
  partition: number
  /** One encoded record batch (BatchBuilder). */
  batch: Buffer
}

export interface ProduceRequest {
  acks: number
  timeoutMs: number
  topics: Array<{topic: string; partitions: ProducePartitionRequest[]}>
}

export interface ProducePartitionResponse {
  topic: string
  partition: number
  errorCode: number
  baseOffset: bigint
  errorMessage: string | null
}

/**
 * Produce v3-8 (v3 is the first with record batches and the lowest Kafka 4 accepts; v9 turned
 * flexible). kafkajs's producer spends most of its time building records; kadm encodes batches
 * itself and sends them over kafkajs's connection.
 */
export const Produce: ApiSpec<ProduceRequest, ProducePartitionResponse[]> = {
  name: 'Produce',
  apiKey: 0,
  minVersion: 3,
  maxVersion: 8,
  flexibleFrom: 9,
  encode(w, request) {
    w.string(null) // transactional_id
    w.int16(request.acks).int32(request.timeoutMs)
    w.array(request.topics, (w, t) => {
      w.string(t.topic).array(t.partitions, (w, p) => {
        w.int32(p.partition).int32(p.batch.length).raw(p.batch)
      })
    })
  },
  decode(r, version) {
    const out: ProducePartitionResponse[] = []
    r.array((r) => {
      const topic = r.string() ?? ''
      r.array((r) => {
        const partition = r.int32()
        const errorCode = r.int16()
        const baseOffset = r.int64()
        r.int64() // log_append_time_ms
        if (version >= 5) r.int64() // log_start_offset
        let errorMessage: string | null = null
        if (version >= 8) {
          r.array((r) => [r.int32(), r.string()]) // record_errors
          errorMessage = r.string()
        }
        out.push({topic, partition, errorCode, baseOffset, errorMessage})
      })
    })
    r.int32() // throttle_time_ms
    return out
  },
}

/** Room for kafkajs's request header (size, API key and version, correlation id, client id) before a request body. */
const REQUEST_HEADER_ROOM = 256

/** The bytes of a one-batch Produce request v3-8 before its batch (with a topic name of `topicBytes`). */
function producePrefixSize(topicBytes: number): number {
  // transactional_id, acks, timeout, topics count, topic, partitions count, partition, batch size
  return 2 + 2 + 4 + 4 + 2 + topicBytes + 4 + 4 + 4
}

/** Bytes to leave free before a batch of `topic` so that its Produce request is framed in place (see sendProduce). */
export function produceRoom(topic: string): number {
  return REQUEST_HEADER_ROOM + producePrefixSize(Buffer.byteLength(topic))
}

/**
 * Batches encoded with room before them (BatchBuilder's `room`), not yet sent in place; and
 * those that have been, which restampBatch copies rather than changes (their bytes may still sit
 * in a socket's queue).
 */
const framable = new WeakSet<ArrayBufferLike>()
const framedOnce = new WeakSet<ArrayBufferLike>()

/**
 * A one-partition Produce request written into the room before its batch, for kafkajs to frame
 * in place (IN_PLACE): the batch is not copied on its way to the socket. Only the first send of a
 * batch: a retry may go out while the first attempt's bytes still wait in a socket's queue.
 */
export function inPlacePayload(request: ProduceRequest): InPlacePayload | undefined {
  const [topic] = request.topics
  if (request.topics.length !== 1 || topic.partitions.length !== 1) return undefined
  const {partition, batch} = topic.partitions[0]
  const topicBytes = Buffer.byteLength(topic.topic)
  const prefix = producePrefixSize(topicBytes)
  if (!framable.has(batch.buffer) || batch.byteOffset < prefix + REQUEST_HEADER_ROOM) return undefined
  framable.delete(batch.buffer)
  framedOnce.add(batch.buffer)
  const frame = Buffer.from(batch.buffer, 0, batch.byteOffset + batch.length)
  const start = batch.byteOffset - prefix
  let at = start
  at = frame.writeInt16BE(-1, at) // transactional_id: null
  at = frame.writeInt16BE(request.acks, at)
  at = frame.writeInt32BE(request.timeoutMs, at)
  at = frame.writeInt32BE(1, at)
  at = frame.writeInt16BE(topicBytes, at)
  at += frame.write(topic.topic, at, 'utf8')
  at = frame.writeInt32BE(1, at)
  at = frame.writeInt32BE(partition, at)
  frame.writeInt32BE(batch.length, at)
  const body = frame.subarray(start)
  return {buf: body, buffer: body, [IN_PLACE]: {frame, start}}
}

/**
 * Sends a Produce request; with acks=0 the broker never answers, so nothing is awaited but the
 * write itself (kafkajs's connection skips the response when expectResponse() is false).
 */
export async function sendProduce(broker: BrokerConnection, request: ProduceRequest, timeoutMs: number): Promise<ProducePartitionResponse[] | null> {
  const version = negotiateVersion(Produce, broker)
  const protocolRequest = {
    apiKey: Produce.apiKey,
    apiVersion: version,
    apiName: Produce.name,
    expectResponse: () => request.acks !== 0,
    encode: async () => {
      const inPlace = inPlacePayload(request)
      if (inPlace) return inPlace
      const size = request.topics.reduce((n, t) => n + t.partitions.reduce((m, p) => m + p.batch.length + 64, 64), 64)
      const w = new Writer(size)
      Produce.encode(w, request, version)
      const buf = w.toBuffer()
      return {buf, buffer: buf}
    },
  }
  const protocolResponse = {
    decode: async (payload: Buffer) => Produce.decode(new Reader(payload), version, request),
    parse: async (data: ProducePartitionResponse[]) => data,
  }
  const answer = await sendOver(broker, {request: protocolRequest, response: protocolResponse, requestTimeout: timeoutMs})
  return (answer as ProducePartitionResponse[] | undefined) ?? null
}

export interface InitProducerIdResponse {
  errorCode: number
  producerId: bigint
  producerEpoch: number
}

/** InitProducerId v0-1: a producer id and epoch for an idempotent (non-transactional) producer. */
export const InitProducerId: ApiSpec<{transactionTimeoutMs: number}, InitProducerIdResponse> = {
  name: 'InitProducerId',
  apiKey: 22,
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 2,
  encode(w, request) {
    w.string(null).int32(request.transactionTimeoutMs)
  },
  decode(r) {
    r.int32() // throttle_time_ms
    return {errorCode: r.int16(), producerId: r.int64(), producerEpoch: r.int16()}
  },
}

/**
 * CRC-32C tables for slicing-by-8: table k holds the CRC of a byte followed by k zero bytes, so
 * eight bytes are folded in per step instead of one (a quarter of the time of the byte-wise loop;
 * the checksum was a fifth of `console produce`'s CPU time).
 */
const CRC32C_TABLES = (() => {
  const tables = new Int32Array(8 * 256)
  for (let i = 0; i < 256; i++) {
    let c = i
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
    tables[i] = c
  }
  for (let i = 0; i < 256; i++) {
    for (let t = 1; t < 8; t++) {
      const previous = tables[(t - 1) * 256 + i]
      tables[t * 256 + i] = tables[previous & 0xff] ^ (previous >>> 8)
    }
  }
  return tables
})()

/** CRC-32C (Castagnoli) in JavaScript, for where @node-rs/crc32's binary cannot load. */
export function crc32cJs(buf: Buffer, start = 0, end = buf.length): number {
  const t = CRC32C_TABLES
  let crc = -1
  let i = start
  for (; i + 8 <= end; i += 8) {
    const low = crc ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24))
    crc = t[1792 + (low & 0xff)] ^ t[1536 + ((low >>> 8) & 0xff)] ^ t[1280 + ((low >>> 16) & 0xff)] ^ t[1024 + (low >>> 24)]
      ^ t[768 + buf[i + 4]] ^ t[512 + buf[i + 5]] ^ t[256 + buf[i + 6]] ^ t[buf[i + 7]]
  }
  for (; i < end; i++) crc = t[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8)
  return (crc ^ -1) >>> 0
}

/**
 * The native CRC-32C (src/kafka/compression.ts): three times the JavaScript one's speed, whose
 * checksum was a fifth of `console produce`'s CPU time. Where its binary cannot load, the
 * JavaScript one gives the same sums.
 */
const nativeCrc32c: Crc32c | undefined = (() => {
  const native = loadNativeCrc32c()
  return native.ok ? native.value : undefined
})()

/** CRC-32C (Castagnoli), the checksum of record batches v2, of bytes `start` to `end`. */
export function crc32c(buf: Buffer, start = 0, end = buf.length): number {
  return nativeCrc32c ? nativeCrc32c(start === 0 && end === buf.length ? buf : buf.subarray(start, end)) : crc32cJs(buf, start, end)
}

function varintSize(value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1
  let n = 1
  while (v >= 128) {
    v = Math.floor(v / 128)
    n++
  }
  return n
}

export interface BatchOptions {
  compress?: (records: Buffer) => Promise<Buffer>
  compressionType: number
  producerId: bigint
  producerEpoch: number
  baseSequence: number
}

const HEADER_SIZE = 61
/** A batch's first buffer when the caller expects little (records grow it by doubling). */
const MIN_CAPACITY = 16 * 1024

/** `size` bytes for a batch, with `room` free bytes before them that belong to it. */
function batchBuffer(size: number, room: number): Buffer {
  if (!room) return Buffer.allocUnsafe(size)
  const batch = Buffer.allocUnsafeSlow(room + size).subarray(room)
  framable.add(batch.buffer)
  return batch
}

/**
 * One record batch (magic 2), encoded as its records come: each add() writes the record where it
 * goes in the batch, so no record is kept or walked again, and finish() adds the header and the
 * CRC. `room` bytes are left before the batch for its request (produceRoom).
 */
export class BatchBuilder {
  /** Header and records; the records start at HEADER_SIZE. */
  private buf: Buffer
  private pos = HEADER_SIZE
  count = 0
  /** Key and value bytes (what the produce summary counts). */
  bytes = 0
  /** A record without a key was added. */
  unkeyed = false
  private baseTimestamp = 0
  private maxTimestamp = 0

  constructor(private readonly room = 0, capacity = MIN_CAPACITY) {
    this.buf = batchBuffer(HEADER_SIZE + Math.max(capacity, MIN_CAPACITY), room)
  }

  /** Encoded size so far, header included. */
  get size(): number {
    return this.pos
  }

  /** Appends a record stamped `timestamp` (epoch ms). */
  add(key: Buffer | null, value: Buffer | null, headers: ReadonlyArray<readonly [string, Buffer | null]>, timestamp: number): void {
    if (this.count === 0) this.baseTimestamp = this.maxTimestamp = timestamp
    else if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp
    // A delta from the first record's time, negative for an earlier one (as Java's producer writes).
    const delta = timestamp - this.baseTimestamp
    let size = 1 + varintSize(delta) + varintSize(this.count)
    size += key === null ? 1 : varintSize(key.length) + key.length
    size += value === null ? 1 : varintSize(value.length) + value.length
    size += varintSize(headers.length)
    for (const [k, v] of headers) {
      const kb = Buffer.byteLength(k)
      size += varintSize(kb) + kb + (v === null ? 1 : varintSize(v.length) + v.length)
    }
    this.ensure(size + varintSize(size))
    this.varint(size)
    this.buf[this.pos++] = 0 // attributes
    this.varint(delta)
    this.varint(this.count)
    this.bytesField(key)
    this.bytesField(value)
    this.varint(headers.length)
    for (const [k, v] of headers) {
      this.varint(Buffer.byteLength(k))
      this.pos += this.buf.write(k, this.pos, 'utf8')
      this.bytesField(v)
    }
    this.count++
    this.bytes += (key?.length ?? 0) + (value?.length ?? 0)
    if (key === null) this.unkeyed = true
  }

  /** The batch: header and CRC written, the records compressed when asked. Call once. */
  async finish(options: BatchOptions): Promise<Buffer> {
    let batch = this.buf.subarray(0, this.pos)
    if (options.compressionType !== 0 && options.compress) {
      const compressed = await options.compress(batch.subarray(HEADER_SIZE))
      batch = batchBuffer(HEADER_SIZE + compressed.length, this.room)
      batch.set(compressed, HEADER_SIZE)
    }
    batch.writeBigInt64BE(0n, 0) // base offset: the broker assigns offsets
    batch.writeInt32BE(batch.length - 12, 8)
    batch.writeInt32BE(-1, 12) // partition leader epoch
    batch.writeInt8(2, 16) // magic
    batch.writeInt16BE(options.compressionType, 21)
    batch.writeInt32BE(this.count - 1, 23)
    batch.writeBigInt64BE(BigInt(this.baseTimestamp), 27)
    batch.writeBigInt64BE(BigInt(this.maxTimestamp), 35)
    batch.writeBigInt64BE(options.producerId, 43)
    batch.writeInt16BE(options.producerEpoch, 51)
    batch.writeInt32BE(options.baseSequence, 53)
    batch.writeInt32BE(this.count, 57)
    batch.writeUInt32BE(crc32c(batch, 21), 17)
    return batch
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    const next = batchBuffer(Math.max(this.buf.length * 2, this.pos + n), this.room)
    next.set(this.buf.subarray(0, this.pos))
    this.buf = next
  }

  private varint(value: number): void {
    let v = value >= 0 ? value * 2 : -value * 2 - 1
    while (v >= 128) {
      this.buf[this.pos++] = (v % 128) | 0x80
      v = Math.floor(v / 128)
    }
    this.buf[this.pos++] = v
  }

  private bytesField(b: Buffer | null): void {
    if (b === null) return this.varint(-1)
    this.varint(b.length)
    // TypedArray#set: a third of Buffer#copy's cost per record.
    this.buf.set(b, this.pos)
    this.pos += b.length
  }
}

/**
 * Gives an encoded batch another producer identity and base sequence, in place, and rewrites its
 * CRC (which covers them). For a partition whose sequence was broken by a batch given up on.
 */
export function restampBatch(sent: Buffer, producerId: bigint, producerEpoch: number, baseSequence: number): Buffer {
  // Bytes sent in place may still wait in a socket's queue: those are never changed.
  const batch = framedOnce.has(sent.buffer) ? Buffer.from(sent) : sent
  batch.writeBigInt64BE(producerId, 43)
  batch.writeInt16BE(producerEpoch, 51)
  batch.writeInt32BE(baseSequence, 53)
  batch.writeUInt32BE(crc32c(batch, 21), 17)
  return batch
}
