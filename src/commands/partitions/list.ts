import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {ExitCode} from '../../errors.js'
import {isHealthy, matchesFilter, type PartitionMarker, summarise} from '../../domain/partition-state.js'
import {type PartitionList, renderPartitionList} from '../../render/partitions.js'
import {noMatchWarning, selectionFlags, topicPatterns} from '../../topic-flags.js'

export default class PartitionsList extends ClusterCommand {
  static summary = 'List partitions with leader, preferred leader, replicas, ISR and health markers.'
  static description = `Topics are globs (orders-*) unless --regex; a pattern that matches nothing is a warning (and fails --fail-on-unhealthy), a name that is not a topic an error. Markers: unavailable (no live leader), under-replicated (ISR smaller than the replicas), under-min-isr / at-min-isr (ISR below / at the topic's min.insync.replicas), not-preferred-leader (the leader is not the first replica). Several filters select partitions with any of those markers. One Metadata and one DescribeConfigs request.`
  static examples = [
    {description: 'Every partition of the cluster', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Partitions that lost a replica from their ISR', command: '<%= config.bin %> <%= command.id %> --under-replicated'},
    {description: 'Health check for scripts: exit 3 when any partition is unavailable, under-replicated or under min ISR', command: '<%= config.bin %> <%= command.id %> --fail-on-unhealthy -o json'},
    {description: 'Partitions of topics matching a glob that have a replica on broker 2', command: "<%= config.bin %> <%= command.id %> --topic 'orders-*' --broker 2"},
  ]

  static flags = {
    topic: Flags.string({char: 't', summary: 'Topic name or glob (regular expression with --regex); repeatable.', multiple: true, multipleNonGreedy: true}),
    ...selectionFlags,
    'exclude-internal': Flags.boolean({summary: 'Leave out internal topics (__consumer_offsets, ...).'}),
    'under-replicated': Flags.boolean({summary: 'Only partitions whose ISR is smaller than their replica set.'}),
    unavailable: Flags.boolean({summary: 'Only partitions without a live leader.'}),
    'under-min-isr': Flags.boolean({summary: "Only partitions whose ISR is below the topic's min.insync.replicas."}),
    'at-min-isr': Flags.boolean({summary: "Only partitions whose ISR is exactly the topic's min.insync.replicas."}),
    'not-preferred-leader': Flags.boolean({summary: 'Only partitions not led by their preferred (first) replica.'}),
    broker: Flags.integer({summary: 'Only partitions with a replica on, or led by, this broker id.'}),
    'fail-on-unhealthy': Flags.boolean({summary: `Exit ${ExitCode.checkFailed} when a listed partition is unavailable, under-replicated or under min ISR.`}),
  }

  async run(): Promise<PartitionList> {
    const {flags} = await this.parse(PartitionsList)
    this.applyOutputFlags(flags)
    const topics = topicPatterns(flags.topic ?? [], flags.regex)
    const connection = await this.connect(flags)
    const {describePartitions} = await import('../../kafka/partitions.js')
    let selectedNothing = false
    const all = await describePartitions(connection, {
      topics, regex: flags.regex, excludeInternal: flags['exclude-internal'], onWarning: (m) => this.warning(m),
      onUnmatched: (patterns) => {
        selectedNothing = true
        this.warning(noMatchWarning(patterns))
      },
    })
    const wanted: Array<[boolean, PartitionMarker]> = [
      [flags['under-replicated'], 'under-replicated'],
      [flags.unavailable, 'unavailable'],
      [flags['under-min-isr'], 'under-min-isr'],
      [flags['at-min-isr'], 'at-min-isr'],
      [flags['not-preferred-leader'], 'not-preferred-leader'],
    ]
    const partitions = all.filter((p) => matchesFilter(p, {markers: wanted.filter(([on]) => on).map(([, m]) => m), broker: flags.broker}))
    const result = await this.emit({partitions, summary: summarise(partitions)}, renderPartitionList)
    // A health check whose pattern selects nothing checks nothing: that must not pass.
    if (flags['fail-on-unhealthy'] && (selectedNothing || !partitions.every(isHealthy))) process.exitCode = ExitCode.checkFailed
    return result
  }
}
