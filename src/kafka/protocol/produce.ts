import type {ProducedRecord} from '../../domain/record-format.js'
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
  if (value >= -64 && value < 64) return 1
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

/**
 * Buffers of batches that are done with, for the next batches: a fresh 600 KiB buffer per batch
 * cost page faults and the garbage collections V8 starts as outside memory grows (half of console
 * produce's GC time). Only buffers of at least SPARE_MIN_BYTES are kept, at most SPARE_MAX.
 */
const spareBuffers: ArrayBuffer[] = []
const SPARE_MAX = 8
const SPARE_MIN_BYTES = 64 * 1024

/** `size` bytes for a batch, with `room` free bytes before them that belong to it. */
function batchBuffer(size: number, room: number): Buffer {
  if (!room) return Buffer.allocUnsafe(size)
  const total = room + size
  let spare: ArrayBuffer | undefined
  // One of about the size asked: a batch that stays small does not hold a large buffer.
  for (let i = spareBuffers.length - 1; i >= 0; i--) {
    const length = spareBuffers[i].byteLength
    if (length >= total && length <= total * 2) {
      spare = spareBuffers[i]
      spareBuffers.splice(i, 1)
      break
    }
  }
  const batch = spare ? Buffer.from(spare, room, size) : Buffer.allocUnsafeSlow(total).subarray(room)
  framable.add(batch.buffer)
  framedOnce.delete(batch.buffer)
  return batch
}

/**
 * Hands a batch's buffer back for later batches. Only for one nothing refers to any more, nor
 * will: built over (BatchBuilder), or sent once and answered (its bytes have left the socket).
 * A batch that may still sit in a socket's queue (no answer yet, or sent again) is not handed back.
 */
export function releaseBatch(batch: Buffer): void {
  const buffer = batch.buffer as ArrayBuffer
  if (buffer.byteLength < SPARE_MIN_BYTES || spareBuffers.length >= SPARE_MAX || spareBuffers.includes(buffer)) return
  framable.delete(buffer)
  spareBuffers.push(buffer)
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
  /** The buffer the last record's bytes were a part of, and a plain view of it. */
  private source?: Uint8Array
  private sourceView: Uint8Array = new Uint8Array(0)

  constructor(private readonly room = 0, capacity = MIN_CAPACITY) {
    this.buf = batchBuffer(HEADER_SIZE + Math.max(capacity, MIN_CAPACITY), room)
  }

  /** Encoded size so far, header included. */
  get size(): number {
    return this.pos
  }

  private bodySize(record: ProducedRecord, timestamp: number): number {
    const delta = this.count === 0 ? 0 : timestamp - this.baseTimestamp
    let size = 1 + varintSize(delta) + varintSize(this.count)
    size += record.key === null ? 1 : varintSize(record.keyEnd - record.keyStart) + record.keyEnd - record.keyStart
    size += record.value === null ? 1 : varintSize(record.valueEnd - record.valueStart) + record.valueEnd - record.valueStart
    size += varintSize(record.headers.length)
    for (const [k, v] of record.headers) {
      const kb = Buffer.byteLength(k)
      size += varintSize(kb) + kb + (v === null ? 1 : varintSize(v.length) + v.length)
    }
    return size
  }

  /**
   * Appends a record stamped `timestamp` (epoch ms); its key and value bytes are copied in. A
   * record that would take a non-empty batch over `maxBytes` is not added, and add() says so
   * (false): it belongs to the next batch.
   */
  add(record: ProducedRecord, timestamp: number, maxBytes = Number.POSITIVE_INFINITY): boolean {
    const size = this.bodySize(record, timestamp)
    if (this.count > 0 && this.pos + varintSize(size) + size > maxBytes) return false
    if (this.count === 0) this.baseTimestamp = this.maxTimestamp = timestamp
    else if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp
    // A delta from the first record's time, negative for an earlier one (as Java's producer writes).
    const delta = timestamp - this.baseTimestamp
    const {key, value, headers} = record
    const keyLength = key === null ? -1 : record.keyEnd - record.keyStart
    const valueLength = value === null ? -1 : record.valueEnd - record.valueStart
    this.ensure(size + varintSize(size))
    this.varint(size)
    this.buf[this.pos++] = 0 // attributes
    this.varint(delta)
    this.varint(this.count)
    this.bytesField(key, record.keyStart, keyLength)
    this.bytesField(value, record.valueStart, valueLength)
    this.varint(headers.length)
    for (const [k, v] of headers) {
      this.varint(Buffer.byteLength(k))
      this.pos += this.buf.write(k, this.pos, 'utf8')
      this.bytesField(v, 0, v === null ? -1 : v.length)
    }
    this.count++
    this.bytes += Math.max(keyLength, 0) + Math.max(valueLength, 0)
    if (key === null) this.unkeyed = true
    return true
  }

  /**
   * Appends lines as records without key or headers, all stamped `timestamp`: the value of line
   * i is bytes `starts[i]` to `ends[i]` of `src` (one after the other, as lines of a chunk are).
   * Takes lines from `from` while the batch stays within `maxBytes` (the first record is taken
   * whatever its size) and under `maxCount`, and says how many it took. The same bytes as add()
   * per line, but the run of lines is copied in once and each value moved into place within the
   * batch (copyWithin allocates nothing; a view per line for set() cost a garbage collection
   * every 30,000 lines).
   */
  addValues(src: Uint8Array, starts: Int32Array, ends: Int32Array, from: number, to: number, timestamp: number, maxBytes: number, maxCount: number): number {
    if (from >= to) return 0
    const delta = this.count === 0 ? 0 : timestamp - this.baseTimestamp
    const fixed = 1 + varintSize(delta) + 1 + 1 // attributes, timestamp delta, null key, no headers
    let out = 0
    let n = 0
    for (let i = from; i < to; i++) {
      if (this.count + n >= maxCount) break
      const length = ends[i] - starts[i]
      const body = fixed + varintSize(this.count + n) + varintSize(length) + length
      const size = varintSize(body) + body
      // A record that would take the batch over maxBytes waits for the next batch (unless it is the first).
      if (this.count + n > 0 && this.pos + out + size > maxBytes) break
      out += size
      n++
    }
    if (!n) return 0
    if (this.count === 0) this.baseTimestamp = this.maxTimestamp = timestamp
    else if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp
    this.ensure(out)
    const runStart = starts[from]
    const runEnd = ends[from + n - 1]
    // The run at the end of the space its records take: each value is then moved down to its
    // place, never over a byte still to be moved (a record is longer than its line).
    const at = this.pos + out - (runEnd - runStart)
    this.buf.set(this.viewOf(src).subarray(runStart, runEnd), at)
    const buf = this.buf
    let pos = this.pos
    let bytes = 0
    for (let i = from; i < from + n; i++) {
      const length = ends[i] - starts[i]
      const offsetDelta = this.count++
      this.pos = pos
      this.varint(fixed + varintSize(offsetDelta) + varintSize(length) + length)
      buf[this.pos++] = 0 // attributes
      this.varint(delta)
      this.varint(offsetDelta)
      buf[this.pos++] = 1 // key: null (varint -1)
      this.varint(length)
      pos = this.pos
      const source = at + starts[i] - runStart
      if (source !== pos) buf.copyWithin(pos, source, source + length)
      pos += length
      buf[pos++] = 0 // headers
      bytes += length
    }
    this.pos = pos
    this.bytes += bytes
    this.unkeyed = true
    return n
  }

  /** A plain Uint8Array over `b`'s bytes, kept for the next call with the same buffer. */
  private viewOf(b: Uint8Array): Uint8Array {
    if (b !== this.source) {
      this.source = b
      this.sourceView = new Uint8Array(b.buffer, b.byteOffset, b.length)
    }
    return this.sourceView
  }

  /** The batch: header and CRC written, the records compressed when asked. Call once. */
  async finish(options: BatchOptions): Promise<Buffer> {
    let batch = this.buf.subarray(0, this.pos)
    if (options.compressionType !== 0 && options.compress) {
      const compressed = await options.compress(batch.subarray(HEADER_SIZE))
      if (this.room) releaseBatch(batch)
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
    if (this.room) releaseBatch(this.buf)
    this.buf = next
  }

  private varint(value: number): void {
    // Zigzag: small values of either sign take few bytes. Most are small: one byte, no division.
    if (value >= -64 && value < 64) {
      this.buf[this.pos++] = value >= 0 ? value << 1 : (-value << 1) - 1
      return
    }
    let v = value >= 0 ? value * 2 : -value * 2 - 1
    while (v >= 128) {
      this.buf[this.pos++] = (v % 128) | 0x80
      v = Math.floor(v / 128)
    }
    this.buf[this.pos++] = v
  }

  /** `length` bytes of `b` from `start` (length -1: null). */
  private bytesField(b: Uint8Array | null, start: number, length: number): void {
    if (b === null) {
      this.buf[this.pos++] = 1 // varint -1
      return
    }
    this.varint(length)
    // TypedArray#set: a third of Buffer#copy's cost per record. A part of a Buffer is taken from a
    // plain Uint8Array over the same bytes: Buffer#subarray makes a Buffer, at twice the cost.
    if (start !== 0 || length !== b.length) b = this.viewOf(b).subarray(start, start + length)
    this.buf.set(b, this.pos)
    this.pos += length
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
