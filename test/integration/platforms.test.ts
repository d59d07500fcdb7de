import {beforeAll, describe, expect, inject, it} from 'vitest'

import {createTopic, kadm, uniqueName} from '../helpers/kadm.js'
import {testedNodes} from '../helpers/node.js'

const bootstrap = inject('bootstrap')
const B = ['-b', bootstrap]

/**
 * Every tested Node runs kadm without a word of its own on stderr: no warning, deprecation or
 * other runtime noise (Node 24 warned about a negative timer inside kafkajs on every connection).
 */
describe.each(testedNodes())('on Node $version', ({path}) => {
  const topic = uniqueName('platform')

  beforeAll(async () => {
    await createTopic(bootstrap, topic, {partitions: 3, replicationFactor: 3})
  })

  it('cluster describe, topics list, console produce and consume print only their own lines', async () => {
    const described = await kadm(['cluster', 'describe', ...B], {node: path})
    expect(described.code, described.stderr).toBe(0)
    expect(described.stderr).toBe('')

    const listed = await kadm(['topics', 'list', ...B], {node: path})
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toContain(topic)
    expect(listed.stderr).toBe('')

    const produced = await kadm(['console', 'produce', topic, ...B], {node: path, input: 'one\ntwo\nthree\n'})
    expect(produced.code, produced.stderr).toBe(0)
    expect(produced.stderr).toMatch(/^produced 3 records \(11 B\) in (\d+ms|[\d.]+s)\n$/)

    const consumed = await kadm(['console', 'consume', topic, '--from-beginning', '-e', '-f', '%v\n', ...B], {node: path})
    expect(consumed.code, consumed.stderr).toBe(0)
    expect(consumed.stdout.trim().split('\n').sort()).toEqual(['one', 'three', 'two'])
    expect(consumed.stderr).toMatch(/^consumed 3 records \(11 B\) in (\d+ms|[\d.]+s)\n$/)
  })
})
