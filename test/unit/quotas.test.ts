import {describe, expect, it} from 'vitest'

import {entityFromFlags, entityName, parseQuotaSettings, type QuotaEntity, resolveQuotas} from '../../src/domain/quotas.js'

const entry = (entity: QuotaEntity, quotas: Record<string, number>) => ({entity, name: entityName(entity), quotas})

describe('resolveQuotas', () => {
  it('takes each key from the first entity of Kafka\'s eight that sets it', () => {
    const entries = [
      entry({'client-id': null}, {producer_byte_rate: 8, consumer_byte_rate: 8, request_percentage: 8, controller_mutation_rate: 8}),
      entry({'client-id': 'c'}, {producer_byte_rate: 7, consumer_byte_rate: 7, request_percentage: 7}),
      entry({user: null}, {producer_byte_rate: 6, consumer_byte_rate: 6}),
      entry({user: null, 'client-id': null}, {producer_byte_rate: 5}),
      entry({user: 'other'}, {producer_byte_rate: 1, consumer_byte_rate: 1, request_percentage: 1, controller_mutation_rate: 1}),
    ]
    expect(resolveQuotas(entries, 'u', 'c')).toEqual([
      {key: 'producer_byte_rate', value: 5, from: 'user=<default>, client-id=<default>'},
      {key: 'consumer_byte_rate', value: 6, from: 'user=<default>'},
      {key: 'request_percentage', value: 7, from: 'client-id=c'},
      {key: 'controller_mutation_rate', value: 8, from: 'client-id=<default>'},
    ])
    expect(resolveQuotas([entry({user: 'u', 'client-id': 'c'}, {request_percentage: 1}), entry({user: 'u', 'client-id': null}, {request_percentage: 2}), entry({user: 'u'}, {request_percentage: 3}), entry({user: null, 'client-id': 'c'}, {request_percentage: 4})], 'u', 'c')[2])
      .toEqual({key: 'request_percentage', value: 1, from: 'user=u, client-id=c'})
    expect(resolveQuotas([], 'u', 'c')[0]).toEqual({key: 'producer_byte_rate', value: null, from: null})
  })
})

describe('entities and settings', () => {
  it('reads an entity from flags and refuses impossible ones', () => {
    expect(entityFromFlags({user: 'a', 'client-id-default': true})).toEqual({user: 'a', 'client-id': null})
    expect(entityFromFlags({})).toBeUndefined()
    expect(() => entityFromFlags({ip: '1.2.3.4', user: 'a'})).toThrow('an IP quota stands alone')
    expect(() => entityFromFlags({user: 'a', 'user-default': true})).toThrow('--user and --user-default cannot go together')
  })

  it('accepts known keys with positive numbers only', () => {
    expect(parseQuotaSettings({user: 'a'}, ['producer_byte_rate=1024', 'request_percentage=12.5'])).toEqual({producer_byte_rate: 1024, request_percentage: 12.5})
    expect(() => parseQuotaSettings({user: 'a'}, ['producer_byte_rate=0'])).toThrow('the value must be a number above 0')
    expect(() => parseQuotaSettings({user: 'a'}, ['producer_byte_rate='])).toThrow('the value must be a number above 0')
    expect(() => parseQuotaSettings({user: 'a'}, ['connection_creation_rate=1'])).toThrow('is not a quota of users and client ids')
  })
})
