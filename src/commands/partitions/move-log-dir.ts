import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {isAbsolute} from 'node:path'

import {ClusterCommand} from '../../cluster-command.js'
import {ExitCode, UsageError} from '../../errors.js'
import type {LogDirMoveStatus} from '../../domain/log-dirs.js'
import {PlanError, parseTopicScope} from '../../domain/offset-reset.js'
import type {LogDirMoves} from '../../kafka/log-dirs.js'
import {renderLogDirMoves} from '../../render/partitions.js'

export type MoveLogDirOutput = LogDirMoves & {broker: number; to: string; waited?: LogDirMoveStatus[]}

export default class PartitionsMoveLogDir extends ClusterCommand {
  static summary = 'Move replicas to another log dir of their broker (AlterReplicaLogDirs).'
  static description = `Moves the replicas that --broker holds of the given partitions (every partition of the topic when none is given) into its log dir --to, e.g. off a disk that fills up. The broker copies each replica into the target dir while it keeps serving it, and swaps the copy in once it has caught up. Every target is checked first against the broker's log dirs (DescribeLogDirs): a path that is not one of them, an offline dir or a broker that does not answer is one line and nothing is moved. Moves between brokers, or many at once from a file: \`partitions reassign apply\` with "log_dirs" in the plan.`
  static examples = [
    {description: 'Move every replica of orders on broker 2 to /data2/kafka', command: '<%= config.bin %> <%= command.id %> orders --broker 2 --to /data2/kafka'},
    {description: 'Two partitions, and wait until the copies are done', command: '<%= config.bin %> <%= command.id %> orders:0,3 --broker 2 --to /data2/kafka --wait'},
    {description: 'See what would move', command: '<%= config.bin %> <%= command.id %> orders --broker 2 --to /data2/kafka --dry-run'},
  ]

  static args = {
    topic: Args.string({description: 'TOPIC or TOPIC:PARTITIONS (0,2 or 0-3).', required: true, ignoreStdin: true}),
  }

  static flags = {
    broker: Flags.integer({summary: 'Broker whose replicas move (between its own log dirs).', required: true, min: 0}),
    to: Flags.string({summary: 'Absolute path of the target log dir, one of the broker\'s log.dirs.', required: true}),
    wait: Flags.boolean({summary: 'Wait until every copy is done (polls DescribeLogDirs every 500 ms).', exclusive: ['dry-run']}),
    'dry-run': Flags.boolean({summary: 'Show what would move; change nothing.'}),
  }

  async run(): Promise<MoveLogDirOutput> {
    const {args, flags} = await this.parse(PartitionsMoveLogDir)
    this.applyOutputFlags(flags)
    if (!isAbsolute(flags.to)) throw new UsageError(`--to "${flags.to}" is not an absolute path (a log dir of broker ${flags.broker})`)
    let scope
    try {
      scope = parseTopicScope(args.topic)
    } catch (error) {
      if (error instanceof PlanError) throw new UsageError(error.message)
      throw error
    }
    const connection = await this.connect(flags)
    const {brokerLogDirs, moveReplicaLogDirs, replicasOnBroker, waitForLogDirMoves} = await import('../../kafka/log-dirs.js')
    const {meta, partitions} = await replicasOnBroker(connection, scope.topic, scope.partitions, flags.broker)
    const targets = partitions.map((partition) => ({topic: scope.topic, partition, broker: flags.broker, dir: flags.to}))
    const moves = await moveReplicaLogDirs(connection, targets, await brokerLogDirs(connection, [meta], [flags.broker]), {dryRun: Boolean(flags['dry-run'])})
    const out: MoveLogDirOutput = {...moves, broker: flags.broker, to: flags.to}
    // With --wait, `waited` is always there (empty when nothing had to move), for scripts.
    if (flags.wait) out.waited = moves.started.length > 0 ? await waitForLogDirMoves(connection, moves.started, [meta]) : []
    const emitted = await this.emit(out, renderLogDirMoves)
    if (moves.failed.length > 0 || (out.waited ?? []).some((s) => s.state !== 'complete')) process.exitCode = ExitCode.failure
    return emitted
  }
}
