import {describe, expect, it} from 'vitest'

import type {TopicDescription, TopicSummary} from '../../src/kafka/topics.js'
import {makeChalk} from '../../src/render/colour.js'
import {configValue, renderConfigEntries} from '../../src/render/configs.js'
import {displayWidth, renderTable} from '../../src/render/table.js'
import {healthText, renderTopicDescriptions, renderTopicList} from '../../src/render/topics.js'

const plain = makeChalk(false)
const health = {partitions: 3, unavailable: 0, underReplicated: 0, underMinIsr: 0, atMinIsr: 0, notPreferredLeader: 0}

describe('topic tables', () => {
  it('health text names each problem, or ok', () => {
    expect(healthText(health)).toBe('ok')
    expect(healthText({...health, atMinIsr: 3, notPreferredLeader: 1})).toBe('ok')
    expect(healthText({...health, unavailable: 1, underMinIsr: 2, underReplicated: 2})).toBe('1 unavailable, 2 under-min-isr, 2 under-replicated')
  })

  it('lists topics in aligned columns', () => {
    const rows: TopicSummary[] = [
      {name: 'orders', topicId: 'x', internal: false, partitions: 12, replicationFactor: 3, minInsyncReplicas: 2, health},
      {name: 'payments', topicId: 'y', internal: false, partitions: 6, replicationFactor: 3, minInsyncReplicas: 2, health: {...health, underReplicated: 1}},
    ]
    expect(renderTopicList(rows, plain)).toBe([
      'NAME      PARTITIONS  REPLICAS  HEALTH',
      'orders            12         3  ok',
      'payments           6         3  1 under-replicated',
    ].join('\n'))
    expect(renderTopicList([], plain)).toBe('')
  })

  it('describes a topic: header, non-default configs, partitions with offsets and markers', () => {
    const topic: TopicDescription = {
      name: 'orders', topicId: 'AAECAwQFBgcICQoLDA0ODw', internal: false, partitionCount: 2, replicationFactor: 2, minInsyncReplicas: 2,
      configs: [{name: 'retention.ms', value: '1000', source: 'DYNAMIC_TOPIC_CONFIG', sensitive: false, readOnly: false, synonyms: []}],
      partitions: [
        {partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2], offlineReplicas: [], earliestOffset: 5, latestOffset: 12, records: 7, markers: []},
        {partition: 1, leader: null, replicas: [2, 1], isr: [2], offlineReplicas: [1], earliestOffset: null, latestOffset: null, records: null, markers: ['unavailable', 'under-replicated', 'under-min-isr'], error: 'LEADER_NOT_AVAILABLE'},
      ],
    }
    expect(renderTopicDescriptions([topic], plain)).toBe([
      'Topic:              orders',
      'Topic ID:           AAECAwQFBgcICQoLDA0ODw',
      'Partitions:         2',
      'Replication factor: 2',
      'Min ISR:            2',
      'Configs:            retention.ms=1000',
      '',
      'PARTITION  LEADER  REPLICAS  ISR  OFFLINE  EARLIEST  LATEST  RECORDS  MARKERS',
      '        0       1  1,2       1,2  -               5      12        7',
      '        1    none  2,1       2    1               ?       ?        ?  unavailable under-replicated under-min-isr LEADER_NOT_AVAILABLE',
    ].join('\n'))
  })
})

describe('config tables', () => {
  it('never shows a sensitive value', () => {
    expect(configValue({value: 'secret', sensitive: true})).toBe('[sensitive]')
    expect(configValue({value: null, sensitive: false})).toBe('(null)')
    const text = renderConfigEntries([{name: 'sasl.jaas.config', value: null, source: 'STATIC_BROKER_CONFIG', sensitive: true, readOnly: false, synonyms: []}], plain)
    expect(text).toBe('NAME              VALUE        SOURCE         SENSITIVE  READ-ONLY\nsasl.jaas.config  [sensitive]  static-broker  yes        no')
  })
})

describe('renderTable (drawn without cli-table3, same layout)', () => {
  const columns = [
    {header: 'NAME', value: (r: {a: string; n: number; s: string | null}) => r.a},
    {header: 'N', value: (r: {n: number}) => r.n, align: 'right' as const},
    {header: 'S', value: (r: {s: string | null}) => r.s, colour: (t: string) => makeChalk(true).red(t)},
  ]

  it('aligns by visible width: colour codes take no room, wide characters two columns', () => {
    const coloured = makeChalk(true)
    expect(renderTable([{a: 'x', n: 1, s: null}, {a: 'longer-name', n: 12345, s: 'héllo'}], columns, coloured)).toBe(
      '\u001b[1mNAME\u001b[22m             \u001b[1mN\u001b[22m  \u001b[1mS\u001b[22m\nx                1  \u001b[31m-\u001b[39m\nlonger-name  12345  \u001b[31mhéllo\u001b[39m')
    expect(renderTable([{a: '日本語', b: 'x'}, {a: 'ab', b: ''}], [{header: 'WIDE', value: (r: {a: string}) => r.a}, {header: 'B', value: (r: {b: string}) => r.b, align: 'right'}], plain))
      .toBe('WIDE    B\n日本語  x\nab')
    expect(displayWidth('\u001b[31m日本\u001b[39m-x')).toBe(6)
  })

  it('draws only the header for no rows, and multi-line cells as taller rows', () => {
    expect(renderTable([], [{header: 'ONLY', value: () => 1}], plain)).toBe('ONLY')
    expect(renderTable([{a: 'two\nlines', b: 'x'}], [{header: 'A', value: (r: {a: string}) => r.a}, {header: 'B', value: (r: {b: string}) => r.b}], plain)).toBe('A      B\ntwo    x\nlines')
  })
})
