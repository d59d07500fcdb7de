import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {renderShareGroupList, type ShareGroupList} from '../../render/share-groups.js'

export default class ShareGroupsList extends ClusterCommand {
  static summary = 'List share groups (KIP-932, Kafka 4.1+) with their state and coordinator, as kafka-share-groups.sh --list.'
  static description = `ListGroups (group type "share") on every broker: each lists the share groups it coordinates; a broker that does not answer is named and its groups are missing (exit 4). On brokers older than 4.1, one line says share groups need Kafka 4.1.`
  static examples = [
    {description: 'Every share group', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Share groups with active members', command: '<%= config.bin %> <%= command.id %> --state Stable'},
  ]

  static flags = {
    state: Flags.string({summary: 'Only groups in these states (Empty, Stable, Dead); comma-separated or repeated.', multiple: true, multipleNonGreedy: true, delimiter: ','}),
  }

  async run(): Promise<ShareGroupList> {
    const {flags} = await this.parse(ShareGroupsList)
    this.applyOutputFlags(flags)
    const connection = await this.connect(flags)
    const {listShareGroups} = await import('../../kafka/share-groups.js')
    return this.emit({groups: await listShareGroups(connection, {states: flags.state})}, renderShareGroupList)
  }
}
