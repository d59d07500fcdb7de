/** Exit codes, documented in README. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** A check asked for by the user found a problem (e.g. --fail-on-unhealthy, --fail-above). */
  checkFailed: 3,
  /** Only part of what was asked could be read or done (e.g. `console consume -e` with a partition whose leader stayed unreachable). */
  partial: 4,
  interrupted: 130,
} as const

/** The one error type for failures the user should see as a single line. */
export class KadmError extends Error {
  readonly exitCode: number
  readonly hint?: string

  constructor(message: string, options: {exitCode?: number; hint?: string; cause?: unknown} = {}) {
    super(message, {cause: options.cause})
    this.name = 'KadmError'
    this.exitCode = options.exitCode ?? ExitCode.failure
    this.hint = options.hint
  }
}

export class UsageError extends KadmError {
  constructor(message: string, hint?: string) {
    super(message, {exitCode: ExitCode.usage, hint})
    this.name = 'UsageError'
  }
}

/** Collapse any message to a single line (kafkajs and Java tools like multi-line text). */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}
