import {describe, expect, it} from 'vitest'

import {Reader, Writer} from '../../src/kafka/protocol/codec.js'
import {ConsumerGroupDescribe} from '../../src/kafka/protocol/consumer-group-describe.js'
import {DescribeGroups} from '../../src/kafka/protocol/describe-groups.js'
import {OffsetCommit} from '../../src/kafka/protocol/offset-commit.js'
import {OffsetDelete} from '../../src/kafka/protocol/offset-delete.js'

const decode = <T>(spec: {decode(r: Reader, v: number): T}, w: Writer, version: number) => {
  const r = new Reader(w.toBuffer())
  const out = spec.decode(r, version)
  expect(r.remaining, 'every byte read').toBe(0)
  return out
}

describe('OffsetCommit', () => {
  it('is sent as an administrator: generation -1, empty member id, no instance id (v9, flexible)', () => {
    const w = new Writer()
    OffsetCommit.encode(w, {groupId: 'g', topics: [{name: 't', partitions: [{partition: 2, offset: 42n}]}]}, 9)
    const r = new Reader(w.toBuffer())
    expect([r.compactString(), r.int32(), r.compactString(), r.compactString()]).toEqual(['g', -1, '', null])
    r.compactArray(() => {
      expect(r.compactString()).toBe('t')
      r.compactArray(() => {
        expect([r.int32(), r.int64(), r.int32(), r.compactString()]).toEqual([2, 42n, -1, null])
        r.tags()
      })
      r.tags()
    })
    r.tags()
    expect(r.remaining).toBe(0)
  })

  it('sends retention -1 up to v4 and reads per-partition errors', () => {
    const w = new Writer()
    OffsetCommit.encode(w, {groupId: 'g', topics: []}, 2)
    const r = new Reader(w.toBuffer())
    expect([r.string(), r.int32(), r.string(), r.int64()]).toEqual(['g', -1, '', -1n])
    const res = new Writer().int32(0).array([0], (w) => w.string('t').array([[0, 0], [1, 25]], (w, [p, e]) => w.int32(p).int16(e)))
    expect(decode(OffsetCommit, res, 3)).toEqual([{topic: 't', partition: 0, errorCode: 0}, {topic: 't', partition: 1, errorCode: 25}])
  })
})

describe('OffsetDelete', () => {
  it('reads the group error and per-partition errors (v0)', () => {
    const w = new Writer().int16(0).int32(0).array([0], (w) => w.string('t').array([[0, 86], [1, 0]], (w, [p, e]) => w.int32(p).int16(e)))
    expect(decode(OffsetDelete, w, 0)).toEqual({errorCode: 0, partitions: [{topic: 't', partition: 0, errorCode: 86}, {topic: 't', partition: 1, errorCode: 0}]})
  })
})

describe('DescribeGroups', () => {
  it('reads v5 (flexible) answers with the assignor and each member\'s metadata and assignment', () => {
    const v5 = new Writer().int32(0).compactArray([0], (w) => w.int16(0).compactString('g').compactString('Stable').compactString('consumer').compactString('range')
      .compactArray([0], (w) => w.compactString('m-1').compactString('static-1').compactString('app').compactString('/10.0.0.1').compactBytes(Buffer.from([1])).compactBytes(Buffer.alloc(0)).tags())
      .int32(-2147483648).tags()).tags()
    expect(decode(DescribeGroups, v5, 5)).toEqual([{
      errorCode: 0, groupId: 'g', state: 'Stable', protocolType: 'consumer', protocol: 'range',
      members: [{memberId: 'm-1', groupInstanceId: 'static-1', clientId: 'app', clientHost: '/10.0.0.1', metadata: Buffer.from([1]), assignment: Buffer.alloc(0)}],
    }])
  })

  it('asks for many groups in one request, without authorized operations', () => {
    const w = new Writer()
    DescribeGroups.encode(w, ['a', 'bc'], 5)
    expect(w.toBuffer().toString('hex')).toBe('03' + '0261' + '036263' + '00' + '00')
  })
})

describe('ConsumerGroupDescribe', () => {
  it('reads KIP-848 groups, their members and assignments (v0)', () => {
    const assignment = (w: Writer) => w.compactArray([0], (w) => w.uuid('AAECAwQFBgcICQoLDA0ODw').compactString('t').compactArray([0, 1], (w, p) => w.int32(p)).tags()).tags()
    const answer = new Writer().int32(0).compactArray([0], (w) => {
      w.int16(0).compactString(null).compactString('g').compactString('Stable').int32(3).int32(3).compactString('uniform')
      w.compactArray([0], (w) => {
        w.compactString('uPqXytV6QQ2E2HhfiIo4jg').compactString(null).compactString(null).int32(3).compactString('console-consumer').compactString('/127.0.0.1')
        w.compactArray(['t'], (w, s) => w.compactString(s)).compactString(null)
        assignment(w)
        assignment(w)
        w.tags()
      })
      w.int32(-2147483648).tags()
    }).tags()
    const tp = {topicId: 'AAECAwQFBgcICQoLDA0ODw', topic: 't', partitions: [0, 1]}
    expect(decode(ConsumerGroupDescribe, answer, 0)).toEqual([{
      errorCode: 0, errorMessage: null, groupId: 'g', state: 'Stable', groupEpoch: 3, assignmentEpoch: 3, assignor: 'uniform',
      members: [{
        memberId: 'uPqXytV6QQ2E2HhfiIo4jg', instanceId: null, rackId: null, memberEpoch: 3, clientId: 'console-consumer', clientHost: '/127.0.0.1',
        subscribedTopicNames: ['t'], subscribedTopicRegex: null, assignment: [tp], targetAssignment: [tp],
      }],
    }])
  })
})
