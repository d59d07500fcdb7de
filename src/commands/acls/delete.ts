import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {type AclBinding, aclFilter} from '../../domain/acls.js'
import {filterFlags, resourceFlags} from '../../flags/acls.js'
import {renderAcls} from '../../render/acls.js'

export default class AclsDelete extends ClusterCommand {
  static summary = 'Delete the ACLs matching a resource and/or principal (with host, operation, permission filters).'
  static description = `Lists the matching ACLs first (DescribeAcls), asks on a terminal, then deletes them with one DeleteAcls request and prints what the broker deleted. Without a terminal --yes is required. A resource or --principal is required, so a bare delete cannot remove every ACL; --resource-pattern-type defaults to literal when a resource is named. Needs ALTER on the cluster.`
  static examples = [
    {description: "Remove alice's READ on a topic", command: '<%= config.bin %> <%= command.id %> --topic orders --principal User:alice --operation read --yes'},
    {description: 'What would go if every ACL of a principal were deleted', command: '<%= config.bin %> <%= command.id %> --principal User:bob --resource-pattern-type any --dry-run'},
  ]

  static flags = {
    ...resourceFlags,
    'resource-pattern-type': Flags.string({summary: 'Pattern type to match (default literal with a resource, else any).', options: ['any', 'match', 'literal', 'prefixed'], helpGroup: 'RESOURCE'}),
    ...filterFlags,
    'dry-run': Flags.boolean({summary: 'Print the ACLs that would be deleted and delete nothing.'}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation (required without a terminal).'}),
  }

  async run(): Promise<{dryRun: boolean; deleted: AclBinding[]}> {
    const {flags} = await this.parse(AclsDelete)
    this.applyOutputFlags(flags)
    const filter = aclFilter(flags, 'delete')
    const connection = await this.connect(flags)
    const {deleteAcls, listAcls} = await import('../../kafka/acls.js')
    const matching = await listAcls(connection, filter)
    const render = (r: {deleted: AclBinding[]}, chalk: Parameters<typeof renderAcls>[1]) => renderAcls(r.deleted, chalk)
    if (matching.length === 0) {
      this.note('no ACLs match: nothing to delete')
      return this.emit({dryRun: flags['dry-run'], deleted: []}, render)
    }
    if (flags['dry-run']) {
      if (this.format === 'table') this.note(`would delete ${matching.length} ACL(s) (dry run: nothing changed)`)
      return this.emit({dryRun: true, deleted: matching}, render)
    }
    if (!flags.yes) process.stderr.write(renderAcls(matching, this.chalk) + '\n')
    await this.confirmUnlessYes(flags.yes, `deleting ${matching.length} ACL(s) cannot be undone`, `Delete these ${matching.length} ACL(s)?`)
    const deleted = await deleteAcls(connection, filter)
    if (this.format === 'table') this.note(`deleted ${deleted.length} ACL(s)`)
    return this.emit({dryRun: false, deleted}, render)
  }
}
