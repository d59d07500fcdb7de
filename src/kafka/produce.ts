import type {Kafka, Message, Producer} from 'kafkajs'

import type {ProducedRecord} from '../domain/record-format.js'
import {KadmError, oneLine} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {kafkaConfig} from './client.js'
import {COMPRESSION_TYPES, type CompressionName, registerKafkajsCodecs} from './compression.js'
import {describeKafkaError} from './connection-errors.js'
import {selectPartitions} from './consume.js'

export type Acks = 'all' | '1' | '0'

export interface ProduceOptions {
  topic: string
  acks: Acks
  compression: CompressionName
  /** Checked against the topic's partition count before anything is sent. */
  partition?: number
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
 * kafkajs's producer, set up as Kafka's console producer is: idempotent with acks=all, keyed
 * records placed by murmur2 exactly as the Java client does (kafkajs's DefaultPartitioner),
 * records sent in large batches. Failed sends are counted, never dropped silently.
 */
export class RecordProducer {
  readonly stats: ProduceStats = {records: 0, failed: 0, bytes: 0, errors: new Map()}

  private constructor(
    private readonly producer: Producer,
    private readonly options: ProduceOptions,
    private readonly partitions: number,
  ) {}

  static async open(connection: KafkaConnection, options: ProduceOptions): Promise<RecordProducer> {
    const metadata = (await connection.metadata([options.topic])).topics
    const partitions = selectPartitions(metadata, [options.topic]).length
    if (options.partition !== undefined && options.partition >= partitions) {
      throw new KadmError(`topic ${options.topic} has no partition ${options.partition} (it has ${partitions})`)
    }
    if (options.compression !== 'none') await registerKafkajsCodecs()
    const {Kafka, Partitioners} = await import('kafkajs')
    const kafka: Kafka = new Kafka(await kafkaConfig(connection.settings, connection.options))
    const idempotent = options.acks === 'all'
    const producer = kafka.producer({
      idempotent,
      // kafkajs assigns sequence numbers per request: one in flight per broker keeps them in order.
      maxInFlightRequests: idempotent ? 1 : undefined,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: {retries: 5, initialRetryTime: 100, maxRetryTime: 2000},
    })
    await connection.guard(producer.connect(), 'connect')
    return new RecordProducer(producer, options, partitions)
  }

  /** Sends one batch of records; failures are counted in stats, never thrown. */
  async send(records: ProducedRecord[]): Promise<void> {
    if (!records.length) return
    const messages: Message[] = records.map((r) => {
      const m: Message = {key: r.key, value: r.value}
      if (r.headers.length) {
        const headers: Record<string, Buffer[]> = {}
        for (const [k, v] of r.headers) (headers[k] ??= []).push(v ?? Buffer.alloc(0))
        m.headers = headers
      }
      const partition = r.partition ?? this.options.partition
      if (partition !== undefined) m.partition = partition
      if (r.timestamp !== undefined) m.timestamp = String(r.timestamp)
      return m
    })
    const bad = messages.filter((m) => m.partition !== undefined && m.partition! >= this.partitions).length
    if (bad) {
      this.fail(`partition out of range (topic ${this.options.topic} has ${this.partitions})`, bad)
      const good = messages.filter((m) => m.partition === undefined || m.partition < this.partitions)
      if (!good.length) return
      messages.splice(0, messages.length, ...good)
    }
    let bytes = 0
    for (const m of messages) bytes += ((m.key as Buffer | null)?.length ?? 0) + ((m.value as Buffer | null)?.length ?? 0)
    try {
      await this.producer.send({
        topic: this.options.topic,
        messages,
        acks: ACKS[this.options.acks],
        compression: COMPRESSION_TYPES[this.options.compression],
      })
      this.stats.records += messages.length
      this.stats.bytes += bytes
    } catch (error) {
      this.fail(oneLine(describeKafkaError(error, []).message), messages.length)
    }
  }

  private fail(reason: string, count: number): void {
    this.stats.failed += count
    this.stats.errors.set(reason, (this.stats.errors.get(reason) ?? 0) + count)
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => {})
  }
}
