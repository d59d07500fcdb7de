import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../../cluster-command.js'
import type {OngoingReassignment} from '../../../kafka/reassignment.js'
import {renderOngoing} from '../../../render/partitions.js'

export default class ReassignStatus extends ClusterCommand {
  static summary = 'Show the partition reassignments in progress (ListPartitionReassignments).'
  static description = 'Per moving partition: the full replica list during the move, the replicas being added (copying data) and the ones that will be removed when they catch up. Empty when nothing moves.'
  static examples = [
    {description: 'Everything that is moving', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'For some topics, as JSON', command: "<%= config.bin %> <%= command.id %> --topic 'orders.*' -o json"},
  ]

  static flags = {
    topic: Flags.string({char: 't', summary: 'Topic name or regular expression (repeatable).', multiple: true}),
  }

  async run(): Promise<{reassignments: OngoingReassignment[]}> {
    const {flags} = await this.parse(ReassignStatus)
    this.applyOutputFlags(flags)
    const connection = await this.connect(flags)
    const {listReassignments} = await import('../../../kafka/reassignment.js')
    return this.emit({reassignments: await listReassignments(connection, flags.topic)}, renderOngoing)
  }
}
