import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {ExitCode, UsageError} from '../../errors.js'
import {parseByteRate} from '../../domain/reassignment.js'
import type {ApplyResult, GeneratedPlan} from '../../kafka/reassignment.js'
import {renderApply} from '../../render/partitions.js'
import {parseBrokerList} from '../../domain/partition-args.js'

export default class PartitionsSetReplicationFactor extends ClusterCommand {
  static summary = "Change a topic's replication factor in one step (plan and apply a reassignment)."
  static description = 'Builds a balanced plan that keeps existing replicas, adds or drops replicas to reach the factor (rack-aware), and starts it. Follow it with `partitions reassign status`; the rollback plan is in the JSON output (plan.current).'
  static examples = [
    {description: 'Raise to 3 replicas', command: '<%= config.bin %> <%= command.id %> orders --replication-factor 3'},
    {description: 'Preview, then apply with a throttle', command: '<%= config.bin %> <%= command.id %> orders --replication-factor 3 --dry-run'},
    {description: 'Lower to 2 replicas on brokers 1-3 only', command: '<%= config.bin %> <%= command.id %> orders --replication-factor 2 --brokers 1,2,3'},
  ]

  static args = {
    topic: Args.string({description: 'Topic to change (picked from a list on a terminal when left out).', ignoreStdin: true}),
  }

  static flags = {
    'replication-factor': Flags.integer({char: 'r', summary: 'The new replication factor.', required: true, min: 1}),
    brokers: Flags.string({summary: 'Brokers that may hold replicas (default: every broker).'}),
    throttle: Flags.string({summary: 'Replication throttle in bytes/s while replicas are copied (removed by `reassign verify`).'}),
    'dry-run': Flags.boolean({summary: 'Show the plan; change nothing.'}),
  }

  async run(): Promise<ApplyResult & {plan: GeneratedPlan}> {
    const {args, flags} = await this.parse(PartitionsSetReplicationFactor)
    this.applyOutputFlags(flags)
    const throttle = flags.throttle === undefined ? undefined : parseByteRate(flags.throttle)
    if (flags.throttle !== undefined && throttle === undefined) throw new UsageError(`--throttle "${flags.throttle}" is not a rate (e.g. 50MB)`)
    const brokers = flags.brokers ? parseBrokerList(flags.brokers, '--brokers') : undefined
    const [name] = await this.requireOrPick('topic', args.topic === undefined ? [] : [args.topic], flags, 'TOPIC')
    const connection = await this.connect(flags)
    const {changeReplicationFactor} = await import('../../kafka/reassignment.js')
    const result = await changeReplicationFactor(connection, name, flags['replication-factor'], {throttle, dryRun: flags['dry-run'], brokers})
    const out = await this.emit(result, renderApply)
    if (result.failed.length > 0) process.exitCode = ExitCode.failure
    return out
  }
}
