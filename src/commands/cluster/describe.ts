import {ClusterCommand} from '../../cluster-command.js'
import type {ClusterDescription} from '../../kafka/cluster.js'
import {renderClusterDescription} from '../../render/cluster.js'

export default class ClusterDescribe extends ClusterCommand {
  static summary = 'Show the cluster id, the active controller and every broker with its leader and replica counts.'
  static description = `Brokers come from one Metadata request. Under KRaft the "controller" that Metadata reports is a random broker, so kadm asks DescribeQuorum (forwarded by brokers to the active controller) for the quorum leader and voters, and says so when the cluster does not answer it.`
  static examples = [
    {description: 'Describe the cluster kadm is pointed at', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'As JSON, for scripts', command: '<%= config.bin %> <%= command.id %> -b 127.0.0.1:9092 -o json'},
  ]

  async run(): Promise<ClusterDescription> {
    const {flags} = await this.parse(ClusterDescribe)
    this.applyOutputFlags(flags)
    const connection = await this.connect(flags)
    const {describeCluster} = await import('../../kafka/cluster.js')
    return this.emit(await describeCluster(connection), renderClusterDescription)
  }
}
