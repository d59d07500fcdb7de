import {describe, expect, it} from 'vitest'

import {compilePattern, globToRegExp, isLiteralName, nameMatcher, selectNames} from '../../src/domain/name-match.js'
import {matchTopics} from '../../src/kafka/consume.js'

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

describe('console consume: topics a selection reads (matchTopics)', () => {
  const topic = (name: string, errorCode = 0, isInternal = false) => ({name, errorCode, isInternal, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: []})
  const all = [topic('orders-eu'), topic('orders-us'), topic('payments'), topic('__consumer_offsets', 0, true), topic('__my-internal')]
  const names = (patterns: string[], regex = false) => matchTopics(all, patterns, regex).topics.map((t) => t.name)

  it('globs and full-match regexes pick the same topics as topics list', () => {
    expect(names(['orders-*'])).toEqual(['orders-eu', 'orders-us'])
    expect(names(['orders|pay.*'], true)).toEqual(['payments'])
    expect(names(['orders-.*', 'payments'], true)).toEqual(['orders-eu', 'orders-us', 'payments'])
  })

  it('a pattern never picks an internal topic; an exact name does', () => {
    expect(names(['*'])).toEqual(['orders-eu', 'orders-us', 'payments'])
    expect(names(['__.*'], true)).toEqual([])
    expect(names(['__consumer_offsets'])).toEqual(['__consumer_offsets'])
    expect(names(['__consumer_offsets'], true)).toEqual(['__consumer_offsets'])
  })

  it('an exact name that does not exist is an error; a pattern matching nothing is reported', () => {
    expect(() => matchTopics(all, ['orders-*', 'refunds'])).toThrow('topic refunds does not exist')
    expect(() => matchTopics([topic('refunds', 5)], ['refunds'])).toThrow('topic refunds: LEADER_NOT_AVAILABLE')
    expect(matchTopics(all, ['refunds-*', 'payments']).unmatched).toEqual(['refunds-*'])
  })
})
