import {ClusterCommand} from '../../cluster-command.js'
import {type CredentialRow, credentialRows, renderCredentials} from '../../render/users.js'

export default class UsersList extends ClusterCommand {
  static summary = 'List the users that have SCRAM credentials, with each mechanism and its iterations.'
  static description = `One DescribeUserScramCredentials request (KIP-554) to any broker. Kafka keeps only a salted hash of each password: neither kadm nor Kafka's tools can show a password. Needs DESCRIBE on the cluster.`
  static examples = [
    {description: 'Every SCRAM user', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'As JSON', command: '<%= config.bin %> <%= command.id %> -o json'},
  ]

  async run(): Promise<{credentials: CredentialRow[]}> {
    const {flags} = await this.parse(UsersList)
    this.applyOutputFlags(flags)
    const connection = await this.connect(flags)
    const {describeScramUsers} = await import('../../kafka/users.js')
    const {users} = await describeScramUsers(connection, null)
    if (users.length === 0 && this.format === 'table') this.note('no user has SCRAM credentials')
    return this.emit({credentials: credentialRows(users)}, (data, chalk) => renderCredentials(data.credentials, chalk))
  }
}
