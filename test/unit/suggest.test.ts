import {describe, expect, it} from 'vitest'

import {closestCommand, editDistance, suggestCommand} from '../../src/domain/suggest.js'

describe('command suggestions', () => {
  it('measures edit distance', () => {
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('topcs', 'topics')).toBe(1)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('same', 'same')).toBe(0)
  })

  it('suggests the closest command for a typo and nothing for a different word', () => {
    const known = ['topics list', 'topics describe', 'consumer-groups lag', 'offsets reset']
    expect(closestCommand('topcs list', known)).toBe('topics list')
    expect(closestCommand('consumer-group lag', known)).toBe('consumer-groups lag')
    expect(closestCommand('ofsets reset', known)).toBe('offsets reset')
    expect(closestCommand('frobnicate', known)).toBeUndefined()
  })

  it('keeps the arguments that follow the command', () => {
    const known = ['topics list', 'topics describe', 'topics', 'console consume', 'console']
    expect(suggestCommand(['topcs', 'list', 'orders'], known)).toBe('topics list orders')
    expect(suggestCommand(['topics', 'lst', 'orders', 'payments'], known)).toBe('topics list orders payments')
    expect(suggestCommand(['consol', 'consume', 'orders'], known)).toBe('console consume orders')
    expect(suggestCommand(['topcs'], known)).toBe('topics')
    expect(suggestCommand(['frobnicate', 'orders'], known)).toBeUndefined()
  })
})
