import {describe, expect, it} from 'vitest'

import {formatOffsetCsv, parseOffsetCsv} from '../../src/domain/offset-csv.js'

describe('parseOffsetCsv', () => {
  it('reads topic,partition,offset for a single group, as Kafka does', () => {
    expect(parseOffsetCsv('orders,0,10\norders,1,12\n', ['g'])).toEqual([
      {group: 'g', topic: 'orders', partition: 0, offset: 10},
      {group: 'g', topic: 'orders', partition: 1, offset: 12},
    ])
  })

  it('reads group,topic,partition,offset, for one group or several', () => {
    const text = 'g1,orders,0,10\r\ng2,orders,1,12\n\n'
    expect(parseOffsetCsv(text, ['g1', 'g2'])).toEqual([
      {group: 'g1', topic: 'orders', partition: 0, offset: 10},
      {group: 'g2', topic: 'orders', partition: 1, offset: 12},
    ])
    expect(parseOffsetCsv(text, ['g1'])).toHaveLength(2)
  })

  it('reads quoted group ids', () => {
    expect(parseOffsetCsv('"a,b ""x""",t,0,5\n', ['a,b "x"', 'other'])).toEqual([{group: 'a,b "x"', topic: 't', partition: 0, offset: 5}])
  })

  it('rejects malformed lines with their line number', () => {
    expect(() => parseOffsetCsv('orders,0,10\norders,1\n', ['g'])).toThrow(/line 2: expected topic,partition,offset/)
    expect(() => parseOffsetCsv('orders,x,10\n', ['g'])).toThrow(/line 1: partition "x"/)
    expect(() => parseOffsetCsv('orders,0,ten\n', ['g'])).toThrow(/line 1: offset "ten"/)
    expect(() => parseOffsetCsv('orders,0,10\n', ['g1', 'g2'])).toThrow(/expected group,topic,partition,offset/)
    expect(() => parseOffsetCsv('\n\n', ['g'])).toThrow(/no offsets/)
  })
})

describe('formatOffsetCsv', () => {
  const rows = [
    {group: 'g', topic: 'orders', partition: 0, offset: 10},
    {group: 'a,b', topic: 'orders', partition: 1, offset: 12},
  ]

  it('writes Kafka --export layouts without a header', () => {
    expect(formatOffsetCsv(rows, false)).toBe('orders,0,10\norders,1,12\n')
    expect(formatOffsetCsv(rows, true)).toBe('g,orders,0,10\n"a,b",orders,1,12\n')
  })

  it('round-trips', () => {
    expect(parseOffsetCsv(formatOffsetCsv(rows, true), ['g', 'a,b'])).toEqual(rows)
  })
})
