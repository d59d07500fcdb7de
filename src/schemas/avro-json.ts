import type {AvroType} from './avro.js'

/**
 * Avro binary straight to the UTF-8 bytes of Avro's JSON encoding, for consume: the same bytes as
 * `Buffer.from(type.toString(type.fromBuffer(bytes)))` with avsc (wrapped unions), without
 * building the value, a copy of it in the JSON encoding, the JSON text and its bytes (avsc's way
 * took about 3 µs of CPU per 10-field record, measured 2026-11). A writer is made once per schema
 * from avsc's parsed type; types it does not know (logical types, unwrapped unions) get none, and
 * anything unusual in the bytes (truncated, trailing data, an unknown enum index or union branch,
 * a long beyond 2^53, a map key a JavaScript object would reorder) makes it give up, so that avsc
 * decodes that record and says what is wrong in its own words.
 */
export type JsonWriter = (bytes: Buffer) => Buffer | undefined

/** Where the Avro bytes are read, and where the JSON is written (grown as needed, reused from record to record). */
interface Cursor {
  buf: Buffer
  pos: number
  out: Buffer
  at: number
}

type Write = (c: Cursor) => void

/** Thrown inside a writer when the bytes are not a plain valid value: avsc's own decoder then takes over. */
const GIVE_UP = new Error('not decoded by the fast path')

function room(c: Cursor, n: number): void {
  if (c.at + n <= c.out.length) return
  const bigger = Buffer.allocUnsafe(Math.max(c.out.length * 2, c.at + n))
  c.out.copy(bigger, 0, 0, c.at)
  c.out = bigger
}

function put(c: Cursor, bytes: Buffer): void {
  room(c, bytes.length)
  for (let i = 0; i < bytes.length; i++) c.out[c.at++] = bytes[i]
}

/** A string of ASCII characters (numbers, as String() writes them). */
function putAscii(c: Cursor, text: string): void {
  room(c, text.length)
  for (let i = 0; i < text.length; i++) c.out[c.at++] = text.charCodeAt(i)
}

function putText(c: Cursor, text: string): void {
  room(c, text.length * 3)
  c.at += c.out.write(text, c.at, 'utf8')
}

/** Avro's zig-zag varint, as avsc reads it (floating-point arithmetic past 28 bits). */
function readLong(c: Cursor): number {
  const {buf} = c
  let n = 0
  let k = 0
  let b: number
  let more: number
  do {
    b = buf[c.pos++]
    if (b === undefined) throw GIVE_UP
    more = b & 0x80
    n |= (b & 0x7f) << k
    k += 7
  } while (more && k < 28)
  if (!more) return (n >> 1) ^ -(n & 1)
  let f = n
  let fk = 268_435_456
  do {
    b = buf[c.pos++]
    if (b === undefined) throw GIVE_UP
    f += (b & 0x7f) * fk
    fk *= 128
  } while (b & 0x80)
  return (f % 2 ? -(f + 1) : f) / 2
}

function putNumber(c: Cursor, value: number): void {
  putAscii(c, Number.isFinite(value) ? String(value) : 'null')
}

/** The start of a field of `length` bytes, checked to lie within the record. */
function span(c: Cursor, length: number): number {
  const start = c.pos
  if (length < 0 || start + length > c.buf.length) throw GIVE_UP
  c.pos = start + length
  return start
}

/**
 * A UTF-8 string as a JSON string. Printable ASCII without a quote or a backslash is its own JSON
 * and is copied as it is; anything else is decoded and escaped as JSON.stringify does.
 */
function putString(c: Cursor, start: number, end: number): void {
  const {buf} = c
  for (let i = start; i < end; i++) {
    const b = buf[i]
    if (b < 0x20 || b > 0x7e || b === 0x22 || b === 0x5c) {
      putText(c, JSON.stringify(buf.toString('utf8', start, end)))
      return
    }
  }
  room(c, end - start + 2)
  const {out} = c
  out[c.at++] = 0x22
  for (let i = start; i < end; i++) out[c.at++] = buf[i]
  out[c.at++] = 0x22
}

/** Reads blocks of items (arrays and maps) between `open` and `close`: a count, negative when a byte size follows; 0 ends. */
function putBlocks(c: Cursor, open: number, close: number, item: Write): void {
  room(c, 1)
  c.out[c.at++] = open
  let first = true
  for (let count = readLong(c); count !== 0; count = readLong(c)) {
    if (count < 0) {
      count = -count
      readLong(c)
    }
    for (let i = 0; i < count; i++) {
      if (!first) {
        room(c, 1)
        c.out[c.at++] = 0x2c
      }
      first = false
      item(c)
    }
  }
  room(c, 1)
  c.out[c.at++] = close
}

/**
 * Map keys a JavaScript object would not keep in wire order, or at all (avsc builds an object):
 * array-index keys (listed first, ascending), `__proto__`, and a key seen twice.
 */
const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/

interface TypeShape {
  typeName: string
  branchName?: string
  fields?: Array<{name: string; type: AvroType}>
  itemsType?: AvroType
  valuesType?: AvroType
  types?: AvroType[]
  symbols?: string[]
  size?: number
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value))
const NULL = json(null)
const TRUE = json(true)
const FALSE = json(false)

function compile(type: AvroType, named: Map<AvroType, Write>): Write | undefined {
  const t = type as unknown as TypeShape
  switch (t.typeName) {
    case 'null': return (c) => put(c, NULL)
    case 'boolean': return (c) => {
      const b = c.buf[c.pos++]
      if (b === undefined) throw GIVE_UP
      put(c, b ? TRUE : FALSE)
    }
    case 'int': return (c) => putAscii(c, String(readLong(c)))
    case 'long': return (c) => {
      const n = readLong(c)
      if (!Number.isSafeInteger(n)) throw GIVE_UP
      putAscii(c, String(n))
    }
    case 'float': return (c) => putNumber(c, c.buf.readFloatLE(span(c, 4)))
    case 'double': return (c) => putNumber(c, c.buf.readDoubleLE(span(c, 8)))
    case 'string': return (c) => {
      const length = readLong(c)
      const start = span(c, length)
      putString(c, start, start + length)
    }
    // Bytes and fixed are strings of code points 0-255 in Avro's JSON encoding.
    case 'bytes': return (c) => {
      const length = readLong(c)
      const start = span(c, length)
      putText(c, JSON.stringify(c.buf.toString('latin1', start, start + length)))
    }
    case 'fixed': {
      const size = t.size!
      return (c) => {
        const start = span(c, size)
        putText(c, JSON.stringify(c.buf.toString('latin1', start, start + size)))
      }
    }
    case 'enum': {
      const symbols = t.symbols!.map(json)
      return (c) => {
        const symbol = symbols[readLong(c)]
        if (symbol === undefined) throw GIVE_UP
        put(c, symbol)
      }
    }
    case 'array': {
      const item = compile(t.itemsType!, named)
      return item && ((c) => putBlocks(c, 0x5b, 0x5d, item))
    }
    case 'map': {
      const value = compile(t.valuesType!, named)
      if (!value) return undefined
      return (c) => {
        const seen = new Set<string>()
        putBlocks(c, 0x7b, 0x7d, (cc) => {
          const length = readLong(cc)
          const start = span(cc, length)
          const key = cc.buf.toString('utf8', start, start + length)
          if (INDEX_KEY.test(key) || key === '__proto__' || seen.has(key)) throw GIVE_UP
          seen.add(key)
          putText(cc, `${JSON.stringify(key)}:`)
          value(cc)
        })
      }
    }
    case 'union:wrapped': {
      const branches: Write[] = []
      for (const branch of t.types!) {
        const write = compile(branch, named)
        if (!write) return undefined
        const shape = branch as unknown as TypeShape
        const key = Buffer.from(`{${JSON.stringify(shape.branchName)}:`)
        branches.push(shape.typeName === 'null' ? write : (c) => {
          put(c, key)
          write(c)
          room(c, 1)
          c.out[c.at++] = 0x7d
        })
      }
      return (c) => {
        const branch = branches[readLong(c)]
        if (!branch) throw GIVE_UP
        branch(c)
      }
    }
    case 'record':
    case 'error': {
      // A record may contain itself: the writer is named before its fields are compiled.
      const known = named.get(type)
      if (known) return known
      let body: Write = () => {}
      const write: Write = (c) => body(c)
      named.set(type, write)
      const prefixes: Buffer[] = []
      const writes: Write[] = []
      for (const [i, field] of t.fields!.entries()) {
        const fieldWrite = compile(field.type, named)
        if (!fieldWrite) return undefined
        prefixes.push(Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(field.name)}:`))
        writes.push(fieldWrite)
      }
      const count = writes.length
      const EMPTY = json({})
      body = count === 0
        ? (c) => put(c, EMPTY)
        : (c) => {
            for (let i = 0; i < count; i++) {
              put(c, prefixes[i])
              writes[i](c)
            }
            room(c, 1)
            c.out[c.at++] = 0x7d
          }
      return write
    }
    default: return undefined
  }
}

const writers = new WeakMap<AvroType, JsonWriter | null>()

/** The fast writer of a type, or undefined when it has a kind the fast path does not know. */
export function avroJsonWriter(type: AvroType): JsonWriter | undefined {
  let writer = writers.get(type)
  if (writer === undefined) {
    const write = compile(type, new Map())
    const c: Cursor = {buf: Buffer.alloc(0), pos: 0, out: Buffer.allocUnsafe(4096), at: 0}
    writer = write
      ? (bytes) => {
          c.buf = bytes
          c.pos = 0
          c.at = 0
          try {
            write(c)
          } catch (error) {
            if (error === GIVE_UP || error instanceof RangeError) return undefined
            throw error
          }
          if (c.pos !== bytes.length) return undefined
          // The output buffer is reused for the next record: the caller gets its own copy.
          const result = Buffer.allocUnsafe(c.at)
          c.out.copy(result, 0, 0, c.at)
          return result
        }
      : null
    writers.set(type, writer)
  }
  return writer ?? undefined
}
