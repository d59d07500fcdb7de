import type {AvroType} from './avro.js'

/**
 * Avro binary straight to the UTF-8 bytes of Avro's JSON encoding, for consume: the same bytes as
 * `Buffer.from(type.toString(type.fromBuffer(bytes)))` with avsc (wrapped unions), without
 * building the value, a copy of it in the JSON encoding, the JSON text and its bytes.
 *
 * For each schema kadm generates one JavaScript function (new Function) that reads the Avro bytes
 * and writes the JSON bytes into a caller's buffer, field after field, with the field names and
 * enum symbols as constant bytes, integers (and decimals of up to 6 places) written digit by
 * digit, strings of printable ASCII copied byte by byte: no object, string or Buffer is made per
 * record on that way, but for a double that String() writes. (avsc's way took about 3 µs of CPU
 * per 10-field record; the generated function, about 0.6 µs for the bench's record, of which
 * String() of its double is a quarter; measured 2026-11 on a busy 2-core machine.)
 *
 * Types it does not know (logical types, unwrapped unions) get no writer, and anything unusual in
 * the bytes (truncated, trailing data, an unknown enum index or union branch, a long beyond 2^53,
 * a map key a JavaScript object would reorder) makes it give up, so that avsc decodes that record
 * and says what is wrong in its own words.
 */

/** Where a writer puts the JSON: `out` from `at` on (grown, so replaced, as needed). */
export interface JsonSink {
  out: Buffer
  at: number
}

/** Makes room for n more bytes in the sink. */
export function sinkRoom(sink: JsonSink, n: number): void {
  if (sink.at + n <= sink.out.length) return
  const bigger = Buffer.allocUnsafe(Math.max(sink.out.length * 2, sink.at + n + 256))
  sink.out.copy(bigger, 0, 0, sink.at)
  sink.out = bigger
}

/** Appends text (as UTF-8) to the sink. */
export function sinkText(sink: JsonSink, text: string): void {
  sinkRoom(sink, text.length * 3)
  sink.at += sink.out.write(text, sink.at, 'utf8')
}

/** Appends bytes[start, end) to the sink. */
export function sinkBytes(sink: JsonSink, bytes: Buffer, start: number, end: number): void {
  sinkRoom(sink, end - start)
  bytes.copy(sink.out, sink.at, start, end)
  sink.at += end - start
}

/**
 * Writes the JSON of the Avro value in bytes[start, end) into the sink and moves sink.at past it;
 * false (the sink as it was) when the bytes are not a plain valid value of the type.
 */
export type JsonWriter = (bytes: Buffer, start: number, end: number, sink: JsonSink) => boolean

/** A writer's state: the Avro bytes being read (pos up to end), the JSON being written. */
interface Cursor {
  buf: Buffer
  pos: number
  end: number
  out: Buffer
  at: number
}

/** Thrown inside a writer when the bytes are not a plain valid value: avsc's own decoder then takes over. */
const GIVE_UP = new Error('not decoded by the fast path')

/** Room for n more bytes at `at`: the output, or a bigger copy of it (also set as c.out). */
function grow(c: Cursor, out: Buffer, at: number, n: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, at + n + 256))
  out.copy(bigger, 0, 0, at)
  c.out = bigger
  return bigger
}

/**
 * Avro's zig-zag varint of more than one byte, from buf[pos] (c.pos is set past it), as avsc reads
 * it (floating-point arithmetic past 28 bits).
 */
function readLong(c: Cursor, buf: Buffer, pos: number): number {
  let n = 0
  let k = 0
  let b: number
  let more: number
  do {
    b = buf[pos++]
    if (b === undefined) throw GIVE_UP
    more = b & 0x80
    n |= (b & 0x7f) << k
    k += 7
  } while (more && k < 28)
  if (!more) {
    c.pos = pos
    return (n >> 1) ^ -(n & 1)
  }
  let f = n
  let fk = 268_435_456
  do {
    b = buf[pos++]
    if (b === undefined) throw GIVE_UP
    f += (b & 0x7f) * fk
    fk *= 128
  } while (b & 0x80)
  c.pos = pos
  return (f % 2 ? -(f + 1) : f) / 2
}

/** "00" to "99": integers are written two digits at a time. */
const PAIRS = Buffer.from(Array.from({length: 100}, (_, i) => String(i).padStart(2, '0')).join(''), 'latin1')

/** The digits of 0 <= n < 2^31 at out[at...]; returns the end. */
function smallDigits(out: Buffer, at: number, n: number): number {
  // An int32 from here on: divisions by constants become multiplications.
  n |= 0
  const len = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : n < 100_000 ? 5 : n < 1_000_000 ? 6 : n < 10_000_000 ? 7 : n < 100_000_000 ? 8 : n < 1_000_000_000 ? 9 : 10
  let p = at + len
  while (n >= 100) {
    const q = (n / 100) | 0
    const r = (n - q * 100) << 1
    out[--p] = PAIRS[r + 1]
    out[--p] = PAIRS[r]
    n = q
  }
  if (n >= 10) {
    out[--p] = PAIRS[(n << 1) + 1]
    out[--p] = PAIRS[n << 1]
  } else {
    out[--p] = 48 + n
  }
  return at + len
}

/**
 * A safe integer (|n| < 2^53) as String(n) writes it, at out[at...] (room for 17 bytes); returns
 * the end. Past 2^31 in two halves of base 10^8, each small enough for integer arithmetic.
 */
function putInteger(out: Buffer, at: number, n: number): number {
  if (n < 0) {
    out[at++] = 0x2d
    n = -n
  }
  if (n < 2_147_483_648) return smallDigits(out, at, n)
  let high = Math.floor(n / 100_000_000)
  let low: number = n - high * 100_000_000
  // n / 1e8 may round up to the next integer: then low comes out negative.
  if (low < 0) {
    high--
    low += 100_000_000
  }
  at = smallDigits(out, at, high)
  // The low 8 digits, zeros included.
  let l = low | 0
  for (let p = at + 6; p >= at; p -= 2) {
    const q = (l / 100) | 0
    const r = (l - q * 100) << 1
    out[p] = PAIRS[r]
    out[p + 1] = PAIRS[r + 1]
    l = q
  }
  return at + 8
}

/**
 * A float or double as JSON.stringify writes it (NaN and infinities as null), at c.at; returns
 * the end. Integers below 2^53 and numbers of at most 6 decimals below 2^52 / 10^6 (prices,
 * readings) are written digit by digit; others by String().
 */
function putNumber(c: Cursor, out: Buffer, at: number, value: number): number {
  // The longest: a sign, "0.00000" and 17 digits, or 17 digits and an exponent.
  if (at + 32 > out.length) out = grow(c, out, at, 32)
  if (Number.isInteger(value) && value < 9_007_199_254_740_992 && value > -9_007_199_254_740_992) return putInteger(out, at, value)
  const abs = Math.abs(value)
  if (abs >= 1e-6 && abs < 4_503_599_627) {
    // The value in millionths: when that division gives the value back, the decimal of those
    // millionths (trailing zeros dropped) is the shortest that reads back as the value, and
    // the only one with as few digits, as below 2^52 two decimals of 6 places are more than a
    // double's spacing apart; String() writes exactly it (ECMAScript's Number::toString).
    const millionths = Math.round(abs * 1_000_000)
    if (millionths / 1_000_000 === abs) {
      if (value < 0) out[at++] = 0x2d
      const whole = Math.floor(millionths / 1_000_000)
      let fraction = millionths - whole * 1_000_000
      at = putInteger(out, at, whole)
      out[at++] = 0x2e
      let places = 6
      while (fraction % 10 === 0) {
        fraction /= 10
        places--
      }
      for (let p = at + places - 1; p >= at; p--) {
        const q = Math.floor(fraction / 10)
        out[p] = 48 + fraction - q * 10
        fraction = q
      }
      return at + places
    }
  }
  if (abs >= 1 && abs < 1e15) {
    const end = putDecimal(out, at, value, abs)
    if (end >= 0) return end
  }
  const text = Number.isFinite(value) ? String(value) : 'null'
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i)
  return at
}

/** 10^0 to 10^22: the powers of ten a double holds exactly. */
const POW10 = Array.from({length: 23}, (_, i) => Number(`1e${i}`))

/**
 * frac (0 <= frac < 1, exact) times 10^m, rounded to the nearest integer; -1 when the product is
 * too large, or too near a half, to tell which way the exact product rounds. The product of two
 * exact doubles is within half an ulp (at most p * 2^-53) of the exact one.
 */
function scaledFraction(frac: number, m: number): number {
  const p = frac * POW10[m]
  if (p >= 4_503_599_627_370_496) return -1
  const whole = Math.floor(p)
  const rest = p - whole
  if (Math.abs(rest - 0.5) <= p * 2.3e-16) return -1
  return rest < 0.5 ? whole : whole + 1
}

/**
 * A double of 1 <= |value| < 10^15 that is no integer, as String() writes it (the fewest
 * significant digits that read back as the value, the nearest such), when that is 16 or 17
 * digits; -1 otherwise (the caller uses String()). With w the digits of the whole part, the
 * nearest decimal of d significant digits is whole + round(frac * 10^(d - w)) / 10^(d - w):
 * frac is exact, and scaledFraction says when it cannot round for sure. That 16 digits read
 * back is exact arithmetic below 2^53: their integer divided by a power of ten is rounded once,
 * as parsing the decimal is. When 16 digits do not read back, 17 do (they always do).
 */
function putDecimal(out: Buffer, at: number, value: number, abs: number): number {
  const whole = Math.floor(abs)
  const frac = abs - whole
  const digits = whole < 10 ? 1 : whole < 100 ? 2 : whole < 1000 ? 3 : whole < 10_000 ? 4 : whole < 100_000 ? 5 : whole < 1_000_000 ? 6 : whole < 10_000_000 ? 7
    : whole < 100_000_000 ? 8 : whole < 1_000_000_000 ? 9 : whole < 1e10 ? 10 : whole < 1e11 ? 11 : whole < 1e12 ? 12 : whole < 1e13 ? 13 : whole < 1e14 ? 14 : 15
  const m16 = 16 - digits
  const c16 = scaledFraction(frac, m16)
  if (c16 < 0 || c16 >= POW10[m16]) return -1
  const n16 = whole * POW10[m16] + c16
  if (n16 > 9_007_199_254_740_991) return -1
  let places: number
  let fraction: number
  if (n16 / POW10[m16] === abs) {
    // 16 digits read back: the answer, unless 15 do too (then String() finds how few).
    const c15 = scaledFraction(frac, m16 - 1)
    if (c15 < 0 || c15 >= POW10[m16 - 1] || (whole * POW10[m16 - 1] + c15) / POW10[m16 - 1] === abs) return -1
    places = m16
    fraction = c16
  } else {
    places = m16 + 1
    fraction = scaledFraction(frac, places)
    if (fraction < 0 || fraction >= POW10[places]) return -1
  }
  // The shortest never ends in 0 (one digit fewer would read back too); if it does, something is off.
  if (fraction % 10 === 0) return -1
  if (value < 0) out[at++] = 0x2d
  at = putInteger(out, at, whole)
  out[at++] = 0x2e
  // The fraction's digits, zeros in front included: below 2^52, so two int32 halves of 8 digits.
  let high = Math.floor(fraction / 100_000_000) | 0
  let low = (fraction - high * 100_000_000) | 0
  for (let p = at + places - 1, k = 0; p >= at; p--, k++) {
    if (k < 8) {
      const q = (low / 10) | 0
      out[p] = 48 + low - q * 10
      low = q
    } else {
      const q = (high / 10) | 0
      out[p] = 48 + high - q * 10
      high = q
    }
  }
  return at + places
}

/** Text (any, as UTF-8) at c.at; returns the end. */
function putText(c: Cursor, out: Buffer, at: number, text: string): number {
  if (at + text.length * 3 > out.length) out = grow(c, out, at, text.length * 3)
  return at + out.write(text, at, 'utf8')
}

/** A UTF-8 string that is not printable ASCII, as JSON.stringify writes it, at c.at; returns the end. */
function putUtf8(c: Cursor, out: Buffer, at: number, start: number, end: number): number {
  return putText(c, out, at, JSON.stringify(c.buf.toString('utf8', start, end)))
}

/** Bytes and fixed: strings of code points 0-255 in Avro's JSON encoding. */
function putLatin1(c: Cursor, out: Buffer, at: number, start: number, end: number): number {
  return putText(c, out, at, JSON.stringify(c.buf.toString('latin1', start, end)))
}

/**
 * Map keys a JavaScript object would not keep in wire order, or at all (avsc builds an object):
 * array-index keys (listed first, ascending), `__proto__`, and a key seen twice.
 */
const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/

/** A map key and its colon at c.at, or GIVE_UP (see INDEX_KEY); returns the end. */
function putKey(c: Cursor, out: Buffer, at: number, start: number, end: number, seen: Set<string>): number {
  const key = c.buf.toString('utf8', start, end)
  if (INDEX_KEY.test(key) || key === '__proto__' || seen.has(key)) throw GIVE_UP
  seen.add(key)
  return putText(c, out, at, `${JSON.stringify(key)}:`)
}

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

/** Generated code stops being inlined past this size: the rest is calls to record functions. */
const INLINE_LIMIT = 20_000

/**
 * Generates the JavaScript of writers. Inside a generated function `buf`, `pos`, `end`, `out` and
 * `at` are locals (the cursor `c` is synced around calls of helpers that use it); records are
 * inlined, except one already being inlined (a recursive type) or past INLINE_LIMIT, which gets
 * a function of its own.
 */
class Generator {
  private readonly functions = new Map<AvroType, string>()
  private readonly todo: AvroType[] = []
  private vars = 0
  private size = 0

  /** Whether a type (and all it contains) has a writer. */
  static supported(type: AvroType, seen = new Set<AvroType>()): boolean {
    const t = type as unknown as TypeShape
    switch (t.typeName) {
      case 'null': case 'boolean': case 'int': case 'long': case 'float': case 'double':
      case 'string': case 'bytes': case 'fixed': case 'enum':
        return true
      case 'array': return Generator.supported(t.itemsType!, seen)
      case 'map': return Generator.supported(t.valuesType!, seen)
      case 'union:wrapped': return t.types!.every((b) => Generator.supported(b, seen))
      case 'record': case 'error':
        if (seen.has(type)) return true
        seen.add(type)
        return t.fields!.every((f) => Generator.supported(f.type, seen))
      default: return false
    }
  }

  private v(prefix: string): string {
    return `${prefix}${this.vars++}`
  }

  /** Code that makes room for n more bytes. */
  private static room(n: string | number): string {
    return `if (at + ${n} > out.length) out = grow(c, out, at, ${n});\n`
  }

  /** Code that writes constant bytes (room made first). */
  private static constant(text: string): string {
    const bytes = Buffer.from(text)
    let code = Generator.room(bytes.length)
    for (const [i, b] of bytes.entries()) code += `out[at${i ? ` + ${i}` : ''}] = ${b};`
    return `${code}at += ${bytes.length};\n`
  }

  /** Code that reads a varint into `name` (declared by the caller). */
  private static long(name: string): string {
    return `${name} = buf[pos]; if (${name} < 128) { pos++; ${name} = (${name} >> 1) ^ -(${name} & 1); } else { ${name} = readLong(c, buf, pos); pos = c.pos; }\n`
  }

  /** Code that calls a helper which uses the cursor and returns the new `at`. */
  private static helper(call: string): string {
    return `c.pos = pos; c.out = out; at = ${call}; out = c.out; pos = c.pos;\n`
  }

  /** Code that writes one value of the type. `inlining`: the records being inlined around it. */
  code(type: AvroType, inlining: Set<AvroType>): string {
    const t = type as unknown as TypeShape
    switch (t.typeName) {
      case 'null': return Generator.constant('null')
      case 'boolean': {
        const b = this.v('b')
        return `const ${b} = buf[pos++]; if (${b} === undefined) throw GIVE_UP;\n${Generator.room(5)}`
          + `if (${b} !== 0) { out[at] = 116; out[at + 1] = 114; out[at + 2] = 117; out[at + 3] = 101; at += 4; } `
          + 'else { out[at] = 102; out[at + 1] = 97; out[at + 2] = 108; out[at + 3] = 115; out[at + 4] = 101; at += 5; }\n'
      }
      case 'int': {
        const n = this.v('n')
        // An int past 32 bits is left to avsc.
        return `let ${n}; ${Generator.long(n)}if (${n} > 2147483647 || ${n} < -2147483648) throw GIVE_UP;\n${Generator.room(11)}at = putInteger(out, at, ${n});\n`
      }
      case 'long': {
        const n = this.v('n')
        // avsc's bound of a long it reads without precision loss (2^53 - 2).
        return `let ${n}; ${Generator.long(n)}if (!(${n} >= -9007199254740990 && ${n} <= 9007199254740990)) throw GIVE_UP;\n${Generator.room(17)}at = putInteger(out, at, ${n});\n`
      }
      case 'float':
      case 'double': {
        const size = t.typeName === 'float' ? 4 : 8
        const x = this.v('x')
        // On a little-endian machine (all Node runs on but s390x) the bytes go into a Float64Array
        // or Float32Array as they are: what Buffer#readDoubleLE does, without its call.
        const read = LITTLE_ENDIAN
          ? `${Array.from({length: size}, (_, i) => `B8[${i}] = buf[pos + ${i}];`).join(' ')} const ${x} = ${size === 4 ? 'F32' : 'F64'}[0];`
          : `const ${x} = buf.${size === 4 ? 'readFloatLE' : 'readDoubleLE'}(pos);`
        return `if (pos + ${size} > end) throw GIVE_UP; ${read} pos += ${size};\n${Generator.helper(`putNumber(c, out, at, ${x})`)}`
      }
      case 'string': {
        const [len, s, e, i, b] = [this.v('len'), this.v('s'), this.v('e'), this.v('i'), this.v('b')]
        // Printable ASCII but " and \ is its own JSON: copied as it is checked; anything else is
        // decoded and escaped as JSON.stringify does (from the string's start again).
        return `let ${len}; ${Generator.long(len)}const ${s} = pos, ${e} = pos + ${len}; if (${len} < 0 || ${e} > end) throw GIVE_UP; pos = ${e};\n`
          + Generator.room(`${len} + 2`)
          + `{ const at0 = at; out[at++] = 34; let ${i} = ${s};\n`
          + `for (; ${i} < ${e}; ${i}++) { const ${b} = buf[${i}]; if (${b} < 32 || ${b} > 126 || ${b} === 34 || ${b} === 92) break; out[at++] = ${b}; }\n`
          + `if (${i} === ${e}) out[at++] = 34; else { at = at0; ${Generator.helper(`putUtf8(c, out, at, ${s}, ${e})`)} } }\n`
      }
      case 'bytes': {
        const [len, s] = [this.v('len'), this.v('s')]
        return `let ${len}; ${Generator.long(len)}const ${s} = pos; if (${len} < 0 || ${s} + ${len} > end) throw GIVE_UP; pos += ${len};\n${Generator.helper(`putLatin1(c, out, at, ${s}, ${s} + ${len})`)}`
      }
      case 'fixed': {
        const s = this.v('s')
        return `const ${s} = pos; if (${s} + ${t.size!} > end) throw GIVE_UP; pos += ${t.size!};\n${Generator.helper(`putLatin1(c, out, at, ${s}, ${s} + ${t.size!})`)}`
      }
      case 'enum': {
        const n = this.v('n')
        const cases = t.symbols!.map((symbol, i) => `case ${i}: ${Generator.constant(JSON.stringify(symbol))}break;\n`).join('')
        return `let ${n}; ${Generator.long(n)}switch (${n}) {\n${cases}default: throw GIVE_UP;\n}\n`
      }
      case 'array':
      case 'map': {
        const [n, k, i] = [this.v('n'), this.v('k'), this.v('i')]
        const map = t.typeName === 'map'
        const seen = this.v('seen')
        let item = this.code(map ? t.valuesType! : t.itemsType!, inlining)
        if (map) {
          const [len, s] = [this.v('len'), this.v('s')]
          item = `let ${len}; ${Generator.long(len)}const ${s} = pos; if (${len} < 0 || ${s} + ${len} > end) throw GIVE_UP; pos += ${len};\n`
            + Generator.helper(`putKey(c, out, at, ${s}, ${s} + ${len}, ${seen})`) + item
        }
        // Blocks of items: a count, negative when a byte size follows; 0 ends.
        return `${map ? `const ${seen} = new Set();\n` : ''}${Generator.constant(map ? '{' : '[')}`
          + `let ${k} = 0;\nfor (;;) { let ${n}; ${Generator.long(n)}if (${n} === 0) break; if (${n} < 0) { ${n} = -${n}; let skip; ${Generator.long('skip')}}\n`
          + `for (let ${i} = 0; ${i} < ${n}; ${i}++) {\nif (${k}++ !== 0) { ${Generator.room(1)}out[at++] = 44; }\n${item}}\n}\n`
          + Generator.constant(map ? '}' : ']')
      }
      case 'union:wrapped': {
        const n = this.v('n')
        const cases = t.types!.map((branch, i) => {
          const shape = branch as unknown as TypeShape
          const value = this.code(branch, inlining)
          const body = shape.typeName === 'null' ? value : `${Generator.constant(`{${JSON.stringify(shape.branchName)}:`)}${value}${Generator.constant('}')}`
          return `case ${i}: {\n${body}break; }\n`
        }).join('')
        return `let ${n}; ${Generator.long(n)}switch (${n}) {\n${cases}default: throw GIVE_UP;\n}\n`
      }
      case 'record':
      case 'error': {
        if (inlining.has(type) || this.size > INLINE_LIMIT) return `c.pos = pos; c.out = out; c.at = at; ${this.functionOf(type)}(c); out = c.out; pos = c.pos; at = c.at;\n`
        if (t.fields!.length === 0) return Generator.constant('{}')
        const inner = new Set(inlining).add(type)
        let code = '{\n'
        for (const [i, field] of t.fields!.entries()) {
          code += Generator.constant(`${i === 0 ? '{' : ','}${JSON.stringify(field.name)}:`) + this.code(field.type, inner)
        }
        code += `${Generator.constant('}')}}\n`
        this.size += code.length
        return code
      }
      default: throw new Error(`no writer for Avro type ${t.typeName}`)
    }
  }

  /** The name of the function that writes a record (generated by program()). */
  private functionOf(type: AvroType): string {
    let name = this.functions.get(type)
    if (!name) {
      name = `record${this.functions.size}`
      this.functions.set(type, name)
      this.todo.push(type)
    }
    return name
  }

  /** The source of a function that makes the writer of `type` from the helpers. */
  program(type: AvroType): string {
    const body = (code: string) => `let {buf, pos, end, out, at} = c;\n${code}c.pos = pos; c.out = out; c.at = at;\n`
    const main = `function write(c) {\n${body(this.code(type, new Set()))}}\n`
    let functions = ''
    for (let next = this.todo.shift(); next; next = this.todo.shift()) {
      const name = this.functions.get(next)!
      const inlining = new Set([next])
      // The record's own fields inline (its body is the inlined record, minus the check above).
      const t = next as unknown as TypeShape
      let code = t.fields!.length === 0 ? Generator.constant('{}') : ''
      for (const [i, field] of t.fields!.entries()) code += Generator.constant(`${i === 0 ? '{' : ','}${JSON.stringify(field.name)}:`) + this.code(field.type, inlining)
      if (t.fields!.length) code += Generator.constant('}')
      functions += `function ${name}(c) {\n${body(code)}}\n`
    }
    return `'use strict';\n${functions}${main}return write;\n`
  }
}

/** Scratch for reading floats and doubles (see 'double' in Generator.code). */
const F64 = new Float64Array(1)
const F32 = new Float32Array(F64.buffer, 0, 1)
const B8 = new Uint8Array(F64.buffer)
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

const HELPERS = {GIVE_UP, F64, F32, B8, grow, readLong, putInteger, putNumber, putUtf8, putLatin1, putKey}

/** The source of the generated writer of a type (for tests and curious readers), or undefined. */
export function avroJsonSource(type: AvroType): string | undefined {
  return Generator.supported(type) ? new Generator().program(type) : undefined
}

const writers = new WeakMap<AvroType, JsonWriter | null>()

/** The fast writer of a type, or undefined when it has a kind the fast path does not know. */
export function avroJsonWriter(type: AvroType): JsonWriter | undefined {
  let writer = writers.get(type)
  if (writer === undefined) {
    const source = avroJsonSource(type)
    // The point: a function specialised to the schema (avsc makes its readers the same way).
    const write = source === undefined ? undefined : (new Function(...Object.keys(HELPERS), source)(...Object.values(HELPERS)) as (c: Cursor) => void)
    const c: Cursor = {buf: Buffer.alloc(0), pos: 0, end: 0, out: Buffer.alloc(0), at: 0}
    writer = write
      ? (bytes, start, end, sink) => {
          c.buf = bytes
          c.pos = start
          c.end = end
          c.out = sink.out
          c.at = sink.at
          try {
            write(c)
          } catch (error) {
            if (error === GIVE_UP || error instanceof RangeError) return false
            throw error
          } finally {
            // The sink keeps a buffer grown on the way, even when the record is given up.
            sink.out = c.out
          }
          if (c.pos !== end) return false
          sink.at = c.at
          return true
        }
      : null
    writers.set(type, writer)
  }
  return writer ?? undefined
}
