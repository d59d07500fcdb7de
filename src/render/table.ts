import Table from 'cli-table3'
import type {ChalkInstance} from 'chalk'

export interface Column<R> {
  header: string
  value: (row: R) => string | number | undefined | null
  align?: 'left' | 'right'
  colour?: (text: string, row: R) => string
}

/**
 * A borderless, aligned table in the style of kubectl/rpk: easy to read and easy to grep.
 */
export function renderTable<R>(rows: readonly R[], columns: readonly Column<R>[], chalk: ChalkInstance): string {
  const table = new Table({
    head: columns.map((c) => chalk.bold(c.header)),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '  ',
    },
    style: {head: [], border: [], 'padding-left': 0, 'padding-right': 0},
    colAligns: columns.map((c) => c.align ?? 'left'),
  })
  for (const row of rows) {
    table.push(columns.map((c) => {
      const raw = c.value(row)
      const text = raw === undefined || raw === null ? '-' : String(raw)
      return c.colour ? c.colour(text, row) : text
    }))
  }
  return table.toString().split('\n').map((line) => line.trimEnd()).join('\n')
}

/** "Key: value" lines with the keys aligned, for headers above tables. */
export function renderKeyValues(pairs: ReadonlyArray<readonly [string, string | number | undefined | null]>, chalk: ChalkInstance): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length)) + 1
  return pairs
    .map(([k, v]) => `${chalk.bold((k + ':').padEnd(width))} ${v === undefined || v === null ? '-' : v}`)
    .join('\n')
}
