import {describe, expect, it} from 'vitest'

import {codecFor, COMPRESSION_TYPES} from '../../src/kafka/compression.js'
import {BATCH_HEADER_SIZE, type BatchHeader, RecordCursor, RecordReader, scanBatches} from '../../src/kafka/protocol/fetch.js'
import {BatchBuilder, type BatchOptions, crc32c, crc32cJs, releaseBatch, restampBatch} from '../../src/kafka/protocol/produce.js'
import {compileTemplate, FetchedRecord, LineSplitter, OutputBuffer, type ProducedRecord, producedRecord, recordBytes} from '../../src/domain/record-format.js'
import {batchBytesFor} from '../../src/kafka/produce.js'
import {zigzagVarint} from '../helpers/varint.js'

const records: ProducedRecord[] = [
  producedRecord(Buffer.from('k0'), Buffer.from('v0'), [['h', Buffer.from('1')]]),
  producedRecord(null, null),
  {...producedRecord(Buffer.from('k2'), Buffer.alloc(300, 7), [['n', null]]), timestamp: 1_600_000_000_000},
]

/** Records as one batch, each stamped with its own time or `now` (as console produce builds them). */
async function encodeRecordBatch(records: ProducedRecord[], options: BatchOptions & {now: number}): Promise<Buffer> {
  const builder = new BatchBuilder()
  for (const r of records) builder.add(r, r.timestamp ?? options.now)
  return builder.finish(options)
}

/** Each record of a batch's (decompressed) record section at or after `fromOffset`, a record of its own. */
function decodeRecords(header: BatchHeader, data: Buffer, count: number, fromOffset: number, topic = '', partition = -1): FetchedRecord[] {
  const cursor = new RecordCursor(header, data, count, fromOffset, topic, partition)
  const out: FetchedRecord[] = []
  while (cursor.next()) out.push(cursor.copy())
  return out
}

async function roundTrip(type: number) {
  const compress = type ? (b: Buffer) => codecFor(type).compress({buffer: b}) : undefined
  const batch = await encodeRecordBatch(records, {compressionType: type, compress, producerId: 7n, producerEpoch: 1, baseSequence: 10, now: 1_700_000_000_000})
  // The broker assigns the base offset; pretend it gave 100.
  batch.writeBigInt64BE(100n, 0)
  const [header] = scanBatches(Buffer.concat([batch, batch.subarray(0, 20)]))
  let data = batch.subarray(BATCH_HEADER_SIZE)
  if (type) data = await codecFor(type).decompress(data)
  const out = decodeRecords(header, data, header.recordCount, 0, 'orders', 4)
  // Plain objects: key and value are read from the batch when asked for.
  return {batch, header, out: out.map((r) => ({topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers})), fetched: out}
}

describe('record batches (magic 2)', () => {
  it('computes CRC-32C as Kafka does', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283)
    // Every length and alignment against the byte-wise definition (eight bytes at a time, then the rest).
    const bitwise = (buf: Buffer, start: number, end: number) => {
      let crc = 0xffffffff
      for (let i = start; i < end; i++) {
        crc ^= buf[i]
        for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1
      }
      return (crc ^ 0xffffffff) >>> 0
    }
    const data = Buffer.from(Array.from({length: 70}, (_, i) => (i * 151 + 7) & 0xff))
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end++) {
        // The native sum (@node-rs/crc32) and the JavaScript one used where it cannot load.
        expect(crc32c(data, start, end)).toBe(bitwise(data, start, end))
        expect(crc32cJs(data, start, end)).toBe(bitwise(data, start, end))
      }
    }
  })

  for (const [name, type] of Object.entries(COMPRESSION_TYPES)) {
    it(`encodes and decodes a batch with ${name}`, async () => {
      const {batch, header, out} = await roundTrip(type)
      expect(header).toMatchObject({baseOffset: 100, nextOffset: 103, recordCount: 3, producerId: 7n, attributes: type})
      expect(batch.readUInt32BE(17)).toBe(crc32c(batch, 21))
      expect(out.map((r) => r.offset)).toEqual([100, 101, 102])
      expect(out[0]).toEqual({topic: 'orders', partition: 4, offset: 100, timestamp: 1_700_000_000_000, key: Buffer.from('k0'), value: Buffer.from('v0'), headers: [['h', Buffer.from('1')]]})
      expect(out[1]).toMatchObject({key: null, value: null, headers: []})
      expect(out[2]).toMatchObject({timestamp: 1_600_000_000_000, value: Buffer.alloc(300, 7), headers: [['n', null]]})
    })
  }

  it('prints and counts records straight from the batch exactly as it does plain records', async () => {
    const {out, fetched} = await roundTrip(0)
    for (const template of ['%v\n', '%k|%v|%K|%S\n', '%t/%p@%o %T %h %k %v\n']) {
      for (const format of ['string', 'hex'] as const) {
        const print = compileTemplate(template, {keyFormat: format, valueFormat: format, nullText: 'NULL'})
        const direct = new OutputBuffer(16)
        const plain = new OutputBuffer(16)
        for (const r of fetched) print(r, direct)
        for (const r of out) print(r, plain)
        expect(direct.take().toString('latin1')).toBe(plain.take().toString('latin1'))
      }
    }
    expect(fetched.map(recordBytes)).toEqual([4, 0, 302])
    expect(out.map(recordBytes)).toEqual([4, 0, 302])
  })

  it('leaves out a batch cut short at the end of a fetch', async () => {
    const {batch} = await roundTrip(0)
    expect(scanBatches(batch.subarray(0, batch.length - 1))).toEqual([])
  })

  it('skips records before the fetch offset inside a batch', async () => {
    const {header, batch} = await roundTrip(0)
    const out = decodeRecords(header, batch.subarray(BATCH_HEADER_SIZE), 3, 102)
    expect(out.map((r) => r.offset)).toEqual([102])
  })
})

describe('RecordReader', () => {
  it('reads varints of every length, around each byte boundary, positive and negative', () => {
    const values = [0, -1, 1, 63, -64, 64, -65, 8191, -8192, 8192, 2 ** 20, 2 ** 27 - 1, -(2 ** 27), 2 ** 27, -(2 ** 27) - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 40, -(2 ** 40), 2 ** 52, -(2 ** 52)]
    const reader = new RecordReader(Buffer.from(values.flatMap(zigzagVarint)))
    expect(values.map(() => reader.varint())).toEqual(values)
    expect(reader.pos).toBe(reader.buf.length)
  })

  it('refuses a varint cut short after its fourth byte', () => {
    expect(() => new RecordReader(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80])).varint()).toThrow(/malformed varint/)
  })
})

describe('restampBatch', () => {
  it('gives a batch another producer id, epoch and base sequence with a valid CRC', async () => {
    const batch = await encodeRecordBatch(records, {compressionType: 0, producerId: 7n, producerEpoch: 1, baseSequence: 10, now: 1_700_000_000_000})
    const before = Buffer.from(batch)
    restampBatch(batch, 99n, 3, 0)
    const [header] = scanBatches(Buffer.concat([batch, batch.subarray(0, 20)]))
    expect(header.producerId).toBe(99n)
    expect(batch.readInt16BE(51)).toBe(3)
    expect(batch.readInt32BE(53)).toBe(0)
    expect(batch.readUInt32BE(17)).toBe(crc32c(batch, 21))
    // Records untouched.
    expect(batch.subarray(61)).toEqual(before.subarray(61))
  })
})

describe('batch buffers handed back', () => {
  /** A batch of `n` records of `size` value bytes each, built with room for its request (as console produce builds it). */
  async function big(n: number, size: number, fill: number) {
    const builder = new BatchBuilder(200, 600 * 1024)
    const line = Buffer.alloc(size + 2, fill)
    // Values as ranges of a larger buffer, as lines of an input chunk are.
    for (let i = 0; i < n; i++) builder.add({...producedRecord(null, line), valueStart: 1, valueEnd: 1 + size}, 1_700_000_000_000 + i)
    return builder.finish({compressionType: 0, producerId: 1n, producerEpoch: 0, baseSequence: 0})
  }

  it('builds the next batch in a released buffer, and its records read back right', async () => {
    const first = await big(1000, 100, 1)
    releaseBatch(first)
    // Released twice (a bug) it is still handed out once.
    releaseBatch(first)
    const second = await big(1000, 100, 2)
    expect(second.buffer).toBe(first.buffer)
    const third = await big(1000, 100, 3)
    expect(third.buffer).not.toBe(first.buffer)
    const [header] = scanBatches(Buffer.concat([second, second.subarray(0, 20)]))
    const out = decodeRecords(header, second.subarray(BATCH_HEADER_SIZE), header.recordCount, 0)
    expect(out.length).toBe(1000)
    expect(out.every((r) => r.key === null && r.value!.equals(Buffer.alloc(100, 2)))).toBe(true)
    expect(second.readUInt32BE(17)).toBe(crc32c(second, 21))
  })

  it('keeps neither small buffers nor buffers much larger than asked', async () => {
    const small = async () => {
      // A batch that starts at 16 KiB (a slow input's).
      const builder = new BatchBuilder(200)
      builder.add(producedRecord(null, Buffer.from('x')), 0)
      return builder.finish({compressionType: 0, producerId: 1n, producerEpoch: 0, baseSequence: 0})
    }
    const a = await small()
    releaseBatch(a)
    expect((await small()).buffer).not.toBe(a.buffer)
    const large = await big(5000, 100, 1)
    releaseBatch(large)
    expect((await small()).buffer).not.toBe(large.buffer)
    expect((await big(10, 10, 1)).buffer).toBe(large.buffer)
  })
})

describe('BatchBuilder.addValues', () => {
  const finish = (b: BatchBuilder) => b.finish({compressionType: 0, producerId: 3n, producerEpoch: 1, baseSequence: 5})

  it('writes the same bytes as add() line by line: every varint width, runs across calls, a batch limit mid-run', async () => {
    // Lengths around the varint boundaries (63/64 zigzag bytes, 8191/8192), and empty lines.
    const lengths = [0, 1, 62, 63, 64, 65, 100, 8191, 8192, 8193, 0, 5]
    for (let i = 0; i < 300; i++) lengths.push((i * 37) % 150)
    const text = Buffer.concat(lengths.map((n, i) => Buffer.concat([Buffer.alloc(n, 97 + (i % 26)), Buffer.from('\n')])))
    const starts = new Int32Array(lengths.length)
    const ends = new Int32Array(lengths.length)
    let at = 0
    lengths.forEach((n, i) => {
      starts[i] = at
      ends[i] = at + n
      at += n + 1
    })
    for (const [maxBytes, maxCount] of [[1 << 30, 1 << 30], [20_000, 1 << 30], [1 << 30, 77], [100, 1 << 30]]) {
      const byOne = new BatchBuilder(100)
      const byRun = new BatchBuilder(100)
      let taken = 0
      let full = false
      // Two runs read at different times; the second starts where the first stopped.
      for (const [from, to, time] of [[0, 150, 1_700_000_000_000], [150, lengths.length, 1_700_000_000_090]]) {
        for (let i = from; i < to && !full && byOne.count < maxCount; i++) {
          const record = {...producedRecord(null, text), valueStart: starts[i], valueEnd: ends[i]}
          // As console produce fills a batch record by record: one that would not fit goes to the next.
          full = !byOne.add(record, time, maxBytes)
          if (full) break
        }
        if (taken >= from) taken += byRun.addValues(text, starts, ends, taken, to, time, maxBytes, maxCount)
      }
      expect(byRun.count).toBe(byOne.count)
      // Within the limit, unless one record alone is over it.
      expect(byRun.size <= maxBytes || byRun.count === 1).toBe(true)
      expect([byRun.size, byRun.bytes, byRun.unkeyed]).toEqual([byOne.size, byOne.bytes, true])
      const [run, one] = [await finish(byRun), await finish(byOne)]
      expect(run.length).toBe(one.length)
      expect(run.equals(one)).toBe(true)
    }
  })

  it('a full batch takes no line and keeps its timestamps', async () => {
    const b = new BatchBuilder(100)
    const text = Buffer.from('a\nb\n')
    const starts = Int32Array.from([0, 2])
    const ends = Int32Array.from([1, 3])
    expect(b.addValues(text, starts, ends, 0, 1, 1_000, 1 << 20, 1)).toBe(1)
    expect(b.addValues(text, starts, ends, 1, 2, 9_000, 1 << 20, 1)).toBe(0)
    const batch = await finish(b)
    const [header] = scanBatches(Buffer.concat([batch, batch.subarray(0, 20)]))
    expect([header.recordCount, header.baseTimestamp, header.maxTimestamp]).toEqual([1, 1_000, 1_000])
  })

  it('hands over runs of lines, and a line begun in an earlier chunk on its own', () => {
    const splitter = new LineSplitter()
    const got: string[] = []
    const each = (b: Buffer, s: number, e: number) => got.push(`1:${b.toString('utf8', s, e)}`)
    const many = (b: Buffer, starts: Int32Array, ends: Int32Array, n: number) => {
      for (let i = 0; i < n; i++) got.push(`n:${b.toString('utf8', starts[i], ends[i])}`)
    }
    for (const chunk of ['ab\ncd\ne', 'f', 'g\n\nh\n', 'i']) splitter.pushRuns(Buffer.from(chunk), each, many)
    splitter.end(each)
    expect(got).toEqual(['n:ab', 'n:cd', '1:efg', 'n:', 'n:h', '1:i'])
    // More lines than a run holds: handed over in several runs, in order.
    const lines = Array.from({length: 10_000}, (_, i) => String(i))
    const seen: string[] = []
    new LineSplitter().pushRuns(Buffer.from(lines.join('\n') + '\n'), each, (b, starts, ends, n) => {
      for (let i = 0; i < n; i++) seen.push(b.toString('utf8', starts[i], ends[i]))
    })
    expect(seen).toEqual(lines)
  })
})

describe('batch size for a topic', () => {
  it('keeps batches under the topic\'s max.message.bytes with room for a codec\'s overhead', () => {
    // Unknown (no DescribeConfigs right): 512 KiB, under the brokers' default 1 MiB.
    expect(batchBytesFor(undefined)).toBe(512 * 1024)
    // The default limit (1 MiB and 12 bytes): about 1 MB.
    expect(batchBytesFor(1_048_588)).toBe(1_037_590)
    expect(batchBytesFor(10_000_000)).toBe(1024 * 1024)
    expect(batchBytesFor(100_000)).toBe(98_488)
    expect(batchBytesFor(50_000)).toBe(48_988)
    expect(batchBytesFor(300)).toBe(128)
  })
})
