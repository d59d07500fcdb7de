import * as Flags from '@oclif/core/flags'
import {readFile} from 'node:fs/promises'

import {ClusterCommand} from '../../cluster-command.js'
import {ExitCode, UsageError} from '../../errors.js'
import {parseElectionFile} from '../../domain/partition-args.js'
import type {ElectionResult} from '../../kafka/partitions.js'
import {renderElection} from '../../render/partitions.js'
import {noMatchWarning, selectionFlags, topicPatterns} from '../../topic-flags.js'

interface ElectionOutput {
  electionType: 'preferred' | 'unclean'
  dryRun: boolean
  results: ElectionResult[]
}

export default class PartitionsElectLeaders extends ClusterCommand {
  static summary = 'Elect partition leaders: move leadership back to preferred replicas, or unclean election.'
  static description = `Sends ElectLeaders (the version is negotiated with the broker). Prints per partition: elected, already-leader, or the error. With --all, only partitions whose leader changed or failed are listed by the controller. An unclean election may lose acknowledged records: it makes an out-of-sync replica leader when no in-sync replica is alive.`
  static examples = [
    {description: 'Move leadership back to the preferred replica everywhere (after a broker restart)', command: '<%= config.bin %> <%= command.id %> --all'},
    {description: 'For one topic', command: '<%= config.bin %> <%= command.id %> --topic orders'},
    {description: 'For some partitions', command: '<%= config.bin %> <%= command.id %> --topic orders --partition 0 --partition 3'},
    {description: 'From a LeaderElectionCommand JSON file', command: '<%= config.bin %> <%= command.id %> --path-to-json-file partitions.json'},
    {description: 'Unclean election for a partition without a live in-sync replica', command: '<%= config.bin %> <%= command.id %> --unclean --topic orders --partition 2 --yes'},
  ]

  static flags = {
    preferred: Flags.boolean({summary: 'Elect the preferred (first) replica (default).', exclusive: ['unclean']}),
    unclean: Flags.boolean({summary: 'Elect any live replica when no in-sync replica is alive (may lose data).'}),
    topic: Flags.string({char: 't', summary: 'Topic name or glob (regular expression with --regex) whose partitions to elect (all its partitions unless --partition); repeatable.', multiple: true, multipleNonGreedy: true}),
    ...selectionFlags,
    partition: Flags.integer({char: 'p', summary: 'Partition of --topic (repeatable).', multiple: true, multipleNonGreedy: true, dependsOn: ['topic']}),
    'path-to-json-file': Flags.string({summary: 'JSON file as for kafka-leader-election.sh: {"partitions":[{"topic":"t","partition":0}]}.'}),
    all: Flags.boolean({summary: 'Every partition of the cluster (--all-topic-partitions as in Kafka).', aliases: ['all-topic-partitions']}),
    'dry-run': Flags.boolean({summary: 'Predict from metadata what the election would do; elect nothing.'}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation of an unclean election.'}),
  }

  async run(): Promise<ElectionOutput> {
    const {flags} = await this.parse(PartitionsElectLeaders)
    this.applyOutputFlags(flags)
    const sources = [flags.all, Boolean(flags.topic), Boolean(flags['path-to-json-file'])].filter(Boolean).length
    if (sources !== 1) throw new UsageError('give exactly one of --all, --topic or --path-to-json-file')
    const electionType: ElectionOutput['electionType'] = flags.unclean ? 'unclean' : 'preferred'
    let only: Array<{topic: string; partition: number}> | null = null
    if (flags['path-to-json-file']) only = parseElectionFile(await readFile(flags['path-to-json-file'], 'utf8'), flags['path-to-json-file'])
    if (flags.unclean && !flags['dry-run']) await this.confirmUnlessYes(flags.yes, 'an unclean election may lose data', 'An unclean election may lose acknowledged records. Continue?')
    const connection = await this.connect(flags)
    const {describePartitions, electLeaders, topicsOf} = await import('../../kafka/partitions.js')
    if (flags.topic) {
      const topics = topicsOf(await connection.metadata(null), topicPatterns(flags.topic, flags.regex), {regex: flags.regex, onUnmatched: (p) => this.warning(noMatchWarning(p))})
      only = topics.flatMap((t) => t.partitions.map((p) => p.partition)
        .filter((p) => !flags.partition || flags.partition.includes(p))
        .map((partition) => ({topic: t.name, partition})))
      if (only.length === 0) throw new UsageError('no partition matches --topic/--partition')
    }
    if (flags['dry-run']) {
      const {predictElection} = await import('../../domain/partition-state.js')
      const wanted = only ? new Set(only.map((p) => `${p.topic}\u0000${p.partition}`)) : undefined
      const topics = only ? [...new Set(only.map((p) => p.topic))] : undefined
      const states = (await describePartitions(connection, {topics})).filter((p) => !wanted || wanted.has(`${p.topic}\u0000${p.partition}`))
      const predicted = states.map((p) => ({topic: p.topic, partition: p.partition, ...predictElection(p, electionType)}))
      // Like the controller with --all, list only partitions an election would touch.
      const results = only ? predicted : predicted.filter((r) => r.outcome !== 'already-leader')
      return this.emit({electionType, dryRun: true, results}, renderElection)
    }
    const results = await electLeaders(connection, electionType, only)
    const out = await this.emit({electionType, dryRun: false, results}, renderElection)
    if (results.some((r) => r.outcome === 'failed')) process.exitCode = ExitCode.failure
    return out
  }
}
