import {isUtf8} from 'node:buffer'

/** A record as `console consume` prints it. Offsets and timestamps are JS numbers (exact to 2^53). */
export interface ConsumedRecord {
  topic: string
  partition: number
  offset: number
  timestamp: number
  key: Buffer | null
  value: Buffer | null
  headers: Array<[string, Buffer | null]>
}

/**
 * A record decoded from a fetched batch. Its key and value are ranges of the batch's bytes, made
 * into Buffers only when asked for: a Buffer view costs more than decoding the record itself
 * (about 130 ns each on Node 20), and `console consume` copies most values straight from the
 * batch to its output (OutputBuffer.range) without one.
 */
export class FetchedRecord implements ConsumedRecord {
  constructor(
    public topic: string,
    public partition: number,
    public offset: number,
    public timestamp: number,
    public headers: Array<[string, Buffer | null]>,
    /** The batch's (decompressed) record bytes. */
    public data: Buffer,
    public keyStart: number,
    /** -1: a null key. */
    public keyLength: number,
    public valueStart: number,
    /** -1: a null value. */
    public valueLength: number,
  ) {}

  get key(): Buffer | null {
    return this.keyLength < 0 ? null : this.data.subarray(this.keyStart, this.keyStart + this.keyLength)
  }

  get value(): Buffer | null {
    return this.valueLength < 0 ? null : this.data.subarray(this.valueStart, this.valueStart + this.valueLength)
  }

  /** A record of its own with the same fields (a RecordCursor moves on; this one stays). */
  copy(): FetchedRecord {
    return new FetchedRecord(this.topic, this.partition, this.offset, this.timestamp, this.headers, this.data, this.keyStart, this.keyLength, this.valueStart, this.valueLength)
  }
}

/** Key plus value bytes of a record (what the consume summary counts). */
export function recordBytes(r: ConsumedRecord): number {
  if (r instanceof FetchedRecord) return Math.max(r.keyLength, 0) + Math.max(r.valueLength, 0)
  return (r.key?.length ?? 0) + (r.value?.length ?? 0)
}

/**
 * A record as `console produce` sends it. Key and value are byte ranges of buffers, so that a
 * line's record points into the chunk it was read from instead of being copied out of it (a
 * million lines made a million Buffers and objects). A null key or value is a null buffer.
 */
export interface ProducedRecord {
  key: Uint8Array | null
  keyStart: number
  keyEnd: number
  value: Uint8Array | null
  valueStart: number
  valueEnd: number
  headers: Array<[string, Buffer | null]>
  partition?: number
  /** Epoch ms; without one, the record is stamped with the time it was handed to the producer (read). */
  timestamp?: number
}

/** A record whose key and value are whole buffers. */
export function producedRecord(key: Uint8Array | null, value: Uint8Array | null, headers: Array<[string, Buffer | null]> = []): ProducedRecord {
  return {key, keyStart: 0, keyEnd: key?.length ?? 0, value, valueStart: 0, valueEnd: value?.length ?? 0, headers}
}

export const BINARY_FORMATS = ['string', 'json', 'hex', 'base64'] as const
export type BinaryFormat = (typeof BINARY_FORMATS)[number]

/**
 * Bytes collected for stdout: records are appended as raw bytes (no string round trip for
 * string-formatted values) and handed over in large chunks.
 */
/**
 * Chunks an OutputBuffer keeps for reuse: a fetched batch of 1 MiB is printed in about eight
 * before any is written, and each one not kept is a new 256 KiB buffer (with four, 40% of them
 * were: 400 MB allocated reading 5M records).
 */
const MAX_FREE_CHUNKS = 16

export class OutputBuffer {
  private buf: Buffer
  length = 0
  /** Chunks written out and handed back: reused, so memory does not depend on how lazily GC frees buffers. */
  private readonly free: ArrayBuffer[] = []

  constructor(private readonly size = 256 * 1024) {
    this.buf = Buffer.allocUnsafeSlow(size)
  }

  private fresh(): Buffer {
    const reuse = this.free.pop()
    return reuse ? Buffer.from(reuse) : Buffer.allocUnsafeSlow(this.size)
  }

  /** Hands a chunk from take() back once the stream is done with it. */
  recycle(chunk: Buffer): void {
    if (chunk.byteOffset === 0 && chunk.buffer.byteLength === this.size && this.free.length < MAX_FREE_CHUNKS) this.free.push(chunk.buffer as ArrayBuffer)
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.length + n))
    this.buf.copy(next, 0, 0, this.length)
    this.buf = next
  }

  bytes(b: Buffer): void {
    this.ensure(b.length)
    // TypedArray#set: a third of Buffer#copy's cost for record-sized copies (its argument checks
    // are per call); a one-byte literal (the newline after each value) needs no call at all.
    if (b.length === 1) this.buf[this.length++] = b[0]
    else {
      this.buf.set(b, this.length)
      this.length += b.length
    }
  }

  text(s: string): void {
    this.ensure(s.length * 3)
    this.length += this.buf.write(s, this.length)
  }

  /** The last `data` range() copied from, as a plain Uint8Array (see range). */
  private source?: Buffer
  private sourceView?: Uint8Array

  /** Bytes `start` to `start + length` of `data`. */
  range(data: Buffer, start: number, length: number): void {
    this.ensure(length)
    // A view and TypedArray#set: Buffer#copy with a range makes the same view, then more checks.
    // The view is of a plain Uint8Array: Buffer#subarray builds a Buffer, 20-40% more per record.
    if (data !== this.source) {
      this.source = data
      this.sourceView = new Uint8Array(data.buffer, data.byteOffset, data.length)
    }
    this.buf.set(this.sourceView!.subarray(start, start + length), this.length)
    this.length += length
  }

  /**
   * The buffer and its length as a JsonSink (schemas/avro-json.ts): a decoder writes its JSON
   * straight into the output, growing the buffer (replacing it) as it needs.
   */
  get out(): Buffer {
    return this.buf
  }

  set out(buf: Buffer) {
    this.buf = buf
  }

  get at(): number {
    return this.length
  }

  set at(length: number) {
    this.length = length
  }

  /** The bytes so far; the buffer starts afresh (the chunk may still be in flight to stdout). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length)
    this.buf = this.fresh()
    this.length = 0
    return out
  }
}

/** Renders bytes as text in one of the formats; `json` falls back to the string when they are not JSON. */
export function formatBytes(bytes: Buffer, format: BinaryFormat, pretty = false): string {
  switch (format) {
    case 'hex':
      return bytes.toString('hex')
    case 'base64':
      return bytes.toString('base64')
    case 'json': {
      const text = bytes.toString('utf8')
      try {
        return JSON.stringify(JSON.parse(text), null, pretty ? 2 : undefined)
      } catch {
        return text
      }
    }
    default:
      return bytes.toString('utf8')
  }
}

const HEX = Array.from({length: 256}, (_, i) => i.toString(16).padStart(2, '0'))

/** C1 controls and the characters that reorder text (bidi embeddings, overrides, isolates, marks). */
function isHiddenCodePoint(cp: number): boolean {
  return (cp >= 0x80 && cp <= 0x9F) || cp === 0x61C || cp === 0x200E || cp === 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
}

/** Length of the valid UTF-8 sequence of 2 to 4 bytes at `i`, or 0 (no overlongs, surrogates or code points past U+10FFFF). */
function utf8SequenceLength(b: Buffer, i: number): number {
  const c = b[i]
  const cont = (j: number) => i + j < b.length && (b[i + j] & 0xC0) === 0x80
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0
  if (c >= 0xE0 && c <= 0xEF) {
    const c1 = b[i + 1]
    if ((c === 0xE0 && c1 < 0xA0) || (c === 0xED && c1 > 0x9F)) return 0
    return cont(1) && cont(2) ? 3 : 0
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const c1 = b[i + 1]
    if ((c === 0xF0 && c1 < 0x90) || (c === 0xF4 && c1 > 0x8F)) return 0
    return cont(1) && cont(2) && cont(3) ? 4 : 0
  }
  return 0
}

/**
 * Bytes as text that cannot drive a terminal: control characters (C0 but newline and tab, and
 * DEL) and bytes that are not valid UTF-8 become `\xHH`; C1 controls and bidi overrides, isolates
 * and marks become `\uXXXX`. Everything else is the UTF-8 text itself. Backslashes stay as they are.
 */
export function terminalSafeBytes(b: Buffer): string {
  let out = ''
  let start = 0
  let i = 0
  while (i < b.length) {
    const c = b[i]
    if ((c >= 0x20 && c < 0x7F) || c === 0x0A || c === 0x09) {
      i++
      continue
    }
    const n = c < 0x80 ? 0 : utf8SequenceLength(b, i)
    if (n === 0) {
      out += b.toString('utf8', start, i) + '\\x' + HEX[c]
      start = ++i
      continue
    }
    // Every code point to hide takes 2 or 3 bytes.
    const cp = n === 2 ? ((c & 0x1F) << 6) | (b[i + 1] & 0x3F) : n === 3 ? ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F) : -1
    if (isHiddenCodePoint(cp)) {
      out += b.toString('utf8', start, i) + '\\u' + cp.toString(16).padStart(4, '0')
      start = i + n
    }
    i += n
  }
  return start === 0 ? b.toString('utf8') : out + b.toString('utf8', start)
}

// eslint-disable-next-line no-control-regex -- the very characters it finds
const HIDDEN_TEXT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

/** terminalSafeBytes for text that is already a string (header keys, formatted JSON). */
export function terminalSafeText(s: string): string {
  HIDDEN_TEXT.lastIndex = 0
  if (!HIDDEN_TEXT.test(s)) return s
  return s.replace(HIDDEN_TEXT, (ch) => {
    const cp = ch.charCodeAt(0)
    return cp < 0x80 ? '\\x' + HEX[cp] : '\\u' + cp.toString(16).padStart(4, '0')
  })
}

/** A JSON line for a terminal: the same JSON, with C1 controls, DEL and bidi characters as \u escapes (JSON.stringify escapes C0 itself). */
export function terminalSafeJson(line: string): string {
  HIDDEN_TEXT.lastIndex = 0
  if (!HIDDEN_TEXT.test(line)) return line
  return line.replace(HIDDEN_TEXT, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'))
}

/** formatBytes for a terminal: what terminalSafeBytes shows (JSON documents are checked as UTF-8 first). */
export function formatBytesForTerminal(bytes: Buffer, format: BinaryFormat, pretty = false): string {
  if (format === 'hex' || format === 'base64') return formatBytes(bytes, format)
  if (format === 'json' && isUtf8(bytes)) return terminalSafeText(formatBytes(bytes, format, pretty))
  return terminalSafeBytes(bytes)
}

export interface TemplateOptions {
  keyFormat: BinaryFormat
  valueFormat: BinaryFormat
  /** Indent JSON keys/values (on a TTY). */
  pretty?: boolean
  /** Printed for a null key or value (kcat prints nothing). */
  nullText?: string
  /** Writing to a terminal: keys, values and headers as terminalSafeBytes shows them, never raw. */
  terminal?: boolean
}

type Part = (r: ConsumedRecord, out: OutputBuffer) => void

function bytesPart(field: 'key' | 'value', format: BinaryFormat, options: TemplateOptions): Part {
  const nullText = options.nullText ?? ''
  if (options.terminal) {
    return (r, out) => {
      const b = r[field]
      out.text(b === null ? nullText : formatBytesForTerminal(b, format, options.pretty))
    }
  }
  if (format === 'string') {
    // Straight from the fetched batch when the record is one (see FetchedRecord).
    const start = field === 'key' ? (r: FetchedRecord) => r.keyStart : (r: FetchedRecord) => r.valueStart
    const size = field === 'key' ? (r: FetchedRecord) => r.keyLength : (r: FetchedRecord) => r.valueLength
    return (r, out) => {
      if (r instanceof FetchedRecord) {
        const length = size(r)
        if (length < 0) out.text(nullText)
        else out.range(r.data, start(r), length)
        return
      }
      const b = r[field]
      if (b === null) out.text(nullText)
      else out.bytes(b)
    }
  }
  return (r, out) => {
    const b = r[field]
    out.text(b === null ? nullText : formatBytes(b, format, options.pretty))
  }
}

/** `k=v,k2=v2`, as kcat prints headers; for a terminal, as terminalSafeBytes shows them. */
export function formatHeaders(headers: Array<[string, Buffer | null]>, terminal = false): string {
  if (terminal) return headers.map(([k, v]) => `${terminalSafeText(k)}=${v === null ? '' : terminalSafeBytes(v)}`).join(',')
  return headers.map(([k, v]) => `${k}=${v === null ? '' : v.toString('utf8')}`).join(',')
}

/**
 * Compiles a kcat-style template once: %t topic, %p partition, %o offset, %k key, %v value,
 * %T timestamp (ms), %h headers, %K key size, %S value size, %% a percent sign; \n \t \r \\ escapes.
 */
export function compileTemplate(template: string, options: TemplateOptions): (r: ConsumedRecord, out: OutputBuffer) => void {
  const parts: Part[] = []
  let literal = ''
  const flush = () => {
    if (!literal) return
    const bytes = Buffer.from(literal, 'utf8')
    parts.push((_r, out) => out.bytes(bytes))
    literal = ''
  }
  for (let i = 0; i < template.length; i++) {
    const c = template[i]
    const next = template[i + 1]
    if (c === '\\' && next !== undefined) {
      literal += ({n: '\n', t: '\t', r: '\r', '\\': '\\'} as Record<string, string>)[next] ?? `\\${next}`
      i++
      continue
    }
    if (c !== '%' || next === undefined) {
      literal += c
      continue
    }
    i++
    let part: Part | undefined
    switch (next) {
      case 't':
        part = (r, out) => out.text(r.topic)
        break
      case 'p':
        part = (r, out) => out.text(String(r.partition))
        break
      case 'o':
        part = (r, out) => out.text(String(r.offset))
        break
      case 'T':
        part = (r, out) => out.text(String(r.timestamp))
        break
      case 'k':
        part = bytesPart('key', options.keyFormat, options)
        break
      case 'v':
        part = bytesPart('value', options.valueFormat, options)
        break
      case 'h':
        part = (r, out) => out.text(formatHeaders(r.headers, options.terminal))
        break
      case 'K':
        part = (r, out) => out.text(String(r instanceof FetchedRecord ? r.keyLength : r.key === null ? -1 : r.key.length))
        break
      case 'S':
        part = (r, out) => out.text(String(r instanceof FetchedRecord ? r.valueLength : r.value === null ? -1 : r.value.length))
        break
      case '%':
        literal += '%'
        break
      default:
        throw new Error(`unknown field %${next} in --format (use %t %p %o %k %v %T %h %K %S %%)`)
    }
    if (part) {
      flush()
      parts.push(part)
    }
  }
  flush()
  if (parts.length === 1) return parts[0]
  return (r, out) => {
    for (const part of parts) part(r, out)
  }
}

type Encoding = 'base64' | 'hex' | 'json'

/** A key or value in a JSON line: a string when it is UTF-8 text, else encoded and marked. */
function jsonField(bytes: Buffer | null, format: BinaryFormat): {value: unknown; encoding?: Encoding} {
  if (bytes === null) return {value: null}
  switch (format) {
    case 'hex':
      return {value: bytes.toString('hex'), encoding: 'hex'}
    case 'base64':
      return {value: bytes.toString('base64'), encoding: 'base64'}
    case 'json':
      try {
        return {value: JSON.parse(bytes.toString('utf8')), encoding: 'json'}
      } catch {
        // not JSON: fall through to the string form
      }
  }
  return isUtf8(bytes) ? {value: bytes.toString('utf8')} : {value: bytes.toString('base64'), encoding: 'base64'}
}

/**
 * One record as one JSON line. The schema, shared with `console produce --input json`:
 * {"topic","partition","offset","timestamp","key","value","headers":[{"key","value"}]}.
 * Keys, values and header values are strings when they are valid UTF-8 (and null for null);
 * anything else is base64 with "keyEncoding"/"valueEncoding"/"encoding": "base64" beside it, so
 * binary data survives a round trip exactly. --key-format/--value-format hex|base64|json choose
 * another encoding (json embeds the parsed document, marked "json").
 */
export function toJsonLine(r: ConsumedRecord, keyFormat: BinaryFormat = 'string', valueFormat: BinaryFormat = 'string'): string {
  const key = jsonField(r.key, keyFormat)
  const value = jsonField(r.value, valueFormat)
  const line: Record<string, unknown> = {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: key.value,
    value: value.value,
    headers: r.headers.map(([k, v]) => {
      const field = jsonField(v, 'string')
      return field.encoding ? {key: k, value: field.value, encoding: field.encoding} : {key: k, value: field.value}
    }),
  }
  if (key.encoding) line.keyEncoding = key.encoding
  if (value.encoding) line.valueEncoding = value.encoding
  return JSON.stringify(line)
}

function decodeField(value: unknown, encoding: unknown, what: string): Buffer | null {
  if (value === null || value === undefined) return null
  switch (encoding) {
    case undefined:
    case null:
    case 'string':
    case 'utf8':
      if (typeof value === 'string') return Buffer.from(value, 'utf8')
      return Buffer.from(JSON.stringify(value), 'utf8')
    case 'json':
      return Buffer.from(JSON.stringify(value), 'utf8')
    case 'base64':
    case 'hex':
      if (typeof value !== 'string') throw new Error(`${what} must be a string when its encoding is ${encoding}`)
      return Buffer.from(value, encoding)
    default:
      throw new Error(`unknown ${what} encoding "${String(encoding)}" (use base64, hex or json)`)
  }
}

/** Parses a JSON line that `console consume -o json` wrote (topic and offset are ignored). */
export function parseJsonRecord(line: string): ProducedRecord {
  let data: unknown
  try {
    data = JSON.parse(line)
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('expected a JSON object with "value"')
  const o = data as Record<string, unknown>
  const record = producedRecord(decodeField(o.key, o.keyEncoding, 'key'), decodeField(o.value, o.valueEncoding, 'value'))
  if (o.headers !== undefined && o.headers !== null) {
    if (Array.isArray(o.headers)) {
      for (const h of o.headers as Array<Record<string, unknown>>) {
        if (typeof h?.key !== 'string') throw new Error('each header needs a string "key"')
        record.headers.push([h.key, decodeField(h.value, h.encoding, `header ${h.key}`)])
      }
    } else if (typeof o.headers === 'object') {
      for (const [k, v] of Object.entries(o.headers as Record<string, unknown>)) record.headers.push([k, decodeField(v, undefined, `header ${k}`)])
    } else throw new Error('"headers" must be an array of {key, value} or an object')
  }
  if (o.partition !== undefined && o.partition !== null) {
    if (!Number.isInteger(o.partition) || (o.partition as number) < 0) throw new Error('"partition" must be a non-negative integer')
    record.partition = o.partition as number
  }
  if (o.timestamp !== undefined && o.timestamp !== null) {
    if (!Number.isInteger(o.timestamp)) throw new Error('"timestamp" must be epoch milliseconds')
    record.timestamp = o.timestamp as number
  }
  return record
}

export interface LineOptions {
  /** Split each line at the first occurrence into key and value. */
  keySeparator?: Buffer
  /** A fixed key for every record. */
  key?: Buffer
  /** A key or value equal to this is sent as null (a tombstone for values). */
  nullMarker?: Buffer
  headers?: Array<[string, Buffer | null]>
}

/**
 * Where `needle` first occurs in bytes `start` to `end` of `buf`, or -1. Not Buffer#indexOf, which
 * would search on past `end` through the rest of the chunk: for every line without a separator.
 */
function indexWithin(buf: Uint8Array, needle: Uint8Array, start: number, end: number): number {
  const first = needle[0]
  const last = end - needle.length
  outer: for (let i = start; i <= last; i++) {
    if (buf[i] !== first) continue
    for (let j = 1; j < needle.length; j++) if (buf[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}

/**
 * One input line (bytes `start` to `end` of `line`, without its newline) → one record whose key
 * and value point into `line`; bytes pass through untouched. Fills `into` (reused from line to
 * line by `console produce`) when given.
 */
export function parseLineRecord(line: Buffer, start: number, end: number, options: LineOptions, into: ProducedRecord = producedRecord(null, null)): ProducedRecord {
  into.headers = options.headers ?? []
  into.value = line
  into.valueStart = start
  into.valueEnd = end
  const {key, keySeparator, nullMarker} = options
  if (keySeparator === undefined) {
    into.key = key ?? null
    into.keyStart = 0
    into.keyEnd = key?.length ?? 0
  } else {
    const at = indexWithin(line, keySeparator, start, end)
    if (at < 0) throw new Error(`no key separator ${JSON.stringify(keySeparator.toString())} in the line`)
    into.key = line
    into.keyStart = start
    into.keyEnd = at
    into.valueStart = at + keySeparator.length
  }
  if (nullMarker !== undefined) {
    if (into.key !== null && nullMarker.compare(into.key, into.keyStart, into.keyEnd) === 0) into.key = null
    if (nullMarker.compare(line, into.valueStart, into.valueEnd) === 0) into.value = null
  }
  return into
}

/** Lines handed over at most at once by LineSplitter.pushRuns. */
const RUN_LINES = 4096

/**
 * Splits a byte stream into lines (LF; a CR before it is kept, as kcat does). Call push() per
 * chunk and end() at EOF; a last line without a newline still counts. Each line is handed over
 * as a range of a buffer (valid during the call only), not copied.
 */
export class LineSplitter {
  private rest: Buffer | undefined
  private readonly starts = new Int32Array(RUN_LINES)
  private readonly ends = new Int32Array(RUN_LINES)

  push(chunk: Buffer, each: (buf: Buffer, start: number, end: number) => void): void {
    this.pushRuns(chunk, each, (buf, starts, ends, count) => {
      for (let i = 0; i < count; i++) each(buf, starts[i], ends[i])
    })
  }

  /**
   * As push(), but the lines wholly inside the chunk are handed over in runs: `many` gets the
   * chunk, the starts and ends of `count` lines in it (arrays reused from run to run), so that
   * nothing is made per line. A line begun in an earlier chunk still goes to `each`.
   */
  pushRuns(chunk: Buffer, each: (buf: Buffer, start: number, end: number) => void, many: (chunk: Buffer, starts: Int32Array, ends: Int32Array, count: number) => void): void {
    let start = 0
    if (this.rest) {
      // Only the line that spans the chunks is joined, not the whole chunk (a copy of all input).
      const nl = chunk.indexOf(10)
      if (nl < 0) {
        this.rest = Buffer.concat([this.rest, chunk])
        return
      }
      const first = Buffer.concat([this.rest, chunk.subarray(0, nl)])
      this.rest = undefined
      each(first, 0, first.length)
      start = nl + 1
    }
    const {starts, ends} = this
    let count = 0
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      starts[count] = start
      ends[count++] = nl
      start = nl + 1
      if (count === RUN_LINES) {
        many(chunk, starts, ends, count)
        count = 0
      }
    }
    if (count) many(chunk, starts, ends, count)
    if (start < chunk.length) this.rest = Buffer.from(chunk.subarray(start))
  }

  end(each: (buf: Buffer, start: number, end: number) => void): void {
    if (this.rest?.length) each(this.rest, 0, this.rest.length)
    this.rest = undefined
  }

  /** Bytes of a line begun but not ended yet. */
  get pendingBytes(): number {
    return this.rest?.length ?? 0
  }
}

/** `k=v` or `k:v` → [k, v] (for -H and --header). */
export function parseHeaderPair(text: string): [string, string] | undefined {
  // k=v as kcat writes it, or k:v as kafka-console-producer's headers: whichever comes first.
  const at = text.search(/[=:]/)
  if (at <= 0) return undefined
  return [text.slice(0, at), text.slice(at + 1)]
}

export interface RecordFilter {
  grep?: RegExp
  headers?: Array<[string, string]>
}

/** Compiles --grep (key or value matches) and --header k=v (all must be present) into a predicate. */
export function makeRecordFilter(filter: RecordFilter): ((r: ConsumedRecord) => boolean) | undefined {
  const {grep, headers} = filter
  if (!grep && !headers?.length) return undefined
  return (r) => {
    if (headers?.length) {
      for (const [k, v] of headers) {
        if (!r.headers.some(([hk, hv]) => hk === k && (hv?.toString('utf8') ?? '') === v)) return false
      }
    }
    if (grep) {
      grep.lastIndex = 0
      const inKey = r.key !== null && grep.test(r.key.toString('utf8'))
      grep.lastIndex = 0
      if (!inKey && !(r.value !== null && grep.test(r.value.toString('utf8')))) return false
    }
    return true
  }
}
