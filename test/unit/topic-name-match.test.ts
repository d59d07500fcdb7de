import {describe, expect, it} from 'vitest'

import {compilePattern, globToRegExp, isLiteralName, nameMatcher, selectNames} from '../../src/domain/name-match.js'

describe('globs', () => {
  it('* ? and classes, anchored', () => {
    expect(globToRegExp('orders-*').test('orders-eu')).toBe(true)
    expect(globToRegExp('orders-*').test('my-orders-eu')).toBe(false)
    expect(globToRegExp('log?').test('logs')).toBe(true)
    expect(globToRegExp('log?').test('log')).toBe(false)
    expect(globToRegExp('[ab]-x').test('b-x')).toBe(true)
    expect(globToRegExp('[!ab]-x').test('b-x')).toBe(false)
    expect(globToRegExp('[!ab]-x').test('c-x')).toBe(true)
    expect(globToRegExp('t[0-9]').test('t7')).toBe(true)
  })

  it('dots and other regex characters are literal', () => {
    expect(globToRegExp('a.b').test('axb')).toBe(false)
    expect(globToRegExp('a.b').test('a.b')).toBe(true)
    expect(globToRegExp('a+(b)').test('a+(b)')).toBe(true)
    expect(globToRegExp('[x').test('[x')).toBe(true)
  })
})

describe('regex', () => {
  it('is a full match, as kafka-topics --topic', () => {
    expect(compilePattern('orders\\..*', {regex: true}).test('orders.eu')).toBe(true)
    expect(compilePattern('orders', {regex: true}).test('orders-eu')).toBe(false)
    expect(compilePattern('a|b', {regex: true}).test('b')).toBe(true)
  })

  it('an invalid regex is a readable error', () => {
    expect(() => compilePattern('(', {regex: true})).toThrow(/^invalid regular expression "\(": Unterminated group$/)
  })
})

describe('selection', () => {
  it('literal names', () => {
    expect(isLiteralName('orders-eu')).toBe(true)
    expect(isLiteralName('orders-*')).toBe(false)
    expect(isLiteralName('orders_eu', {regex: true})).toBe(true)
    expect(isLiteralName('orders.eu', {regex: true})).toBe(false)
  })

  it('no patterns match everything', () => {
    expect(nameMatcher([])('x')).toBe(true)
    expect(selectNames(['a', 'b'], [])).toEqual({selected: ['a', 'b'], unmatched: []})
  })

  it('reports the patterns that matched nothing, keeps order, no duplicates', () => {
    expect(selectNames(['a1', 'a2', 'b1'], ['a*', '*1', 'zz'])).toEqual({selected: ['a1', 'a2', 'b1'], unmatched: ['zz']})
  })
})
