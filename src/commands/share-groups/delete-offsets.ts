import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {KadmError} from '../../errors.js'
import {renderShareOffsetsDelete, type ShareOffsetsDeleteResult} from '../../render/share-groups.js'

export default class ShareGroupsDeleteOffsets extends ClusterCommand {
  static summary = "Delete a share group's start offsets for whole topics, as kafka-share-groups.sh --delete-offsets."
  static description = `DeleteShareGroupOffsets at the group's coordinator (Kafka 4.1+): the group forgets where it was on every partition of the topics; if its members subscribe to a topic again they start as a new share group would (share.auto.offset.reset). The group must exist and be Empty. Asks for confirmation on a terminal; without one, pass --yes. --dry-run shows the start offsets that would be deleted.`
  static examples = [
    {description: 'Forget where a share group was on one topic (asks first on a terminal)', command: '<%= config.bin %> <%= command.id %> order-workers --topic orders'},
    {description: 'See what would be deleted', command: '<%= config.bin %> <%= command.id %> order-workers --topic orders --topic refunds --dry-run'},
  ]

  static args = {
    group: Args.string({description: 'The share group.', required: true, ignoreStdin: true}),
  }

  static flags = {
    topic: Flags.string({char: 't', summary: 'A topic whose start offsets to delete (repeatable).', multiple: true, multipleNonGreedy: true, required: true}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation (needed without a terminal).'}),
    'dry-run': Flags.boolean({summary: 'Check the group and show what would be deleted, without deleting.'}),
  }

  async run(): Promise<ShareOffsetsDeleteResult> {
    const {args, flags} = await this.parse(ShareGroupsDeleteOffsets)
    this.applyOutputFlags(flags)
    const group = args.group
    const topics = [...new Set(flags.topic)]
    const connection = await this.connect(flags)
    const {activeShareGroupMessage, deleteShareGroupOffsets, describeShareGroups, shareGroupOffsets} = await import('../../kafka/share-groups.js')
    const [described, offsets, metadata] = await Promise.all([describeShareGroups(connection, [group]), shareGroupOffsets(connection, [group]), connection.metadata(topics)])
    const missingTopics = metadata.topics.filter((t) => t.errorCode !== 0).map((t) => t.name)
    if (missingTopics.length > 0) throw new KadmError(`topic ${missingTopics.join(', ')} does not exist`)
    const description = described.get(group)
    const current = offsets.get(group)
    if (description === undefined) throw new KadmError(`share group ${group}: its coordinator did not answer; nothing was deleted`)
    if (description === null || !current) throw new KadmError(`share group ${group} does not exist`)
    if (description.members.length > 0) throw new KadmError(activeShareGroupMessage(description))
    const partitions = current.filter((o) => topics.includes(o.topic))
    if (flags['dry-run']) {
      this.note(`dry run: would delete the start offsets of share group ${group} on ${topics.join(', ')}`)
      return this.emit({group, dryRun: true, topics: topics.map((topic) => ({topic, deleted: false, error: null})), partitions}, renderShareOffsetsDelete)
    }
    const what = `the start offsets of share group ${group} on ${topics.join(', ')}`
    await this.confirmUnlessYes(flags.yes, `deleting ${what} cannot be undone`, `Delete ${what}?`)
    const answers = await deleteShareGroupOffsets(connection, group, topics)
    const errors = new Map(answers.map((a) => [a.topic, a.error]))
    const result: ShareOffsetsDeleteResult = {group, dryRun: false, topics: topics.map((topic) => {
      const error = errors.has(topic) ? errors.get(topic)! : 'NO_RESPONSE'
      return {topic, deleted: error === null, error}
    }), partitions}
    await this.emit(result, renderShareOffsetsDelete)
    const failed = result.topics.filter((t) => !t.deleted)
    if (failed.length > 0) throw new KadmError(`could not delete the start offsets of share group ${group} on ${failed.map((t) => `${t.topic} (${t.error})`).join(', ')}`)
    return result
  }
}
