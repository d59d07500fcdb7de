import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {COMPRESSION_TYPES} from '../../src/kafka/compression.js'
import {recordsOf} from '../../src/kafka/consume.js'
import {decodeConsumerAssignment} from '../../src/kafka/groups.js'
import {Reader} from '../../src/kafka/protocol/codec.js'
import {COMPRESSION_MASK, scanBatches} from '../../src/kafka/protocol/fetch.js'
import {crc32c} from '../../src/kafka/protocol/produce.js'
import {type ApiSpec, readResponse} from '../../src/kafka/protocol/transport.js'
import {CODECS, GROUP, PRODUCED, RECORDS_TOPIC, REQUESTS, TOPIC, TOPIC_VALUES} from '../fixtures/kafka-bytes/requests.js'

/*
 * kadm's decoders on bytes Kafka wrote (test/fixtures/kafka-bytes, made by capture.ts against a
 * real broker): responses as the broker sent them and a log segment as it stored kcat's batches.
 * The expected values come from what capture.ts made (topics, records, a group) and from what
 * Kafka's own tools said about it at the time (facts.json), never from kadm's own encoders.
 */
const DIR = join(import.meta.dirname, '..', 'fixtures', 'kafka-bytes')

interface Facts {
  kafkaVersion: string
  port: number
  clusterId: string
  topicIds: Record<string, string>
  group: {
    offsets: Array<{topic: string; partition: number; current: number; logEnd: number}>
    members: Array<Record<string, string>>
  }
  configs: Record<string, {value: string; sensitive: boolean; synonyms: Array<{source: string; name: string; value: string}>}>
  segment: {
    batches: Array<{baseOffset: number; lastOffset: number; count: number; producerId: number; isTransactional: boolean; createTime: number; size: number; compression: string; crc: number; isValid: boolean}>
    records: Array<{offset: number; createTime: number; keySize: number; valueSize: number; headerKeys: string[]; key: string | null; payload: string | null}>
  }
}

const facts = JSON.parse(readFileSync(join(DIR, 'facts.json'), 'utf8')) as Facts

/** A captured response read as kadm's transport reads it; every byte must be read. */
function decode<Req, Res>({spec, version, request, file}: {spec: ApiSpec<Req, Res>; version: number; request: Req; file: string}): Res {
  const r = new Reader(readFileSync(join(DIR, file)))
  const response = readResponse(spec, version, r, request)
  expect(r.remaining, `${file}: bytes left unread`).toBe(0)
  return response
}

const text = (b: Buffer | null) => (b === null ? null : b.toString())

/** Every batch of `buf` with its records, decoded as console consume decodes what it fetched. */
async function batchesOf(buf: Buffer, topic: string, partition: number) {
  return Promise.all(scanBatches(buf).map(async (header) => {
    const cursor = await recordsOf(buf, header, 0, topic, partition)
    const records = []
    while (cursor.next()) {
      const r = cursor.copy()
      records.push({offset: r.offset, timestamp: r.timestamp, key: text(r.key), value: text(r.value), headers: r.headers.map(([k, v]) => [k, text(v)])})
    }
    return {header, records}
  }))
}

describe(`decoders on bytes Kafka ${facts.kafkaVersion} wrote`, () => {
  it('record batches of a log segment: one per codec, keys, null keys and values, headers, timestamps and CRCs as DumpLogSegments reads them', async () => {
    const segment = readFileSync(join(DIR, 'record-batches.log'))
    const batches = await batchesOf(segment, RECORDS_TOPIC, 0)
    const codecOf = (attributes: number) => Object.entries(COMPRESSION_TYPES).find(([, id]) => id === (attributes & COMPRESSION_MASK))![0]
    expect(batches.map(({header}) => ({
      baseOffset: header.baseOffset,
      lastOffset: header.nextOffset - 1,
      count: header.recordCount,
      producerId: Number(header.producerId),
      createTime: header.maxTimestamp,
      size: header.end - header.start,
      compression: codecOf(header.attributes),
      // The CRC-32C covers the batch from its attributes (byte 21) to its end.
      crc: segment.readUInt32BE(header.start + 17),
      computedCrc: crc32c(segment, header.start + 21, header.end),
    }))).toEqual(facts.segment.batches.map((b) => ({
      baseOffset: b.baseOffset, lastOffset: b.lastOffset, count: b.count, producerId: b.producerId, createTime: b.createTime, size: b.size, compression: b.compression, crc: b.crc, computedCrc: b.crc,
    })))
    expect(batches.map(({header}) => codecOf(header.attributes))).toEqual([...CODECS])
    expect(batches.reduce((end, {header}) => (header.start === end ? header.end : -1), 0)).toBe(segment.length)

    const records = batches.flatMap((b) => b.records)
    expect(records.map(({offset, timestamp, key, value, headers}) => ({offset, timestamp, key, value, headerKeys: headers.map(([k]) => k)})))
      .toEqual(facts.segment.records.map((r) => ({offset: r.offset, timestamp: r.createTime, key: r.key, value: r.payload, headerKeys: r.headerKeys})))
    // What ConsoleProducer was given (DumpLogSegments prints header keys only).
    expect(records.map(({key, value, headers}) => ({key, value, headers}))).toEqual(PRODUCED.map((p) => ({key: p.key, value: p.value, headers: p.headers})))
  })

  it('Metadata: brokers, cluster id, topic ids and partitions', () => {
    const metadata = decode(REQUESTS.metadata)
    const partition = (p: number) => ({errorCode: 0, partition: p, leader: 1, leaderEpoch: 0, replicas: [1], isr: [1], offlineReplicas: []})
    expect({...metadata, topics: [...metadata.topics].sort((a, b) => a.name.localeCompare(b.name))}).toEqual({
      brokers: [{nodeId: 1, host: '127.0.0.1', port: facts.port, rack: null}],
      clusterId: facts.clusterId,
      controllerId: 1,
      topics: [
        {errorCode: 0, name: TOPIC, topicId: facts.topicIds[TOPIC], isInternal: false, partitions: [partition(0), partition(1)]},
        {errorCode: 0, name: RECORDS_TOPIC, topicId: facts.topicIds[RECORDS_TOPIC], isInternal: false, partitions: [partition(0)]},
      ],
    })
  })

  it('ListOffsets: the latest offsets', () => {
    const offsets = decode(REQUESTS.listOffsets).sort((a, b) => a.partition - b.partition)
    expect(offsets).toEqual(facts.group.offsets.map((o) => ({topic: TOPIC, partition: o.partition, errorCode: 0, offset: o.logEnd, timestamp: -1})))
    expect(offsets.map((o) => o.offset)).toEqual(TOPIC_VALUES.map((v) => v.length))
  })

  it('DescribeConfigs: values, sources, sensitivity and synonyms as kafka-configs reads them', () => {
    const [resource] = decode(REQUESTS.describeConfigs)
    // Kafka 4.4 sends an empty error message, not null, for a resource without error.
    expect({...resource, configs: []}).toEqual({errorCode: 0, errorMessage: '', type: 2, name: TOPIC, configs: []})
    const asked = REQUESTS.describeConfigs.request.resources[0].keys!
    expect(resource.configs.map((c) => c.name).sort()).toEqual([...asked].sort())
    for (const c of resource.configs) {
      const tool = facts.configs[c.name]
      expect({value: c.value, sensitive: c.sensitive, readOnly: c.readOnly, source: c.source, synonyms: c.synonyms.map((s) => ({source: s.source, name: s.name, value: s.value}))}, c.name)
        .toEqual({value: tool.value, sensitive: tool.sensitive, readOnly: false, source: tool.synonyms[0].source, synonyms: tool.synonyms})
    }
  })

  it('FindCoordinator, DescribeGroups, ListGroups and OffsetFetch: a classic group with one member (kcat) that committed everything', () => {
    expect(decode(REQUESTS.findCoordinator)).toEqual([{key: GROUP, nodeId: 1, host: '127.0.0.1', port: facts.port, errorCode: 0, errorMessage: ''}])

    const [member] = facts.group.members
    const [group] = decode(REQUESTS.describeGroups)
    expect({...group, members: group.members.map(({metadata, assignment, ...m}) => ({...m, assignment: decodeConsumerAssignment(assignment)}))}).toEqual({
      errorCode: 0, groupId: GROUP, state: 'Stable', protocolType: 'consumer', protocol: 'range',
      members: [{memberId: member['CONSUMER-ID'], groupInstanceId: null, clientId: member['CLIENT-ID'], clientHost: member.HOST, assignment: [{topic: TOPIC, partition: 0}, {topic: TOPIC, partition: 1}]}],
    })
    expect(member['CURRENT-ASSIGNMENT']).toBe(`${TOPIC}:0,1`)

    expect(decode(REQUESTS.listGroups)).toEqual({errorCode: 0, groups: [{groupId: GROUP, protocolType: 'consumer', groupState: 'Stable', groupType: 'classic'}]})

    expect(decode(REQUESTS.offsetFetch)).toEqual([{
      groupId: GROUP, errorCode: 0,
      partitions: facts.group.offsets.map((o) => ({topic: TOPIC, partition: o.partition, offset: BigInt(o.current), metadata: '', errorCode: 0})),
    }])
  })

  it('Fetch: offsets of each partition and its record batches', async () => {
    const partitions = decode(REQUESTS.fetch)
    expect(partitions.map(({records, ...p}) => p)).toEqual(facts.group.offsets.map((o) => ({
      topic: TOPIC, partition: o.partition, errorCode: 0, highWatermark: o.logEnd, lastStableOffset: o.logEnd, logStartOffset: 0, abortedTransactions: [],
    })))
    for (const p of partitions) {
      const records = (await batchesOf(p.records, p.topic, p.partition)).flatMap((b) => b.records)
      expect(records.map(({offset, key, value, headers}) => ({offset, key, value, headers}))).toEqual(TOPIC_VALUES[p.partition].map((value, offset) => ({offset, key: null, value, headers: []})))
    }
  })
})
