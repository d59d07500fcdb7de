import type {ChalkInstance} from 'chalk'

import type {AclBinding} from '../domain/acls.js'
import {renderTable} from './table.js'

/** One ACL per line, in the order kafka-acls.sh and rpk print the parts of a binding. */
export function renderAcls(acls: AclBinding[], chalk: ChalkInstance): string {
  if (acls.length === 0) return ''
  return renderTable(acls, [
    {header: 'PRINCIPAL', value: (a) => a.principal},
    {header: 'HOST', value: (a) => a.host},
    {header: 'RESOURCE-TYPE', value: (a) => a.resourceType},
    {header: 'RESOURCE-NAME', value: (a) => a.resourceName},
    {header: 'PATTERN', value: (a) => a.patternType},
    {header: 'OPERATION', value: (a) => a.operation},
    {header: 'PERMISSION', value: (a) => a.permission, colour: (t) => (t === 'deny' ? chalk.red(t) : chalk.green(t))},
  ], chalk)
}
