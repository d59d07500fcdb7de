import * as Args from '@oclif/core/args'

import {ClusterCommand} from '../../cluster-command.js'
import {KadmError} from '../../errors.js'
import {renderShareGroupDescriptions, type ShareGroupDescriptions} from '../../render/share-groups.js'

export default class ShareGroupsDescribe extends ClusterCommand {
  static summary = 'Describe share groups: state, epochs, assignor and each member with its assignment, as kafka-share-groups.sh --describe --state/--members.'
  static description = `Asks each group's coordinator with ShareGroupDescribe (Kafka 4.1+). Share groups (KIP-932) share the records of a topic's partitions among their members, each record delivered to one member and acknowledged one by one. On brokers older than 4.1, one line says share groups need Kafka 4.1.`
  static examples = [
    {description: 'One share group and its members', command: '<%= config.bin %> <%= command.id %> order-workers'},
  ]

  static strict = false
  static args = {
    group: Args.string({description: 'Share group ids.', required: true, ignoreStdin: true}),
  }

  async run(): Promise<ShareGroupDescriptions> {
    const {flags, argv} = await this.parse(ShareGroupsDescribe)
    this.applyOutputFlags(flags)
    const ids = [...new Set(argv as string[])]
    const connection = await this.connect(flags)
    const {describeShareGroups} = await import('../../kafka/share-groups.js')
    const described = await describeShareGroups(connection, ids)
    const missing = ids.filter((id) => described.get(id) === null)
    if (missing.length > 0) throw new KadmError(`share group${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist`)
    return this.emit({groups: ids.map((id) => described.get(id)).filter((g) => g !== undefined && g !== null)}, renderShareGroupDescriptions)
  }
}
