import type {ChalkInstance} from 'chalk'

export interface Column<R> {
  header: string
  value: (row: R) => string | number | undefined | null
  align?: 'left' | 'right'
  colour?: (text: string, row: R) => string
  /** A name that may be cut, with an ellipsis, when the table is wider than the terminal (never in a pipe, JSON or YAML). */
  shrink?: boolean
}

/** The terminal's width while a table is drawn for it; undefined in a pipe or file (see forTerminal). */
let terminalColumns: number | undefined

/** Draws what `draw` renders for a terminal `columns` wide (undefined: not a terminal). */
export function forTerminal<T>(columns: number | undefined, draw: () => T): T {
  const saved = terminalColumns
  terminalColumns = columns
  try {
    return draw()
  } finally {
    terminalColumns = saved
  }
}

/** `text` cut to `width` terminal columns with an ellipsis, on a terminal only (ids in table cells). */
export function shortOnTerminal(text: string, width: number): string {
  return terminalColumns === undefined ? text : ellipsis(text, width)
}

/** `text` cut to at most `width` columns, its last one an ellipsis. */
export function ellipsis(text: string, width: number): string {
  if (displayWidth(text) <= width) return text
  let out = ''
  for (const ch of text) {
    if (displayWidth(out + ch) > width - 1) break
    out += ch
  }
  return out + '…'
}

/** A column is not cut below this width (or its header's). */
const MIN_SHRUNK_WIDTH = 12

/**
 * On a terminal, the columns marked `shrink` cut so that the table fits its width: the widest
 * first, none below MIN_SHRUNK_WIDTH. Elsewhere (or when it fits) the columns as they are.
 */
function fitToTerminal<R>(rows: readonly R[], columns: readonly Column<R>[]): readonly Column<R>[] {
  if (terminalColumns === undefined || !columns.some((c) => c.shrink)) return columns
  const plain = (c: Column<R>, row: R) => {
    const raw = c.value(row)
    return raw === undefined || raw === null ? '-' : String(raw)
  }
  const widths = columns.map((c) => rows.reduce((w, row) => Math.max(w, ...plain(c, row).split('\n').map(displayWidth)), displayWidth(c.header)))
  let overflow = widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1) - terminalColumns
  const limits = [...widths]
  while (overflow > 0) {
    let widest = -1
    for (let i = 0; i < columns.length; i++) {
      const floor = Math.max(MIN_SHRUNK_WIDTH, displayWidth(columns[i].header))
      if (columns[i].shrink && limits[i] > floor && (widest < 0 || limits[i] > limits[widest])) widest = i
    }
    if (widest < 0) break
    const floor = Math.max(MIN_SHRUNK_WIDTH, displayWidth(columns[widest].header))
    const cut = Math.min(overflow, limits[widest] - floor, Math.max(1, limits[widest] - Math.max(...limits.filter((_, i) => i !== widest && columns[i].shrink), floor)))
    limits[widest] -= cut
    overflow -= cut
  }
  return columns.map((c, i) => (limits[i] === widths[i] ? c : {...c, value: (row: R) => {
    const raw = c.value(row)
    return raw === undefined || raw === null ? raw : ellipsis(String(raw), limits[i])
  }}))
}

const ANSI = /\u001b\[[0-9;]*m/g
const PLAIN = /^[\u0020-\u007e]*$/

/** East Asian wide and emoji ranges: two terminal columns each. */
function isWide(code: number): boolean {
  return (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff) || (code >= 0x20000 && code <= 0x3fffd)
}

/** Columns a string takes on a terminal: colour codes take none, wide characters two. */
export function displayWidth(text: string): number {
  if (PLAIN.test(text)) return text.length
  let width = 0
  for (const ch of text.replace(ANSI, '')) {
    const code = ch.codePointAt(0)!
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0x300 && code <= 0x36f)) continue
    width += isWide(code) ? 2 : 1
  }
  return width
}

const SPACES = ' '.repeat(128)
const spaces = (n: number): string => (n <= 0 ? '' : n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n))

/**
 * A borderless, aligned table in the style of kubectl/rpk: easy to read and easy to grep.
 * Columns are two spaces apart; a cell with line breaks makes its row that many lines high.
 * Drawn directly, each cell measured once: a 1,000-topic describe has 6,000 rows, drawn by a
 * process that has just started (cli-table3 spent ~1 s on them).
 */
export function renderTable<R>(rows: readonly R[], allColumns: readonly Column<R>[], chalk: ChalkInstance): string {
  const columns = fitToTerminal(rows, allColumns)
  const n = columns.length
  const texts: string[] = []
  const cellWidths: number[] = []
  const widths: number[] = []
  let multiLine = false
  for (const c of columns) {
    const header = chalk.bold(c.header)
    texts.push(header)
    // Measured without the bold escapes, which take no columns.
    widths.push(displayWidth(c.header))
    cellWidths.push(widths[widths.length - 1])
  }
  for (const row of rows) {
    for (let i = 0; i < n; i++) {
      const c = columns[i]
      const raw = c.value(row)
      const plain = raw === undefined || raw === null ? '-' : typeof raw === 'string' ? raw : String(raw)
      const text = c.colour ? c.colour(plain, row) : plain
      let width: number
      if (text.includes('\n')) {
        multiLine = true
        width = Math.max(...text.split('\n').map(displayWidth))
      } else {
        width = displayWidth(text)
      }
      texts.push(text)
      cellWidths.push(width)
      if (width > widths[i]) widths[i] = width
    }
  }
  const out: string[] = []
  for (let start = 0; start < texts.length; start += n) {
    if (multiLine && texts.slice(start, start + n).some((t) => t.includes('\n'))) {
      const cells = texts.slice(start, start + n).map((t) => t.split('\n'))
      const height = Math.max(...cells.map((lines) => lines.length))
      for (let l = 0; l < height; l++) {
        out.push(cells.map((lines, i) => {
          const text = lines[l] ?? ''
          const pad = spaces(widths[i] - displayWidth(text))
          return columns[i].align === 'right' ? pad + text : text + pad
        }).join('  ').trimEnd())
      }
      continue
    }
    let line = ''
    for (let i = 0; i < n; i++) {
      const text = texts[start + i]
      const pad = spaces(widths[i] - cellWidths[start + i])
      if (i > 0) line += '  '
      line += columns[i].align === 'right' ? pad + text : text + pad
    }
    out.push(line.trimEnd())
  }
  return out.join('\n')
}

/** "Key: value" lines with the keys aligned, for headers above tables. */
export function renderKeyValues(pairs: ReadonlyArray<readonly [string, string | number | undefined | null]>, chalk: ChalkInstance): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length)) + 1
  return pairs
    .map(([k, v]) => `${chalk.bold((k + ':').padEnd(width))} ${v === undefined || v === null ? '-' : v}`)
    .join('\n')
}

/** An offset the broker could not be asked for shows as "?", one it has not as "-". */
export function unknownIfFailed(row: {error?: string}, value: number | null | undefined): number | string | null | undefined {
  return value === null && row.error ? '?' : value
}
