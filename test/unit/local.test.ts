import {describe, expect, it} from 'vitest'

import {layoutNodes, randomClusterId, serverProperties} from '../../src/local/properties.js'
import {compareVersions, DEFAULT_KAFKA_VERSION, kafkaToolClass, parseVersionSpec, TESTED_KAFKA_VERSIONS} from '../../src/local/versions.js'

describe('parseVersionSpec', () => {
  it('reads exact versions and lines', () => {
    expect(parseVersionSpec('4.3.1')).toEqual({kind: 'exact', version: '4.3.1'})
    expect(parseVersionSpec('4.x')).toEqual({kind: 'range', range: '[4,5)', label: '4.x'})
    expect(parseVersionSpec('4')).toEqual({kind: 'range', range: '[4,5)', label: '4.x'})
    expect(parseVersionSpec('3.9.x')).toEqual({kind: 'range', range: '[3.9,3.10)', label: '3.9.x'})
    expect(parseVersionSpec('3.9')).toEqual({kind: 'range', range: '[3.9,3.10)', label: '3.9.x'})
  })

  it('rejects anything else as a usage error', () => {
    expect(() => parseVersionSpec('latest')).toThrow(/not a version/)
    expect(() => parseVersionSpec('4.x.1')).toThrow(/not a version/)
  })

  it('knows where the tools that moved live in each release', () => {
    expect(kafkaToolClass('ConsoleProducer', '3.9.2')).toBe('kafka.tools.ConsoleProducer')
    expect(kafkaToolClass('ConsoleProducer', '4.0.0')).toBe('org.apache.kafka.tools.ConsoleProducer')
    expect(kafkaToolClass('ConfigCommand', '4.3.1')).toBe('kafka.admin.ConfigCommand')
    expect(kafkaToolClass('ConfigCommand', '4.4.0')).toBe('org.apache.kafka.tools.ConfigCommand')
    expect(kafkaToolClass('ConfigCommand', '4.10.0')).toBe('org.apache.kafka.tools.ConfigCommand')
    expect(kafkaToolClass('AclCommand', '3.9.2')).toBe('kafka.admin.AclCommand')
    expect(kafkaToolClass('TopicCommand', '3.9.2')).toBe('org.apache.kafka.tools.TopicCommand')
  })

  it('compares releases by number, not by text', () => {
    expect(compareVersions('4.10.0', '4.4.0')).toBe(1)
    expect(compareVersions('3.9.2', '4.0.0')).toBe(-1)
    expect(compareVersions('4.4.0', '4.4.0')).toBe(0)
  })

  it('pins the tested releases, newest first, and defaults to the newest', () => {
    expect(TESTED_KAFKA_VERSIONS.every((v) => /^\d+\.\d+\.\d+$/.test(v))).toBe(true)
    expect([...TESTED_KAFKA_VERSIONS].sort(compareVersions).reverse()).toEqual([...TESTED_KAFKA_VERSIONS])
    expect(DEFAULT_KAFKA_VERSION).toBe(TESTED_KAFKA_VERSIONS[0])
  })
})

describe('serverProperties', () => {
  const nodes = layoutNodes(3, 9092, (id) => `/data/${id}`)

  it('lays out broker and controller ports', () => {
    expect(nodes.map((n) => [n.id, n.port, n.controllerPort])).toEqual([[1, 9092, 9192], [2, 9093, 9193], [3, 9094, 9194]])
  })

  it('writes a combined KRaft node with internal topics sized to the cluster', () => {
    const props = serverProperties(nodes[1], nodes, 4)
    expect(props).toContain('process.roles=broker,controller\n')
    expect(props).toContain('node.id=2\n')
    expect(props).toContain('controller.quorum.voters=1@127.0.0.1:9192,2@127.0.0.1:9193,3@127.0.0.1:9194\n')
    expect(props).toContain('listeners=PLAINTEXT://127.0.0.1:9093,CONTROLLER://127.0.0.1:9193\n')
    expect(props).toContain('offsets.topic.replication.factor=3\n')
    expect(props).toContain('transaction.state.log.min.isr=2\n')
    expect(props).toContain('share.coordinator.state.topic.replication.factor=3\n')
    expect(props).toContain('log.dirs=/data/2\n')
  })

  it('leaves share-group settings out before Kafka 4 and sizes one node to RF 1', () => {
    const one = layoutNodes(1, 9092, () => '/d')
    const props = serverProperties(one[0], one, 3)
    expect(props).not.toContain('share.coordinator')
    expect(props).toContain('offsets.topic.replication.factor=1\n')
    expect(props).toContain('transaction.state.log.min.isr=1\n')
  })

  it('gives each node several log dirs on request, the first one where a single dir would be', () => {
    const two = layoutNodes(2, 9092, (id) => `/data/${id}`, 2)
    expect(two.map((n) => [n.logDir, n.logDirs])).toEqual([['/data/1', ['/data/1', '/data/1-2']], ['/data/2', ['/data/2', '/data/2-2']]])
    expect(serverProperties(two[1], two, 4)).toContain('log.dirs=/data/2,/data/2-2\n')
    // A state file written before log dirs were configurable has no logDirs: one dir.
    expect(serverProperties({id: 1, port: 9092, controllerPort: 9192, logDir: '/old'}, [{id: 1, port: 9092, controllerPort: 9192, logDir: '/old'}], 4)).toContain('log.dirs=/old\n')
  })

  it('makes cluster ids Kafka accepts', () => {
    for (let i = 0; i < 200; i++) {
      const id = randomClusterId()
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/)
      expect(Buffer.from(id, 'base64url')).toHaveLength(16)
    }
  })
})
