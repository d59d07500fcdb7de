import {describe, expect, it} from 'vitest'

import {colourEnabled, makeChalk} from '../../src/render/colour.js'
import {serialise} from '../../src/render/output.js'
import {ellipsis, forTerminal, renderKeyValues, renderTable, shortOnTerminal} from '../../src/render/table.js'

const tty = {isTTY: true} as NodeJS.WriteStream
const pipe = {isTTY: false} as NodeJS.WriteStream

describe('colour', () => {
  it('is on only for a TTY without NO_COLOR or --no-color', () => {
    expect(colourEnabled(tty, false, {})).toBe(true)
    expect(colourEnabled(pipe, false, {})).toBe(false)
    expect(colourEnabled(tty, true, {})).toBe(false)
    expect(colourEnabled(tty, false, {NO_COLOR: '1'})).toBe(false)
    expect(colourEnabled(tty, false, {NO_COLOR: ''})).toBe(true)
  })

  it('chalk emits escapes only when enabled', () => {
    expect(makeChalk(true).red('x')).toBe('\u001B[31mx\u001B[39m')
    expect(makeChalk(false).red('x')).toBe('x')
  })
})

describe('tables', () => {
  const chalk = makeChalk(false)

  it('aligns columns, right-aligns numbers, shows missing values as -', () => {
    const text = renderTable([{a: 'x', n: 5}, {a: 'longer', n: 12_345, missing: null}], [
      {header: 'NAME', value: (r) => r.a},
      {header: 'COUNT', value: (r) => r.n, align: 'right'},
      {header: 'RACK', value: () => null},
    ], chalk)
    expect(text.split('\n')).toEqual([
      'NAME    COUNT  RACK',
      'x           5  -',
      'longer  12345  -',
    ])
  })

  it('makes a row as high as its tallest cell and measures wide and coloured text by its columns', () => {
    const colour = makeChalk(true)
    const text = renderTable([{a: 'one\ntwo lines', b: '日本'}, {a: 'x', b: colour.red('red')}], [
      {header: 'A', value: (r) => r.a},
      {header: 'B', value: (r) => r.b},
      {header: 'C', value: () => 1, align: 'right'},
    ], chalk)
    expect(text.split('\n')).toEqual([
      'A          B     C',
      'one        日本  1',
      'two lines',
      `x          ${colour.red('red')}   1`,
    ])
  })

  it('aligns key-value headers', () => {
    expect(renderKeyValues([['Cluster ID', 'abc'], ['Brokers', 3], ['Rack', null]], chalk)).toBe('Cluster ID: abc\nBrokers:    3\nRack:       -')
  })
})

describe('tables on a terminal', () => {
  const chalk = makeChalk(false)
  const rows = [{name: 'orders-eu-west-1-payments-settled', owner: 'consumer-1-4f0c9a21-77aa-4e6e-b1b2-0c1e1f2a3b4c', lag: 5}, {name: 'clicks', owner: 'x', lag: 12}]
  const columns = [
    {header: 'NAME', value: (r: typeof rows[number]) => r.name, shrink: true},
    {header: 'OWNER', value: (r: typeof rows[number]) => r.owner, shrink: true},
    {header: 'LAG', value: (r: typeof rows[number]) => r.lag, align: 'right' as const},
  ]

  it('cuts the names a table marks, widest first, with an ellipsis, to fit the terminal', () => {
    const lines = forTerminal(50, () => renderTable(rows, columns, chalk)).split('\n')
    expect(lines).toEqual([
      'NAME                   OWNER                   LAG',
      'orders-eu-west-1-pay…  consumer-1-4f0c9a21-7…    5',
      'clicks                 x                        12',
    ])
  })

  it('leaves tables alone that fit, and every table in a pipe (no terminal)', () => {
    expect(forTerminal(200, () => renderTable(rows, columns, chalk))).toBe(renderTable(rows, columns, chalk))
    expect(renderTable(rows, columns, chalk)).toContain('consumer-1-4f0c9a21-77aa-4e6e-b1b2-0c1e1f2a3b4c')
  })

  it('never cuts below 12 columns or unmarked columns', () => {
    const lines = forTerminal(10, () => renderTable(rows, columns, chalk)).split('\n')
    expect(lines[1]).toMatch(/^orders-eu-w… +consumer-1-… +5$/)
  })

  it('shortens ids inside cells on a terminal only', () => {
    expect(shortOnTerminal('consumer-1-4f0c9a21-77aa', 16)).toBe('consumer-1-4f0c9a21-77aa')
    expect(forTerminal(80, () => shortOnTerminal('consumer-1-4f0c9a21-77aa', 16))).toBe('consumer-1-4f0c…')
    expect(ellipsis('short', 16)).toBe('short')
    expect(ellipsis('日本語のトピック名', 7)).toBe('日本語…')
  })
})

describe('serialise', () => {
  it('writes JSON and YAML with the same fields', async () => {
    const data = {id: 1, name: 'x', list: [1, 2], nested: {ok: true, none: null}}
    expect(JSON.parse(await serialise(data, 'json'))).toEqual(data)
    const {parse} = await import('yaml')
    expect(parse(await serialise(data, 'yaml'))).toEqual(data)
  })
})
