import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {type AbortSpec, abortSpecAt} from '../../domain/transactions.js'
import {KadmError, UsageError} from '../../errors.js'
import {type AbortResult, renderAbort} from '../../render/transactions.js'

export default class TransactionsAbort extends ClusterCommand {
  static summary = 'Abort a hanging transaction on one partition, as kafka-transactions.sh abort.'
  static description = `Writes an abort marker (WriteTxnMarkers, to the partition's leader) for one producer's open transaction, so that the last stable offset moves past it and read_committed consumers go on; its records are never delivered to them. Name the transaction by --start-offset (from find-hanging or describe-producers): kadm checks with DescribeProducers that a transaction starts there, as Kafka's tool does. For brokers older than 3.0, give --producer-id, --producer-epoch and --coordinator-epoch instead. Only for transactions no coordinator will complete: a live producer's transaction aborted this way loses its writes to this partition. Asks for confirmation on a terminal (--yes without one); --dry-run shows the marker that would be written.`
  static examples = [
    {description: 'Abort the transaction starting at offset 1234 of orders:3 (as find-hanging shows it)', command: '<%= config.bin %> <%= command.id %> --topic orders --partition 3 --start-offset 1234'},
    {description: 'See which producer that is, without aborting', command: '<%= config.bin %> <%= command.id %> --topic orders --partition 3 --start-offset 1234 --dry-run'},
    {description: 'On brokers before 3.0: name the producer', command: '<%= config.bin %> <%= command.id %> --topic orders --partition 3 --producer-id 4001 --producer-epoch 0 --coordinator-epoch -1 --yes'},
  ]

  static flags = {
    topic: Flags.string({char: 't', summary: 'The topic of the partition.', required: true}),
    partition: Flags.integer({char: 'p', summary: 'The partition.', required: true, min: 0}),
    'start-offset': Flags.integer({summary: 'First offset of the transaction to abort (brokers 3.0+).', min: 0, exclusive: ['producer-id']}),
    'producer-id': Flags.integer({summary: 'Producer id of the transaction (instead of --start-offset).', min: 0, dependsOn: ['producer-epoch', 'coordinator-epoch']}),
    'producer-epoch': Flags.integer({summary: 'Its producer epoch (with --producer-id).', min: 0, dependsOn: ['producer-id']}),
    'coordinator-epoch': Flags.integer({summary: 'Its coordinator epoch (with --producer-id; -1 is taken as 0).', min: -1, dependsOn: ['producer-id']}),
    'dry-run': Flags.boolean({summary: 'Check the transaction and show the marker that would be written, without writing it.'}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation (needed without a terminal).'}),
  }

  async run(): Promise<AbortResult> {
    const {flags} = await this.parse(TransactionsAbort)
    this.applyOutputFlags(flags)
    const {topic, partition} = flags
    const startOffset = flags['start-offset']
    if (startOffset === undefined && flags['producer-id'] === undefined) throw new UsageError('name the transaction with --start-offset (brokers 3.0+) or with --producer-id, --producer-epoch and --coordinator-epoch')
    const connection = await this.connect(flags)
    const {abortTransaction, describeProducers} = await import('../../kafka/transactions.js')
    let spec: AbortSpec | undefined
    if (startOffset === undefined) {
      spec = {topic, partition, producerId: flags['producer-id']!, producerEpoch: flags['producer-epoch']!, coordinatorEpoch: Math.max(0, flags['coordinator-epoch']!)}
    } else {
      const [states] = await describeProducers(connection, [{topic, partition}])
      if (!states) throw new KadmError(`the leader of ${topic}:${partition} did not answer: cannot check the transaction`, {exitCode: 4})
      spec = abortSpecAt(topic, partition, states.producers, startOffset)
      if (!spec) throw new KadmError(`no open transaction starts at offset ${startOffset} on ${topic}:${partition}`, {hint: `see: kadm transactions describe-producers ${topic}:${partition}`})
    }
    if (flags['dry-run']) {
      this.note('dry run: no marker written')
      return this.emit({dryRun: true, aborted: false, transaction: spec}, renderAbort)
    }
    const what = `the transaction of producer ${spec.producerId} on ${topic}:${partition}`
    await this.confirmUnlessYes(flags.yes, `aborting ${what} discards its records on that partition for read_committed consumers`, `Abort ${what}? Its records there will never be delivered to read_committed consumers.`)
    await abortTransaction(connection, spec)
    return this.emit({dryRun: false, aborted: true, transaction: spec}, renderAbort)
  }
}
