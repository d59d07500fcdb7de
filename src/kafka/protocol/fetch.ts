import {FetchedRecord} from '../../domain/record-format.js'
import type {ApiSpec} from './transport.js'

export interface FetchPartitionRequest {
  partition: number
  offset: number
  maxBytes: number
}

export interface FetchRequest {
  maxWaitMs: number
  minBytes: number
  maxBytes: number
  isolationLevel: 0 | 1
  topics: Array<{topic: string; partitions: FetchPartitionRequest[]}>
}

export interface AbortedTransaction {
  producerId: bigint
  firstOffset: number
}

export interface FetchPartitionResponse {
  topic: string
  partition: number
  errorCode: number
  highWatermark: number
  lastStableOffset: number
  logStartOffset: number
  abortedTransactions: AbortedTransaction[]
  /** The raw record batches, as the broker sent them (the last one may be cut short). */
  records: Buffer
}

const EMPTY = Buffer.alloc(0)

/**
 * Fetch v4-11, sent without a group and without a fetch session: kadm reads partitions straight
 * from their leaders. v4 is the lowest version with isolation levels and aborted transactions,
 * v11 the highest that still names topics (v13 switched to topic ids) and is not flexible.
 * Record batches are returned raw and decoded by decodeRecordBatches, outside the connection.
 */
export const Fetch: ApiSpec<FetchRequest, FetchPartitionResponse[]> = {
  name: 'Fetch',
  apiKey: 1,
  minVersion: 4,
  maxVersion: 11,
  flexibleFrom: 12,
  encode(w, request, version) {
    w.int32(-1) // replica_id: a consumer
    w.int32(request.maxWaitMs).int32(request.minBytes).int32(request.maxBytes).int8(request.isolationLevel)
    if (version >= 7) w.int32(0).int32(-1) // session_id, session_epoch: no fetch session
    w.array(request.topics, (w, t) => {
      w.string(t.topic).array(t.partitions, (w, p) => {
        w.int32(p.partition)
        if (version >= 9) w.int32(-1) // current_leader_epoch: unknown
        w.int64(p.offset)
        if (version >= 5) w.int64(-1) // log_start_offset: only followers send it
        w.int32(p.maxBytes)
      })
    })
    if (version >= 7) w.array([], () => {}) // forgotten_topics_data
    if (version >= 11) w.string('') // rack_id
  },
  decode(r, version) {
    r.int32() // throttle_time_ms
    if (version >= 7) {
      const errorCode = r.int16()
      r.int32() // session_id
      if (errorCode !== 0) return [{topic: '', partition: -1, errorCode, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: [], records: EMPTY}]
    }
    const out: FetchPartitionResponse[] = []
    r.array((r) => {
      const topic = r.string() ?? ''
      r.array((r) => {
        const partition = r.int32()
        const errorCode = r.int16()
        const highWatermark = Number(r.int64())
        const lastStableOffset = Number(r.int64())
        const logStartOffset = version >= 5 ? Number(r.int64()) : -1
        const abortedCount = r.int32()
        const abortedTransactions: AbortedTransaction[] = []
        for (let i = 0; i < abortedCount; i++) abortedTransactions.push({producerId: r.int64(), firstOffset: Number(r.int64())})
        if (version >= 11) r.int32() // preferred_read_replica
        const records = r.nullableBytes() ?? EMPTY
        out.push({topic, partition, errorCode, highWatermark, lastStableOffset, logStartOffset, abortedTransactions, records})
      })
    })
    return out
  },
}

/** The fixed-size part of a v2 record batch (everything before the records). */
export interface BatchHeader {
  baseOffset: number
  /** Offset after the batch's last record: where the next fetch starts. */
  nextOffset: number
  attributes: number
  producerId: bigint
  maxTimestamp: number
  baseTimestamp: number
  recordCount: number
  /** Byte range of the whole batch inside the fetched buffer. */
  start: number
  end: number
}

const BATCH_HEADER_SIZE = 61
export const COMPRESSION_MASK = 0x07
export const TIMESTAMP_TYPE_LOG_APPEND = 0x08
export const TRANSACTIONAL_FLAG = 0x10
export const CONTROL_FLAG = 0x20

/** The header of the batch at `pos`; the caller has checked that it is a whole v2 batch inside `buf`. */
export function readBatchHeader(buf: Buffer, pos: number): BatchHeader {
  const baseOffset = Number(buf.readBigInt64BE(pos))
  return {
    baseOffset,
    nextOffset: baseOffset + buf.readInt32BE(pos + 23) + 1,
    attributes: buf.readInt16BE(pos + 21),
    baseTimestamp: Number(buf.readBigInt64BE(pos + 27)),
    maxTimestamp: Number(buf.readBigInt64BE(pos + 35)),
    producerId: buf.readBigInt64BE(pos + 43),
    recordCount: buf.readInt32BE(pos + 57),
    start: pos,
    end: pos + 12 + buf.readInt32BE(pos + 8),
  }
}

/**
 * Walks the complete batches in a fetched buffer without decompressing them, so the next fetch
 * can be sent before this one is decoded. A batch cut short at the end (the broker stops at
 * max_bytes) is left out: it is fetched again whole.
 */
export function scanBatches(buf: Buffer): BatchHeader[] {
  const out: BatchHeader[] = []
  let pos = 0
  while (pos + 17 <= buf.length) {
    const length = buf.readInt32BE(pos + 8)
    const end = pos + 12 + length
    if (end > buf.length) break
    const magic = buf.readInt8(pos + 16)
    if (magic !== 2) throw new Error(`record batch with message format v${magic} at offset ${buf.readBigInt64BE(pos)}: kadm reads format v2 (Kafka 0.11+) only`)
    if (length + 12 < BATCH_HEADER_SIZE) throw new Error('malformed record batch in fetch response')
    out.push(readBatchHeader(buf, pos))
    pos = end
  }
  return out
}

/** A cursor over record bytes; varints are zigzag-encoded as in Kafka's record format v2. */
export class RecordReader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}

  varint(): number {
    // Unrolled in 32-bit integers for up to four bytes (every length, count and delta of an
    // ordinary record): the general loop below works in floating point, whose % alone cost more
    // than decoding the rest of a record.
    const buf = this.buf
    let pos = this.pos
    let byte = buf[pos++]
    let raw = byte & 0x7f
    if (byte >= 0x80) {
      byte = buf[pos++]
      raw |= (byte & 0x7f) << 7
      if (byte >= 0x80) {
        byte = buf[pos++]
        raw |= (byte & 0x7f) << 14
        if (byte >= 0x80) {
          byte = buf[pos++]
          raw |= (byte & 0x7f) << 21
          if (byte >= 0x80) {
            this.pos = pos
            return this.longVarint(raw)
          }
        }
      }
    }
    this.pos = pos
    return (raw >>> 1) ^ -(raw & 1)
  }

  /** The rest of a varint longer than four bytes, whose first 28 bits are `low`. */
  private longVarint(low: number): number {
    const buf = this.buf
    let raw = low
    let shift = 28
    let byte: number
    do {
      byte = buf[this.pos++]
      if (byte === undefined || shift > 63) throw new Error('malformed varint in record batch')
      raw += (byte & 0x7f) * 2 ** shift
      shift += 7
    } while (byte & 0x80)
    // zigzag, in floating point so that 64-bit deltas up to 2^53 stay exact
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2
  }

  bytes(): Buffer | null {
    const n = this.varint()
    if (n < 0) return null
    const v = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return v
  }
}

const NO_HEADERS: Array<[string, Buffer | null]> = []

/**
 * Walks the records of one batch whose record section is `data` (already decompressed): each
 * next() moves this one object to the following record at or after `fromOffset`, so reading a
 * topic allocates nothing per record (a million records made a million objects for the GC). What
 * it points to is valid until the next call: copy() what must stay.
 */
export class RecordCursor extends FetchedRecord {
  private readonly reader: RecordReader
  private readonly logAppendTime: boolean
  private left: number

  constructor(private readonly header: BatchHeader, data: Buffer, count: number, private readonly fromOffset: number, topic = '', partition = -1) {
    super(topic, partition, -1, -1, NO_HEADERS, data, 0, -1, 0, -1)
    this.reader = new RecordReader(data)
    this.logAppendTime = (header.attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0
    this.left = count
  }

  /** Moves to the next record; false when the batch has no more. */
  next(): boolean {
    const r = this.reader
    const data = this.data
    while (this.left > 0 && r.pos < data.length) {
      this.left--
      const length = r.varint()
      const next = r.pos + length
      r.pos += 1 // attributes: unused
      const timestampDelta = r.varint()
      const offset = this.header.baseOffset + r.varint()
      const keyLength = r.varint()
      const keyStart = r.pos
      if (keyLength > 0) r.pos += keyLength
      const valueLength = r.varint()
      const valueStart = r.pos
      if (valueLength > 0) r.pos += valueLength
      const headerCount = r.varint()
      let headers = NO_HEADERS
      if (headerCount) {
        headers = []
        for (let h = 0; h < headerCount; h++) {
          const name = r.bytes()
          headers.push([name ? name.toString('utf8') : '', r.bytes()])
        }
      }
      r.pos = next
      if (offset < this.fromOffset) continue
      if (keyStart + Math.max(keyLength, 0) > next || valueStart + Math.max(valueLength, 0) > next) throw new Error('malformed record in record batch')
      this.offset = offset
      this.timestamp = this.logAppendTime ? this.header.maxTimestamp : this.header.baseTimestamp + timestampDelta
      this.headers = headers
      this.keyStart = keyStart
      this.keyLength = keyLength
      this.valueStart = valueStart
      this.valueLength = valueLength
      return true
    }
    return false
  }
}

export {BATCH_HEADER_SIZE}
