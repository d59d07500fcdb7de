import * as Flags from '@oclif/core/flags'

import {UsageError} from './errors.js'
import {compilePattern} from './domain/name-match.js'

/** Flags shared by the topic commands that select topics by name. */
export const selectionFlags = {
  regex: Flags.boolean({char: 'r', summary: 'Treat the names as regular expressions (full match, as kafka-topics --topic) instead of globs.'}),
}

/** The positional names after parsing (non-strict commands take any number). */
export function topicPatterns(argv: unknown[], regex: boolean): string[] {
  const patterns = argv.map(String)
  for (const p of patterns) {
    try {
      compilePattern(p, {regex})
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
  }
  return patterns
}

/** The stderr warning for patterns that selected nothing (a literal name that matches nothing is an error instead). */
export function noMatchWarning(patterns: readonly string[], what = 'topic'): string {
  return `no ${what} matches ${patterns.map((p) => `"${p}"`).join(', ')}`
}

/**
 * Kafka's tools name topics and groups with a flag (`--topic t`, `--group g`); kadm commands take
 * them as arguments. This flag accepts Kafka's way (repeatable) beside the arguments.
 */
export function kafkaNameFlag(what: 'topic' | 'group', char?: 'g' | 't') {
  return Flags.string({char, summary: `A ${what}, as Kafka's tools name it (repeatable; the same as naming it as an argument).`, multiple: true, multipleNonGreedy: true})
}

/** The names given as arguments and with the Kafka-style flag, once each; `missing` names the argument when there are none and one is required. */
export function namesGiven(argv: unknown[], byFlag: readonly string[] | undefined, missing?: string): string[] {
  const names = [...new Set([...argv.map(String), ...(byFlag ?? [])])]
  if (names.length === 0 && missing) throw new UsageError(`missing argument ${missing}`)
  return names
}
