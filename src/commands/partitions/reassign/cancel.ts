import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../../cluster-command.js'
import {ExitCode, UsageError} from '../../../errors.js'
import type {CancelResult} from '../../../kafka/reassignment.js'
import {renderCancel} from '../../../render/partitions.js'
import {readPlanFile} from '../../../domain/partition-args.js'

export default class ReassignCancel extends ClusterCommand {
  static summary = 'Cancel reassignments in progress (kafka-reassign-partitions.sh --cancel).'
  static description = 'Sends AlterPartitionReassignments with no target for each partition: the controller reverts it to its original replicas. Throttles stay until removed with `reassign verify` on the rollback plan.'
  static examples = [
    {description: 'Cancel the moves of a plan', command: '<%= config.bin %> <%= command.id %> plan.json'},
    {description: 'Cancel every reassignment in progress', command: '<%= config.bin %> <%= command.id %> --all'},
  ]

  static args = {
    file: Args.string({description: 'Plan whose partitions to cancel.', ignoreStdin: true}),
  }

  static flags = {
    all: Flags.boolean({summary: 'Cancel every reassignment in progress in the cluster.'}),
  }

  async run(): Promise<CancelResult> {
    const {args, flags} = await this.parse(ReassignCancel)
    this.applyOutputFlags(flags)
    if (Boolean(args.file) === flags.all) throw new UsageError('give a plan file or --all')
    const plan = args.file ? await readPlanFile(args.file) : undefined
    const connection = await this.connect(flags)
    const {cancelReassignments} = await import('../../../kafka/reassignment.js')
    const result = await cancelReassignments(connection, plan?.partitions)
    const out = await this.emit(result, renderCancel)
    if (result.failed.length > 0) process.exitCode = ExitCode.failure
    return out
  }
}
