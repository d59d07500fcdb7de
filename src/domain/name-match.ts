/**
 * Selecting topics (or groups) by name: globs by default (`orders-*`, `logs-?`, `[ab]-events`),
 * or full-match regular expressions like kafka-topics' `--topic` with `regex: true`. Kafka names
 * only use [a-zA-Z0-9._-], so a glob with no wildcard is exactly one name.
 */
export interface NameMatchOptions {
  regex?: boolean
}

const GLOB_CHARS = /[*?[]/

/** True when `pattern` can only ever match the one name it spells. */
export function isLiteralName(pattern: string, options: NameMatchOptions = {}): boolean {
  return options.regex ? /^[\w-]+$/.test(pattern) : !GLOB_CHARS.test(pattern)
}

/** Translates a shell-style glob to an anchored RegExp: `*`, `?`, `[abc]`, `[!abc]`, `[a-z]`. */
export function globToRegExp(glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*') source += '.*'
    else if (c === '?') source += '.'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end === -1) {
        source += '\\['
        continue
      }
      let body = glob.slice(i + 1, end)
      if (body.startsWith('!')) body = '^' + body.slice(1)
      source += `[${body.replace(/\\/g, '\\\\')}]`
      i = end
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&')
  }
  return new RegExp(`^(?:${source})$`)
}

/** Compiles one pattern; throws a readable Error for an invalid regex. */
export function compilePattern(pattern: string, options: NameMatchOptions = {}): RegExp {
  if (!options.regex) return globToRegExp(pattern)
  try {
    return new RegExp(`^(?:${pattern})$`)
  } catch (error) {
    // V8 says "Invalid regular expression: /^(?:(... )$/: Unterminated group": keep the reason.
    const reason = (error as Error).message.split(': ').pop()
    throw new Error(`invalid regular expression "${pattern}": ${reason}`)
  }
}

/** A predicate true for names matching any of `patterns`; no patterns match every name. */
export function nameMatcher(patterns: readonly string[], options: NameMatchOptions = {}): (name: string) => boolean {
  if (patterns.length === 0) return () => true
  const compiled = patterns.map((p) => compilePattern(p, options))
  return (name) => compiled.some((re) => re.test(name))
}

export interface NameSelection {
  /** Matching names, in the order of `names`, each once. */
  selected: string[]
  /** Patterns that matched nothing. */
  unmatched: string[]
}

/** Applies `patterns` to `names`, reporting the patterns that matched nothing. */
export function selectNames(names: readonly string[], patterns: readonly string[], options: NameMatchOptions = {}): NameSelection {
  if (patterns.length === 0) return {selected: [...names], unmatched: []}
  const compiled = patterns.map((p) => ({pattern: p, re: compilePattern(p, options), hits: 0}))
  const selected: string[] = []
  for (const name of names) {
    let matched = false
    for (const c of compiled) {
      if (c.re.test(name)) {
        c.hits++
        matched = true
      }
    }
    if (matched) selected.push(name)
  }
  return {selected, unmatched: compiled.filter((c) => c.hits === 0).map((c) => c.pattern)}
}
