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
