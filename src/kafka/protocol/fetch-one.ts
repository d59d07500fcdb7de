import {gunzipSync} from 'node:zlib'

import {BATCH_HEADER_SIZE, COMPRESSION_MASK, CONTROL_FLAG, Fetch, type FetchRequest, readBatchHeader, RecordReader, TIMESTAMP_TYPE_LOG_APPEND} from './fetch.js'
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
  /** Whether the record has a null key (null: not known, the batch was not unpacked). */
  keyless: boolean | null
}

export interface FetchOnePartition {
  topic: string
  partition: number
  errorCode: number
  /** Per offset looked up: the first data record at or after it in what the broker returned (null: not in this response). */
  found: Array<{offset: number; record: FirstRecord | null}>
}

const COMPRESSION_GZIP = 1

/**
 * Finds the first data record at or after `offset` in a partition's record set (magic 2 batches),
 * reading only what is needed: batch headers, and the record headers (up to the key length) of the one batch holding it.
 */
export function firstRecordAtOrAfter(records: Buffer, offset: number): FirstRecord | null {
  let pos = 0
  while (pos + BATCH_HEADER_SIZE <= records.length) {
    const end = pos + 12 + records.readInt32BE(pos + 8)
    if (end > records.length) return null // a partial batch at the end of the response
    if (records.readInt8(pos + 16) !== 2) return null // magic
    const {attributes, baseOffset, nextOffset, baseTimestamp, maxTimestamp, recordCount: count} = readBatchHeader(records, pos)
    if ((attributes & CONTROL_FLAG) === 0 && nextOffset - 1 >= offset && count > 0) {
      const logAppendTime = (attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0
      const compression = attributes & COMPRESSION_MASK
      let body: Buffer | null = null
      if (compression === 0) body = records.subarray(pos + BATCH_HEADER_SIZE, end)
      else if (compression === COMPRESSION_GZIP) body = gunzipSync(records.subarray(pos + BATCH_HEADER_SIZE, end))
      if (body === null) {
        return {offset: Math.max(offset, baseOffset), timestamp: logAppendTime ? maxTimestamp : baseTimestamp, approximate: true, keyless: null}
      }
      const r = new RecordReader(body)
      for (let i = 0; i < count && r.pos < body.length; i++) {
        const length = r.varint()
        const next = r.pos + length
        r.pos += 1 // record attributes
        const timestampDelta = r.varint()
        const recordOffset = baseOffset + r.varint()
        if (recordOffset >= offset) {
          const keyless = r.varint() < 0 // key length, -1 for a null key
          return {offset: recordOffset, timestamp: logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta, approximate: false, keyless}
        }
        r.pos = next
      }
    }
    pos = end
  }
  return null
}

function asFetch(req: FetchOneRequest): FetchRequest {
  const topics = req.topics.map((t) => ({topic: t.name, partitions: t.partitions}))
  return {maxWaitMs: 0, minBytes: 0, maxBytes: req.maxBytes, isolationLevel: req.isolationLevel, topics}
}

/**
 * Fetch (the same request as fetch.ts's, v4-11, with no wait) that asks each partition for the
 * records at one offset and keeps only the first record's offset, timestamp and whether its key is
 * null: what lag as time and the checks of compacted topics need, without decoding (or decompressing) whole batches. Per-partition errors come back as
 * codes rather than failing the whole request. The response does not repeat the offsets asked,
 * so the spec is built for one request.
 */
export function fetchFirstRecords(request: FetchOneRequest): ApiSpec<FetchOneRequest, FetchOnePartition[]> {
  const asked = new Map<string, number[]>()
  for (const t of request.topics) for (const p of t.partitions) asked.set(`${t.name}\u0000${p.partition}`, p.find)
  return {
    ...Fetch,
    encode(w, req, version) {
      Fetch.encode(w, asFetch(req), version)
    },
    decode(r, version) {
      return Fetch.decode(r, version, asFetch(request)).map(({topic, partition, errorCode, records}) => ({
        topic,
        partition,
        errorCode,
        found: (asked.get(`${topic}\u0000${partition}`) ?? []).map((offset) => ({
          offset,
          record: errorCode === 0 ? firstRecordAtOrAfter(records, offset) : null,
        })),
      }))
    },
  }
}
