import {describe, expect, it} from 'vitest'

import {decodeConsumerAssignment} from '../../src/kafka/groups.js'
import {Reader, Writer} from '../../src/kafka/protocol/codec.js'
import {FindCoordinator} from '../../src/kafka/protocol/find-coordinator.js'
import {OffsetFetch} from '../../src/kafka/protocol/offset-fetch.js'
import {compactAssignment} from '../../src/render/groups.js'

describe('group protocol pieces', () => {
  it('decodes a classic consumer assignment (ConsumerProtocolAssignment)', () => {
    const w = new Writer().int16(1).array([['orders', [0, 2]], ['audit', [1]]] as const, (w, [topic, ps]) => {
      w.string(topic).array(ps, (w, p) => w.int32(p))
    }).int32(-1)
    expect(decodeConsumerAssignment(w.toBuffer())).toEqual([
      {topic: 'orders', partition: 0}, {topic: 'orders', partition: 2}, {topic: 'audit', partition: 1},
    ])
    expect(decodeConsumerAssignment(Buffer.alloc(0))).toEqual([])
  })

  it('encodes OffsetFetch v8 for many groups and v9 with a null member id', () => {
    const v8 = new Writer()
    OffsetFetch.encode(v8, {groups: [{groupId: 'a', topics: null}, {groupId: 'b', topics: [{name: 't', partitions: [0]}]}]}, 8)
    expect(v8.toBuffer().toString('hex')).toBe([
      '03', // 2 groups
      '0261', '00', '00', // "a", topics null, tags
      '0262', '02', '0274', '02', '00000000', '00', '00', // "b", [t [0]]
      '00', // require_stable
      '00',
    ].join(''))
    const v9 = new Writer()
    OffsetFetch.encode(v9, {groups: [{groupId: 'a', topics: null}]}, 9)
    expect(v9.toBuffer().toString('hex')).toBe('02' + '0261' + '00' + 'ffffffff' + '00' + '00' + '00' + '00')
  })

  it('decodes OffsetFetch v8 answers per group', () => {
    const w = new Writer().int32(0)
      .compactArray(['g'], (w, g) => {
        w.compactString(g).compactArray(['t'], (w, t) => {
          w.compactString(t).compactArray([[0, 42n], [1, -1n]] as const, (w, [p, o]) => {
            w.int32(p).int64(o).int32(-1).compactString(null).int16(0).tags()
          }).tags()
        }).int16(0).tags()
      }).tags()
    expect(OffsetFetch.decode(new Reader(w.toBuffer()), 8)).toEqual([{groupId: 'g', errorCode: 0, partitions: [
      {topic: 't', partition: 0, offset: 42n, metadata: null, errorCode: 0},
      {topic: 't', partition: 1, offset: -1n, metadata: null, errorCode: 0},
    ]}])
  })

  it('batches group keys in one FindCoordinator v4', () => {
    const w = new Writer()
    FindCoordinator.encode(w, {keyType: 0, keys: ['a', 'bc']}, 4)
    expect(w.toBuffer().toString('hex')).toBe('00' + '03' + '0261' + '036263' + '00')
  })

  it('prints assignments compactly', () => {
    expect(compactAssignment([{topic: 'b', partition: 0}, {topic: 'a', partition: 3}, {topic: 'a', partition: 1}, {topic: 'a', partition: 2}, {topic: 'a', partition: 5}]))
      .toBe('a:1-3,5 b:0')
    expect(compactAssignment([])).toBeNull()
  })
})
