import {X509Certificate} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import type {Admin, Kafka, KafkaConfig, Mechanism, SASLOptions} from 'kafkajs'

import {KadmError} from '../errors.js'
import type {SaslSettings} from '../config/contexts.js'
import type {ConnectionSettings} from '../config/resolve.js'
import {describeKafkaError} from './connection-errors.js'
import {loadKafkajs} from './kafkajs.js'
import {Metadata, type MetadataResponse} from './protocol/metadata.js'
import {type ApiSpec, type BrokerConnection, sendRequest} from './protocol/transport.js'
import {oauthBearerMechanism, tokenCache} from './oauthbearer.js'
import {readSecret} from './secrets.js'

export interface ClientOptions {
  timeoutMs: number
  verbose: boolean
}

/** The parts of kafkajs's internal Cluster that kadm drives directly. */
interface RawCluster {
  connect(): Promise<void>
  disconnect(): Promise<void>
  refreshMetadata(): Promise<void>
  findBroker(query: {nodeId: number}): Promise<BrokerConnection>
  findGroupCoordinator(query: {groupId: string; coordinatorType?: number}): Promise<BrokerConnection>
  brokerPool: {
    seedBroker: BrokerConnection
    brokers: Record<string, BrokerConnection>
    versions: unknown
    rootLogger: unknown
    connectionPoolBuilder: {build(address: {host: string; port: number; rack: string | null}): Promise<unknown>}
    createBroker(options: {logger: unknown; versions: unknown; connectionPool: unknown; nodeId: number}): BrokerConnection
  }
}

const LEVELS: Record<number, string> = {1: 'ERROR', 2: 'WARN', 4: 'INFO', 5: 'DEBUG'}

/** kafkajs logs to stdout by default: kadm sends its logs to stderr, and only with --verbose. */
function stderrLogCreator() {
  return ({level, log}: {level: number; log: {message: string; [k: string]: unknown}}) => {
    const {message, timestamp: _t, logger: _l, ...rest} = log
    process.stderr.write(`kafkajs ${LEVELS[level] ?? level} ${message} ${JSON.stringify(rest)}\n`)
  }
}

export async function kafkaConfig(settings: ConnectionSettings, options: ClientOptions): Promise<KafkaConfig> {
  const {logLevel} = await loadKafkajs()
  const config: KafkaConfig = {
    clientId: settings.clientId ?? 'kadm',
    brokers: settings.bootstrapServers,
    connectionTimeout: options.timeoutMs,
    authenticationTimeout: options.timeoutMs,
    requestTimeout: Math.max(options.timeoutMs, 30_000),
    // Explicit, so NODE_ENV=test cannot switch kafkajs to its 15-retry test policy.
    retry: {retries: 2, initialRetryTime: 100, maxRetryTime: Math.max(500, options.timeoutMs / 2), factor: 0.2, multiplier: 2},
    logLevel: options.verbose ? logLevel.DEBUG : logLevel.NOTHING,
    logCreator: stderrLogCreator,
  }
  const tls = settings.tls
  if (tls && tls.enabled !== false) {
    const read = async (path: string | undefined, what: string) => {
      if (!path) return undefined
      try {
        return await readFile(path, 'utf8')
      } catch (error) {
        throw new KadmError(`cannot read TLS ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
      }
    }
    const cert = await read(tls.cert, 'client certificate')
    if (cert) checkClientCertificate(cert, tls.cert!)
    config.ssl = {
      ca: tls.ca ? [(await read(tls.ca, 'CA file'))!] : undefined,
      cert,
      key: await read(tls.key, 'client key'),
      passphrase: tls.keyPassphrase ? await readSecret(tls.keyPassphrase, 'TLS key passphrase') : undefined,
      rejectUnauthorized: !tls.insecureSkipVerify,
      ...(tls.insecureSkipVerify ? {checkServerIdentity: () => undefined} : {}),
    }
  }
  if (settings.sasl) config.sasl = await saslOptions(settings.sasl)
  return config
}

/** An expired client certificate gets a clear line here rather than a TLS alert from the broker. */
function checkClientCertificate(pem: string, path: string): void {
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(pem)
  } catch {
    throw new KadmError(`TLS client certificate ${path} is not a PEM certificate`)
  }
  const now = Date.now()
  const validTo = new Date(certificate.validTo)
  const validFrom = new Date(certificate.validFrom)
  if (validTo.getTime() < now) throw new KadmError(`TLS client certificate ${path} expired on ${validTo.toISOString()}`)
  if (validFrom.getTime() > now) throw new KadmError(`TLS client certificate ${path} is not valid before ${validFrom.toISOString()}`)
}

/**
 * PLAIN/SCRAM passwords are read once, before connecting. An OAUTHBEARER token is fetched before
 * connecting and again whenever a connection authenticates after the cached JWT nears its expiry.
 */
async function saslOptions(sasl: SaslSettings): Promise<SASLOptions | Mechanism> {
  if (sasl.mechanism === 'oauthbearer') {
    const source = sasl.token!
    const token = tokenCache(() => readSecret(source, 'OAUTHBEARER token'))
    // Fetched before any socket opens, so a failing token command fails the command cleanly.
    await token()
    return oauthBearerMechanism(token)
  }
  const password = await readSecret(sasl.password!, `SASL password for ${sasl.username}`)
  return {mechanism: sasl.mechanism, username: sasl.username!, password} as SASLOptions
}

/** Rejects with `onTimeout()` unless `work` settles within `ms`. */
export async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms)
  })
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * One connection to a cluster for the life of a command: kafkajs's cluster object for the
 * requests kafkajs has, kadm's protocol module for the rest, and a kafkajs admin only when asked.
 */
export class KafkaConnection {
  private adminClient?: Admin
  private brokersRegistered?: Promise<void>

  private constructor(
    private readonly kafka: Kafka,
    private readonly cluster: RawCluster,
    readonly settings: ConnectionSettings,
    readonly options: ClientOptions,
  ) {}

  static async open(settings: ConnectionSettings, options: ClientOptions): Promise<KafkaConnection> {
    const {Kafka} = await loadKafkajs()
    const kafka = new Kafka(await kafkaConfig(settings, options))
    // kafkajs builds its Cluster behind a private symbol; it is the only way to reuse its
    // connections (auth, versions, correlation) for requests it does not implement.
    const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster')
    if (!symbol) throw new KadmError('unsupported kafkajs version: cannot reach its cluster object')
    const create = (kafka as unknown as Record<symbol, (o: object) => RawCluster>)[symbol]
    const cluster = create({allowAutoTopicCreation: false})
    const connection = new KafkaConnection(kafka, cluster, settings, options)
    try {
      await connection.guard(cluster.connect(), 'connect')
    } catch (error) {
      // A failed handshake (e.g. no token for SASL) can leave a socket open that would keep the process alive.
      await connection.close()
      throw error
    }
    return connection
  }

  private get where(): string {
    return this.settings.bootstrapServers.join(',')
  }

  /** Bounds a network step by --timeout and turns failures into one clear line. */
  async guard<T>(work: Promise<T>, what: string): Promise<T> {
    try {
      return await withDeadline(work, this.options.timeoutMs + 250, () =>
        new KadmError(`${what} to ${this.where} timed out after ${this.options.timeoutMs / 1000}s`))
    } catch (error) {
      throw describeKafkaError(error, this.settings.bootstrapServers, {clientCertificate: Boolean(this.settings.tls?.cert)})
    }
  }

  get seedBroker(): BrokerConnection {
    return this.cluster.brokerPool.seedBroker
  }

  /** Cluster metadata in one round trip; `null` means every topic, `[]` none. */
  async metadata(topics: string[] | null = null): Promise<MetadataResponse> {
    const response = await this.send(this.seedBroker, Metadata, {topics})
    // Every Metadata response lists the live brokers: no second round trip to learn them.
    this.brokersRegistered ??= this.addBrokers(response.brokers)
    return response
  }

  /** Metadata as one particular broker sees it (brokers learn of changes a moment apart). */
  async metadataFrom(nodeId: number, topics: string[] | null): Promise<MetadataResponse> {
    return this.send(await this.broker(nodeId), Metadata, {topics})
  }

  /**
   * Tells kafkajs's broker pool about every broker, from a Metadata request for no topics (unless
   * an earlier Metadata response already listed them). kafkajs's own refresh sends an empty topic
   * list, which Kafka reads as "every topic": on a cluster with thousands of partitions that alone
   * cost tens of milliseconds per command.
   */
  private registerBrokers(): Promise<void> {
    this.brokersRegistered ??= this.send(this.seedBroker, Metadata, {topics: []}).then((response) => this.addBrokers(response.brokers))
    return this.brokersRegistered
  }

  private async addBrokers(brokers: MetadataResponse['brokers']): Promise<void> {
    const pool = this.cluster.brokerPool
    for (const b of brokers) {
      if (pool.brokers[b.nodeId]) continue
      const seed = pool.seedBroker
      if (seed.connectionPool.host === b.host && seed.connectionPool.port === b.port) {
        // As kafkajs does: a later refresh of its own compares racks, and would take a
        // mismatch for a replaced broker and disconnect the seed connection in use.
        seed.nodeId = b.nodeId
        seed.connectionPool.rack = b.rack
        pool.brokers[b.nodeId] = seed
        continue
      }
      const connectionPool = await pool.connectionPoolBuilder.build({host: b.host, port: b.port, rack: b.rack})
      pool.brokers[b.nodeId] = pool.createBroker({logger: pool.rootLogger, versions: pool.versions, connectionPool, nodeId: b.nodeId})
    }
  }

  async broker(nodeId: number): Promise<BrokerConnection> {
    await this.registerBrokers()
    return this.guard(this.cluster.findBroker({nodeId}), `connection to broker ${nodeId}`)
  }

  async coordinator(groupId: string): Promise<BrokerConnection> {
    await this.registerBrokers()
    return this.guard(this.cluster.findGroupCoordinator({groupId}), `finding the coordinator of group ${groupId}`)
  }

  async send<Req, Res>(broker: BrokerConnection, spec: ApiSpec<Req, Res>, request: Req, options: {connection?: 0 | 1} = {}): Promise<Res> {
    return this.guard(sendRequest(broker, spec, request, options), `${spec.name} request`)
  }

  async admin(): Promise<Admin> {
    if (!this.adminClient) {
      const admin = this.kafka.admin()
      await this.guard(admin.connect(), 'connect')
      this.adminClient = admin
    }
    return this.adminClient
  }

  /** Disconnects, but never waits more than a second for a broker that does not answer. */
  async close(): Promise<void> {
    const closing = Promise.allSettled([this.adminClient?.disconnect(), this.cluster.disconnect()])
    await withDeadline(closing, 1000, () => new Error('disconnect timed out')).catch(() => {})
  }
}
