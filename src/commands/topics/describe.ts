import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {KadmError} from '../../errors.js'
import {isLiteralName} from '../../domain/name-match.js'
import {type HealthFilter, matchesHealthFilter} from '../../domain/topic-health.js'
import type {TopicDescription} from '../../kafka/topics.js'
import {renderTopicDescriptions} from '../../render/topics.js'
import {selectionFlags, topicPatterns} from '../../topic-flags.js'

export default class TopicsDescribe extends ClusterCommand {
  static summary = 'Describe topics: id, configs, and per partition leader, replicas, ISR, offsets and health markers.'
  static description = `With no names, every non-internal topic. Names are globs unless --regex. Offsets come from one ListOffsets request per leader broker (earliest and latest), configs from one DescribeConfigs request, all after one Metadata request.

The health filters keep only the partitions that match any of them, like kafka-topics; an unavailable partition (no live leader) also counts as under min ISR.`
  static strict = false
  static args = {topic: Args.string({description: 'Topic names or globs (regular expressions with --regex); any number. None: every topic.', ignoreStdin: true})}
  static examples = [
    {description: 'One topic', command: '<%= config.bin %> <%= command.id %> orders'},
    {description: 'Every config with its source', command: '<%= config.bin %> <%= command.id %> orders --all-configs'},
    {description: 'Under-replicated partitions of every topic', command: '<%= config.bin %> <%= command.id %> --under-replicated-partitions'},
    {description: 'Topics whose configs differ from the broker\'s', command: '<%= config.bin %> <%= command.id %> --topics-with-overrides'},
    {description: 'Topics by regex, as JSON', command: '<%= config.bin %> <%= command.id %> --regex "orders\\..*" -o json'},
  ]
  static flags = {
    ...selectionFlags,
    internal: Flags.boolean({summary: 'Include internal topics when selecting by pattern or describing all.'}),
    'all-configs': Flags.boolean({summary: 'Show every config with its source, not only the non-default ones.'}),
    'under-replicated-partitions': Flags.boolean({summary: 'Only partitions with fewer in-sync replicas than replicas.'}),
    'unavailable-partitions': Flags.boolean({summary: 'Only partitions without a live leader.'}),
    'under-min-isr-partitions': Flags.boolean({summary: 'Only partitions with fewer in-sync replicas than min.insync.replicas.'}),
    'at-min-isr-partitions': Flags.boolean({summary: 'Only partitions with exactly min.insync.replicas in sync.'}),
    'topics-with-overrides': Flags.boolean({summary: 'Only topics with configs set on the topic itself.'}),
    'no-offsets': Flags.boolean({summary: 'Skip the ListOffsets requests (no earliest/latest/records columns).'}),
  }

  async run(): Promise<{topics: TopicDescription[]}> {
    const {argv, flags} = await this.parse(TopicsDescribe)
    this.applyOutputFlags(flags)
    const patterns = topicPatterns(argv, flags.regex)
    const filters: HealthFilter[] = []
    if (flags['under-replicated-partitions']) filters.push('under-replicated')
    if (flags['unavailable-partitions']) filters.push('unavailable')
    if (flags['under-min-isr-partitions']) filters.push('under-min-isr')
    if (flags['at-min-isr-partitions']) filters.push('at-min-isr')
    const connection = await this.connect(flags)
    const {describeTopics} = await import('../../kafka/topics.js')
    const {topics, unmatched} = await describeTopics(connection, {patterns, regex: flags.regex, internal: flags.internal}, {allConfigs: flags['all-configs'], offsets: !flags['no-offsets']})
    const missing = unmatched.filter((p) => isLiteralName(p, {regex: flags.regex}))
    if (missing.length > 0) throw new KadmError(`topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist`)
    for (const p of unmatched.filter((x) => !missing.includes(x))) this.warning(`no topic matches "${p}"`)
    const overridden = flags['topics-with-overrides'] ? topics.filter((t) => t.configs.some((c) => c.source === 'DYNAMIC_TOPIC_CONFIG')) : topics
    const shown = filters.length === 0
      ? overridden
      : overridden.map((t) => ({...t, partitions: t.partitions.filter((p) => matchesHealthFilter(p.markers, filters))})).filter((t) => t.partitions.length > 0)
    return this.emit({topics: shown}, (data, chalk) => renderTopicDescriptions(data.topics, chalk))
  }
}
