import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import {beforeAll, describe, expect, inject, it} from 'vitest'

import {BIN, kadm, kadmEnv, uniqueName} from '../helpers/kadm.js'

const bootstrap = inject('bootstrap')
const B = ['-b', bootstrap]

/** Output far larger than a pipe's buffer must arrive whole: kadm exits only after stdout drains. */
describe('large output through a pipe', () => {
  const topic = uniqueName('big-output')
  const count = 4000
  const values = Array.from({length: count}, (_, i) => `record-${i}-${'x'.repeat(100)}`)

  beforeAll(async () => {
    const created = await kadm(['topics', 'create', topic, '-p', '3', '-r', '1', ...B])
    expect(created.code, created.stderr).toBe(0)
    const produced = await kadm(['console', 'produce', topic, ...B, '-q'], {input: values.join('\n') + '\n'})
    expect(produced.code, produced.stderr).toBe(0)
  })

  it('prints every record when the data ends (-e) and when the count is reached (-n)', async () => {
    const toEnd = await kadm(['console', 'consume', topic, ...B, '--from-beginning', '-e', '-q', '-o', 'json'])
    expect(toEnd.code, toEnd.stderr).toBe(0)
    // Each line holds a record of over 100 bytes: the output is several times a pipe's 64 KiB.
    const all = toEnd.stdout.trim().split('\n').map((l) => JSON.parse(l) as {value: string})
    expect(all.map((r) => r.value).sort()).toEqual([...values].sort())

    const counted = await kadm(['console', 'consume', topic, ...B, '--from-beginning', '-n', String(count), '-q', '-o', 'json'])
    expect(counted.code, counted.stderr).toBe(0)
    expect(counted.stdout.trim().split('\n').map((l) => (JSON.parse(l) as {value: string}).value).sort()).toEqual([...values].sort())
  })

  it('prints a large JSON document, written in one go, whole', async () => {
    // 400 partitions make a partitions list of well over a pipe's 64 KiB, emitted in a single write.
    const wide = uniqueName('wide-output')
    const created = await kadm(['topics', 'create', wide, '-p', '400', '-r', '1', ...B])
    expect(created.code, created.stderr).toBe(0)
    // A reader that waits before reading keeps the pipe full while kadm finishes.
    const {stdout} = await promisify(execFile)('sh', ['-c', `"$NODE" "$KADM" partitions list --topic ${wide} -b ${bootstrap} -o json | (sleep 1; cat)`], {
      env: kadmEnv({NODE: process.execPath, KADM: BIN}),
      maxBuffer: 16 * 1024 * 1024,
    })
    expect(stdout.length).toBeGreaterThan(96 * 1024)
    expect((JSON.parse(stdout) as {partitions: Array<{topic: string; partition: number}>}).partitions.map((p) => [p.topic, p.partition])).toEqual(Array.from({length: 400}, (_, i) => [wide, i]))
    await kadm(['topics', 'delete', wide, '--yes', ...B])
  })
})
