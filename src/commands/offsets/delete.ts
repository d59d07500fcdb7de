import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {parseTopicScope, PlanError} from '../../domain/offset-reset.js'
import {KadmError, UsageError} from '../../errors.js'
import {type OffsetsDeleteResult, renderOffsetsDelete} from '../../render/offsets.js'

/** Kafka's own wording for the refusals a caller can act on. */
const REASONS: Record<string, string> = {
  GROUP_SUBSCRIBED_TO_TOPIC: 'the consumer group is actively subscribed to the topic',
  GROUP_ID_NOT_FOUND: 'the group does not exist',
  NON_EMPTY_GROUP: 'the group is not empty',
  UNKNOWN_TOPIC_OR_PARTITION: 'this server does not host this topic-partition',
  GROUP_AUTHORIZATION_FAILED: 'not authorized to access the group',
  TOPIC_AUTHORIZATION_FAILED: 'not authorized to access the topic',
}

export default class OffsetsDelete extends ClusterCommand {
  static summary = "Delete a group's committed offsets for partitions it no longer consumes (OffsetDelete)."
  static description = `Like kafka-consumer-groups.sh --delete-offsets. Kafka refuses partitions of topics the group is still subscribed to (GROUP_SUBSCRIBED_TO_TOPIC) and deletes the others; kadm reports each partition. Asks for confirmation on a terminal; without one, --yes is required.`
  static examples = [
    {description: 'Forget a topic the group stopped consuming', command: '<%= config.bin %> <%= command.id %> --group billing --topic old-orders --yes'},
    {description: 'Preview, for two partitions', command: '<%= config.bin %> <%= command.id %> --group billing --topic old-orders:0,1 --dry-run'},
  ]

  static flags = {
    group: Flags.string({char: 'g', summary: 'Consumer group.', required: true}),
    topic: Flags.string({char: 't', summary: 'Topic or glob (orders-*), or topic:partition[,partition...] (repeatable).', multiple: true, multipleNonGreedy: true, required: true}),
    'dry-run': Flags.boolean({summary: 'Show what would be deleted; delete nothing.'}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation (required without a terminal).'}),
  }

  async run(): Promise<OffsetsDeleteResult> {
    const {flags} = await this.parse(OffsetsDelete)
    this.applyOutputFlags(flags)
    let scopes: ReturnType<typeof parseTopicScope>[]
    try {
      scopes = flags.topic.map(parseTopicScope)
    } catch (error) {
      if (error instanceof PlanError) throw new UsageError(error.message)
      throw error
    }
    const connection = await this.connect(flags)
    const {committedOffsetsOf, deleteGroupOffsets, resolvePartitions} = await import('../../kafka/group-offsets.js')
    const {partitions} = await resolvePartitions(connection, await this.expandTopicScopes(connection, scopes))
    const before = new Map((await committedOffsetsOf(connection, flags.group, partitions)).map((c) => [`${c.topic}:${c.partition}`, c.offset]))
    const committedOffset = (tp: {topic: string; partition: number}) => before.get(`${tp.topic}:${tp.partition}`) ?? null
    if (flags['dry-run']) {
      return this.emit({group: flags.group, mode: 'dry-run', partitions: partitions.map((tp) => ({...tp, committedOffset: committedOffset(tp), status: 'would delete'}))}, renderOffsetsDelete)
    }
    await this.confirmUnlessYes(flags.yes, `deleting the committed offsets of group ${flags.group} cannot be undone`, `Delete the committed offsets of group ${flags.group} for ${partitions.length} partition(s)?`)
    const answer = await deleteGroupOffsets(connection, flags.group, partitions)
    if (answer.groupError) throw new KadmError(`cannot delete offsets of group ${flags.group}: ${answer.groupError} (${REASONS[answer.groupError] ?? 'refused by Kafka'})`)
    const status = new Map(answer.partitions.map((p) => [`${p.topic}:${p.partition}`, p.error]))
    const result: OffsetsDeleteResult = {
      group: flags.group,
      mode: 'execute',
      partitions: partitions.map((tp) => {
        const error = status.has(`${tp.topic}:${tp.partition}`) ? status.get(`${tp.topic}:${tp.partition}`)! : 'NO_RESPONSE'
        return {...tp, committedOffset: committedOffset(tp), status: error ?? 'deleted', ...(error && REASONS[error] ? {reason: REASONS[error]} : {})}
      }),
    }
    await this.emit(result, renderOffsetsDelete)
    const failed = result.partitions.filter((p) => p.status !== 'deleted')
    if (failed.length) throw new KadmError(`${failed.length} of ${result.partitions.length} partition(s) were not deleted: ${failed[0].topic}:${failed[0].partition} ${failed[0].status}${failed[0].reason ? ` (${failed[0].reason})` : ''}`)
    return result
  }
}
