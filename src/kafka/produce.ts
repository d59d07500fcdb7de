import {formatDuration} from '../domain/duration.js'
import {partitionForKey} from '../domain/partitioner.js'
import type {ProducedRecord} from '../domain/record-format.js'
import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {codecFor, COMPRESSION_TYPES, type CompressionName} from './compression.js'
import {describeKafkaError} from './connection-errors.js'
import {selectPartitions} from './consume.js'
import {LINGER_MS} from './linger.js'
import {DescribeConfigs, RESOURCE_TYPE} from './protocol/describe-configs.js'
import {errorName, KafkaProtocolError} from './protocol/errors.js'
import {BatchBuilder, InitProducerId, produceRoom, releaseBatch, restampBatch, sendProduce} from './protocol/produce.js'
import type {BrokerConnection} from './protocol/transport.js'

export type Acks = 'all' | '1' | '0'

export interface ProduceOptions {
  topic: string
  acks: Acks
  compression: CompressionName
  /** Every record goes here (checked against the partition count first). */
  partition?: number
  /** How long a record may take from being read to being acknowledged, retries included. */
  deliveryTimeoutMs?: number
}

export interface ProduceStats {
  records: number
  failed: number
  bytes: number
  /** Each distinct failure with how many records it cost. */
  errors: Map<string, number>
}

const ACKS: Record<Acks, number> = {all: -1, '1': 1, '0': 0}
/**
 * Uncompressed bytes per batch at most, within the topic's max.message.bytes (batchBytesFor):
 * about 1 MB under the brokers' default limit of 1 MiB, as librdkafka's batch.size. Half as many
 * batches as with 512 KiB took the brokers a fifth less CPU time for the same records.
 */
const BATCH_BYTES = 1024 * 1024
/** When the brokers do not say the topic's limit: well under their default 1 MiB. */
const BATCH_BYTES_UNKNOWN_LIMIT = 512 * 1024
const BATCH_RECORDS = 20_000
/** Encoded bytes waiting or in flight before send() makes its caller wait. */
const MAX_PENDING_BYTES = 32 * 1024 * 1024
const IN_FLIGHT_PER_PARTITION = 5
/** As Kafka's delivery.timeout.ms. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 120_000
/** As Kafka's request.timeout.ms: a frozen broker costs at most this per attempt. */
const REQUEST_TIMEOUT_MS = 30_000
const RETRY_BACKOFF_MS = 100
const RETRY_BACKOFF_MAX_MS = 1000
/**
 * Answers after which the same batch may yet be written: leadership moving, replicas catching up,
 * a broker restarting. OUT_OF_ORDER_SEQUENCE_NUMBER means a batch before it is being sent again
 * (or was given up on, in which case this one runs out of time too: never written twice).
 */
const RETRIABLE = new Set(['NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION', 'REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'NETWORK_EXCEPTION', 'KAFKA_STORAGE_ERROR', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'BROKER_NOT_AVAILABLE', 'REPLICA_NOT_AVAILABLE', 'OUT_OF_ORDER_SEQUENCE_NUMBER', 'THROTTLING_QUOTA_EXCEEDED'])
/** Connection failures no retry can mend. */
const FATAL_CONNECTION = /^(authentication failed|TLS error|not authorized)/

interface ProducerIdentity {
  producerId: bigint
  producerEpoch: number
}

const NO_IDENTITY: ProducerIdentity = {producerId: -1n, producerEpoch: -1}

interface Pending {
  batch: Promise<Buffer>
  count: number
  bytes: number
  /** When its delivery timeout runs out (counted from the batch's first record). */
  deadline: number
  /** Sent at least once without a definite answer: the broker may have written it. */
  sent: boolean
  /** Times sent: a batch answered at its only send can hand its buffer back (releaseBatch). */
  sends: number
  lastError?: string
}

interface PartitionState {
  queue: Pending[]
  busy: boolean
  identity: ProducerIdentity
  nextSequence: number
  /**
   * A batch was given up on, leaving a gap in the sequence: the batches already sent are retried
   * as they are, the rest go out under a fresh producer id.
   */
  broken: boolean
  /** Rounds in a row that needed a retry, for the backoff. */
  retries: number
  /** Why the last retry was needed: the cause for batches that time out before their first send. */
  lastError?: string
}

type Outcome = {kind: 'ok'} | {kind: 'retry' | 'fail'; error: string}
const OK: Outcome = {kind: 'ok'}

/**
 * The topic's max.message.bytes (the largest record batch its brokers take), or undefined when
 * the brokers do not say (no DescribeConfigs right, an old broker): batches then keep to
 * BATCH_BYTES_UNKNOWN_LIMIT, under the default limit.
 */
async function topicMaxMessageBytes(connection: KafkaConnection, topic: string): Promise<number | undefined> {
  try {
    const [result] = await connection.sendAny(DescribeConfigs, {resources: [{type: RESOURCE_TYPE.topic, name: topic, keys: ['max.message.bytes']}], includeSynonyms: false})
    const value = Number(result?.errorCode ? undefined : result?.configs.find((c) => c.name === 'max.message.bytes')?.value)
    return Number.isInteger(value) && value > 0 ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * Uncompressed bytes per batch for a topic's max.message.bytes: BATCH_BYTES, or less to fit the
 * limit once compressed (a codec can add a little to data it cannot shrink: 1% and 512 bytes
 * kept free for that).
 */
export function batchBytesFor(maxMessageBytes: number | undefined): number {
  if (maxMessageBytes === undefined) return BATCH_BYTES_UNKNOWN_LIMIT
  return Math.max(128, Math.min(BATCH_BYTES, Math.floor(maxMessageBytes * 0.99) - 512))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A producer that writes record batches itself (kafkajs's producer managed ~65k records/s here
 * against kcat's ~700k): records are grouped per partition into batches of up to ~1 MB, sealed
 * when full or LINGER_MS after their first record (one timer for all partitions), compressed with
 * the registered codecs, and sent with one Produce request per batch, up to five batches in flight
 * per partition, in order, partitions and brokers in parallel. With acks=all it is idempotent
 * (InitProducerId, sequence numbers), as Kafka's console producer is. Keyed records go where the
 * Java producer puts them (murmur2); unkeyed ones stick to one partition per batch.
 *
 * Like Kafka's Java producer and librdkafka, it rides out broker faults: a batch the broker may
 * still take (leader moved, broker down or frozen, ISR too small) is sent again, after fresh
 * metadata and a growing backoff, until its delivery timeout runs out; only then are its records
 * counted as failed, with the last error. Retries resend a partition's unacknowledged batches in
 * order with their original sequence numbers, so the broker drops any it already has: nothing is
 * lost, duplicated or reordered across leader changes.
 */
export class RecordProducer {
  readonly stats: ProduceStats = {records: 0, failed: 0, bytes: 0, errors: new Map()}
  /** Per partition: the batch being filled, and when its first record came. */
  private readonly open = new Map<number, {builder: BatchBuilder; created: number}>()
  /** The one linger timer, armed while any batch is open, for the one opened first. */
  private lingerTimer?: NodeJS.Timeout
  private readonly partitions = new Map<number, PartitionState>()
  private identity = NO_IDENTITY
  private pendingBytes = 0
  private waiters: Array<() => void> = []
  private idle: Array<() => void> = []
  private sticky: number
  private readonly compress?: (b: Buffer) => Promise<Buffer>
  private readonly idempotent: boolean
  private readonly deliveryTimeoutMs: number
  private refreshing?: Promise<void>
  /** Bytes a new batch starts with (expect()). */
  private capacity = 0
  /** The topic's max.message.bytes, when the brokers said; and the batch size that fits it. */
  private maxMessageBytes?: number
  private batchBytes = BATCH_BYTES_UNKNOWN_LIMIT
  /** Left before each batch for its request, which kafkajs then frames without copying the batch. */
  private readonly room: number

  private constructor(
    private readonly connection: KafkaConnection,
    private readonly options: ProduceOptions,
    private readonly leaders: number[],
  ) {
    this.sticky = Math.floor(Math.random() * leaders.length)
    this.idempotent = options.acks === 'all'
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS
    this.room = produceRoom(options.topic)
    const type = COMPRESSION_TYPES[options.compression]
    if (type) {
      const codec = codecFor(type)
      this.compress = (b) => codec.compress({buffer: b})
    }
  }

  static async open(connection: KafkaConnection, options: ProduceOptions): Promise<RecordProducer> {
    const partitions = selectPartitions((await connection.metadata([options.topic])).topics, [options.topic])
    if (options.partition !== undefined && options.partition >= partitions.length) {
      throw new KadmError(`topic ${options.topic} has no partition ${options.partition} (it has ${partitions.length})`)
    }
    const producer = new RecordProducer(connection, options, partitions.map((p) => p.leader))
    const [identity, maxMessageBytes] = await Promise.all([
      producer.idempotent ? producer.initProducerId(Date.now() + producer.deliveryTimeoutMs) : NO_IDENTITY,
      topicMaxMessageBytes(connection, options.topic),
    ])
    producer.identity = identity
    producer.maxMessageBytes = maxMessageBytes
    producer.batchBytes = batchBytesFor(maxMessageBytes)
    return producer
  }

  /**
   * A producer id and epoch from any broker that answers (the seed first), retried until
   * `deadline`: brokers answer "loading" while their id block is allocated, and not at all while
   * the controller they ask is being replaced.
   */
  private async initProducerId(deadline: number): Promise<ProducerIdentity> {
    for (let attempt = 0; ; attempt++) {
      let failure: unknown
      try {
        const answer = await this.connection.sendAny(InitProducerId, {transactionTimeoutMs: 60_000})
        if (!answer.errorCode) return {producerId: answer.producerId, producerEpoch: answer.producerEpoch}
        failure = new KafkaProtocolError(answer.errorCode, null, 'InitProducerId')
        if (!(failure as KafkaProtocolError).retriable) throw failure
      } catch (error) {
        if (error instanceof KafkaProtocolError && !error.retriable) throw error
        failure = error
      }
      const delay = Math.min(RETRY_BACKOFF_MAX_MS, RETRY_BACKOFF_MS * 2 ** Math.min(attempt, 4))
      if (Date.now() + delay > deadline) throw describeKafkaError(failure, this.connection.settings.bootstrapServers)
      await sleep(delay)
    }
  }

  private partitionOf(record: ProducedRecord): number {
    const partition = record.partition ?? this.options.partition
    if (partition !== undefined) return partition
    if (record.key !== null) return partitionForKey(record.key, this.leaders.length, record.keyStart, record.keyEnd)
    return this.sticky
  }

  /**
   * The size of the input the next records come from (a chunk read): a batch starts at that size,
   * up to a full one, so that a fast input does not grow it step by step, nor a slow one take a
   * full batch's memory for a line.
   */
  expect(bytes: number): void {
    this.capacity = Math.min(this.batchBytes + 64 * 1024, bytes)
  }

  /**
   * Adds a record to its partition's batch (its bytes are copied: the record and its buffers can
   * be reused at once). A batch is sent when full, or LINGER_MS after its first record once the
   * caller awaits ready(). A record without a timestamp is stamped `now`, the time it was read
   * (as the Java producer's send() stamps it), not the time its batch leaves.
   */
  append(record: ProducedRecord, now: number): void {
    const partition = this.partitionOf(record)
    if (partition >= this.leaders.length) {
      this.fail(`partition ${partition} does not exist (topic ${this.options.topic} has ${this.leaders.length})`, 1)
      return
    }
    const timestamp = record.timestamp ?? now
    let batch = this.open.get(partition)
    // A record that would take its batch over the size goes to the next batch.
    if (!batch || !batch.builder.add(record, timestamp, this.batchBytes)) {
      if (batch) this.seal(partition)
      this.open.set(partition, (batch = {builder: new BatchBuilder(this.room, this.capacity), created: Date.now()}))
      batch.builder.add(record, timestamp)
    }
    if (batch.builder.size >= this.batchBytes || batch.builder.count >= BATCH_RECORDS) this.seal(partition)
  }

  /**
   * Adds lines as records with the value only (no key, no headers), all read at `now`: line i is
   * bytes `starts[i]` to `ends[i]` of `chunk` (see BatchBuilder.addValues). The same records as
   * append() per line, to the fixed or the sticky partition.
   */
  appendValues(chunk: Uint8Array, starts: Int32Array, ends: Int32Array, count: number, now: number): void {
    for (let i = 0; i < count;) {
      const partition = this.options.partition ?? this.sticky
      let batch = this.open.get(partition)
      if (!batch) this.open.set(partition, (batch = {builder: new BatchBuilder(this.room, this.capacity), created: Date.now()}))
      const {builder} = batch
      i += builder.addValues(chunk, starts, ends, i, count, now, this.batchBytes, BATCH_RECORDS)
      // Full: the next line did not fit.
      if (i < count || builder.size >= this.batchBytes || builder.count >= BATCH_RECORDS) this.seal(partition)
    }
  }

  /** Arms the linger for what append() added; resolves once there is room for more. */
  async ready(): Promise<void> {
    this.armLinger()
    while (this.pendingBytes > MAX_PENDING_BYTES) await new Promise<void>((resolve) => this.waiters.push(resolve))
  }

  /** Sends every open batch and waits for all answers (or for their delivery timeouts). */
  async flush(): Promise<void> {
    for (const partition of [...this.open.keys()]) this.seal(partition)
    clearTimeout(this.lingerTimer)
    this.lingerTimer = undefined
    while ([...this.partitions.values()].some((q) => q.busy || q.queue.length)) await new Promise<void>((resolve) => this.idle.push(resolve))
  }

  private stateOf(partition: number): PartitionState {
    let q = this.partitions.get(partition)
    if (!q) this.partitions.set(partition, (q = {queue: [], busy: false, identity: this.identity, nextSequence: 0, broken: false, retries: 0}))
    return q
  }

  /** The next partition for unkeyed records, skipping those without a leader while others have one. */
  private nextSticky(): number {
    const n = this.leaders.length
    for (let step = 1; step <= n; step++) {
      const candidate = (this.sticky + step) % n
      if (this.leaders[candidate] >= 0) return candidate
    }
    return (this.sticky + 1) % n
  }

  /**
   * Arms the linger timer for the oldest open batch, unless it is armed or nothing is open. When
   * it fires, input that has already arrived is taken first (setImmediate runs after the event
   * loop's I/O callbacks, where the caller's next read is handed over): from a fast file or pipe
   * that fills the batch instead of sending it part-full, at the cost of one event loop turn.
   */
  private armLinger(): void {
    if (this.lingerTimer || !this.open.size) return
    let oldest = Infinity
    for (const batch of this.open.values()) oldest = Math.min(oldest, batch.created)
    this.lingerTimer = setTimeout(() => setImmediate(() => {
      this.lingerTimer = undefined
      const due = Date.now() - LINGER_MS
      for (const [partition, batch] of [...this.open]) if (batch.created <= due) this.seal(partition)
      this.armLinger()
    }), Math.max(0, oldest + LINGER_MS - Date.now()))
  }

  private seal(partition: number): void {
    const open = this.open.get(partition)
    this.open.delete(partition)
    if (!open?.builder.count) return
    const {builder} = open
    if (builder.unkeyed && partition === this.sticky) this.sticky = this.nextSticky()
    const q = this.stateOf(partition)
    const baseSequence = q.nextSequence
    if (this.idempotent) q.nextSequence = (baseSequence + builder.count) % 2 ** 31
    const batch = builder.finish({
      compressionType: COMPRESSION_TYPES[this.options.compression],
      compress: this.compress,
      producerId: q.identity.producerId,
      producerEpoch: q.identity.producerEpoch,
      baseSequence: this.idempotent ? baseSequence : -1,
    })
    const {bytes} = builder
    q.queue.push({batch, count: builder.count, bytes, deadline: open.created + this.deliveryTimeoutMs, sent: false, sends: 0})
    this.pendingBytes += bytes
    void this.pump(partition)
  }

  /**
   * Sends a partition's batches in order, up to five in flight (the most an idempotent producer
   * may have: the broker keeps the last five batches per producer to recognise a resent one),
   * until each is acknowledged or its delivery timeout runs out.
   */
  private async pump(partition: number): Promise<void> {
    const q = this.partitions.get(partition)!
    if (q.busy) return
    q.busy = true
    try {
      while (q.queue.length) {
        this.expire(q)
        if (!q.queue.length) break
        if (q.broken && !q.queue[0].sent && !(await this.renewIdentity(q))) {
          await this.backoff(q)
          continue
        }
        let size = Math.min(IN_FLIGHT_PER_PARTITION, q.queue.length)
        // After a gap, only the batches the broker may already have go out under the old id.
        if (q.broken) {
          const firstUnsent = q.queue.findIndex((item) => !item.sent)
          if (firstUnsent >= 0) size = Math.min(size, firstUnsent)
        }
        const window = q.queue.slice(0, size)
        // Encoded in order first, so the requests leave in order on the broker's connection.
        for (const item of window) await item.batch.catch(() => undefined)
        const outcomes = await this.sendWindow(partition, window)
        const progressed = this.settle(q, window, outcomes)
        const retry = outcomes.find((o): o is Outcome & {kind: 'retry'} => o.kind === 'retry')
        if (retry) {
          q.lastError = retry.error
          if (progressed) q.retries = 0
          await this.refreshLeaders()
          await this.backoff(q)
        } else q.retries = 0
        this.wakeWriters()
      }
    } catch (error) {
      // A bug, not a broker fault: count what is left as failed rather than hang the flush.
      for (const item of q.queue.splice(0)) this.finish(item, `internal error: ${(error as Error).message}`)
    } finally {
      q.busy = false
      this.wakeWriters()
      for (const wake of this.idle.splice(0)) wake()
    }
  }

  private async sendWindow(partition: number, window: Pending[]): Promise<Outcome[]> {
    const leader = this.leaders[partition]
    if (leader < 0) return window.map(() => ({kind: 'retry', error: 'LEADER_NOT_AVAILABLE'}))
    let broker: BrokerConnection
    try {
      broker = await this.connection.broker(leader)
    } catch (error) {
      const outcome = this.classify(error)
      return window.map(() => outcome)
    }
    const remaining = Math.max(...window.map((item) => item.deadline)) - Date.now()
    const timeoutMs = Math.min(REQUEST_TIMEOUT_MS, Math.max(1000, remaining))
    return Promise.all(window.map((item) => this.sendOne(broker, partition, item, timeoutMs)))
  }

  private async sendOne(broker: BrokerConnection, partition: number, item: Pending, timeoutMs: number): Promise<Outcome> {
    let batch: Buffer
    try {
      batch = await item.batch
    } catch (error) {
      return {kind: 'fail', error: (error as Error).message}
    }
    try {
      item.sent = true
      item.sends++
      const answer = await sendProduce(broker, {
        acks: ACKS[this.options.acks],
        timeoutMs,
        topics: [{topic: this.options.topic, partitions: [{partition, batch}]}],
      }, timeoutMs + 2000)
      const result = answer?.[0]
      if (!result || result.errorCode === 0) return OK
      const name = errorName(result.errorCode)
      // A resent batch the broker already has: idempotence did its job.
      if (name === 'DUPLICATE_SEQUENCE_NUMBER') return OK
      // Batches are made to fit the topic's limit when it is known, so this is a record over it on its own.
      if (name === 'MESSAGE_TOO_LARGE') {
        return {kind: 'fail', error: this.maxMessageBytes === undefined
          ? `MESSAGE_TOO_LARGE: a batch is larger than the topic's max.message.bytes, which the brokers did not tell kadm (DescribeConfigs)`
          : `MESSAGE_TOO_LARGE: a record is larger than the topic's max.message.bytes (${this.maxMessageBytes})`}
      }
      if (RETRIABLE.has(name)) return {kind: 'retry', error: name}
      return {kind: 'fail', error: result.errorMessage ? `${name}: ${result.errorMessage}` : name}
    } catch (error) {
      return this.classify(error)
    }
  }

  /** Dropped, refused or reset connections and timeouts are worth another try; refused credentials are not. */
  private classify(error: unknown): Outcome {
    const message = describeKafkaError(error, this.connection.settings.bootstrapServers).message
    return {kind: FATAL_CONNECTION.test(message) ? 'fail' : 'retry', error: message}
  }

  /**
   * Takes a window's answers; true when any batch was settled. With idempotence an acknowledged
   * batch means every batch before it was written too (the broker only appends in sequence), so
   * their lost or failed answers do not matter.
   */
  private settle(q: PartitionState, window: Pending[], outcomes: Outcome[]): boolean {
    const settled = new Set<Pending>()
    if (this.idempotent) {
      const lastOk = outcomes.findLastIndex((o) => o.kind === 'ok')
      for (let i = 0; i <= lastOk; i++) {
        this.deliver(window[i], outcomes[i])
        settled.add(window[i])
      }
      for (let i = lastOk + 1; i < window.length; i++) {
        const outcome = outcomes[i]
        if (outcome.kind === 'ok') continue
        if (outcome.kind === 'retry') {
          window[i].lastError = outcome.error
          continue
        }
        // Refused, so not written; nor can anything after it be under this producer id.
        this.finish(window[i], outcome.error)
        settled.add(window[i])
        q.broken = true
        for (const later of q.queue.slice(q.queue.indexOf(window[i]) + 1)) later.sent = false
        break
      }
    } else {
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.kind === 'retry') window[i].lastError = outcome.error
        else {
          if (outcome.kind === 'ok') this.deliver(window[i], outcome)
          else this.finish(window[i], outcome.error)
          settled.add(window[i])
        }
      }
    }
    if (settled.size) q.queue = q.queue.filter((item) => !settled.has(item))
    return settled.size > 0
  }

  /** Gives up on the batches at the head of the queue whose delivery timeout has run out. */
  private expire(q: PartitionState): void {
    const now = Date.now()
    while (q.queue.length && q.queue[0].deadline <= now) {
      const item = q.queue.shift()!
      const why = `delivery timeout (${formatDuration(this.deliveryTimeoutMs)}) ran out`
      const cause = item.lastError ?? q.lastError
      this.finish(item, cause ? `${why}: ${cause}` : why)
      if (this.idempotent) q.broken = true
    }
  }

  /** A fresh producer id for a partition whose sequence has a gap; its queued batches are renumbered from 0. */
  private async renewIdentity(q: PartitionState): Promise<boolean> {
    let identity: ProducerIdentity
    try {
      identity = await this.initProducerId(Math.min(q.queue[0].deadline, Date.now() + REQUEST_TIMEOUT_MS))
    } catch (error) {
      q.lastError = (error as Error).message
      return false
    }
    let sequence = 0
    for (const item of q.queue) {
      const base = sequence
      item.batch = item.batch.then((b) => restampBatch(b, identity.producerId, identity.producerEpoch, base))
      sequence = (sequence + item.count) % 2 ** 31
    }
    q.identity = identity
    q.nextSequence = sequence
    q.broken = false
    return true
  }

  private async backoff(q: PartitionState): Promise<void> {
    q.retries++
    const delay = Math.min(RETRY_BACKOFF_MAX_MS, RETRY_BACKOFF_MS * 2 ** Math.min(q.retries - 1, 4))
    const head = q.queue[0]
    await sleep(Math.max(0, Math.min(delay, head ? head.deadline - Date.now() : delay)))
  }

  /** Leaders from fresh metadata, shared by every partition that asks while a refresh is under way. */
  private refreshLeaders(): Promise<void> {
    this.refreshing ??= this.loadLeaders().finally(() => {
      this.refreshing = undefined
    })
    return this.refreshing
  }

  /** Leaders from the metadata of any broker that answers (the connection passes over one that is down). */
  private async loadLeaders(): Promise<void> {
    try {
      const topic = (await this.connection.metadata([this.options.topic])).topics.find((t) => t.name === this.options.topic)
      if (!topic || topic.errorCode) return
      for (const p of topic.partitions) if (p.partition < this.leaders.length) this.leaders[p.partition] = p.leader
    } catch {
      // No broker answered: the next retry asks again.
    }
  }

  private wakeWriters(): void {
    if (this.pendingBytes <= MAX_PENDING_BYTES) for (const wake of this.waiters.splice(0)) wake()
  }

  /**
   * Counts a batch as written. Its buffer goes back for later batches when this answer was to its
   * only send: no copy of its bytes can still wait in a socket's queue (acks=0 has no answer).
   */
  private deliver(item: Pending, outcome: Outcome): void {
    if (outcome.kind === 'ok' && item.sends === 1 && this.options.acks !== '0') void item.batch.then(releaseBatch, () => undefined)
    this.pendingBytes -= item.bytes
    this.stats.records += item.count
    this.stats.bytes += item.bytes
  }

  private finish(item: Pending, reason: string): void {
    this.pendingBytes -= item.bytes
    this.fail(reason, item.count)
  }

  private fail(reason: string, count: number): void {
    this.stats.failed += count
    this.stats.errors.set(reason, (this.stats.errors.get(reason) ?? 0) + count)
  }
}
