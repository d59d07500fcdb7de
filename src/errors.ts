/** Exit codes, documented in README. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** A check asked for by the user found a problem (e.g. --fail-on-unhealthy, --fail-above). */
  checkFailed: 3,
  /**
   * The command printed what the brokers it reached know, but some broker it needed did not answer
   * (down, frozen, restarting): what is missing is marked where it would have been.
   */
  partial: 4,
  /** "No", or Ctrl-C, at a confirmation prompt: nothing was changed. */
  cancelled: 5,
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

/** The answer at a confirmation prompt was no, or Ctrl-C: printed as the one line "cancelled". */
export class CancelledError extends KadmError {
  constructor() {
    super('cancelled', {exitCode: ExitCode.cancelled})
    this.name = 'CancelledError'
  }
}

/** Collapse any message to a single line (kafkajs and Java tools like multi-line text). */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}
