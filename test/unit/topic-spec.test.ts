import {describe, expect, it} from 'vitest'

import {configOpApplied, configOps, ownConfigSource} from '../../src/domain/config-ops.js'
import {collidesInMetrics, parseConfigPairs, parseKeyValue, parseReplicaAssignment, topicNameProblem} from '../../src/domain/topic-spec.js'

describe('topic names (Kafka rules)', () => {
  it('accepts legal names', () => {
    expect(topicNameProblem('orders.eu_v1-2')).toBeUndefined()
    expect(topicNameProblem('x'.repeat(249))).toBeUndefined()
  })

  it('rejects empty, . and .., too long, illegal characters', () => {
    expect(topicNameProblem('')).toMatch(/empty/)
    expect(topicNameProblem('.')).toMatch(/not allowed/)
    expect(topicNameProblem('..')).toMatch(/not allowed/)
    expect(topicNameProblem('x'.repeat(250))).toMatch(/longer than 249/)
    expect(topicNameProblem('a b')).toMatch(/characters/)
    expect(topicNameProblem('a/b')).toMatch(/characters/)
  })

  it('knows that . and _ collide in metric names', () => {
    expect(collidesInMetrics('a.b', 'a_b')).toBe(true)
    expect(collidesInMetrics('a.b', 'a.b')).toBe(false)
  })
})

describe('key=value', () => {
  it('splits at the first =', () => {
    expect(parseKeyValue('a=b=c', '--config')).toEqual(['a', 'b=c'])
    expect(parseKeyValue('a=', '--config')).toEqual(['a', ''])
  })

  it('refuses a missing key or =', () => {
    expect(() => parseKeyValue('a', '--config')).toThrow('--config "a" is not key=value')
    expect(() => parseKeyValue('=b', '--config')).toThrow(/not key=value/)
  })

  it('refuses a key given twice', () => {
    expect(parseConfigPairs(['a=1', 'b=2'], '--config')).toEqual({a: '1', b: '2'})
    expect(() => parseConfigPairs(['a=1', 'a=2'], '--config')).toThrow(/twice/)
  })
})

describe('--replica-assignment', () => {
  it('parses partitions and replicas, leader first', () => {
    expect(parseReplicaAssignment('1:2:3,2:3:1')).toEqual([[1, 2, 3], [2, 3, 1]])
    expect(parseReplicaAssignment('3')).toEqual([[3]])
  })

  it('refuses uneven, duplicated or non-numeric entries', () => {
    expect(() => parseReplicaAssignment('1:2,3')).toThrow(/partition 1 has 1 replicas, partition 0 has 2/)
    expect(() => parseReplicaAssignment('1:1')).toThrow(/twice/)
    expect(() => parseReplicaAssignment('1:x')).toThrow(/"x" is not a broker id/)
    expect(() => parseReplicaAssignment(',')).toThrow(/empty/)
  })
})

describe('config operations', () => {
  it('maps --set --delete --append --subtract', () => {
    expect(configOps({set: ['a=1'], delete: ['b'], append: ['c=x'], subtract: ['d=y']})).toEqual([
      {op: 'set', name: 'a', value: '1'},
      {op: 'delete', name: 'b'},
      {op: 'append', name: 'c', value: 'x'},
      {op: 'subtract', name: 'd', value: 'y'},
    ])
  })

  it('refuses --delete k=v and a key changed twice', () => {
    expect(() => configOps({delete: ['a=1']})).toThrow(/takes a key/)
    expect(() => configOps({set: ['a=1'], delete: ['a']})).toThrow(/changed twice/)
  })
})

describe('configOpApplied (has a broker seen the change yet?)', () => {
  const own = ownConfigSource({type: 'topic', name: 't'})
  const entry = (value: string | null, source = own, sensitive = false) => ({value, source, sensitive})

  it('knows each resource\'s own dynamic source', () => {
    expect(own).toBe('DYNAMIC_TOPIC_CONFIG')
    expect(ownConfigSource({type: 'broker', name: '1'})).toBe('DYNAMIC_BROKER_CONFIG')
    expect(ownConfigSource({type: 'broker', name: ''})).toBe('DYNAMIC_DEFAULT_BROKER_CONFIG')
    expect(ownConfigSource({type: 'broker-logger', name: '1'})).toBe('DYNAMIC_BROKER_LOGGER_CONFIG')
    expect(ownConfigSource({type: 'client-metrics', name: 's'})).toBe('DYNAMIC_CLIENT_METRICS_CONFIG')
    expect(ownConfigSource({type: 'group', name: 'g'})).toBe('DYNAMIC_GROUP_CONFIG')
  })

  it('set: the value, from the resource itself', () => {
    expect(configOpApplied({op: 'set', name: 'a', value: '1'}, entry('1'), own)).toBe(true)
    expect(configOpApplied({op: 'set', name: 'a', value: '1'}, entry('2'), own)).toBe(false)
    expect(configOpApplied({op: 'set', name: 'a', value: '1'}, entry('1', 'DEFAULT_CONFIG'), own)).toBe(false)
    expect(configOpApplied({op: 'set', name: 'a', value: '1'}, undefined, own)).toBe(false)
  })

  it('delete: no longer set on the resource', () => {
    expect(configOpApplied({op: 'delete', name: 'a'}, entry('1', 'DEFAULT_CONFIG'), own)).toBe(true)
    expect(configOpApplied({op: 'delete', name: 'a'}, undefined, own)).toBe(true)
    expect(configOpApplied({op: 'delete', name: 'a'}, entry('1'), own)).toBe(false)
  })

  it('delete of a broker logger: the source never changes, so it counts as applied at once', () => {
    const logger = ownConfigSource({type: 'broker-logger', name: '1'})
    expect(configOpApplied({op: 'delete', name: 'kafka.log.LogCleaner'}, entry('INFO', logger), logger)).toBe(true)
    expect(configOpApplied({op: 'set', name: 'kafka.log.LogCleaner', value: 'DEBUG'}, entry('INFO', logger), logger)).toBe(false)
  })

  it('append and subtract: list membership', () => {
    expect(configOpApplied({op: 'append', name: 'p', value: 'compact'}, entry('delete,compact'), own)).toBe(true)
    expect(configOpApplied({op: 'append', name: 'p', value: 'compact'}, entry('delete'), own)).toBe(false)
    expect(configOpApplied({op: 'subtract', name: 'p', value: 'compact'}, entry('delete'), own)).toBe(true)
    expect(configOpApplied({op: 'subtract', name: 'p', value: 'compact'}, entry('compact'), own)).toBe(false)
  })

  it('sensitive values cannot be compared and count as applied', () => {
    expect(configOpApplied({op: 'set', name: 'pw', value: 'x'}, entry(null, own, true), own)).toBe(true)
  })
})
