import {describe, expect, it} from 'vitest'

import {featureLevelName, metadataVersionLevel, releaseFeatureLevels, requestedFeatureLevels} from '../../src/domain/features.js'
import {Reader, Writer} from '../../src/kafka/protocol/codec.js'
import {negotiateVersion} from '../../src/kafka/protocol/transport.js'
import {UpdateFeatures} from '../../src/kafka/protocol/update-features.js'

describe('metadata.version by release', () => {
  it('reads a full name exactly and a release as its last level, as kafka-features.sh does', () => {
    expect(metadataVersionLevel('3.7-IV4')).toBe(19)
    expect(metadataVersionLevel('3.7')).toBe(19)
    expect(metadataVersionLevel('3.7-IV0')).toBe(15)
    expect(metadataVersionLevel('4.4')).toBe(33)
    expect(featureLevelName('metadata.version', metadataVersionLevel('3.9'))).toBe('3.9-IV0')
    expect(() => metadataVersionLevel('3.77')).toThrow('unknown release "3.77"')
    expect(() => metadataVersionLevel('3.7-IV9')).toThrow('unknown release "3.7-IV9"')
  })

  // What `kafka-features.sh version-mapping --release-version R` of Kafka 4.4.0 prints (features at 0 left out).
  it.each([
    ['3.7', {'metadata.version': 19}],
    ['3.9', {'metadata.version': 21, 'kraft.version': 1}],
    ['4.0-IV1', {'metadata.version': 23, 'kraft.version': 1, 'group.version': 1}],
    ['4.0', {'metadata.version': 25, 'kraft.version': 1, 'transaction.version': 2, 'group.version': 1}],
    ['4.1', {'metadata.version': 27, 'kraft.version': 1, 'transaction.version': 2, 'group.version': 1, 'eligible.leader.replicas.version': 1}],
    ['4.2-IV0', {'metadata.version': 28, 'kraft.version': 1, 'transaction.version': 2, 'group.version': 1, 'eligible.leader.replicas.version': 1, 'share.version': 1}],
    ['4.2', {'metadata.version': 29, 'kraft.version': 1, 'transaction.version': 2, 'group.version': 1, 'eligible.leader.replicas.version': 1, 'share.version': 1, 'streams.version': 1}],
    ['4.4', {'metadata.version': 33, 'kraft.version': 1, 'transaction.version': 2, 'group.version': 1, 'eligible.leader.replicas.version': 1, 'share.version': 2, 'streams.version': 1}],
  ])('--release-version %s', (release, levels) => {
    expect(Object.fromEntries(releaseFeatureLevels(release).map((f) => [f.feature, f.level]))).toEqual(levels)
  })
})

describe('the levels asked for by the flags', () => {
  it('--metadata and --feature together, a metadata.version level by number or name', () => {
    expect(requestedFeatureLevels({metadata: '3.8', feature: ['group.version=1']})).toEqual([{feature: 'metadata.version', level: 20}, {feature: 'group.version', level: 1}])
    expect(requestedFeatureLevels({feature: ['metadata.version=3.9-IV0', 'kraft.version=0']})).toEqual([{feature: 'metadata.version', level: 21}, {feature: 'kraft.version', level: 0}])
  })

  it('refuses what kafka-features.sh refuses, as usage errors', () => {
    const refusal = (flags: Parameters<typeof requestedFeatureLevels>[0]) => {
      try {
        requestedFeatureLevels(flags)
      } catch (error) {
        return [(error as {exitCode: number}).exitCode, (error as Error).message]
      }
      return undefined
    }
    expect(refusal({})).toEqual([2, 'nothing to change: pass --release-version, --metadata or --feature NAME=LEVEL'])
    expect(refusal({'release-version': '4.0', feature: ['group.version=1']})).toEqual([2, '--release-version sets every feature: leave out --metadata and --feature'])
    expect(refusal({feature: ['group.version=1', 'group.version=0']})).toEqual([2, 'group.version is given twice'])
    expect(refusal({feature: ['group.version=-1']})).toEqual([2, '--feature "group.version=-1": the level must be a whole number from 0 to 32767'])
    expect(refusal({feature: ['group.version=40000']})).toEqual([2, '--feature "group.version=40000": the level must be a whole number from 0 to 32767'])
    expect(refusal({feature: ['=1']})).toEqual([2, '--feature "=1": expected NAME=LEVEL, e.g. group.version=1'])
  })
})

describe('UpdateFeatures', () => {
  it('encodes v1-2 requests: timeout, updates with their upgrade type, validateOnly', () => {
    const w = new Writer()
    UpdateFeatures.encode(w, {timeoutMs: 30_000, updates: [{feature: 'mv', level: 20, upgradeType: 'unsafe-downgrade'}], validateOnly: true}, 1)
    // int32 30000, 1 update (uvarint 2), "mv" (uvarint 3 + 2 bytes), int16 20, int8 3, tags, validateOnly, tags
    expect([...w.toBuffer()]).toEqual([0, 0, 0x75, 0x30, 2, 3, 0x6d, 0x76, 0, 20, 3, 0, 1, 0])
  })

  it('names the Kafka release it needs when a broker has only v0 (Kafka 2.7-3.2)', () => {
    const broker = (max: number) => ({versions: {57: {minVersion: 0, maxVersion: max}}, connectionPool: {host: 'h', port: 1}})
    expect(negotiateVersion(UpdateFeatures, broker(1))).toBe(1)
    expect(() => negotiateVersion(UpdateFeatures, broker(0))).toThrow(/^broker h:1 supports UpdateFeatures v0-0, kadm needs v1-2 \(Kafka 3\.3 or later\)$/)
  })

  it('decodes per-feature results up to v1 and the top-level error only from v2', () => {
    const v1 = new Writer().int32(0).int16(0).compactString(null)
    v1.compactArray([0], (w) => w.compactString('mv').int16(95).compactString('no').tags()).tags()
    expect(UpdateFeatures.decode(new Reader(v1.toBuffer()), 1)).toEqual({errorCode: 0, errorMessage: null, results: [{feature: 'mv', errorCode: 95, errorMessage: 'no'}]})
    const v2 = new Writer().int32(0).int16(95).compactString('refused').tags()
    expect(UpdateFeatures.decode(new Reader(v2.toBuffer()), 2)).toEqual({errorCode: 95, errorMessage: 'refused', results: []})
  })
})
