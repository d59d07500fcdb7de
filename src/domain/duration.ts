const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/**
 * "500ms", "5s", "1m30s", "2h", "1d" → milliseconds. Undefined for anything else, a bare number
 * included: Kafka's tools mean milliseconds by one, kadm once meant seconds, so a unit is required.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim()
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy
  let total = 0
  let consumed = 0
  for (let match = re.exec(trimmed); match; match = re.exec(trimmed)) {
    total += Number(match[1]) * UNITS[match[2]]
    consumed = re.lastIndex
  }
  return consumed === trimmed.length && consumed > 0 ? Math.round(total) : undefined
}

/** Why `text`, given to `flag`, is not a duration: one line for a usage error. */
export function durationProblem(flag: string, text: string): string {
  const trimmed = text.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    // Kafka's tools would read it as milliseconds: offer that, and the same in seconds.
    const n = Number(trimmed)
    const seconds = n >= 1000 && n % 1000 === 0 ? `${n / 1000}s` : `${trimmed}s`
    return `${flag} ${trimmed}: add a unit, e.g. ${trimmed}ms or ${seconds}`
  }
  return `${flag} "${text}" is not a duration (e.g. 5s, 500ms, 1m)`
}

/** 1234567 ms → "20m34s"; for ages and ETAs in tables. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞'
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`
  let seconds = Math.round(ms / 1000)
  const parts: string[] = []
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`)
      seconds %= size
    }
  }
  if (seconds > 0 || parts.length === 0) parts.push(`${seconds}s`)
  return parts.slice(0, 2).join('')
}
