import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {filterGroupLag, type GroupLag, sortGroups} from '../../domain/lag.js'
import {KadmError, UsageError} from '../../errors.js'
import {isLiteralName, selectNames} from '../../domain/name-match.js'
import {renderGroupDescriptions} from '../../render/groups.js'
import {kafkaNameFlag, namesGiven, noMatchWarning, selectionFlags, topicPatterns} from '../../topic-flags.js'

export default class ConsumerGroupsDescribe extends ClusterCommand {
  static aliases = ['groups:describe']
  static summary = 'Describe consumer groups: state, coordinator, assignor, members, and offsets with lag per partition, topic and group.'
  static description = `Like kafka-consumer-groups.sh --describe, in one batched pass: one describe and one OffsetFetch per coordinator, one ListOffsets (read_uncommitted, as Kafka's tools) per leader broker. Lag = log-end offset - committed offset. A partition assigned to a member but never committed shows COMMITTED "none" and no lag (not lag 0). Totals per topic and per group are in the table and in -o json|yaml.`
  static examples = [
    {description: 'One group', command: '<%= config.bin %> <%= command.id %> orders-service'},
    {description: 'Several groups, only the partitions that are behind', command: '<%= config.bin %> <%= command.id %> orders-service billing --only-lagging'},
    {description: 'Every group, one topic, as JSON', command: '<%= config.bin %> <%= command.id %> --all --topic orders -o json'},
  ]

  static strict = false
  static args = {
    group: Args.string({description: 'Groups: names or globs (orders-*), full-match regular expressions with --regex.', ignoreStdin: true}),
  }

  static flags = {
    group: kafkaNameFlag('group', 'g'),
    all: Flags.boolean({summary: 'Describe every consumer group (--all-groups as in Kafka).', aliases: ['all-groups']}),
    'only-lagging': Flags.boolean({summary: 'Only partitions whose lag is above 0.'}),
    topic: Flags.string({char: 't', summary: 'Only these topics: names or globs (regular expressions with --regex); repeatable.', multiple: true, multipleNonGreedy: true}),
    ...selectionFlags,
  }

  async run(): Promise<{groups: GroupLag[]}> {
    const {flags, argv} = await this.parse(ConsumerGroupsDescribe)
    this.applyOutputFlags(flags)
    const names = topicPatterns(flags.all ? namesGiven(argv, flags.group) : await this.pickWhenMissing('group', namesGiven(argv, flags.group), flags), flags.regex)
    if (flags.all && names.length > 0) throw new UsageError('give group ids or --all, not both')
    if (!flags.all && names.length === 0) throw new UsageError('name at least one group, or --all')
    const topics = topicPatterns(flags.topic ?? [], flags.regex)
    const connection = await this.connect(flags)
    const {loadGroupLags, missingConsumerGroupsError} = await import('../../kafka/groups.js')
    const selection = await this.selectGroups(connection, flags.all ? [] : names, flags.regex)
    const loaded = await loadGroupLags(connection, {groupIds: selection.ids})
    if (loaded.missing.length > 0) throw await missingConsumerGroupsError(connection, loaded.missing)
    const {unmatched} = selectNames([...new Set(loaded.groups.flatMap((g) => g.partitions.map((p) => p.topic)))], topics, {regex: flags.regex})
    const literal = unmatched.filter((p) => isLiteralName(p, {regex: flags.regex}))
    if (literal.length > 0) {
      // A topic the groups have no offsets for is a fine answer; a topic that does not exist is a typo.
      const known = new Set((await connection.metadata(literal)).topics.filter((t) => t.errorCode === 0).map((t) => t.name))
      const missing = literal.filter((t) => !known.has(t))
      if (missing.length > 0) throw new KadmError(`topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist`)
    }
    const patterns = unmatched.filter((p) => !isLiteralName(p, {regex: flags.regex}))
    if (patterns.length > 0) this.warning(`${noMatchWarning(patterns)} in the offsets of ${flags.all ? 'any group' : names.join(', ')}`)
    const now = Date.now()
    // Groups named one by one keep their order; every group, or those patterns matched, by name.
    const groups = (flags.all || names.some((n) => !isLiteralName(n, {regex: flags.regex})) ? sortGroups(loaded.groups, 'name') : loaded.groups)
      .map((g) => filterGroupLag(g, {topics, regex: flags.regex, onlyLagging: flags['only-lagging']}, now))
    return this.emit({groups}, renderGroupDescriptions)
  }
}
