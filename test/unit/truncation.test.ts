import {describe, expect, it} from 'vitest'

import {planTruncation} from '../../src/domain/truncation.js'

const f = (partition: number, requested: number, logStartOffset: number | null, logEndOffset: number | null, error?: string) =>
  ({topic: 't', partition, requested, logStartOffset, logEndOffset, ...(error ? {error} : {})})

describe('planTruncation', () => {
  it('keeps a target inside [log start, high watermark] and resolves "end"', () => {
    expect(planTruncation([f(0, 5, 0, 10), f(1, -1, 2, 10)])).toEqual({
      rows: [{topic: 't', partition: 0, before: 0, target: 5, deletes: true}, {topic: 't', partition: 1, before: 2, target: 10, deletes: true}],
      warnings: [],
      problems: [],
    })
  })

  it('clamps beyond the high watermark to it, with a warning', () => {
    const plan = planTruncation([f(0, 100, 0, 10)])
    expect(plan.rows).toEqual([{topic: 't', partition: 0, before: 0, target: 10, requestedOffset: 100, deletes: true}])
    expect(plan.warnings).toEqual(['offset 100 is beyond the high watermark of t:0: deleting up to 10 instead'])
  })

  it('leaves a partition alone when the target is before its log start, or there is nothing before it', () => {
    const plan = planTruncation([f(0, 3, 7, 10), f(1, -1, 4, 4)])
    expect(plan.rows).toEqual([
      {topic: 't', partition: 0, before: 7, target: 7, requestedOffset: 3, deletes: false},
      {topic: 't', partition: 1, before: 4, target: 4, deletes: false},
    ])
    expect(plan.warnings).toEqual(['offset 3 is before the log start offset of t:0 (7): nothing to delete there'])
  })

  it('reports partitions whose offsets are unknown as problems', () => {
    expect(planTruncation([f(0, 5, null, null, 'LEADER_NOT_AVAILABLE')]).problems).toEqual(['cannot read the offsets of t:0: LEADER_NOT_AVAILABLE'])
  })
})
