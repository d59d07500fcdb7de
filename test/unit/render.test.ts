import {describe, expect, it} from 'vitest'

import {colourEnabled, makeChalk} from '../../src/render/colour.js'
import {serialise} from '../../src/render/output.js'
import {renderKeyValues, renderTable} from '../../src/render/table.js'

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

describe('serialise', () => {
  it('writes JSON and YAML with the same fields', async () => {
    const data = {id: 1, name: 'x', list: [1, 2], nested: {ok: true, none: null}}
    expect(JSON.parse(await serialise(data, 'json'))).toEqual(data)
    const {parse} = await import('yaml')
    expect(parse(await serialise(data, 'yaml'))).toEqual(data)
  })
})
