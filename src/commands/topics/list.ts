import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {isUnhealthy} from '../../domain/topic-health.js'
import type {TopicSummary} from '../../kafka/topics.js'
import {renderTopicList} from '../../render/topics.js'
import {selectionFlags, topicPatterns} from '../../topic-flags.js'

export default class TopicsList extends ClusterCommand {
  static summary = 'List topics with partitions, replication factor and health.'
  static description = `Names are globs (orders-*, logs-?) unless --regex. Health counts unavailable (no live leader), under-min-ISR and under-replicated partitions. One Metadata request for all topics and one DescribeConfigs request (for min.insync.replicas), however many topics.`
  static strict = false
  static args = {topic: Args.string({description: 'Topic names or globs (regular expressions with --regex); any number.', ignoreStdin: true})}
  static aliases = ['topics:ls']
  static examples = [
    {description: 'All topics except internal ones', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Topics matching a glob, as JSON', command: '<%= config.bin %> <%= command.id %> "orders-*" -o json'},
    {description: 'Topics matching a regex, internal ones included', command: '<%= config.bin %> <%= command.id %> --regex "__.*|orders\\..*" --internal'},
    {description: 'Only topics with a problem', command: '<%= config.bin %> <%= command.id %> --unhealthy'},
  ]
  static flags = {
    ...selectionFlags,
    internal: Flags.boolean({summary: 'Include internal topics (__consumer_offsets, __transaction_state, ...).'}),
    unhealthy: Flags.boolean({summary: 'Only topics with unavailable, under-min-ISR or under-replicated partitions.'}),
  }

  async run(): Promise<{topics: TopicSummary[]}> {
    const {argv, flags} = await this.parse(TopicsList)
    this.applyOutputFlags(flags)
    const patterns = topicPatterns(argv, flags.regex)
    const connection = await this.connect(flags)
    const {listTopics} = await import('../../kafka/topics.js')
    let topics = await listTopics(connection, {patterns, regex: flags.regex, internal: flags.internal})
    if (flags.unhealthy) topics = topics.filter((t) => isUnhealthy(t.health))
    return this.emit({topics}, (data, chalk) => renderTopicList(data.topics, chalk))
  }
}
