import {parseDuration} from './duration.js'

/** Where `console consume` starts reading each partition. */
export type StartPosition =
  | {kind: 'earliest'}
  | {kind: 'latest'}
  | {kind: 'offset'; offset: number}
  /** The last `count` records of each partition (kcat's `-o -N`). */
  | {kind: 'tail'; count: number}
  | {kind: 'time'; timestamp: number}

/** Where it stops (before `--max-messages` and `--exit-at-end`). */
export type StopPosition = {kind: 'offset'; offset: number} | {kind: 'time'; timestamp: number}

/**
 * A point in time: ISO-8601 (`2024-06-01T10:00:00Z`, `2024-06-01`), epoch milliseconds, `now`, or a
 * duration relative to now (`-1h`, `-30m`, `+5m`). Returns epoch ms or undefined.
 */
export function parseTimePoint(text: string, now = Date.now()): number | undefined {
  const t = text.trim()
  if (t === 'now') return now
  if (/^\d+$/.test(t)) return Number(t)
  const relative = /^([+-])(.+)$/.exec(t)
  if (relative) {
    const ms = parseDuration(relative[2])
    if (ms === undefined) return undefined
    return relative[1] === '-' ? now - ms : now + ms
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined
  const ms = Date.parse(t)
  return Number.isNaN(ms) ? undefined : ms
}

/** `--offset earliest|latest|N|-N|@<time>` (also kcat's `beginning`/`end`). */
export function parseStartPosition(text: string, now = Date.now()): StartPosition | undefined {
  const t = text.trim()
  if (t === 'earliest' || t === 'beginning' || t === 'oldest') return {kind: 'earliest'}
  if (t === 'latest' || t === 'end' || t === 'newest') return {kind: 'latest'}
  if (/^\d+$/.test(t)) return {kind: 'offset', offset: Number(t)}
  if (/^-\d+$/.test(t)) return {kind: 'tail', count: Number(t.slice(1))}
  if (t.startsWith('@')) {
    const timestamp = parseTimePoint(t.slice(1), now)
    return timestamp === undefined ? undefined : {kind: 'time', timestamp}
  }
  return undefined
}

/** `--until N` (stop before offset N) or `--until <time>` / `@<time>` (stop at the first record at or after it). */
export function parseStopPosition(text: string, now = Date.now()): StopPosition | undefined {
  const t = text.trim()
  if (/^\d+$/.test(t) && t.length < 12) return {kind: 'offset', offset: Number(t)}
  const timestamp = parseTimePoint(t.startsWith('@') ? t.slice(1) : t, now)
  return timestamp === undefined ? undefined : {kind: 'time', timestamp}
}

/**
 * The first offset to read of a partition for a `tail` start: `count` records back from the end,
 * never before the log start.
 */
export function tailOffset(earliest: number, latest: number, count: number): number {
  return Math.max(earliest, latest - count)
}

/** Parses `--partition 0,2,5` (also `0-3`). */
export function parsePartitionList(text: string): number[] | undefined {
  const out = new Set<number>()
  for (const part of text.split(',')) {
    const p = part.trim()
    const range = /^(\d+)-(\d+)$/.exec(p)
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])]
      if (from > to) return undefined
      for (let i = from; i <= to; i++) out.add(i)
    } else if (/^\d+$/.test(p)) out.add(Number(p))
    else return undefined
  }
  return [...out].sort((a, b) => a - b)
}
