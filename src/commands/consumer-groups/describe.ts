import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {filterGroupLag, type GroupLag, sortGroups} from '../../domain/lag.js'
import {KadmError, UsageError} from '../../errors.js'
import {renderGroupDescriptions} from '../../render/groups.js'

export default class ConsumerGroupsDescribe extends ClusterCommand {
  static summary = 'Describe consumer groups: state, coordinator, assignor, members, and offsets with lag per partition, topic and group.'
  static description = `Like kafka-consumer-groups.sh --describe, in one batched pass: one describe and one OffsetFetch per coordinator, one ListOffsets (read_uncommitted, as Kafka's tools) per leader broker. Lag = log-end offset - committed offset. A partition assigned to a member but never committed shows COMMITTED "none" and no lag (not lag 0). Totals per topic and per group are in the table and in -o json|yaml.`
  static examples = [
    {description: 'One group', command: '<%= config.bin %> <%= command.id %> orders-service'},
    {description: 'Several groups, only the partitions that are behind', command: '<%= config.bin %> <%= command.id %> orders-service billing --only-lagging'},
    {description: 'Every group, one topic, as JSON', command: '<%= config.bin %> <%= command.id %> --all --topic orders -o json'},
  ]

  static strict = false
  static args = {
    group: Args.string({description: 'Group id(s) to describe.', ignoreStdin: true}),
  }

  static flags = {
    all: Flags.boolean({summary: 'Describe every consumer group.'}),
    'only-lagging': Flags.boolean({summary: 'Only partitions whose lag is above 0.'}),
    topic: Flags.string({char: 't', summary: 'Only these topics (repeat the flag for several).', multiple: true}),
  }

  async run(): Promise<{groups: GroupLag[]}> {
    const {flags, argv} = await this.parse(ConsumerGroupsDescribe)
    this.applyOutputFlags(flags)
    const names = argv as string[]
    if (flags.all && names.length > 0) throw new UsageError('give group ids or --all, not both')
    if (!flags.all && names.length === 0) throw new UsageError('name at least one group, or --all')
    const connection = await this.connect(flags)
    const {loadGroupLags} = await import('../../kafka/groups.js')
    const loaded = await loadGroupLags(connection, {groupIds: flags.all ? null : names})
    if (loaded.missing.length > 0) {
      throw new KadmError(`consumer group${loaded.missing.length > 1 ? 's' : ''} ${loaded.missing.join(', ')} do${loaded.missing.length > 1 ? '' : 'es'} not exist`)
    }
    const now = Date.now()
    const groups = (flags.all ? sortGroups(loaded.groups, 'name') : loaded.groups)
      .map((g) => filterGroupLag(g, {topics: flags.topic, onlyLagging: flags['only-lagging']}, now))
    return this.emit({groups}, renderGroupDescriptions)
  }
}
