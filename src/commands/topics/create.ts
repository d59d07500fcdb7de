import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {UsageError} from '../../errors.js'
import {parseConfigPairs, parseReplicaAssignment, topicNameProblem} from '../../domain/topic-spec.js'
import type {CreatedTopic, NewTopic} from '../../kafka/topics.js'
import {renderCreated} from '../../render/topics.js'

export default class TopicsCreate extends ClusterCommand {
  static summary = 'Create topics and wait until every partition has a leader.'
  static description = `Without -p/-r the brokers' defaults apply (num.partitions, default.replication.factor). All topics are validated by the brokers before any is created, so a bad name, a replication factor above the broker count or an unknown config key creates nothing. Returns once every partition's leader serves it.`
  static strict = false
  static args = {name: Args.string({description: 'Topic name(s).', required: true, ignoreStdin: true})}
  static examples = [
    {description: 'Six partitions, three replicas, a config', command: '<%= config.bin %> <%= command.id %> orders -p 6 -r 3 --config retention.ms=86400000 --config cleanup.policy=compact'},
    {description: 'Broker defaults; no error if it exists', command: '<%= config.bin %> <%= command.id %> events --if-not-exists'},
    {description: 'Explicit replicas: partition 0 on 1,2 and partition 1 on 2,3', command: '<%= config.bin %> <%= command.id %> audit --replica-assignment 1:2,2:3'},
    {description: 'Validate only: nothing is created', command: '<%= config.bin %> <%= command.id %> orders -p 12 -r 3 --dry-run'},
  ]
  static flags = {
    partitions: Flags.integer({char: 'p', summary: 'Number of partitions (default: the brokers\' num.partitions).', min: 1}),
    'replication-factor': Flags.integer({char: 'r', summary: 'Replicas per partition (default: the brokers\' default.replication.factor).', min: 1, max: 32767}),
    // As in kafka-topics (and topics alter), --config is a topic config; kadm's file is --config-file.
    config: Flags.string({char: 'c', summary: 'A topic config key=value (repeatable).', multiple: true, multipleNonGreedy: true, default: []}),
    'replica-assignment': Flags.string({summary: 'Brokers per partition, e.g. 1:2:3,2:3:1 (partition 0 on 1,2,3; leader first).', exclusive: ['partitions', 'replication-factor']}),
    'if-not-exists': Flags.boolean({summary: 'Skip topics that already exist instead of failing.'}),
    'dry-run': Flags.boolean({summary: 'Ask the brokers to validate only; nothing is created.'}),
  }

  async run(): Promise<{topics: CreatedTopic[]}> {
    const {argv, flags} = await this.parse(TopicsCreate)
    this.applyOutputFlags(flags)
    const names = argv.map(String)
    for (const name of names) {
      const problem = topicNameProblem(name)
      if (problem) throw new UsageError(problem)
    }
    if (new Set(names).size !== names.length) throw new UsageError('a topic name is given twice')
    let configs: Record<string, string>
    let assignment: number[][] | undefined
    try {
      configs = parseConfigPairs(flags.config, '--config')
      assignment = flags['replica-assignment'] ? parseReplicaAssignment(flags['replica-assignment']) : undefined
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
    const topics: NewTopic[] = names.map((name) => ({name, partitions: flags.partitions, replicationFactor: flags['replication-factor'], assignment, configs}))
    const connection = await this.connect(flags)
    const {createTopics} = await import('../../kafka/topics.js')
    const created = await createTopics(connection, topics, {
      validateOnly: flags['dry-run'],
      ifNotExists: flags['if-not-exists'],
      timeoutMs: this.parseTimeout(flags.timeout),
    })
    return this.emit({topics: created}, (data, chalk) => renderCreated(data.topics, chalk))
  }
}
