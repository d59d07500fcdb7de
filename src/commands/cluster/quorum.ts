import {ClusterCommand} from '../../cluster-command.js'
import type {QuorumDescription} from '../../kafka/cluster.js'
import {renderQuorum} from '../../render/cluster.js'

export default class ClusterQuorum extends ClusterCommand {
  static summary = 'Show the KRaft controller quorum: leader, epoch, high watermark, and each voter and observer with its lag.'
  static description = `What kafka-metadata-quorum.sh describe --status and --replication show, in one table: kadm asks DescribeQuorum, which brokers forward to the active controller. Each voter and observer has its log end offset, its lag behind the leader's log end (records), when it last fetched and last caught up (by the leader's clock), and its listeners (Kafka 3.9+). A follower or observer that has not fetched for 5 s while others have (down or frozen) is marked "not fetching". Max follower lag is the voter furthest behind, in records and in time, as kafka-metadata-quorum.sh reports it.`
  static examples = [
    {description: 'The quorum of the cluster kadm is pointed at', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'As JSON: timestamps in epoch ms', command: '<%= config.bin %> <%= command.id %> -o json'},
  ]

  async run(): Promise<QuorumDescription> {
    const {flags} = await this.parse(ClusterQuorum)
    this.applyOutputFlags(flags)
    const connection = await this.connect(flags)
    const {describeQuorum} = await import('../../kafka/cluster.js')
    return this.emit(await describeQuorum(connection), (data, chalk) => renderQuorum(data, chalk))
  }
}
