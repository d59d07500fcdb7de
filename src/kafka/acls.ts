import type {AclFilter as KafkaAclFilter, AclEntry, AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes} from 'kafkajs'

import {
  type AclBinding, type AclFilter, codeOf, nameOf, OPERATIONS, PATTERN_TYPES, PERMISSIONS, RESOURCE_TYPES, sortAcls,
} from '../domain/acls.js'
import type {KafkaConnection} from './client.js'

// kafkajs's ACL enums carry Kafka's protocol codes, the same numbers the domain tables hold.
function toFilter(filter: AclFilter): KafkaAclFilter {
  return {
    resourceType: codeOf(RESOURCE_TYPES, filter.resourceType, 'resource type') as unknown as AclResourceTypes,
    resourceName: filter.resourceName,
    resourcePatternType: codeOf(PATTERN_TYPES, filter.patternType, 'pattern type') as unknown as ResourcePatternTypes,
    principal: filter.principal,
    host: filter.host,
    operation: codeOf(OPERATIONS, filter.operation, 'operation') as unknown as AclOperationTypes,
    permissionType: codeOf(PERMISSIONS, filter.permission, 'permission') as unknown as AclPermissionTypes,
  }
}

function toEntry(acl: AclBinding): AclEntry {
  return {...toFilter(acl), resourceName: acl.resourceName, principal: acl.principal, host: acl.host} as AclEntry
}

interface RawAcl {
  principal: string
  host: string
  operation: number
  permissionType: number
}

function fromRaw(resource: {resourceType: number; resourceName: string; resourcePatternType: number}, acl: RawAcl): AclBinding {
  return {
    principal: acl.principal,
    host: acl.host,
    operation: nameOf(OPERATIONS, acl.operation) as AclBinding['operation'],
    permission: nameOf(PERMISSIONS, acl.permissionType) as AclBinding['permission'],
    resourceType: nameOf(RESOURCE_TYPES, resource.resourceType) as AclBinding['resourceType'],
    resourceName: resource.resourceName,
    patternType: nameOf(PATTERN_TYPES, resource.resourcePatternType) as AclBinding['patternType'],
  }
}

/** DescribeAcls: every ACL matching the filter. */
export async function listAcls(connection: KafkaConnection, filter: AclFilter): Promise<AclBinding[]> {
  const admin = await connection.admin()
  const response = await connection.guard(admin.describeAcls(toFilter(filter)), 'DescribeAcls request')
  return sortAcls(response.resources.flatMap((r) => r.acls.map((a) => fromRaw(r, a as unknown as RawAcl))))
}

/** CreateAcls: all bindings in one request. */
export async function createAcls(connection: KafkaConnection, acls: AclBinding[]): Promise<void> {
  const admin = await connection.admin()
  await connection.guard(admin.createAcls({acl: acls.map(toEntry)}), 'CreateAcls request')
}

/** DeleteAcls with one filter; returns the ACLs the broker deleted. */
export async function deleteAcls(connection: KafkaConnection, filter: AclFilter): Promise<AclBinding[]> {
  const admin = await connection.admin()
  const response = await connection.guard(admin.deleteAcls({filters: [toFilter(filter)]}), 'DeleteAcls request')
  return sortAcls(response.filterResponses.flatMap((f) => f.matchingAcls.map((m) => fromRaw(m, m as unknown as RawAcl))))
}
