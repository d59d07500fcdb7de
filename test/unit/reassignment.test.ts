import {describe, expect, it} from 'vitest'

import {
  changedPartitions, checkPlan, type CurrentPartition, parseByteRate, parsePlan, planReassignment, summariseMoves,
  throttleSettings, toPlan, verifyPlan,
} from '../../src/domain/reassignment.js'

const brokers = (...ids: number[]) => ids.map((id) => ({id, rack: null}))

function topic(name: string, assignment: number[][]): CurrentPartition[] {
  return assignment.map((replicas, partition) => ({topic: name, partition, replicas}))
}

function loads(plan: ReturnType<typeof planReassignment>) {
  const replicas = new Map<number, number>()
  const leaders = new Map<number, number>()
  for (const p of plan.partitions) {
    for (const r of p.replicas) replicas.set(r, (replicas.get(r) ?? 0) + 1)
    leaders.set(p.replicas[0], (leaders.get(p.replicas[0]) ?? 0) + 1)
  }
  return {replicas, leaders}
}

const spread = (m: Map<number, number>, ids: number[]) => Math.max(...ids.map((i) => m.get(i) ?? 0)) - Math.min(...ids.map((i) => m.get(i) ?? 0))

describe('planReassignment', () => {
  it('leaves a balanced topic alone', () => {
    const current = topic('t', [[1, 2], [2, 3], [3, 1]])
    const plan = planReassignment(current, {brokers: brokers(1, 2, 3)})
    expect(changedPartitions(plan, current)).toEqual([])
  })

  it('spreads a topic piled on one broker evenly, replicas and leaders', () => {
    const current = topic('t', [[1], [1], [1], [1], [1], [1]])
    const plan = planReassignment(current, {brokers: brokers(1, 2, 3)})
    const l = loads(plan)
    expect([...l.replicas.values()].sort()).toEqual([2, 2, 2])
    expect(spread(l.leaders, [1, 2, 3])).toBe(0)
    expect(plan.partitions.filter((p) => p.replicas[0] === 1)).toHaveLength(2)
  })

  it('moves every replica off a broker that is not a target, keeping the others', () => {
    const current = topic('t', [[1, 2], [2, 3], [3, 4], [4, 1]])
    const plan = planReassignment(current, {brokers: brokers(1, 2, 3)})
    for (const p of plan.partitions) {
      expect(p.replicas).not.toContain(4)
      expect(new Set(p.replicas).size).toBe(2)
    }
    expect(spread(loads(plan).replicas, [1, 2, 3])).toBeLessThanOrEqual(1)
    // [1,2] and [2,3] were fine and stay as they are.
    expect(plan.partitions[0].replicas).toEqual([1, 2])
    expect(plan.partitions[1].replicas).toEqual([2, 3])
  })

  it('puts load on a newly added broker', () => {
    const current = topic('t', [[1, 2, 3], [2, 3, 1], [3, 1, 2], [1, 3, 2]])
    const plan = planReassignment(current, {brokers: brokers(1, 2, 3, 4)})
    const l = loads(plan)
    expect(spread(l.replicas, [1, 2, 3, 4])).toBeLessThanOrEqual(1)
    expect(l.leaders.get(4)).toBe(1)
    expect(summariseMoves(plan, current).replicasAdded).toBe(3)
  })

  it('raises the replication factor keeping current replicas and leaders', () => {
    const current = topic('t', [[1], [2], [3]])
    const plan = planReassignment(current, {brokers: brokers(1, 2, 3), replicationFactor: 3})
    expect(plan.partitions.map((p) => p.replicas[0])).toEqual([1, 2, 3])
    for (const p of plan.partitions) expect([...p.replicas].sort()).toEqual([1, 2, 3])
  })

  it('lowers the replication factor', () => {
    const current = topic('t', [[1, 2, 3], [2, 3, 1], [3, 1, 2]])
    const plan = planReassignment(current, {brokers: brokers(1, 2, 3), replicationFactor: 1})
    expect(plan.partitions.map((p) => p.replicas)).toEqual([[1], [2], [3]])
  })

  it('places replicas of a partition on distinct racks', () => {
    const racked = [{id: 1, rack: 'a'}, {id: 2, rack: 'a'}, {id: 3, rack: 'b'}, {id: 4, rack: 'b'}]
    const current = topic('t', [[1, 2], [1, 2], [3, 4], [3, 4]])
    const plan = planReassignment(current, {brokers: racked})
    const rack = new Map(racked.map((b) => [b.id, b.rack]))
    for (const p of plan.partitions) expect(new Set(p.replicas.map((r) => rack.get(r))).size).toBe(2)
    expect(spread(loads(plan).replicas, [1, 2, 3, 4])).toBeLessThanOrEqual(1)
  })

  it('refuses a factor larger than the brokers, and a mix of racked and rackless brokers', () => {
    expect(() => planReassignment(topic('t', [[1]]), {brokers: brokers(1, 2), replicationFactor: 3})).toThrow(/larger than the 2/)
    expect(() => planReassignment(topic('t', [[1]]), {brokers: [{id: 1, rack: 'a'}, {id: 2, rack: null}]})).toThrow(/no rack/)
  })

  it('is deterministic', () => {
    const current = [...topic('a', [[1], [1], [2], [1]]), ...topic('b', [[3, 1], [3, 2]])]
    expect(planReassignment(current, {brokers: brokers(1, 2, 3)})).toEqual(planReassignment(current, {brokers: brokers(1, 2, 3)}))
  })
})

describe('plan files', () => {
  it('reads Kafka\'s layout, log_dirs included, and writes it back sorted', () => {
    const text = '{"version":1,"partitions":[{"topic":"b","partition":0,"replicas":[2,1],"log_dirs":["any","any"]},{"topic":"a","partition":1,"replicas":[3]}]}'
    const plan = parsePlan(text)
    expect(plan.partitions[0]).toEqual({topic: 'b', partition: 0, replicas: [2, 1], log_dirs: ['any', 'any']})
    expect(toPlan(plan.partitions).partitions.map((p) => p.topic)).toEqual(['a', 'b'])
  })

  it('names the problem in a bad plan', () => {
    expect(() => parsePlan('{')).toThrow(/not valid JSON/)
    expect(() => parsePlan('{"partitions":[{"topic":"a","partition":0,"replicas":[1,1]}]}')).toThrow(/duplicate broker/)
    expect(() => parsePlan('{"partitions":[{"topic":"a","partition":0,"replicas":[]}]}')).toThrow(/replicas/)
    expect(() => parsePlan('{"partitions":[{"topic":"a","partition":0,"replicas":[1]},{"topic":"a","partition":0,"replicas":[2]}]}')).toThrow(/twice/)
    expect(() => parsePlan('{"version":2,"partitions":[]}')).toThrow(/version 2/)
    expect(() => parsePlan('{"partitions":[{"topic":"a","partition":0,"replicas":[1],"log_dirs":["d"]}]}')).toThrow('partitions[0] (a-0): log dir "d" is neither "any" nor an absolute path')
    expect(() => parsePlan('{"partitions":[{"topic":"a","partition":0,"replicas":[1,2],"log_dirs":["/d"]}]}')).toThrow('partitions[0]: "log_dirs" must list one dir per replica')
  })

  it('checks a plan against the cluster', () => {
    const current = topic('t', [[1]])
    const plan = parsePlan('{"partitions":[{"topic":"t","partition":0,"replicas":[9]},{"topic":"t","partition":5,"replicas":[1]}]}')
    expect(checkPlan(plan, current, [1, 2])).toEqual(['t-0: broker 9 is not in the cluster', 't-5 does not exist'])
  })
})

describe('verifyPlan', () => {
  it('is complete only when the replicas match and nothing moves', () => {
    const plan = parsePlan('{"partitions":[{"topic":"t","partition":0,"replicas":[2,3]},{"topic":"t","partition":1,"replicas":[3,1]},{"topic":"t","partition":2,"replicas":[1,2]}]}')
    const current = topic('t', [[2, 3], [1, 2, 3], [2, 1]])
    const states = verifyPlan(plan, current, new Set([`t\u00001`])).map((r) => r.state)
    expect(states).toEqual(['complete', 'in-progress', 'not-started'])
  })
})

describe('throttleSettings', () => {
  it('throttles existing replicas as leaders and added replicas as followers, on every broker involved', () => {
    const current = topic('t', [[1, 2], [2, 3]])
    const moves = [{topic: 't', partition: 0, replicas: [1, 4]}, {topic: 't', partition: 1, replicas: [3, 2]}]
    expect(throttleSettings(moves, current)).toEqual({
      topics: [{topic: 't', leaderReplicas: '0:1,0:2', followerReplicas: '0:4'}],
      brokers: [1, 2, 4],
    })
  })
})

describe('parseByteRate', () => {
  it('reads bytes, decimal and binary units', () => {
    expect(parseByteRate('1000')).toBe(1000)
    expect(parseByteRate('50MB')).toBe(50_000_000)
    expect(parseByteRate('1MiB/s')).toBe(1_048_576)
    expect(parseByteRate('1.5 kb')).toBe(1500)
    expect(parseByteRate('fast')).toBeUndefined()
    expect(parseByteRate('0')).toBeUndefined()
  })
})
