import {gunzipSync} from 'node:zlib'

import type {ApiSpec} from './transport.js'

export interface FetchOneRequest {
  /** 0 = read_uncommitted. */
  isolationLevel: 0 | 1
  maxBytes: number
  /** Each partition is read from `offset`; `find` lists the offsets (>= offset) to look up in what comes back. */
  topics: Array<{name: string; partitions: Array<{partition: number; offset: number; maxBytes: number; find: number[]}>}>
}

export interface FirstRecord {
  offset: number
  timestamp: number
  /** true when the batch is compressed with a codec kadm does not unpack (snappy, lz4, zstd): the timestamp is the batch's first record's. */
  approximate: boolean
}

export interface FetchOnePartition {
  topic: string
  partition: number
  errorCode: number
  /** Per offset looked up: the first data record at or after it in what the broker returned (null: not in this response). */
  found: Array<{offset: number; record: FirstRecord | null}>
}

const COMPRESSION_GZIP = 1
const TIMESTAMP_LOG_APPEND = 0x08
const CONTROL_BATCH = 0x20
const BATCH_HEADER = 61

/** A zigzag varint/varlong reader over a record's bytes (values stay well below 2^53). */
class VarReader {
  constructor(private readonly buf: Buffer, public pos: number) {}

  varlong(): number {
    let raw = 0
    let scale = 1
    for (;;) {
      const byte = this.buf[this.pos++]
      raw += (byte & 0x7f) * scale
      if ((byte & 0x80) === 0) break
      scale *= 128
    }
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2
  }
}

/**
 * Finds the first data record at or after `offset` in a partition's record set (magic 2 batches),
 * reading only what is needed: batch headers, and the record headers of the one batch holding it.
 */
export function firstRecordAtOrAfter(records: Buffer, offset: number): FirstRecord | null {
  let pos = 0
  while (pos + BATCH_HEADER <= records.length) {
    const baseOffset = Number(records.readBigInt64BE(pos))
    const batchLength = records.readInt32BE(pos + 8)
    const end = pos + 12 + batchLength
    if (end > records.length) return null // a partial batch at the end of the response
    const magic = records.readInt8(pos + 16)
    if (magic !== 2) return null
    const attributes = records.readInt16BE(pos + 21)
    const lastOffset = baseOffset + records.readInt32BE(pos + 23)
    const baseTimestamp = Number(records.readBigInt64BE(pos + 27))
    const maxTimestamp = Number(records.readBigInt64BE(pos + 35))
    const count = records.readInt32BE(pos + 57)
    if ((attributes & CONTROL_BATCH) === 0 && lastOffset >= offset && count > 0) {
      const logAppendTime = (attributes & TIMESTAMP_LOG_APPEND) !== 0
      const compression = attributes & 0x07
      let body: Buffer | null = null
      if (compression === 0) body = records.subarray(pos + BATCH_HEADER, end)
      else if (compression === COMPRESSION_GZIP) body = gunzipSync(records.subarray(pos + BATCH_HEADER, end))
      if (body === null) {
        return {offset: Math.max(offset, baseOffset), timestamp: logAppendTime ? maxTimestamp : baseTimestamp, approximate: true}
      }
      const r = new VarReader(body, 0)
      for (let i = 0; i < count && r.pos < body.length; i++) {
        const length = r.varlong()
        const next = r.pos + length
        r.pos += 1 // record attributes
        const timestampDelta = r.varlong()
        const recordOffset = baseOffset + r.varlong()
        if (recordOffset >= offset) {
          return {offset: recordOffset, timestamp: logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta, approximate: false}
        }
        r.pos = next
      }
    }
    pos = end
  }
  return null
}

/**
 * A minimal Fetch (v4-11, non-flexible, topics by name) that asks each partition for the records
 * at one offset and keeps only the first record's offset and timestamp: what lag as time needs,
 * without decoding (or decompressing) whole batches. Per-partition errors come back as codes
 * rather than failing the whole request. The response does not repeat the offsets asked, so the
 * spec is built for one request.
 */
export function fetchFirstRecords(request: FetchOneRequest): ApiSpec<FetchOneRequest, FetchOnePartition[]> {
  const asked = new Map<string, number[]>()
  for (const t of request.topics) for (const p of t.partitions) asked.set(`${t.name}\u0000${p.partition}`, p.find)
  return {
    name: 'Fetch',
    apiKey: 1,
    minVersion: 4,
    maxVersion: 11,
    flexibleFrom: 12,
    encode(w, req, version) {
      w.int32(-1) // replica_id: a consumer
      w.int32(0) // max_wait_ms: answer with what is there
      w.int32(0) // min_bytes
      w.int32(req.maxBytes)
      w.int8(req.isolationLevel)
      if (version >= 7) w.int32(0).int32(-1) // session_id, session_epoch: no fetch session
      w.array(req.topics, (w, t) => {
        w.string(t.name)
        w.array(t.partitions, (w, p) => {
          w.int32(p.partition)
          if (version >= 9) w.int32(-1) // current_leader_epoch
          w.int64(p.offset)
          if (version >= 5) w.int64(-1) // log_start_offset (followers only)
          w.int32(p.maxBytes)
        })
      })
      if (version >= 7) w.array([], () => undefined) // forgotten_topics_data
      if (version >= 11) w.string('') // rack_id
    },
    decode(r, version) {
      r.int32() // throttle_time_ms
      if (version >= 7) {
        r.int16() // error_code (fetch sessions only)
        r.int32() // session_id
      }
      const out: FetchOnePartition[] = []
      r.array(() => {
        const topic = r.string() ?? ''
        r.array(() => {
          const partition = r.int32()
          const errorCode = r.int16()
          r.int64() // high_watermark
          r.int64() // last_stable_offset
          if (version >= 5) r.int64() // log_start_offset
          const aborted = r.int32()
          for (let i = 0; i < aborted; i++) r.bytes(16) // producer_id, first_offset
          if (version >= 11) r.int32() // preferred_read_replica
          const records = r.nullableBytes()
          const found = (asked.get(`${topic}\u0000${partition}`) ?? []).map((offset) => ({
            offset,
            record: errorCode === 0 && records ? firstRecordAtOrAfter(records, offset) : null,
          }))
          out.push({topic, partition, errorCode, found})
        })
      })
      return out
    },
  }
}
