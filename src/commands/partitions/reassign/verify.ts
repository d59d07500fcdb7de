import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../../cluster-command.js'
import {ExitCode} from '../../../errors.js'
import {readPlanFile} from '../../../domain/partition-args.js'
import type {VerifyReport} from '../../../kafka/reassignment.js'
import {renderVerify} from '../../../render/partitions.js'

export default class ReassignVerify extends ClusterCommand {
  static summary = 'Check whether a reassignment plan is done; remove its throttles when it is (kafka-reassign-partitions.sh --verify).'
  static description = `Per partition: complete (replicas equal the plan and nothing is moving), in-progress, or not-started; and for each replica the plan puts in a log dir path (log_dirs), where it is and whether its move is complete, in-progress (being copied there), elsewhere (being copied to another dir), not-moving (in another dir, no copy under way) or missing (not in a live log dir of its broker). Once every partition and move is complete, the replication throttle configs are deleted from the plan's topics and from every broker. Exit code ${ExitCode.checkFailed} with --fail-if-incomplete while it is not done.`
  static examples = [
    {description: 'Is it done yet?', command: '<%= config.bin %> <%= command.id %> plan.json'},
    {description: 'In a script: wait until done', command: 'until <%= config.bin %> <%= command.id %> plan.json --fail-if-incomplete; do sleep 10; done'},
  ]

  static args = {
    file: Args.string({description: 'The plan that was applied.', required: true, ignoreStdin: true}),
  }

  static flags = {
    'keep-throttle': Flags.boolean({summary: 'Do not remove the throttle configs even when complete (--preserve-throttles as in Kafka).', aliases: ['preserve-throttles']}),
    'fail-if-incomplete': Flags.boolean({summary: `Exit ${ExitCode.checkFailed} while any partition is not complete.`}),
  }

  async run(): Promise<VerifyReport> {
    const {args, flags} = await this.parse(ReassignVerify)
    this.applyOutputFlags(flags)
    const plan = await readPlanFile(args.file)
    const connection = await this.connect(flags)
    const {verifyReassignment} = await import('../../../kafka/reassignment.js')
    const report = await verifyReassignment(connection, plan, {keepThrottles: flags['keep-throttle']})
    const out = await this.emit(report, renderVerify)
    if (flags['fail-if-incomplete'] && !report.complete) process.exitCode = ExitCode.checkFailed
    return out
  }
}
