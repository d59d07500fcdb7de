import {describe, expect, it} from 'vitest'

import {formatDuration, parseDuration} from '../../src/domain/duration.js'

describe('parseDuration', () => {
  it.each([
    ['5s', 5000], ['500ms', 500], ['1m30s', 90_000], ['2h', 7_200_000], ['1d', 86_400_000], ['10', 10_000], ['1.5s', 1500],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms))

  it.each(['', 'abc', '5x', 's5', '5s junk', '-5s'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined())
})

describe('formatDuration', () => {
  it('keeps the two largest units', () => {
    expect(formatDuration(999)).toBe('999ms')
    expect(formatDuration(61_000)).toBe('1m1s')
    expect(formatDuration(3_723_000)).toBe('1h2m')
    expect(formatDuration(90_061_000)).toBe('1d1h')
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('∞')
  })
})
