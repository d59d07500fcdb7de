import {describe, expect, it} from 'vitest'

import {type BrokerLogDirs, checkLogDirTargets, logDirMoveState, logDirTargets, placeOf, replicaPlaces} from '../../src/domain/log-dirs.js'
import {parsePlan} from '../../src/domain/reassignment.js'

const brokers: BrokerLogDirs[] = [
  {broker: 1, dirs: [{path: '/a', error: null}, {path: '/b', error: null}], replicas: [{topic: 't', partition: 0, dir: '/a', future: false}, {topic: 't', partition: 0, dir: '/b', future: true}]},
  {broker: 2, dirs: [{path: '/a', error: null}, {path: '/bad', error: 'KAFKA_STORAGE_ERROR'}], replicas: [{topic: 't', partition: 0, dir: '/a', future: false}]},
]

describe('log dir moves', () => {
  it('takes the replicas with a path from a plan\'s log_dirs, "any" left alone', () => {
    const plan = parsePlan('{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[2,1],"log_dirs":["any","/b"]},{"topic":"u","partition":3,"replicas":[1],"log_dirs":["/a"]},{"topic":"v","partition":0,"replicas":[1]}]}')
    expect(logDirTargets(plan)).toEqual([{topic: 't', partition: 0, broker: 1, dir: '/b'}, {topic: 'u', partition: 3, broker: 1, dir: '/a'}])
  })

  it('names each target that cannot be met, once', () => {
    expect(checkLogDirTargets([
      {topic: 't', partition: 0, broker: 1, dir: '/b'},
      {topic: 't', partition: 0, broker: 2, dir: '/nope'},
      {topic: 't', partition: 1, broker: 2, dir: '/nope'},
      {topic: 't', partition: 0, broker: 2, dir: '/bad'},
      {topic: 't', partition: 0, broker: 7, dir: '/a'},
    ], brokers)).toEqual([
      '/nope is not a log dir of broker 2 (its log dirs: /a, /bad)',
      'log dir /bad of broker 2 is offline (KAFKA_STORAGE_ERROR)',
      'broker 7 is not in the cluster',
    ])
  })

  it('tells the states of a move apart as kafka-reassign-partitions --verify does', () => {
    const places = replicaPlaces(brokers)
    expect(placeOf(places, {topic: 't', partition: 0, broker: 1})).toEqual({current: '/a', future: '/b'})
    expect(placeOf(places, {topic: 't', partition: 9, broker: 1})).toEqual({current: null, future: null})
    expect(logDirMoveState('/b', {current: '/a', future: '/b'})).toBe('in-progress')
    expect(logDirMoveState('/c', {current: '/a', future: '/b'})).toBe('elsewhere')
    expect(logDirMoveState('/a', {current: '/a', future: null})).toBe('complete')
    expect(logDirMoveState('/b', {current: '/a', future: null})).toBe('not-moving')
    expect(logDirMoveState('/b', {current: null, future: null})).toBe('missing')
  })
})
