import {stripVTControlCharacters} from 'node:util'

/** What an oclif parser error carries that kadm reads. */
export interface ParserErrorLike {
  message: string
  name?: string
  args?: ReadonlyArray<{name?: string}>
}

/**
 * oclif's parser errors as one line that names what is wrong. oclif puts the useful part after
 * the first line ("Missing 1 required arg:" then the names; "The following error occurred:" then
 * the reasons; "Parsing --partitions" then why the value was refused), so the first line alone
 * says nothing.
 */
export function describeParseError(error: ParserErrorLike): string {
  const text = stripVTControlCharacters(error.message).replace(/\nSee more help with --help\s*$/, '')
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean)
  const first = (lines[0] ?? '').replace(/^Error:\s*/, '')

  const missing = /^Missing (\d+) required args?/.exec(first)
  if (missing) {
    const names = (error.args ?? []).map((a) => a.name).filter((n): n is string => Boolean(n))
    const listed = names.length > 0 ? names : lines.slice(1).filter((l) => !/^Note:|^Alternatively,/.test(l)).map((l) => l.split(/\s{2,}/)[0])
    const upper = listed.map((n) => n.toUpperCase())
    if (upper.length === 0) return first.replace(/:$/, '')
    return `missing argument${upper.length > 1 ? 's' : ''} ${upper.join(', ')}`
  }

  if (/^The following errors? occurred:?$/.test(first)) {
    return lines.slice(1).map((l) => l.replace(/^Missing required flag ([\w-]+)$/, 'missing required flag --$1')).join('; ') || first
  }

  const parsing = /^Parsing (--[\w-]+)$/.exec(first)
  if (parsing) {
    const reason = lines.slice(1).join(' ')
    if (!reason) return first
    return reason.startsWith(parsing[1]) ? reason : `${parsing[1]}: ${reason}`
  }

  return first
}
