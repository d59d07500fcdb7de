import * as Flags from '@oclif/core/flags'

import {OPERATIONS, PERMISSIONS} from '../domain/acls.js'

/** The resource selectors of kafka-acls.sh and rpk, shared by `acls list|create|delete`. */
export const resourceFlags = {
  topic: Flags.string({summary: 'Topic name (or prefix with --resource-pattern-type prefixed).', helpGroup: 'RESOURCE'}),
  group: Flags.string({summary: 'Consumer group id (or prefix).', helpGroup: 'RESOURCE'}),
  cluster: Flags.boolean({summary: 'The cluster resource (kafka-cluster).', helpGroup: 'RESOURCE'}),
  'transactional-id': Flags.string({summary: 'Transactional id (or prefix).', helpGroup: 'RESOURCE'}),
}

/** Filters of `acls list` and `acls delete`. */
export const filterFlags = {
  principal: Flags.string({summary: 'Only ACLs of this principal, e.g. User:alice.'}),
  host: Flags.string({summary: 'Only ACLs for this host (* is the wildcard ACL host).'}),
  operation: Flags.string({summary: 'Only ACLs for this operation.', options: Object.keys(OPERATIONS)}),
  permission: Flags.string({summary: 'Only allow or deny ACLs.', options: Object.keys(PERMISSIONS)}),
}
