import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../../cluster-command.js'
import type {OngoingReassignment} from '../../../kafka/reassignment.js'
import {renderOngoing} from '../../../render/partitions.js'
import {noMatchWarning, selectionFlags, topicPatterns} from '../../../topic-flags.js'

export default class ReassignStatus extends ClusterCommand {
  static summary = 'Show the partition reassignments in progress (ListPartitionReassignments).'
  static description = 'Per moving partition: the full replica list during the move, the replicas being added (copying data) and the ones that will be removed when they catch up. Empty when nothing moves.'
  static examples = [
    {description: 'Everything that is moving', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'For some topics, as JSON', command: "<%= config.bin %> <%= command.id %> --topic 'orders*' -o json"},
  ]

  static flags = {
    topic: Flags.string({char: 't', summary: 'Topic name or glob (regular expression with --regex); repeatable.', multiple: true, multipleNonGreedy: true}),
    ...selectionFlags,
  }

  async run(): Promise<{reassignments: OngoingReassignment[]}> {
    const {flags} = await this.parse(ReassignStatus)
    this.applyOutputFlags(flags)
    const topics = flags.topic ? topicPatterns(flags.topic, flags.regex) : undefined
    const connection = await this.connect(flags)
    const {listReassignments} = await import('../../../kafka/reassignment.js')
    const reassignments = await listReassignments(connection, topics, {regex: flags.regex, onUnmatched: (p) => this.warning(noMatchWarning(p))})
    return this.emit({reassignments}, renderOngoing)
  }
}
