import {describe, expect, it} from 'vitest'

import {aclFilter, planAclBindings} from '../../src/domain/acls.js'

describe('planAclBindings (acls create)', () => {
  it('expands principals x hosts x operations, allow and deny, on one resource', () => {
    const acls = planAclBindings({
      topic: 'orders',
      'allow-principal': ['User:alice', 'User:bob'],
      'allow-host': ['10.0.0.1'],
      'deny-principal': ['User:mallory'],
      operation: ['read', 'DESCRIBE'],
    })
    expect(acls).toHaveLength(6)
    expect(acls).toContainEqual({principal: 'User:bob', host: '10.0.0.1', operation: 'describe', permission: 'allow', resourceType: 'topic', resourceName: 'orders', patternType: 'literal'})
    expect(acls).toContainEqual({principal: 'User:mallory', host: '*', operation: 'read', permission: 'deny', resourceType: 'topic', resourceName: 'orders', patternType: 'literal'})
  })

  it('takes prefixed patterns, the cluster resource and drops duplicates', () => {
    expect(planAclBindings({group: 'app-', 'resource-pattern-type': 'prefixed', 'allow-principal': ['User:a', 'User:a'], operation: ['read']}))
      .toEqual([{principal: 'User:a', host: '*', operation: 'read', permission: 'allow', resourceType: 'group', resourceName: 'app-', patternType: 'prefixed'}])
    expect(planAclBindings({cluster: true, 'allow-principal': ['User:ops'], operation: ['alter']})[0]).toMatchObject({resourceType: 'cluster', resourceName: 'kafka-cluster'})
  })

  it('refuses incomplete or ambiguous requests with a usage error', () => {
    expect(() => planAclBindings({'allow-principal': ['User:a'], operation: ['read']})).toThrow(/name the resource/)
    expect(() => planAclBindings({topic: 't', group: 'g', 'allow-principal': ['User:a'], operation: ['read']})).toThrow(/give one resource/)
    expect(() => planAclBindings({topic: 't', operation: ['read']})).toThrow(/--allow-principal or --deny-principal/)
    expect(() => planAclBindings({topic: 't', 'allow-principal': ['alice'], operation: ['read']})).toThrow(/TYPE:NAME/)
    expect(() => planAclBindings({topic: 't', 'allow-principal': ['User:a'], operation: []})).toThrow(/--operation/)
    expect(() => planAclBindings({topic: 't', 'allow-principal': ['User:a'], operation: ['any']})).toThrow(/only filters/)
    expect(() => planAclBindings({topic: 't', 'allow-principal': ['User:a'], operation: ['fly']})).toThrow(/unknown operation "fly"/)
    expect(() => planAclBindings({topic: 't', 'resource-pattern-type': 'match', 'allow-principal': ['User:a'], operation: ['read']})).toThrow(/literal, prefixed/)
    expect(() => planAclBindings({cluster: true, 'resource-pattern-type': 'prefixed', 'allow-principal': ['User:a'], operation: ['alter']})).toThrow(/always literal/)
  })
})

describe('aclFilter (acls list / delete)', () => {
  it('list matches everything by default', () => {
    expect(aclFilter({}, 'list')).toEqual({resourceType: 'any', resourceName: undefined, patternType: 'any', principal: undefined, host: undefined, operation: 'any', permission: 'any'})
  })

  it('delete defaults to literal for a named resource and needs a resource or principal', () => {
    expect(aclFilter({topic: 't', principal: 'User:a', operation: 'read', permission: 'allow'}, 'delete'))
      .toEqual({resourceType: 'topic', resourceName: 't', patternType: 'literal', principal: 'User:a', host: undefined, operation: 'read', permission: 'allow'})
    expect(aclFilter({principal: 'User:a'}, 'delete').patternType).toBe('any')
    expect(() => aclFilter({}, 'delete')).toThrow(/name what to delete/)
  })
})
