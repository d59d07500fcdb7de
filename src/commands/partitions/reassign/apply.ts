import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../../cluster-command.js'
import {ExitCode, UsageError} from '../../../errors.js'
import {parseByteRate} from '../../../domain/reassignment.js'
import type {ApplyResult} from '../../../kafka/reassignment.js'
import {renderApply} from '../../../render/partitions.js'
import {readPlanFile} from '../../../domain/partition-args.js'

export default class ReassignApply extends ClusterCommand {
  static summary = 'Start a reassignment plan (kafka-reassign-partitions.sh --execute).'
  static description = `Sends AlterPartitionReassignments for the partitions whose replicas change; the brokers copy the data in the background (see \`reassign status\`). With --throttle, the replication throttle is set first, as Kafka's tool does: leader/follower.replication.throttled.rate on every broker involved and leader/follower.replication.throttled.replicas on the topics. \`reassign verify\` removes it when the plan is complete.

A plan may give a log dir per replica ("log_dirs", as in Kafka's plans: "any" or the absolute path of a log dir of that replica's broker). Every path is checked against the brokers' log dirs before anything is sent; after the reassignment, AlterReplicaLogDirs asks each broker to move the replica into that dir (for a replica the reassignment is still bringing to its broker, again until the broker takes it, up to 10 s). \`reassign verify\` reports each of these moves.`
  static examples = [
    {description: 'Start a plan made by `reassign plan`', command: '<%= config.bin %> <%= command.id %> plan.json'},
    {description: 'Limit replication traffic to 50 MB/s per broker while it moves', command: '<%= config.bin %> <%= command.id %> plan.json --throttle 50MB'},
    {description: 'Put partition 0 of orders on broker 2 into its log dir /data2/kafka (plan.json: {"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[2,1],"log_dirs":["/data2/kafka","any"]}]})', command: '<%= config.bin %> <%= command.id %> plan.json'},
    {description: 'Roll back (apply the current assignment saved by `plan`)', command: '<%= config.bin %> <%= command.id %> rollback.json'},
  ]

  static args = {
    file: Args.string({description: 'Plan JSON ({"version":1,"partitions":[{"topic","partition","replicas"}]}).', required: true, ignoreStdin: true}),
  }

  static flags = {
    throttle: Flags.string({summary: 'Replication throttle in bytes/s per broker (e.g. 50000000, 50MB, 48MiB).'}),
    'dry-run': Flags.boolean({summary: 'Show which partitions would move; change nothing.'}),
  }

  async run(): Promise<ApplyResult> {
    const {args, flags} = await this.parse(ReassignApply)
    this.applyOutputFlags(flags)
    const throttle = flags.throttle === undefined ? undefined : parseByteRate(flags.throttle)
    if (flags.throttle !== undefined && throttle === undefined) throw new UsageError(`--throttle "${flags.throttle}" is not a rate (e.g. 50000000, 50MB, 48MiB)`)
    const plan = await readPlanFile(args.file)
    const connection = await this.connect(flags)
    const {applyPlan} = await import('../../../kafka/reassignment.js')
    const result = await applyPlan(connection, plan, {throttle, dryRun: Boolean(flags['dry-run'])})
    const out = await this.emit(result, renderApply)
    if (result.failed.length > 0 || (result.logDirs?.failed.length ?? 0) > 0) process.exitCode = ExitCode.failure
    return out
  }
}
