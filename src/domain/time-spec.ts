import {parseDuration} from './duration.js'

/** A point in a partition's log: its start, its end, or the first record at or after a time (epoch ms). */
export type TimeSpec = 'earliest' | 'latest' | {timestamp: number}

export class TimeSpecError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TimeSpecError'
  }
}

const ISO_DURATION = /^([+-])?P(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i

/**
 * A duration in ms: ISO-8601 as java.time.Duration.parse reads it (PnDTnHnMn.nS, e.g. PT2H,
 * P1DT12H, -PT30M) or kadm's short forms (1h30m, 2d, 500ms). Undefined for anything else.
 */
export function parseDurationSpec(text: string): number | undefined {
  const trimmed = text.trim()
  const iso = ISO_DURATION.exec(trimmed)
  if (iso && /[DHMS]/i.test(trimmed)) {
    const n = (s: string | undefined) => (s ? Number(s.replace(',', '.')) : 0)
    const ms = n(iso[2]) * 86_400_000 + n(iso[3]) * 3_600_000 + n(iso[4]) * 60_000 + n(iso[5]) * 1000
    return Math.round(iso[1] === '-' ? -ms : ms)
  }
  if (/^\d+$/.test(trimmed)) return undefined // a bare number is ambiguous for durations: say a unit
  return parseDuration(trimmed)
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/** Offset of `zone` (an IANA name like Europe/Paris, or ±hh:mm, or UTC/Z) from UTC at `instant`, in ms. */
export function zoneOffsetMs(zone: string, instant: number): number {
  const fixed = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})?$/i.exec(zone.trim())
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 3_600_000 + Number(fixed[3] ?? 0) * 60_000)
  if (/^(Z|UTC|GMT)$/i.test(zone.trim())) return 0
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone.trim(), hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    })
  } catch {
    throw new TimeSpecError(`unknown time zone "${zone}" (use an IANA name like Europe/Paris, or an offset like +02:00)`)
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]))
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  return asUtc - (instant - (instant % 1000 + 1000) % 1000)
}

/**
 * An ISO-8601 date-time → epoch ms. With Z or an offset it is exact; without one ("naive") it is
 * read in `zone` (default UTC, whatever TZ says, as Kafka's --to-datetime reads it). Accepts Kafka's
 * YYYY-MM-DDTHH:mm:SS.sss form, shorter forms (no seconds, no time) and a space instead of T.
 */
export function parseDateTime(text: string, zone = 'UTC'): number {
  const m = DATE_TIME.exec(text.trim())
  if (!m) throw new TimeSpecError(`"${text}" is not an ISO-8601 date-time (e.g. 2026-01-01T00:00:00, 2026-01-01T00:00:00.000+02:00)`)
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset] = m
  const ms = Number((frac + '000').slice(0, 3))
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const
  const local = Date.UTC(...fields, ms)
  const check = new Date(local)
  if (check.getUTCFullYear() !== fields[0] || check.getUTCMonth() !== fields[1] || check.getUTCDate() !== fields[2] || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) {
    throw new TimeSpecError(`"${text}" is not a valid date-time`)
  }
  if (offset) return local - zoneOffsetMs(offset.toUpperCase() === 'Z' ? 'UTC' : offset, local)
  // Naive: find the UTC instant whose wall-clock time in `zone` is `local` (re-checked across DST changes).
  let guess = local - zoneOffsetMs(zone, local)
  guess = local - zoneOffsetMs(zone, guess)
  return guess
}

export interface TimeOptions {
  /** Injectable for tests. */
  now?: number
  /** The zone of a date-time written without one (--timezone): an IANA name or ±hh:mm. Default UTC. */
  zone?: string
}

/** What every flag that takes a time says when it cannot read one. */
export const TIME_FORMS = 'an ISO-8601 date-time (2026-01-01T10:00:00, zone optional), epoch milliseconds, now, or a relative time (-1h, +5m, -PT1H, or 1h30m for that long ago)'

/**
 * kadm's one time language, for every flag that takes a point in time → epoch ms:
 * - `now`; epoch milliseconds (digits only);
 * - an ISO-8601 date or date-time, with a zone (Z, ±hh:mm) or without one: then it is read in
 *   `zone`, by default UTC whatever TZ says, as Kafka's tools read --to-datetime;
 * - a time relative to now: `-1h`, `-PT1H`, `1h ago` (before), `+5m`, `+PT5M` (after), or a
 *   duration alone, `1h30m` or `PT1H`, meaning that long ago (as Kafka's --by-duration).
 * Throws TimeSpecError, whose message is one line.
 */
export function parseInstant(text: string, options: TimeOptions = {}): number {
  const trimmed = text.trim()
  const now = options.now ?? Date.now()
  if (options.zone !== undefined) zoneOffsetMs(options.zone, now) // an unknown zone is an error even when the time has its own
  let timestamp: number
  if (trimmed.toLowerCase() === 'now') return now
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    timestamp = parseDateTime(trimmed, options.zone)
  } else {
    const signed = /^([+-])\s*(.+)$/.exec(trimmed)
    const ago = /^(.+?)\s+ago$/i.exec(trimmed)
    const body = signed?.[2] ?? ago?.[1] ?? trimmed
    const ms = parseDurationSpec(body)
    if (ms === undefined || ms < 0) {
      throw new TimeSpecError(signed || ago
        ? `"${text}" is not a relative time (e.g. -1h, +5m, -1d12h, -PT2H)`
        : `"${text}" is not a time: use ${TIME_FORMS}`)
    }
    timestamp = signed?.[1] === '+' ? now + ms : now - ms
  }
  if (timestamp < 0) throw new TimeSpecError(`"${text}" is before 1970-01-01`)
  return timestamp
}

/** earliest | latest (also beginning/start, end, and -2/-1 as kafka-get-offsets --time) | a time in kadm's time language → a TimeSpec. */
export function parseTimeSpec(text: string, options: TimeOptions = {}): TimeSpec {
  const lower = text.trim().toLowerCase()
  if (lower === 'earliest' || lower === 'beginning' || lower === 'start') return 'earliest'
  if (lower === 'latest' || lower === 'end' || lower === '-1') return 'latest' // -1 and -2: kafka-get-offsets --time
  if (lower === '-2') return 'earliest'
  try {
    return {timestamp: parseInstant(text, options)}
  } catch (error) {
    if (error instanceof TimeSpecError && /is not a time:/.test(error.message)) {
      throw new TimeSpecError(`"${text}" is not a time: use earliest, latest, ${TIME_FORMS}`)
    }
    throw error
  }
}

/** Epoch ms → ISO-8601 in UTC (what plans print, so a script sees the instant kadm resolved). */
export function formatInstant(timestamp: number): string {
  return new Date(timestamp).toISOString()
}
