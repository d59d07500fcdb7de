import {describe, expect, it} from 'vitest'

import {durationProblem, formatDuration, parseDuration} from '../../src/domain/duration.js'

describe('parseDuration', () => {
  it.each([
    ['5s', 5000], ['500ms', 500], ['1m30s', 90_000], ['2h', 7_200_000], ['1d', 86_400_000], ['1.5s', 1500],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms))

  it.each(['', 'abc', '5x', 's5', '5s junk', '-5s', '10', '5000', '1.5'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined())
})

describe('durationProblem', () => {
  it('asks for a unit when a bare number is given', () => {
    expect(durationProblem('--timeout', '5000')).toBe('--timeout 5000: add a unit, e.g. 5000ms or 5s')
    expect(durationProblem('--timeout', '30')).toBe('--timeout 30: add a unit, e.g. 30ms or 30s')
  })
  it('names the flag and the value otherwise', () => {
    expect(durationProblem('--delivery-timeout', 'soon')).toBe('--delivery-timeout "soon" is not a duration (e.g. 5s, 500ms, 1m)')
  })
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
