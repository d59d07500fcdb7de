import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {type GroupList, groupsAbove, listRow, sortGroups} from '../../domain/lag.js'
import {parseStates} from '../../domain/group-flags.js'
import {KadmError, UsageError} from '../../errors.js'
import type {KafkaConnection} from '../../kafka/client.js'
import {renderGroupList} from '../../render/groups.js'
import {noMatchWarning, selectionFlags, topicPatterns} from '../../topic-flags.js'

export default class ConsumerGroupsList extends ClusterCommand {
  static aliases = ['groups:list']
  static summary = 'List consumer groups with state, type, assignor, members, topics and total lag.'
  static description = `Groups come from ListGroups on every broker (states filtered by the broker on Kafka 2.6+, group types on 3.8+). Classic groups are described with DescribeGroups; groups on the consumer rebalance protocol of KIP-848 (Kafka 4.x, group.protocol=consumer) with ConsumerGroupDescribe, so they show their real state instead of "Dead". Lag needs one OffsetFetch per coordinator and one ListOffsets per leader; --no-lag skips both.

--type lists every group of those types instead, as kafka-groups.sh --list does, with its TYPE and PROTOCOL: share groups (KIP-932) with their members and subscribed topics but no lag (their progress is a start offset per partition: kadm share-groups describe), streams groups (KIP-1071) and classic groups of other protocols (Kafka Connect) as ListGroups reports them, without members or lag.`
  static examples = [
    {description: 'Every consumer group with its lag', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Groups that are behind, worst first', command: '<%= config.bin %> <%= command.id %> --lagging --sort lag'},
    {description: 'Stable groups whose name starts with "orders-", without offset look-ups', command: "<%= config.bin %> <%= command.id %> 'orders-*' --state stable --no-lag"},
    {description: 'Every group of every type (classic, consumer, share, streams)', command: '<%= config.bin %> <%= command.id %> --type all'},
  ]

  static strict = false
  static args = {group: Args.string({description: 'Groups: names or globs (orders-*), full-match regular expressions with --regex; default every group.', ignoreStdin: true})}

  static flags = {
    ...selectionFlags,
    state: Flags.string({summary: 'Only groups in these states (Stable, Empty, PreparingRebalance, CompletingRebalance, Assigning, Reconciling, Dead); comma-separated or repeated.', multiple: true, multipleNonGreedy: true}),
    lagging: Flags.boolean({summary: 'Only groups whose total lag is above 0.'}),
    lag: Flags.boolean({summary: 'Look up committed and log-end offsets for the LAG column (--no-lag skips them).', allowNo: true, default: true}),
    sort: Flags.string({summary: 'Sort by group name or by total lag (largest first).', options: ['name', 'lag'], default: 'name'}),
    type: Flags.string({summary: 'Groups of these types instead of consumer groups: classic, consumer, share, streams, or all (as kafka-groups.sh --list); comma-separated or repeated.', options: ['classic', 'consumer', 'share', 'streams', 'all'], multiple: true, multipleNonGreedy: true, delimiter: ','}),
  }

  async run(): Promise<GroupList> {
    const {flags, argv} = await this.parse(ConsumerGroupsList)
    this.applyOutputFlags(flags)
    if (flags.lagging && !flags.lag) throw new UsageError('--lagging needs lag: drop --no-lag')
    if (flags.sort === 'lag' && !flags.lag) throw new UsageError('--sort lag needs lag: drop --no-lag')
    const states = parseStates(flags.state)
    const names = topicPatterns(argv, flags.regex)
    const connection = await this.connect(flags)
    if (flags.type) return this.emitTyped(connection, flags.type, {names, states, regex: flags.regex, lag: flags.lag, lagging: flags.lagging, sort: flags.sort as 'name' | 'lag'})
    const {loadGroupLags, missingConsumerGroupsError} = await import('../../kafka/groups.js')
    const selection = await this.selectGroups(connection, names, flags.regex)
    const loaded = await loadGroupLags(connection, {groupIds: selection.ids, states, offsets: flags.lag})
    if (loaded.missing.length > 0) throw await missingConsumerGroupsError(connection, loaded.missing)
    const groups = flags.lagging ? groupsAbove(loaded.groups, 0) : loaded.groups
    const rows = sortGroups(groups.map((g) => listRow(g, flags.lag)), flags.sort as 'name' | 'lag')
    return this.emit({groups: rows}, renderGroupList)
  }

  /** --type: every group of those types, consumer groups with their lag, the others as kafka-groups.sh lists them. */
  private async emitTyped(connection: KafkaConnection, typeFlags: string[], options: {names: string[]; states: string[] | undefined; regex: boolean; lag: boolean; lagging: boolean; sort: 'name' | 'lag'}): Promise<GroupList> {
    const [{GROUP_TYPES}, {loadTypedGroupRows}, {requireShareGroups}] = await Promise.all([import('../../kafka/groups.js'), import('../../kafka/all-groups.js'), import('../../kafka/share-groups.js')])
    const all = typeFlags.includes('all')
    if (typeFlags.includes('share') && !all) requireShareGroups(connection.seedBroker)
    const types = all ? GROUP_TYPES : GROUP_TYPES.filter((t) => typeFlags.includes(t))
    const loaded = await loadTypedGroupRows(connection, {types, states: options.states, names: options.names, regex: options.regex, offsets: options.lag})
    if (loaded.unmatched.length > 0) this.warning(noMatchWarning(loaded.unmatched, 'group'))
    if (loaded.missing.length > 0) throw new KadmError(`no group of type ${types.join(', ')} is named ${loaded.missing.join(', ')}`)
    const rows = sortGroups(options.lagging ? loaded.rows.filter((r) => (r.totalLag ?? 0) > 0) : loaded.rows, options.sort)
    const without = [...new Set(rows.filter((r) => r.type === 'share' || r.type === 'streams').map((r) => r.type))]
    if (without.length > 0 && options.lag) this.note(`${without.join(' and ')} groups have no consumer lag: see ${without.map((t) => (t === 'share' ? 'kadm share-groups describe GROUP' : 'kafka-streams-groups.sh --describe --group GROUP')).join(' and ')}`)
    return this.emit({groups: rows}, renderGroupList)
  }
}
