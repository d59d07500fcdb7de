/**
 * Kafka wire-format encoding for the requests kadm sends itself. "Compact" forms and tagged
 * fields belong to flexible versions (KIP-482); the plain forms to older versions.
 */
export class Writer {
  private buf: Buffer
  private pos = 0

  constructor(size = 256) {
    // Only the bytes written are ever read (toBuffer), so the memory need not be zeroed.
    this.buf = Buffer.allocUnsafe(size)
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n))
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }

  // Bytes are stored directly, as Reader reads them: requests of thousands of partitions are
  // encoded by a process that has just started, where each Buffer method call costs.

  int8(v: number): this {
    this.ensure(1)
    this.buf[this.pos++] = v & 0xff
    return this
  }

  int16(v: number): this {
    this.ensure(2)
    const b = this.buf
    b[this.pos] = (v >>> 8) & 0xff
    b[this.pos + 1] = v & 0xff
    this.pos += 2
    return this
  }

  int32(v: number): this {
    this.ensure(4)
    this.put32(v)
    return this
  }

  private put32(v: number): void {
    const b = this.buf
    const at = this.pos
    b[at] = (v >>> 24) & 0xff
    b[at + 1] = (v >>> 16) & 0xff
    b[at + 2] = (v >>> 8) & 0xff
    b[at + 3] = v & 0xff
    this.pos = at + 4
  }

  int64(v: bigint | number): this {
    this.ensure(8)
    if (typeof v === 'number' && Number.isSafeInteger(v)) {
      // Two's complement from two 32-bit halves: no BigInt per value.
      const high = Math.floor(v / 2 ** 32)
      this.put32(high)
      this.put32(v - high * 2 ** 32)
      return this
    }
    this.pos = this.buf.writeBigInt64BE(BigInt(v), this.pos)
    return this
  }

  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0)
  }

  /** FLOAT64 (quota values). */
  float64(v: number): this {
    this.ensure(8)
    this.pos = this.buf.writeDoubleBE(v, this.pos)
    return this
  }

  uvarint(v: number): this {
    let value = v >>> 0
    this.ensure(5)
    while (value >= 0x80) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80
      value >>>= 7
    }
    this.buf[this.pos++] = value
    return this
  }

  raw(bytes: Buffer): this {
    this.ensure(bytes.length)
    bytes.copy(this.buf, this.pos)
    this.pos += bytes.length
    return this
  }

  /** UTF-8 bytes of `v`, written in place (no intermediate Buffer). */
  private text(v: string, length: number): this {
    this.ensure(length)
    this.pos += this.buf.write(v, this.pos, length, 'utf8')
    return this
  }

  /** STRING / NULLABLE_STRING */
  string(v: string | null): this {
    if (v === null) return this.int16(-1)
    const length = Buffer.byteLength(v, 'utf8')
    return this.int16(length).text(v, length)
  }

  /** COMPACT_STRING / COMPACT_NULLABLE_STRING */
  compactString(v: string | null): this {
    if (v === null) return this.uvarint(0)
    const length = Buffer.byteLength(v, 'utf8')
    return this.uvarint(length + 1).text(v, length)
  }

  compactBytes(v: Buffer | null): this {
    if (v === null) return this.uvarint(0)
    return this.uvarint(v.length + 1).raw(v)
  }

  array<T>(items: readonly T[] | null, each: (w: this, item: T) => void): this {
    if (items === null) return this.int32(-1)
    this.int32(items.length)
    for (const item of items) each(this, item)
    return this
  }

  compactArray<T>(items: readonly T[] | null, each: (w: this, item: T) => void): this {
    if (items === null) return this.uvarint(0)
    this.uvarint(items.length + 1)
    for (const item of items) each(this, item)
    return this
  }

  /** An empty tagged-field section: kadm sends no tagged fields. */
  tags(): this {
    return this.uvarint(0)
  }

  uuid(v: string): this {
    const bytes = uuidToBytes(v)
    return this.raw(bytes)
  }

  /** This writer as one request version writes: compact types and tagged fields when `flexible`. */
  versioned(flexible: boolean): VersionedWriter {
    return new VersionedWriter(this, flexible)
  }

  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos)
  }
}

/**
 * Reads a response. Large responses (metadata of thousands of partitions, configs of every
 * topic) are decoded once by a process that has just started, so mostly by V8's interpreter:
 * reads index the buffer directly, and strings are decoded from the buffer without first cutting
 * a Buffer view for each.
 */
export class Reader {
  private pos = 0

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos
  }

  private need(n: number): number {
    const at = this.pos
    if (at + n > this.buf.length) throw new RangeError(`response truncated: needed ${n} byte(s) at offset ${at} of ${this.buf.length}`)
    this.pos = at + n
    return at
  }

  int8(): number {
    const at = this.need(1)
    return (this.buf[at] << 24) >> 24
  }

  int16(): number {
    const at = this.need(2)
    return ((this.buf[at] << 24) | (this.buf[at + 1] << 16)) >> 16
  }

  int32(): number {
    const at = this.need(4)
    const b = this.buf
    return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]
  }

  int64(): bigint {
    const v = this.buf.readBigInt64BE(this.need(8))
    return v
  }

  /**
   * An INT64 as a number, for offsets and timestamps: exact up to 2^53 in magnitude, which no
   * offset or millisecond timestamp reaches; beyond that it fails rather than lose precision.
   */
  int64n(): number {
    const at = this.need(8)
    const b = this.buf
    const high = (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]
    const low = ((b[at + 4] << 24) | (b[at + 5] << 16) | (b[at + 6] << 8) | b[at + 7]) >>> 0
    if (high >= 0x200000 || high < -0x200000) throw new RangeError(`a 64-bit value in the response (${b.readBigInt64BE(at)}) exceeds 2^53 and cannot be shown exactly`)
    return high * 2 ** 32 + low
  }

  /** FLOAT64 (quota values). */
  float64(): number {
    return this.buf.readDoubleBE(this.need(8))
  }

  boolean(): boolean {
    return this.buf[this.need(1)] !== 0
  }

  uvarint(): number {
    const b = this.buf
    let result = 0
    let shift = 0
    for (;;) {
      if (this.pos >= b.length) throw new RangeError('response truncated inside a varint')
      const byte = b[this.pos++]
      result += (byte & 0x7f) * 2 ** shift
      if ((byte & 0x80) === 0) return result
      shift += 7
      if (shift > 28) throw new Error('malformed varint in response')
    }
  }

  bytes(n: number): Buffer {
    const at = this.need(n)
    return this.buf.subarray(at, at + n)
  }

  /** Where the next read starts. */
  get position(): number {
    return this.pos
  }

  /**
   * The bytes read from, for decoders of very large responses that walk them in a local loop
   * (then seek() to where they stopped). Everything else uses the methods.
   */
  get bytesView(): Buffer {
    return this.buf
  }

  seek(position: number): void {
    if (position < 0 || position > this.buf.length) throw new RangeError(`response truncated: position ${position} is past its end (${this.buf.length} bytes)`)
    this.pos = position
  }

  /** The `n` bytes at `at`, decoded as UTF-8, without moving. */
  textAt(at: number, n: number): string {
    if (at < 0 || at + n > this.buf.length) throw new RangeError(`response truncated: needed ${n} byte(s) at offset ${at} of ${this.buf.length}`)
    return this.buf.toString('utf8', at, at + n)
  }

  /** Whether the `bytes.length` bytes at `at` are exactly `bytes`. */
  bytesEqualAt(at: number, bytes: Buffer): boolean {
    return at + bytes.length <= this.buf.length && this.buf.compare(bytes, 0, bytes.length, at, at + bytes.length) === 0
  }

  skip(n: number): void {
    this.need(n)
  }

  private utf8(n: number): string {
    const at = this.need(n)
    return this.buf.toString('utf8', at, at + n)
  }

  string(): string | null {
    const n = this.int16()
    return n < 0 ? null : this.utf8(n)
  }

  compactString(): string | null {
    const n = this.uvarint()
    return n === 0 ? null : this.utf8(n - 1)
  }

  compactBytes(): Buffer | null {
    const n = this.uvarint()
    return n === 0 ? null : this.bytes(n - 1)
  }

  nullableBytes(): Buffer | null {
    const n = this.int32()
    return n < 0 ? null : this.bytes(n)
  }

  /** An ARRAY (or, when `compact`, a COMPACT_ARRAY) of INT32, such as replica ids. */
  int32s(compact: boolean): number[] {
    const n = compact ? this.uvarint() - 1 : this.int32()
    const out: number[] = []
    for (let i = 0; i < n; i++) out.push(this.int32())
    return out
  }

  array<T>(each: (r: this) => T): T[] {
    const n = this.int32()
    const out: T[] = []
    for (let i = 0; i < n; i++) out.push(each(this))
    return out
  }

  compactArray<T>(each: (r: this) => T): T[] {
    const n = this.uvarint()
    const out: T[] = []
    for (let i = 1; i < n; i++) out.push(each(this))
    return out
  }

  /** Skips a tagged-field section (kadm reads no tagged fields). */
  tags(): void {
    const count = this.uvarint()
    for (let i = 0; i < count; i++) {
      this.uvarint()
      this.need(this.uvarint())
    }
  }

  /**
   * Tagged fields, each handed to `each` with its tag; `each` may read the field or leave it, the
   * reader moves past it either way.
   */
  taggedFields(each: (tag: number) => void): void {
    const count = this.uvarint()
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint()
      const size = this.uvarint()
      const start = this.position
      each(tag)
      const read = this.position - start
      if (read > size) throw new Error(`tagged field ${tag} read past its ${size} bytes`)
      this.need(size - read)
    }
  }

  uuid(): string {
    const at = this.need(16)
    return this.buf.toString('base64url', at, at + 16)
  }

  /** This reader as one response version reads: compact types and tagged fields when `flexible`. */
  versioned(flexible: boolean): VersionedReader {
    return new VersionedReader(this, flexible)
  }
}

/**
 * For decoders that walk a large response with a local position (Reader.bytesView): the rare
 * multi-byte varint, through the Reader, as [value + add, position after].
 */
export function varintAt(r: Reader, position: number, add = 0): [number, number] {
  r.seek(position)
  const value = r.uvarint() + add
  return [value, r.position]
}

/** Likewise a tagged-field section that is not empty: the position after it. */
export function tagsAt(r: Reader, position: number): number {
  r.seek(position)
  r.tags()
  return r.position
}

/**
 * A Writer for one version of a request that has both encodings: STRING or COMPACT_STRING,
 * ARRAY or COMPACT_ARRAY, and (empty) tagged-field sections only in flexible versions (KIP-482).
 */
export class VersionedWriter {
  constructor(
    readonly w: Writer,
    readonly flexible: boolean,
  ) {}

  str(v: string | null): this {
    if (this.flexible) this.w.compactString(v)
    else this.w.string(v)
    return this
  }

  arr<T>(items: readonly T[] | null, each: (item: T) => void): this {
    if (this.flexible) this.w.compactArray(items, (_, item) => each(item))
    else this.w.array(items, (_, item) => each(item))
    return this
  }

  /** An array of structs: in flexible versions each struct ends with its tagged fields. */
  structs<T>(items: readonly T[] | null, each: (item: T) => void): this {
    return this.arr(items, (item) => {
      each(item)
      this.tags()
    })
  }

  tags(): this {
    if (this.flexible) this.w.tags()
    return this
  }
}

/** The reading side of VersionedWriter. */
export class VersionedReader {
  constructor(
    readonly r: Reader,
    readonly flexible: boolean,
  ) {}

  str(): string | null {
    return this.flexible ? this.r.compactString() : this.r.string()
  }

  /**
   * Steps over a string and returns its length in bytes (-1 for null); it ends at `r.position`,
   * so `r.textAt(r.position - n, n)` decodes it later if it turns out to be needed.
   */
  skipStr(): number {
    const n = this.flexible ? this.r.uvarint() - 1 : this.r.int16()
    if (n > 0) this.r.skip(n)
    return n
  }

  /** Like structs() for structs read for their effect: nothing is collected. */
  eachStruct(each: () => void): void {
    const n = this.flexible ? this.r.uvarint() - 1 : this.r.int32()
    for (let i = 0; i < n; i++) {
      each()
      this.tags()
    }
  }

  arr<T>(each: () => T): T[] {
    return this.flexible ? this.r.compactArray(each) : this.r.array(each)
  }

  int32s(): number[] {
    return this.r.int32s(this.flexible)
  }

  /** An array of structs: in flexible versions each struct ends with tagged fields, skipped. */
  structs<T>(each: () => T): T[] {
    return this.arr(() => {
      const item = each()
      this.tags()
      return item
    })
  }

  tags(): void {
    if (this.flexible) this.r.tags()
  }

  /**
   * The topics → partitions shape of most per-partition responses (an array of topic structs, each
   * a name and an array of partition structs), flattened to one result per partition in order.
   */
  topicPartitions<T>(readPartition: (topic: string) => T): T[] {
    return this.structs(() => {
      const topic = this.str() ?? ''
      return this.structs(() => readPartition(topic))
    }).flat()
  }
}

export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/** Kafka prints a Uuid as 16 bytes in URL-safe base64 without padding. */
export function bytesToUuid(bytes: Buffer): string {
  return Buffer.from(bytes).toString('base64url')
}

export function uuidToBytes(id: string): Buffer {
  const bytes = Buffer.from(id, 'base64url')
  if (bytes.length !== 16) throw new Error(`not a Kafka uuid: ${id}`)
  return bytes
}
