import * as Args from '@oclif/core/args'

import {ClusterCommand} from '../../cluster-command.js'
import {KadmError} from '../../errors.js'
import type {TransactionDescription} from '../../kafka/transactions.js'
import {renderTransactionDescription} from '../../render/transactions.js'

export default class TransactionsDescribe extends ClusterCommand {
  static summary = 'Show a transactional id\'s state at its coordinator, as kafka-transactions.sh describe.'
  static description = `Finds the coordinator of the transactional id (FindCoordinator) and asks it with DescribeTransactions (Kafka 3.0+): producer id and epoch, state, timeout, when the open transaction started and the partitions it writes to (while it commits or aborts, those still without a marker).`
  static examples = [
    {description: 'The state of one transactional id', command: '<%= config.bin %> <%= command.id %> payments-writer-1'},
  ]

  static args = {
    'transactional-id': Args.string({description: 'The transactional id.', required: true, ignoreStdin: true}),
  }

  async run(): Promise<TransactionDescription> {
    const {flags, args} = await this.parse(TransactionsDescribe)
    this.applyOutputFlags(flags)
    const id = args['transactional-id']
    const connection = await this.connect(flags)
    const {describeTransactions} = await import('../../kafka/transactions.js')
    const described = await describeTransactions(connection, [id])
    if (!described.has(id)) throw new KadmError(`the coordinator of transactional id ${id} did not answer`, {exitCode: 4})
    const found = described.get(id)
    if (!found) throw new KadmError(`transactional id ${id} is not known to its coordinator (TRANSACTIONAL_ID_NOT_FOUND)`)
    return this.emit(found, renderTransactionDescription)
  }
}
