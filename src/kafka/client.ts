import {X509Certificate} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import type {Admin, Kafka, KafkaConfig, Mechanism, SASLOptions} from 'kafkajs'

import {KadmError} from '../errors.js'
import type {SaslSettings} from '../config/contexts.js'
import type {ConnectionSettings} from '../config/resolve.js'
import {BrokerUnreachable, describeKafkaError, isUnreachable, unreachableReason} from './connection-errors.js'
import {brokerAddress, KafkajsBrokers, loadKafkajs, type PoolBroker} from './kafkajs.js'
import {Metadata, type MetadataResponse} from './protocol/metadata.js'
import {type ApiSpec, type BrokerConnection, sendRequest} from './protocol/transport.js'
import {oauthBearerMechanism, tokenCache} from './oauthbearer.js'
import {readSecret} from './secrets.js'

export interface ClientOptions {
  timeoutMs: number
  verbose: boolean
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
  } else config.socketFactory = (await import('./framed-socket.js')).framedSocketFactory
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

/** What a command could not get because a broker did not answer: printed as one line, exit code 4. */
export interface BrokerGap {
  nodeId: number | null
  address: string
  reason: string
  /** What was missed, e.g. "ListOffsets for 4 partitions". */
  what: string
}

/** How long a broker that did not answer is passed over before it is tried again. */
const UNREACHABLE_FOR_MS = 5_000

/**
 * One connection to a cluster for the life of a command: kafkajs's cluster object for the
 * requests kafkajs has, kadm's protocol module for the rest, and a kafkajs admin only when asked.
 *
 * It owns how kadm behaves when the cluster is degraded. Requests any broker can answer
 * (metadata, topic configs, FindCoordinator, ...) go through `anyBroker`, which passes over a
 * broker that is down or frozen to the next one. Requests that only one broker can answer (a
 * leader's ListOffsets, a coordinator's OffsetFetch, a broker's ListGroups) throw
 * BrokerUnreachable after at most --timeout; their callers carry on without that part and record
 * a gap, which the command reports in one line with exit code 4. Every network step is bounded
 * by --timeout, so a frozen broker never hangs a command.
 */
export class KafkaConnection {
  private adminClient?: Admin
  private brokersRegistered?: Promise<void>
  /** Brokers (by address) that did not answer, and when; cleared when one answers again. */
  private readonly unreachable = new Map<string, {error: BrokerUnreachable; at: number}>()
  /** Addresses that have answered: a closed socket there later means the broker went away. */
  private readonly answered = new Set<string>()
  readonly gaps: BrokerGap[] = []
  /** Seeds given up on while connecting, disconnected with the rest at close(). */
  private readonly abandoned: PoolBroker[] = []

  private constructor(
    private readonly kafka: Kafka,
    private readonly brokers: KafkajsBrokers,
    readonly settings: ConnectionSettings,
    readonly options: ClientOptions,
  ) {}

  static async open(settings: ConnectionSettings, options: ClientOptions): Promise<KafkaConnection> {
    const {Kafka} = await loadKafkajs()
    const kafka = new Kafka(await kafkaConfig(settings, options))
    const connection = new KafkaConnection(kafka, KafkajsBrokers.of(kafka), settings, options)
    try {
      await connection.connectSeed()
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

  private describe(error: unknown, address?: string): KadmError {
    return describeKafkaError(error, address ? [address] : this.settings.bootstrapServers, {
      clientCertificate: Boolean(this.settings.tls?.cert),
      answeredBefore: address ? this.answered.has(address) : false,
    })
  }

  /**
   * Connects to one bootstrap server, trying them in turn: kafkajs moves to the next one only on
   * connection errors, so a frozen broker (it accepts the connection, then never answers) would
   * take the whole timeout and fail the command. Each try is bounded by --timeout. TLS and
   * authentication failures end it at once: every broker shares the configuration.
   */
  private async connectSeed(): Promise<void> {
    let last: unknown
    for (let attempt = 0; attempt < this.settings.bootstrapServers.length; attempt++) {
      if (attempt > 0 || !this.brokers.seed) {
        // The seed given up on is disconnected at close(): a frozen broker never acknowledges.
        const previous = await this.brokers.nextSeed()
        if (previous) this.abandoned.push(previous)
      }
      const seed = this.brokers.seed!
      const address = brokerAddress(seed)
      try {
        await withDeadline(seed.connect(), this.options.timeoutMs + 250, () => this.timeoutError('connect', address))
        this.brokers.adoptSeedVersions()
        this.answered.add(address)
        return
      } catch (error) {
        last = error
        if (!isUnreachable(error) && !(error instanceof TimedOut)) throw this.describe(error, address)
        this.markUnreachable(seed, error)
      }
    }
    if (last instanceof TimedOut) throw new KadmError(last.message)
    throw this.describe(last, this.settings.bootstrapServers.length === 1 ? this.settings.bootstrapServers[0] : undefined)
  }

  private timeoutError(what: string, address: string): TimedOut {
    return new TimedOut(`${what} to ${address} timed out after ${this.options.timeoutMs / 1000}s`)
  }

  private markUnreachable(broker: BrokerConnection, error: unknown): BrokerUnreachable {
    const address = brokerAddress(broker)
    const unreachable = error instanceof BrokerUnreachable
      ? error
      : new BrokerUnreachable(broker.nodeId ?? this.nodeIdAt(address), address, unreachableReason(error, this.answered.has(address), this.options.timeoutMs))
    this.unreachable.set(address, {error: unreachable, at: Date.now()})
    return unreachable
  }

  private nodeIdAt(address: string): number | null {
    const found = this.brokers.all().find((b) => brokerAddress(b) === address && b.nodeId !== undefined)
    return found?.nodeId ?? null
  }

  /** The error a broker gave recently, while it is passed over. */
  private recentlyUnreachable(broker: BrokerConnection): BrokerUnreachable | undefined {
    const address = brokerAddress(broker)
    const mark = this.unreachable.get(address)
    if (!mark) return undefined
    // Asked again after a while; until it answers, it stays last in line (see candidates).
    if (Date.now() - mark.at >= UNREACHABLE_FOR_MS) return undefined
    // The seed's id is learnt after it first failed: name the broker once it is known.
    const nodeId = broker.nodeId ?? this.nodeIdAt(address)
    if (mark.error.nodeId === null && nodeId !== null) mark.error = new BrokerUnreachable(nodeId, address, mark.error.reason)
    return mark.error
  }

  /** Bounds a network step by --timeout and turns failures into one clear line. */
  async guard<T>(work: Promise<T>, what: string): Promise<T> {
    try {
      return await withDeadline(work, this.options.timeoutMs + 250, () =>
        new KadmError(`${what} to ${this.where} timed out after ${this.options.timeoutMs / 1000}s`))
    } catch (error) {
      throw this.describe(error)
    }
  }

  /**
   * One step with one broker: connect if needed, then `work`, within --timeout. A broker that
   * cannot be reached is remembered for a few seconds and throws BrokerUnreachable.
   */
  private async withBroker<T>(broker: BrokerConnection, what: string, work: () => Promise<T>): Promise<T> {
    const known = this.recentlyUnreachable(broker)
    if (known) throw known
    const address = brokerAddress(broker)
    try {
      const result = await withDeadline(work(), this.options.timeoutMs + 250, () => this.timeoutError(what, address))
      this.answered.add(address)
      this.unreachable.delete(address)
      return result
    } catch (error) {
      if (isUnreachable(error) || error instanceof TimedOut) throw this.markUnreachable(broker, error)
      throw this.describe(error, address)
    }
  }

  /** Every broker this connection knows, the seed first, those that failed and have not answered since last. */
  private candidates(): PoolBroker[] {
    const all = this.brokers.all()
    const failed = (b: PoolBroker) => this.unreachable.has(brokerAddress(b))
    return [...all.filter((b) => !failed(b)), ...all.filter(failed)]
  }

  /**
   * A request any broker can answer: tried on the seed, then on each other broker, until one
   * answers. Only when none does is the last failure thrown.
   */
  async anyBroker<T>(what: string, work: (broker: BrokerConnection) => Promise<T>): Promise<T> {
    let last: unknown
    for (const broker of this.candidates()) {
      try {
        return await this.withBroker(broker, what, async () => {
          await this.brokers.connect(broker)
          return work(broker)
        })
      } catch (error) {
        if (!(error instanceof BrokerUnreachable)) throw error
        last = error
      }
    }
    throw last instanceof BrokerUnreachable ? new KadmError(`${what}: no broker answered; ${last.message}`) : last
  }

  get seedBroker(): BrokerConnection {
    return this.brokers.seed!
  }

  /** Cluster metadata in one round trip, from any broker that answers; `null` means every topic, `[]` none. */
  async metadata(topics: string[] | null = null): Promise<MetadataResponse> {
    const response = await this.anyBroker('Metadata request', (broker) => sendRequest(broker, Metadata, {topics}))
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
    this.brokersRegistered ??= this.anyBroker('Metadata request', (broker) => sendRequest(broker, Metadata, {topics: []}))
      .then((response) => this.addBrokers(response.brokers))
    return this.brokersRegistered
  }

  private async addBrokers(brokers: MetadataResponse['brokers']): Promise<void> {
    for (const b of brokers) await this.brokers.add(b)
  }

  /** The connection to one broker, connected; BrokerUnreachable when it does not answer within --timeout. */
  async broker(nodeId: number): Promise<BrokerConnection> {
    await this.registerBrokers()
    const broker = this.brokers.byId(nodeId)
    if (!broker) throw new KadmError(`broker ${nodeId} is not in the cluster metadata`)
    return this.withBroker(broker, `connection to broker ${nodeId}`, async () => {
      await this.brokers.connect(broker)
      return broker
    })
  }

  async coordinator(groupId: string): Promise<BrokerConnection> {
    await this.registerBrokers()
    return this.guard(this.brokers.coordinator(groupId), `finding the coordinator of group ${groupId}`)
  }

  /** One request to one broker, within --timeout; BrokerUnreachable when the broker does not answer. */
  async send<Req, Res>(broker: BrokerConnection, spec: ApiSpec<Req, Res>, request: Req, options: {connection?: 0 | 1} = {}): Promise<Res> {
    return this.withBroker(broker, `${spec.name} request`, () => sendRequest(broker, spec, request, options))
  }

  /** A request any broker can answer, sent to the first that does (see anyBroker). */
  async sendAny<Req, Res>(spec: ApiSpec<Req, Res>, request: Req): Promise<Res> {
    return this.anyBroker(`${spec.name} request`, (broker) => sendRequest(broker, spec, request))
  }

  /**
   * A change a broker forwards to the controller (CreateTopics, DeleteTopics): sent once, to a
   * broker that has answered this connection (or the first that answers Metadata), and waited
   * for up to `waitMs`, as the broker answers only once the controller has, which takes seconds
   * while the controller fails over. Never sent again to another broker: the first may have made
   * the change, and a second attempt would report it as refused (already exists, unknown topic).
   */
  async sendToController<Req, Res>(spec: ApiSpec<Req, Res>, request: Req, waitMs: number): Promise<Res> {
    const answered = this.candidates().find((b) => this.answered.has(brokerAddress(b)))
    const broker = answered ?? await this.anyBroker('Metadata request', async (b) => {
      await sendRequest(b, Metadata, {topics: []})
      return b
    })
    const address = brokerAddress(broker)
    try {
      return await withDeadline(sendRequest(broker, spec, request, {timeoutMs: waitMs}), waitMs + 250, () =>
        new KadmError(`${spec.name} request to ${address} got no answer within ${waitMs / 1000}s: the change may or may not have been made`))
    } catch (error) {
      throw this.describe(error, address)
    }
  }

  /** A request any broker can answer, spread onto `nodeId` for parallelism; another broker takes it when that one does not answer. */
  async sendPreferring<Req, Res>(nodeId: number, spec: ApiSpec<Req, Res>, request: Req): Promise<Res> {
    try {
      return await this.send(await this.broker(nodeId), spec, request)
    } catch (error) {
      if (!(error instanceof BrokerUnreachable)) throw error
      return this.sendAny(spec, request)
    }
  }

  /** Records that a part of the result is missing because a broker did not answer. */
  noteGap(error: BrokerUnreachable, what: string): void {
    if (this.gaps.some((g) => g.address === error.address && g.what === what)) return
    this.gaps.push({nodeId: error.nodeId, address: error.address, reason: error.reason, what})
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
    const closing = Promise.allSettled([this.adminClient?.disconnect(), this.brokers.disconnect(), ...this.abandoned.map((b) => b.disconnect())])
    await withDeadline(closing, 1000, () => new Error('disconnect timed out')).catch(() => {})
  }
}

/** A step that got no answer within --timeout. */
class TimedOut extends KadmError {}
