import {Flags} from '@oclif/core'

import {KadmCommand} from '../../base-command.js'
import {dataDirFlag} from '../../local/flags.js'
import type {LocalState} from '../../local/cluster.js'

export default class LocalStart extends KadmCommand {
  static summary = 'Start a real Apache Kafka (KRaft) on 127.0.0.1 for trying kadm out.'
  static description = `Fetches Apache Kafka's jars from Maven Central with mvn (once, into ~/.cache/kadm/kafka), formats KRaft storage and starts 1 or 3 combined broker+controller nodes with small heaps. Waits until every broker is in the cluster metadata, then prints the bootstrap string on stdout. Running it again restarts any node that is down. Needs java (17+) and mvn on PATH.`
  static examples = [
    {description: 'One broker on 127.0.0.1:9092, newest Kafka 4.x', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Three brokers on Kafka 3.9', command: '<%= config.bin %> <%= command.id %> --brokers 3 --kafka-version 3.9.x'},
    {description: 'Use it from a script', command: 'export KADM_BOOTSTRAP_SERVER=$(<%= config.bin %> <%= command.id %>)'},
  ]

  static flags = {
    brokers: Flags.integer({summary: 'Number of brokers, 1 or 3 (each also a KRaft controller). Default 1.', min: 1, max: 3}),
    'kafka-version': Flags.string({summary: 'Kafka version: exact (4.3.1) or a line (4.x, 3.9.x). Default: newest 4.x.'}),
    port: Flags.integer({summary: 'First broker port; brokers use port, port+1, ...; controllers port+100, ....', min: 1024, max: 65_000}),
    'data-dir': dataDirFlag,
  }

  async run(): Promise<LocalState> {
    const {flags} = await this.parse(LocalStart)
    this.applyOutputFlags(flags)
    const [{startCluster}, {waitForBrokers}] = await Promise.all([import('../../local/cluster.js'), import('../../kafka/cluster.js')])
    const state = await startCluster({
      dataDir: flags['data-dir'],
      brokers: flags.brokers,
      versionSpec: flags['kafka-version'],
      port: flags.port,
      onProgress: (line) => this.note(line),
      waitForBrokers,
    })
    this.note(`Kafka ${state.version} is up with ${state.nodes.length} broker(s); kadm commands use it until \`kadm local stop\``)
    return this.emit(state, (s) => s.bootstrap)
  }
}
