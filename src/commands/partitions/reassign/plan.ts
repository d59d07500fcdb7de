import * as Flags from '@oclif/core/flags'
import {readFile, writeFile} from 'node:fs/promises'

import {ClusterCommand} from '../../../cluster-command.js'
import {UsageError} from '../../../errors.js'
import {parseBrokerList} from '../../../domain/partition-args.js'
import {type MoveSummary, parseTopicsFile, summariseMoves} from '../../../domain/reassignment.js'
import type {GeneratedPlan} from '../../../kafka/reassignment.js'
import {renderGeneratedPlan} from '../../../render/partitions.js'
import {noMatchWarning, selectionFlags, topicPatterns} from '../../../topic-flags.js'

export default class ReassignPlan extends ClusterCommand {
  static summary = 'Propose a balanced replica assignment for topics (kafka-reassign-partitions.sh --generate).'
  static description = `Prints the current assignment (keep it: it is the rollback plan) and a proposed one in the JSON layout of kafka-reassign-partitions.sh. The proposal balances replicas and preferred leaders of each topic over the target brokers (within one of each other), spreads a partition's replicas over distinct racks when brokers have racks, keeps replicas that are already on target brokers, and is deterministic: a balanced topic gets no moves.`
  static examples = [
    {description: 'Rebalance two topics over brokers 1-3', command: '<%= config.bin %> <%= command.id %> --topic orders --topic payments --brokers 1,2,3'},
    {description: 'Move everything off broker 4 before decommissioning it, saving both files', command: "<%= config.bin %> <%= command.id %> --topic '*' --brokers 1,2,3 --output-file plan.json --rollback-file rollback.json"},
    {description: 'Kafka\'s topics file and a new replication factor', command: '<%= config.bin %> <%= command.id %> --topics-to-move-json-file topics.json --replication-factor 3'},
  ]

  static flags = {
    topic: Flags.string({char: 't', summary: 'Topic name or glob (regular expression with --regex); repeatable, comma-separated lists work too.', multiple: true, multipleNonGreedy: true}),
    ...selectionFlags,
    'topics-to-move-json-file': Flags.string({summary: 'Topics as Kafka\'s {"topics":[{"topic":"a"}],"version":1}.'}),
    brokers: Flags.string({summary: 'Target broker ids, e.g. 1,2,3 (default: every broker).'}),
    'replication-factor': Flags.integer({summary: 'New replication factor for every topic (default: keep each topic\'s).', min: 1}),
    'output-file': Flags.string({summary: 'Write the proposed plan to this file (input of `reassign apply`).'}),
    'rollback-file': Flags.string({summary: 'Write the current assignment to this file.'}),
  }

  async run(): Promise<GeneratedPlan & {summary: MoveSummary; files: string[]}> {
    const {flags} = await this.parse(ReassignPlan)
    this.applyOutputFlags(flags)
    const topics = topicPatterns((flags.topic ?? []).flatMap((t) => t.split(',')).filter(Boolean), flags.regex)
    if (flags['topics-to-move-json-file']) {
      try {
        topics.push(...parseTopicsFile(await readFile(flags['topics-to-move-json-file'], 'utf8')))
      } catch (error) {
        throw new UsageError(`${flags['topics-to-move-json-file']}: ${(error as Error).message}`)
      }
    }
    if (topics.length === 0) throw new UsageError('name the topics to plan with --topic or --topics-to-move-json-file')
    const brokers = flags.brokers ? parseBrokerList(flags.brokers, '--brokers') : undefined
    const connection = await this.connect(flags)
    const {generatePlan} = await import('../../../kafka/reassignment.js')
    const plan = await generatePlan(connection, topics, brokers, flags['replication-factor'], {regex: flags.regex, onUnmatched: (p) => this.warning(noMatchWarning(p))})
    const files: string[] = []
    if (flags['output-file']) {
      await writeFile(flags['output-file'], JSON.stringify(plan.proposed, null, 2) + '\n')
      files.push(flags['output-file'])
    }
    if (flags['rollback-file']) {
      await writeFile(flags['rollback-file'], JSON.stringify(plan.current, null, 2) + '\n')
      files.push(flags['rollback-file'])
    }
    return this.emit({...plan, summary: summariseMoves(plan.proposed, plan.current.partitions), files}, renderGeneratedPlan)
  }
}
