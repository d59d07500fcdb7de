import {parseInstant, type TimeOptions} from './time-spec.js'

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
 * `--offset earliest|latest|N|-N|@<time>` (also kcat's `beginning`/`end`). Undefined for what is
 * none of these; a TimeSpecError for a bad time after `@`.
 */
export function parseStartPosition(text: string, options: TimeOptions = {}): StartPosition | undefined {
  const t = text.trim()
  if (t === 'earliest' || t === 'beginning' || t === 'oldest') return {kind: 'earliest'}
  if (t === 'latest' || t === 'end' || t === 'newest') return {kind: 'latest'}
  if (/^\d+$/.test(t)) return {kind: 'offset', offset: Number(t)}
  if (/^-\d+$/.test(t)) return {kind: 'tail', count: Number(t.slice(1))}
  if (t.startsWith('@')) return {kind: 'time', timestamp: parseInstant(t.slice(1), options)}
  return undefined
}

/**
 * `--until N` (stop before offset N; up to 11 digits) or `--until <time>` / `@<time>` (stop at the
 * first record at or after it). A TimeSpecError for what is neither.
 */
export function parseStopPosition(text: string, options: TimeOptions = {}): StopPosition {
  const t = text.trim()
  if (/^\d+$/.test(t) && t.length < 12) return {kind: 'offset', offset: Number(t)}
  return {kind: 'time', timestamp: parseInstant(t.startsWith('@') ? t.slice(1) : t, options)}
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
