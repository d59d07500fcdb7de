import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {type AclBinding, aclFilter} from '../../domain/acls.js'
import {filterFlags, resourceFlags} from '../../flags/acls.js'
import {renderAcls} from '../../render/acls.js'

export default class AclsList extends ClusterCommand {
  static summary = 'List ACLs, optionally only those of a resource, principal, host, operation or permission.'
  static description = `One DescribeAcls request. Without a resource flag every resource is matched; --resource-pattern-type defaults to any (literal and prefixed ACLs alike); "match" finds every ACL that applies to the named resource, wildcard and prefixed ones included. Needs DESCRIBE on the cluster.`
  static examples = [
    {description: 'Every ACL', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'ACLs of one principal', command: '<%= config.bin %> <%= command.id %> --principal User:alice'},
    {description: 'Every ACL that applies to a topic (literal, prefixed and *)', command: '<%= config.bin %> <%= command.id %> --topic orders --resource-pattern-type match -o json'},
  ]

  static flags = {
    ...resourceFlags,
    'resource-pattern-type': Flags.string({summary: 'Pattern type to match (default any).', options: ['any', 'match', 'literal', 'prefixed'], helpGroup: 'RESOURCE'}),
    ...filterFlags,
  }

  async run(): Promise<{acls: AclBinding[]}> {
    const {flags} = await this.parse(AclsList)
    this.applyOutputFlags(flags)
    const filter = aclFilter(flags, 'list')
    const connection = await this.connect(flags)
    const {listAcls} = await import('../../kafka/acls.js')
    const acls = await listAcls(connection, filter)
    if (acls.length === 0 && this.format === 'table') this.note('no ACLs match')
    return this.emit({acls}, (data, chalk) => renderAcls(data.acls, chalk))
  }
}
