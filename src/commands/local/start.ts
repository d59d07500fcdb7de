import * as Flags from '@oclif/core/flags'

import {KadmCommand} from '../../base-command.js'
import {UsageError} from '../../errors.js'
import {dataDirFlag} from '../../local/flags.js'
import type {LocalState} from '../../local/cluster.js'
import type {LocalSecurity, SecureSummary} from '../../local/security.js'
import {DEFAULT_KAFKA_VERSION} from '../../local/versions.js'

export default class LocalStart extends KadmCommand {
  static summary = 'Start a real Apache Kafka (KRaft) on 127.0.0.1 for trying kadm out.'
  static description = `Fetches Apache Kafka's jars from Maven Central with mvn (once, into ~/.cache/kadm/kafka), formats KRaft storage and starts 1 or 3 combined broker+controller nodes with small heaps. Waits until every broker is in the cluster metadata, then prints the bootstrap string on stdout. Running it again restarts any node that is down. Needs java (17+) and mvn on PATH.

With --secure (one broker; needs openssl) the broker also listens with TLS (port+2), mutual TLS (port+4), SASL over plaintext (port+6) and over TLS (port+8) for PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER (Kafka's unsecured JWTs), and TLS with a certificate for another host name (port+10). Certificates are made in <data-dir>/security; users admin (super user) and alice (no rights until ACLs grant them) have the passwords admin-secret and alice-secret; StandardAuthorizer enforces ACLs.`

  static examples = [
    {description: `One broker on 127.0.0.1:9092, Kafka ${DEFAULT_KAFKA_VERSION} (the newest release kadm is tested with)`, command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Three brokers on Kafka 3.9', command: '<%= config.bin %> <%= command.id %> --brokers 3 --kafka-version 3.9.x'},
    {description: 'The newest 4.x release on Maven Central, tested with kadm or not', command: '<%= config.bin %> <%= command.id %> --kafka-version 4.x'},
    {description: 'Use it from a script', command: 'export KADM_BOOTSTRAP_SERVER=$(<%= config.bin %> <%= command.id %>)'},
    {description: 'A cluster at an older metadata.version, to try a feature upgrade on', command: '<%= config.bin %> <%= command.id %> --kafka-version 3.9.x --release-version 3.7'},
    {description: 'One broker with two log dirs (to try `partitions move-log-dir`)', command: '<%= config.bin %> <%= command.id %> --log-dirs 2'},
    {description: 'A broker with TLS, mTLS, SASL and ACLs to try secured contexts against', command: '<%= config.bin %> <%= command.id %> --secure'},
  ]

  static flags = {
    brokers: Flags.integer({summary: 'Number of brokers, 1 or 3 (each also a KRaft controller). Default 1.', min: 1, max: 3}),
    'kafka-version': Flags.string({summary: `Kafka version: exact (${DEFAULT_KAFKA_VERSION}) or a line (4.x, 3.9.x: its newest release on Maven Central). Default: ${DEFAULT_KAFKA_VERSION}, the newest release kadm is tested with.`}),
    'log-dirs': Flags.integer({summary: 'Log dirs per broker (log.dirs), to try moving replicas between them. Default 1.', min: 1, max: 8}),
    port: Flags.integer({summary: 'First broker port; brokers use port, port+1, ...; controllers port+100, ....', min: 1024, max: 65_000}),
    secure: Flags.boolean({summary: 'One broker that also has TLS, mTLS, SASL (PLAIN, SCRAM, OAUTHBEARER) listeners and an authorizer.'}),
    'release-version': Flags.string({summary: 'Format a new cluster at this release\'s metadata.version, e.g. 3.7 or 3.7-IV4 (kafka-storage.sh format --release-version); default: the Kafka version\'s own. Upgrade later with `kadm cluster features upgrade`.'}),
    'data-dir': dataDirFlag,
  }

  async run(): Promise<LocalState & {secure?: SecureSummary}> {
    const {flags} = await this.parse(LocalStart)
    this.applyOutputFlags(flags)
    const [{readState, startCluster}, {waitForBrokers}] = await Promise.all([import('../../local/cluster.js'), import('../../kafka/cluster.js')])
    const {localDataDir} = await import('../../config/paths.js')
    const dataDir = flags['data-dir'] ?? localDataDir()
    const existing = await readState(dataDir)
    let security: LocalSecurity | undefined
    if (flags.secure) {
      if ((flags.brokers ?? existing?.nodes.length ?? 1) !== 1) throw new UsageError('--secure runs a single broker: drop --brokers')
      const {isSecured, prepareLocalSecurity} = await import('../../local/security.js')
      if (existing && !(await isSecured(existing.nodes[0].propertiesFile))) {
        throw new UsageError(`the local cluster in ${dataDir} was made without --secure; run \`kadm local stop --purge\` first`)
      }
      security = await prepareLocalSecurity(dataDir, existing?.nodes[0].port ?? flags.port ?? 9092)
    }
    const state = await startCluster({
      dataDir,
      brokers: flags.brokers,
      logDirs: flags['log-dirs'],
      versionSpec: flags['kafka-version'],
      port: flags.port,
      onProgress: (line) => this.note(line),
      waitForBrokers,
      extraProperties: security?.properties,
      formatArgs: security?.formatArgs,
      releaseVersion: flags['release-version'],
    })
    this.note(`Kafka ${state.version} is up with ${state.nodes.length} broker(s); kadm commands use it until \`kadm local stop\``)
    if (!security) return this.emit(state, (s) => s.bootstrap)
    const {secureSummary} = await import('../../local/security.js')
    const secure = secureSummary(security)
    const l = secure.listeners
    this.note([
      `secured listeners (CA ${secure.ca}): TLS ${l.tls}, mTLS ${l.mtls} (client cert ${secure.clientCert}, key ${secure.clientKey}),`,
      `SASL ${l.sasl}, SASL over TLS ${l.saslTls} (PLAIN/SCRAM users admin/admin-secret, alice/alice-secret; OAUTHBEARER: unsecured JWT)`,
    ].join('\n'))
    return this.emit({...state, secure}, (s) => s.bootstrap)
  }
}
