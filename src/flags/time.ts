import * as Flags from '@oclif/core/flags'

import {TimeSpecError} from '../domain/time-spec.js'
import {UsageError} from '../errors.js'

/** `--timezone`: one flag, one rule, for every command that reads times (see "Times" in the README). */
export function timezoneFlag(times: string) {
  return Flags.string({summary: `Zone of ${times} written without one: an IANA name (Europe/Paris) or ±hh:mm. Default UTC, as Kafka's tools (whatever TZ says).`})
}

/** The summary's words for a flag that takes a point in time. */
export const TIME_HELP = 'ISO-8601 (zone optional), epoch ms, now, -1h, +5m, PT1H'

/** Runs a parse of `flag`'s time; a time it cannot read is a usage error (exit 2) naming the flag. */
export function timeFlag<T>(flag: string, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof TimeSpecError) throw new UsageError(`${flag}: ${error.message}`)
    throw error
  }
}
