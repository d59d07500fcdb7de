import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {type AclBinding, OPERATIONS, planAclBindings} from '../../domain/acls.js'
import {resourceFlags} from '../../flags/acls.js'
import {renderAcls} from '../../render/acls.js'

export default class AclsCreate extends ClusterCommand {
  static summary = 'Create ACLs: each principal x host x operation on one resource, allowed or denied.'
  static description = `Like kafka-acls.sh --add: --allow-principal and --deny-principal (repeatable) say who, --operation (repeatable) what, --allow-host/--deny-host from where (default *), and one of --topic, --group, --cluster, --transactional-id on what. All ACLs go in one CreateAcls request; creating an ACL that exists is not an error. Needs ALTER on the cluster.`
  static examples = [
    {description: 'Let alice read a topic', command: '<%= config.bin %> <%= command.id %> --allow-principal User:alice --operation read --operation describe --topic orders'},
    {description: '... and use its consumer group', command: '<%= config.bin %> <%= command.id %> --allow-principal User:alice --operation read --group orders-app'},
    {description: 'Every topic starting with "logs-", for producers', command: '<%= config.bin %> <%= command.id %> --allow-principal User:shipper --operation write --topic logs- --resource-pattern-type prefixed'},
    {description: 'Show what would be created', command: '<%= config.bin %> <%= command.id %> --deny-principal User:mallory --operation all --cluster --dry-run'},
  ]

  static flags = {
    ...resourceFlags,
    'resource-pattern-type': Flags.string({summary: 'literal (the exact name, or * for all) or prefixed.', options: ['literal', 'prefixed'], default: 'literal', helpGroup: 'RESOURCE'}),
    'allow-principal': Flags.string({summary: 'Principal to allow, e.g. User:alice (repeatable).', multiple: true, multipleNonGreedy: true}),
    'deny-principal': Flags.string({summary: 'Principal to deny (repeatable).', multiple: true, multipleNonGreedy: true}),
    'allow-host': Flags.string({summary: 'Host the allowed principals may connect from (repeatable; default *).', multiple: true, multipleNonGreedy: true}),
    'deny-host': Flags.string({summary: 'Host the denied principals are denied from (repeatable; default *).', multiple: true, multipleNonGreedy: true}),
    operation: Flags.string({summary: 'Operation (repeatable).', options: Object.keys(OPERATIONS).filter((o) => o !== 'any'), multiple: true, multipleNonGreedy: true, required: true}),
    'dry-run': Flags.boolean({summary: 'Print the ACLs that would be created and create nothing.'}),
  }

  async run(): Promise<{dryRun: boolean; created: AclBinding[]}> {
    const {flags} = await this.parse(AclsCreate)
    this.applyOutputFlags(flags)
    const acls = planAclBindings(flags)
    if (!flags['dry-run']) {
      const connection = await this.connect(flags)
      const {createAcls} = await import('../../kafka/acls.js')
      await createAcls(connection, acls)
    }
    if (this.format === 'table') this.note(`${flags['dry-run'] ? 'would create' : 'created'} ${acls.length} ACL(s)${flags['dry-run'] ? ' (dry run: nothing changed)' : ''}`)
    return this.emit({dryRun: flags['dry-run'], created: acls}, (r, chalk) => renderAcls(r.created, chalk))
  }
}
