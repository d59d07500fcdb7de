import {beforeAll, describe, expect, inject, it} from 'vitest'

import {kadm, uniqueName} from '../helpers/kadm.js'

const bootstrap = inject('bootstrap')
const B = ['-b', bootstrap]

/** Output far larger than a pipe's buffer must arrive whole: kadm exits only after stdout drains. */
describe('large output through a pipe', () => {
  const topic = uniqueName('big-output')
  const count = 4000

  beforeAll(async () => {
    const created = await kadm(['topics', 'create', topic, '-p', '3', '-r', '1', ...B])
    expect(created.code, created.stderr).toBe(0)
    const lines = Array.from({length: count}, (_, i) => `record-${i}-${'x'.repeat(100)}`).join('\n') + '\n'
    const produced = await kadm(['console', 'produce', topic, ...B, '-q'], {input: lines})
    expect(produced.code, produced.stderr).toBe(0)
  })

  it('prints every record when the data ends (-e) and when the count is reached (-n)', async () => {
    const toEnd = await kadm(['console', 'consume', topic, ...B, '--from-beginning', '-e', '-q', '-o', 'json'])
    expect(toEnd.code, toEnd.stderr).toBe(0)
    expect(toEnd.stdout.length).toBeGreaterThan(256 * 1024)
    const all = toEnd.stdout.trim().split('\n').map((l) => JSON.parse(l) as {value: string})
    expect(all).toHaveLength(count)
    expect(new Set(all.map((r) => r.value)).size).toBe(count)

    const counted = await kadm(['console', 'consume', topic, ...B, '--from-beginning', '-n', String(count), '-q', '-o', 'json'])
    expect(counted.code, counted.stderr).toBe(0)
    expect(counted.stdout.trim().split('\n')).toHaveLength(count)
  })

  it('prints a large JSON document whole', async () => {
    const result = await kadm(['offsets', 'show', topic, ...B, '-o', 'json'])
    expect(result.code, result.stderr).toBe(0)
    expect(() => JSON.parse(result.stdout)).not.toThrow()
    const big = await kadm(['console', 'consume', topic, ...B, '--from-beginning', '-e', '-q', '-f', '%v\\n'])
    expect(big.stdout.split('\n').filter(Boolean)).toHaveLength(count)
  })
})
