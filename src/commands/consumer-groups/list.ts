import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {type GroupList, groupsAbove, listRow, sortGroups} from '../../domain/lag.js'
import {parseStates} from '../../domain/group-flags.js'
import {UsageError} from '../../errors.js'
import {renderGroupList} from '../../render/groups.js'
import {selectionFlags, topicPatterns} from '../../topic-flags.js'

export default class ConsumerGroupsList extends ClusterCommand {
  static aliases = ['groups:list']
  static summary = 'List consumer groups with state, type, assignor, members, topics and total lag.'
  static description = `Groups come from ListGroups on every broker (states filtered by the broker on Kafka 2.6+, group types on 3.8+). Classic groups are described with DescribeGroups; groups on the consumer rebalance protocol of KIP-848 (Kafka 4.x, group.protocol=consumer) with ConsumerGroupDescribe, so they show their real state instead of "Dead". Lag needs one OffsetFetch per coordinator and one ListOffsets per leader; --no-lag skips both.`
  static examples = [
    {description: 'Every consumer group with its lag', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Groups that are behind, worst first', command: '<%= config.bin %> <%= command.id %> --lagging --sort lag'},
    {description: 'Stable groups whose name starts with "orders-", without offset look-ups', command: "<%= config.bin %> <%= command.id %> 'orders-*' --state stable --no-lag"},
  ]

  static strict = false
  static args = {group: Args.string({description: 'Groups: names or globs (orders-*), full-match regular expressions with --regex; default every group.', ignoreStdin: true})}

  static flags = {
    ...selectionFlags,
    state: Flags.string({summary: 'Only groups in these states (Stable, Empty, PreparingRebalance, CompletingRebalance, Assigning, Reconciling, Dead); comma-separated or repeated.', multiple: true, multipleNonGreedy: true}),
    lagging: Flags.boolean({summary: 'Only groups whose total lag is above 0.'}),
    lag: Flags.boolean({summary: 'Look up committed and log-end offsets for the LAG column (--no-lag skips them).', allowNo: true, default: true}),
    sort: Flags.string({summary: 'Sort by group name or by total lag (largest first).', options: ['name', 'lag'], default: 'name'}),
  }

  async run(): Promise<GroupList> {
    const {flags, argv} = await this.parse(ConsumerGroupsList)
    this.applyOutputFlags(flags)
    if (flags.lagging && !flags.lag) throw new UsageError('--lagging needs lag: drop --no-lag')
    if (flags.sort === 'lag' && !flags.lag) throw new UsageError('--sort lag needs lag: drop --no-lag')
    const states = parseStates(flags.state)
    const names = topicPatterns(argv, flags.regex)
    const connection = await this.connect(flags)
    const {loadGroupLags, missingGroupsError} = await import('../../kafka/groups.js')
    const selection = await this.selectGroups(connection, names, flags.regex)
    const loaded = await loadGroupLags(connection, {groupIds: selection.ids, states, offsets: flags.lag})
    if (loaded.missing.length > 0) throw missingGroupsError(loaded.missing)
    const groups = flags.lagging ? groupsAbove(loaded.groups, 0) : loaded.groups
    const rows = sortGroups(groups.map((g) => listRow(g, flags.lag)), flags.sort as 'name' | 'lag')
    return this.emit({groups: rows}, renderGroupList)
  }
}
