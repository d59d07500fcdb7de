import {describe, expect, it} from 'vitest'

import {failureCause, leaderRetryDelay, lostLine, partialResultLine, partitionList, regainedLine} from '../../src/domain/partition-events.js'
import {KadmError} from '../../src/errors.js'

describe('partition events', () => {
  it('lists partitions grouped by topic, sorted, each once', () => {
    expect(partitionList([{topic: 'b', partition: 3}, {topic: 'a', partition: 2}, {topic: 'b', partition: 0}, {topic: 'b', partition: 3}])).toBe('b:0,3 a:2')
  })

  it('says one line per lost event, naming the broker and the cause', () => {
    expect(lostLine([{topic: 'orders', partition: 4}], 2, 'connection refused')).toBe('orders:4: leader broker 2 unreachable (connection refused), waiting for a new leader')
    expect(lostLine([{topic: 'orders', partition: 4}, {topic: 'orders', partition: 1}], 2, 'x')).toBe('orders:1,4: leader broker 2 unreachable (x), waiting for a new leader')
  })

  it('says where reading goes on, with one offset per partition', () => {
    expect(regainedLine([{topic: 'orders', partition: 4, offset: 120}], 3)).toBe('orders:4: reading again from broker 3 at offset 120')
    expect(regainedLine([{topic: 'orders', partition: 4, offset: 120}, {topic: 'orders', partition: 1, offset: 7}], 3)).toBe('orders:1,4: reading again from broker 3 at offsets 7,120')
  })

  it('names the unread partitions of a partial result per broker', () => {
    expect(partialResultLine([
      {topic: 't', partition: 0, offset: 5, broker: 1, cause: 'no answer within 5s'},
      {topic: 't', partition: 3, offset: null, broker: 1, cause: 'no answer within 5s'},
      {topic: 't', partition: 2, offset: 9, broker: -1, cause: 'no leader'},
    ])).toBe('partial result: not read to the end: t:0,3 (leader broker 1 unreachable: no answer within 5s); t:2 (no leader)')
  })

  it('keeps the cause of a connection error and turns timeouts into how long nothing came back', () => {
    expect(failureCause(new KadmError('cannot connect to 127.0.0.1:29501: connection refused (is a broker listening there?)'), 5000)).toBe('connection refused (is a broker listening there?)')
    expect(failureCause(new KadmError('Fetch request to 127.0.0.1:29500,127.0.0.1:29501 timed out after 2s'), 2000)).toBe('no answer within 2s')
    expect(failureCause(new KadmError('broker 2 (127.0.0.1:29501) did not answer: connection reset by the broker (restarting or gone?)'), 5000)).toBe('connection reset by the broker (restarting or gone?)')
    expect(failureCause(new KadmError('broker 2 (127.0.0.1:29501) did not answer: no answer within 3s (frozen or overloaded?)'), 3000)).toBe('no answer within 3s')
    expect(failureCause('something else', 5000)).toBe('something else')
  })

  it('backs off from 100 ms to at most 1.5 s', () => {
    expect([-1, 0, 1, 2, 3, 4, 10].map(leaderRetryDelay)).toEqual([100, 100, 200, 400, 800, 1500, 1500])
  })
})
