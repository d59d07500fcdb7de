import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {type TransactionList, renderTransactionList} from '../../render/transactions.js'

export default class TransactionsList extends ClusterCommand {
  static summary = 'List transactional ids with their coordinator, producer id and state, as kafka-transactions.sh list.'
  static description = `Asks every broker with ListTransactions (Kafka 3.0+): each lists the transactional ids it coordinates. A broker that does not answer is named and its transactions are missing (exit 4). Filters are applied by the brokers: --longer-than needs Kafka 3.8+, --transactional-id-pattern Kafka 4.1+.`
  static examples = [
    {description: 'Every transactional id the coordinators know', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Open transactions running for more than 10 minutes', command: '<%= config.bin %> <%= command.id %> --state Ongoing --longer-than 10m'},
    {description: 'The transactional id of a producer id (e.g. from describe-producers)', command: '<%= config.bin %> <%= command.id %> --producer-id 4001 -o json'},
  ]

  static flags = {
    state: Flags.string({summary: 'Only transactions in these states (Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, PrepareEpochFence); comma-separated or repeated.', multiple: true, multipleNonGreedy: true, delimiter: ','}),
    'producer-id': Flags.integer({summary: 'Only transactions of these producer ids; repeatable.', multiple: true, min: 0}),
    'longer-than': Flags.string({summary: 'Only transactions running longer than this, e.g. 10m (Kafka 3.8+; the tool\'s --duration-filter).'}),
    'transactional-id-pattern': Flags.string({summary: 'Only transactional ids matching this Java regular expression (Kafka 4.1+).'}),
  }

  async run(): Promise<TransactionList> {
    const {flags} = await this.parse(TransactionsList)
    this.applyOutputFlags(flags)
    const longerThanMs = flags['longer-than'] === undefined ? undefined : this.parseTimeout(flags['longer-than'], '--longer-than')
    const connection = await this.connect(flags)
    const {listTransactions} = await import('../../kafka/transactions.js')
    const transactions = await listTransactions(connection, {
      states: flags.state,
      producerIds: flags['producer-id'],
      longerThanMs,
      transactionalIdPattern: flags['transactional-id-pattern'],
    })
    return this.emit({transactions}, renderTransactionList)
  }
}
