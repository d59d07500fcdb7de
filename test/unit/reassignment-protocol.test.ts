import {describe, expect, it} from 'vitest'

import {parseBrokerList, parseElectionFile, parseTruncateOffset} from '../../src/domain/partition-args.js'
import {AlterPartitionReassignments} from '../../src/kafka/protocol/alter-partition-reassignments.js'
import {AlterReplicaLogDirs} from '../../src/kafka/protocol/alter-replica-log-dirs.js'
import {Reader, Writer} from '../../src/kafka/protocol/codec.js'
import {DeleteRecords} from '../../src/kafka/protocol/delete-records.js'
import {DescribeLogDirs} from '../../src/kafka/protocol/describe-log-dirs.js'
import {ElectLeaders} from '../../src/kafka/protocol/elect-leaders.js'
import type {ApiSpec} from '../../src/kafka/protocol/transport.js'

function encode<Req>(spec: ApiSpec<Req, unknown>, request: Req, version: number): number[] {
  const w = new Writer()
  spec.encode(w, request, version)
  return [...w.toBuffer()]
}

function decode<Res>(spec: ApiSpec<unknown, Res>, build: (w: Writer) => void, version: number): Res {
  const w = new Writer()
  build(w)
  const r = new Reader(w.toBuffer())
  const out = spec.decode(r, version)
  expect(r.remaining, 'every byte read').toBe(0)
  return out
}

describe('ElectLeaders', () => {
  const request = {electionType: 'preferred' as const, topics: [{topic: 't', partitions: [0, 2]}], timeoutMs: 1000}

  it('v0 has no election type, v1 puts it first, v2 is compact with tags', () => {
    const body = [0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0x03, 0xe8]
    expect(encode(ElectLeaders, request, 0)).toEqual(body)
    expect(encode(ElectLeaders, {...request, electionType: 'unclean'}, 1)).toEqual([1, ...body])
    expect(encode(ElectLeaders, request, 2)).toEqual([0, 2, 2, 0x74, 3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0x03, 0xe8, 0])
  })

  it('null topics means every partition', () => {
    expect(encode(ElectLeaders, {...request, topics: null}, 1)).toEqual([0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0x03, 0xe8])
    expect(encode(ElectLeaders, {...request, topics: null}, 2).slice(0, 2)).toEqual([0, 0])
  })

  it('reads per-partition results in v0 and v2', () => {
    const v0 = decode(ElectLeaders, (w) => w.int32(0).array([1], (w) => w.string('t').array([[0, 0], [1, 84]], (w, [p, e]) => w.int32(p).int16(e).string(e ? 'not needed' : null))), 0)
    expect(v0).toEqual({errorCode: 0, results: [{topic: 't', partition: 0, errorCode: 0, errorMessage: null}, {topic: 't', partition: 1, errorCode: 84, errorMessage: 'not needed'}]})
    const v2 = decode(ElectLeaders, (w) => w.int32(0).int16(0).compactArray([1], (w) => w.compactString('t').compactArray([5], (w, p) => w.int32(p).int16(0).compactString(null).tags()).tags()).tags(), 2)
    expect(v2.results).toEqual([{topic: 't', partition: 5, errorCode: 0, errorMessage: null}])
  })
})

describe('DescribeLogDirs', () => {
  const response = (version: number) => (w: Writer) => {
    const flexible = version >= 2
    const str = (s: string) => (flexible ? w.compactString(s) : w.string(s))
    const arr = <T>(items: T[], each: (item: T) => void) => (flexible ? w.compactArray(items, (_, i) => each(i)) : w.array(items, (_, i) => each(i)))
    w.int32(0)
    if (version >= 3) w.int16(0)
    arr([1], () => {
      w.int16(0)
      str('/data')
      arr([1], () => {
        str('t')
        arr([0, 1], (p) => {
          w.int32(p).int64(100n + BigInt(p)).int64(0n).boolean(false)
          if (flexible) w.tags()
        })
        if (flexible) w.tags()
      })
      if (version >= 4) w.int64(1000n).int64(400n)
      if (flexible) w.tags()
    })
    if (flexible) w.tags()
  }

  it.each([1, 2, 3, 4])('reads v%i', (version) => {
    const out = decode(DescribeLogDirs, response(version), version)
    expect(out.results[0].logDir).toBe('/data')
    expect(out.results[0].partitions.map((p) => [p.topic, p.partition, p.size])).toEqual([['t', 0, 100n], ['t', 1, 101n]])
    expect(out.results[0].totalBytes).toBe(version >= 4 ? 1000n : -1n)
  })
})

describe('AlterReplicaLogDirs', () => {
  const request = {dirs: [{path: '/d', topics: [{topic: 't', partitions: [3]}]}]}

  it('encodes v1 (plain) and v2 (compact, tagged)', () => {
    expect(encode(AlterReplicaLogDirs, request, 1)).toEqual([0, 0, 0, 1, 0, 2, 0x2f, 0x64, 0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 1, 0, 0, 0, 3])
    expect(encode(AlterReplicaLogDirs, request, 2)).toEqual([2, 3, 0x2f, 0x64, 2, 2, 0x74, 2, 0, 0, 0, 3, 0, 0, 0])
  })

  it.each([1, 2])('reads per-partition errors of v%i', (version) => {
    const flexible = version === 2
    const out = decode(AlterReplicaLogDirs, (w) => {
      w.int32(0)
      const str = (s: string) => (flexible ? w.compactString(s) : w.string(s))
      const arr = <T>(items: T[], each: (item: T) => void) => (flexible ? w.compactArray(items, (_, i) => each(i)) : w.array(items, (_, i) => each(i)))
      arr([1], () => {
        str('t')
        arr([[0, 0], [1, 57]], ([p, e]) => {
          w.int32(p).int16(e)
          if (flexible) w.tags()
        })
        if (flexible) w.tags()
      })
      if (flexible) w.tags()
    }, version)
    expect(out.results).toEqual([{topic: 't', partition: 0, errorCode: 0}, {topic: 't', partition: 1, errorCode: 57}])
  })
})

describe('DeleteRecords and AlterPartitionReassignments', () => {
  it('encodes DeleteRecords v0 (plain) and v2 (compact)', () => {
    const request = {topics: [{topic: 't', partitions: [{partition: 1, offset: 5n}]}], timeoutMs: 100}
    expect(encode(DeleteRecords, request, 0)).toEqual([0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 100])
    expect(encode(DeleteRecords, request, 2)).toEqual([2, 2, 0x74, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 100, 0])
  })

  it('sends a null replica list to cancel', () => {
    const bytes = encode(AlterPartitionReassignments, {timeoutMs: 1, topics: [{topic: 't', partitions: [{partition: 0, replicas: null}]}]}, 0)
    expect(bytes).toEqual([0, 0, 0, 1, 2, 2, 0x74, 2, 0, 0, 0, 0, 0, 0, 0, 0])
  })
})

describe('argument parsers', () => {
  it('reads broker lists and offsets (replica assignments: topic-spec.test.ts)', () => {
    expect(parseBrokerList('3, 1,3', '--brokers')).toEqual([3, 1])
    expect(parseTruncateOffset('end', '--before')).toBe(-1)
    expect(parseTruncateOffset('42', '--before')).toBe(42)
    expect(() => parseTruncateOffset('-5', '--before')).toThrow(/offset/)
  })

  it('reads the LeaderElectionCommand JSON file', () => {
    expect(parseElectionFile('{"partitions":[{"topic":"a","partition":1}]}', 'f')).toEqual([{topic: 'a', partition: 1}])
    expect(() => parseElectionFile('{"partitions":[{"topic":"a"}]}', 'f')).toThrow(/expected/)
  })
})
