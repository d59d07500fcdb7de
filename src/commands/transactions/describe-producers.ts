import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {parseTopicPartition} from '../../domain/transactions.js'
import {KadmError, UsageError} from '../../errors.js'
import {type ProducersResult, renderProducers} from '../../render/transactions.js'

export default class TransactionsDescribeProducers extends ClusterCommand {
  static summary = 'Show the active producers of a partition and their open transactions, as kafka-transactions.sh describe-producers.'
  static description = `Asks the partition's leader (or --broker-id, another replica) with DescribeProducers (Kafka 3.0+): each producer id with its epoch, last sequence and timestamp, the coordinator epoch of its last finished transaction, and the first offset of its open transaction, which is what holds back the last stable offset and read_committed consumers.`
  static examples = [
    {description: 'Producers of partition 0 of orders', command: '<%= config.bin %> <%= command.id %> orders:0'},
    {description: 'As a follower replica sees them', command: '<%= config.bin %> <%= command.id %> orders:0 --broker-id 2'},
  ]

  static args = {
    partition: Args.string({description: 'TOPIC:PARTITION, e.g. orders:0.', required: true, ignoreStdin: true}),
  }

  static flags = {
    'broker-id': Flags.integer({summary: 'Ask this replica instead of the leader.', min: 0}),
  }

  async run(): Promise<ProducersResult> {
    const {flags, args} = await this.parse(TransactionsDescribeProducers)
    this.applyOutputFlags(flags)
    const tp = parseTopicPartition(args.partition)
    if (!tp) throw new UsageError(`"${args.partition}" is not TOPIC:PARTITION (e.g. orders:0)`)
    const connection = await this.connect(flags)
    const {describeProducers} = await import('../../kafka/transactions.js')
    const [found] = await describeProducers(connection, [tp], {brokerId: flags['broker-id']})
    if (!found) throw new KadmError(`the ${flags['broker-id'] === undefined ? 'leader' : `broker ${flags['broker-id']}`} of ${tp.topic}:${tp.partition} did not answer`, {exitCode: 4})
    return this.emit(found, renderProducers)
  }
}
