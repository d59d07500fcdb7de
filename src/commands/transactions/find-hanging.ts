import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {ExitCode, UsageError} from '../../errors.js'
import {type HangingResult, renderHanging} from '../../render/transactions.js'

export default class TransactionsFindHanging extends ClusterCommand {
  static summary = 'Find hanging transactions: open on a partition, older than any transaction timeout, and unknown to their coordinator.'
  static description = `As kafka-transactions.sh find-hanging: DescribeProducers on every partition of --topic (or every partition with a replica on --broker-id) finds open transactions whose producer last wrote longer ago than --max-transaction-timeout; those whose producer id no coordinator lists (ListTransactions), or whose transactional id's current transaction (DescribeTransactions) does not include the partition, are hanging: no coordinator will ever write their marker, and they hold back read_committed consumers until aborted (kadm transactions abort). Exit code 3 when any is found.`
  static examples = [
    {description: 'Hanging transactions on the partitions of one topic', command: '<%= config.bin %> <%= command.id %> --topic orders'},
    {description: 'On every partition broker 2 holds a replica of', command: '<%= config.bin %> <%= command.id %> --broker-id 2'},
  ]

  static flags = {
    'broker-id': Flags.integer({summary: 'Search the partitions with a replica on this broker (asking it).', min: 0}),
    topic: Flags.string({char: 't', summary: 'Search the partitions of this topic.'}),
    partition: Flags.integer({char: 'p', summary: 'Only this partition of --topic.', min: 0, dependsOn: ['topic']}),
    'max-transaction-timeout': Flags.string({summary: 'The largest transaction.timeout.ms producers use: open transactions idle longer are suspects (the broker\'s transaction.max.timeout.ms is 15m by default).', default: '15m'}),
  }

  async run(): Promise<HangingResult> {
    const {flags} = await this.parse(TransactionsFindHanging)
    this.applyOutputFlags(flags)
    if (flags.topic === undefined && flags['broker-id'] === undefined) throw new UsageError('find-hanging needs --topic or --broker-id to limit the search')
    const maxTimeoutMs = this.parseTimeout(flags['max-transaction-timeout'], '--max-transaction-timeout')
    const connection = await this.connect(flags)
    const {findHangingTransactions} = await import('../../kafka/transactions.js')
    const found = await findHangingTransactions(connection, {brokerId: flags['broker-id'], topic: flags.topic, partition: flags.partition, maxTimeoutMs})
    const now = Date.now()
    const result = await this.emit({maxTransactionTimeoutMs: maxTimeoutMs, transactions: found.map((t) => ({...t, durationMs: now - t.producer.lastTimestamp}))}, renderHanging)
    if (found.length > 0 && !process.exitCode) process.exitCode = ExitCode.checkFailed
    return result
  }
}
