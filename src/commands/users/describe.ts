import * as Args from '@oclif/core/args'

import {ClusterCommand} from '../../cluster-command.js'
import {KadmError} from '../../errors.js'
import {type CredentialRow, credentialRows, renderCredentials} from '../../render/users.js'

export default class UsersDescribe extends ClusterCommand {
  static summary = 'Show the SCRAM mechanisms and iterations of the named users.'
  static description = `Fails (exit 1) naming the users that have no SCRAM credential, after nothing is printed. Needs DESCRIBE on the cluster.`
  static strict = false
  static args = {user: Args.string({description: 'User name(s).', required: true, ignoreStdin: true})}
  static examples = [
    {description: 'One user', command: '<%= config.bin %> <%= command.id %> alice'},
    {description: 'Several, as YAML', command: '<%= config.bin %> <%= command.id %> alice bob -o yaml'},
  ]

  async run(): Promise<{credentials: CredentialRow[]}> {
    const {argv, flags} = await this.parse(UsersDescribe)
    this.applyOutputFlags(flags)
    const connection = await this.connect(flags)
    const {describeScramUsers} = await import('../../kafka/users.js')
    const {users, missing} = await describeScramUsers(connection, argv as string[])
    if (missing.length > 0) throw new KadmError(`no SCRAM credentials for user${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`)
    return this.emit({credentials: credentialRows(users)}, (data, chalk) => renderCredentials(data.credentials, chalk))
  }
}
