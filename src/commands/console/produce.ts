import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {open} from 'node:fs/promises'

import {ClusterCommand} from '../../cluster-command.js'
import {LineSplitter, parseHeaderPair, parseJsonRecord, parseLineRecord, producedRecord, type LineOptions, type ProducedRecord} from '../../domain/record-format.js'
import {ExitCode, KadmError, UsageError} from '../../errors.js'
import {exitAfterFlush} from '../../exit.js'
import {LINGER_MS} from '../../kafka/linger.js'
import type {Acks} from '../../kafka/produce.js'
import {renderConsumeSummary} from '../../render/records.js'
import type {FieldEncoder} from '../../schemas/codec.js'
import {SUBJECT_STRATEGIES, type SubjectStrategy} from '../../schemas/formats.js'
import {openRegistry, registryUrlFlag} from '../../schemas/connect.js'
import {kafkaNameFlag, namesGiven} from '../../topic-flags.js'

export interface ProduceSummary {
  records: number
  failed: number
  bytes: number
  ms: number
  errors: Record<string, number>
}

export default class ConsoleProduce extends ClusterCommand {
  static aliases = ['produce']
  static summary = 'Send records from stdin or a file, one per line (or the JSON lines `console consume -o json` writes).'
  static description = `Each record is sent within ${LINGER_MS} ms (the linger, as Kafka's linger.ms) of being read, whatever the input: a terminal, a slow pipe (tail -f), a file; fast input fills batches of about 1 MB per partition first (within the topic's max.message.bytes). A record's timestamp is when it was read, unless --input json gives one. On a terminal kadm reads one record per line until Ctrl-D; Ctrl-C sends what was read and exits 130. With --acks all (the default) the producer is idempotent. Broker faults (a leader moving, a broker down or frozen) are retried until a record's --delivery-timeout (2m) runs out, without losing, duplicating or reordering records. Keyed records go to the partition Kafka's Java producer would choose (murmur2 of the key). The summary (records, bytes, rate) goes to stderr; if any record fails, kadm says how many and exits 1.

A folder of local schemas (--key-schema/--value-schema DIR): every .avsc, .proto and .json file under it is read; Avro files share their named types, a .proto file's imports are read relative to the folder, a JSON Schema's $ref names another file by its path in the folder. --key-type/--value-type NAME chooses the schema by full name (Avro named type, Protobuf message, nested ones too, JSON Schema title); a folder of several files needs it. Without a registry records are written as plain Avro, Protobuf or JSON of that schema; with one, in its wire format (a Protobuf message with its message indexes).`
  static examples = [
    {description: 'One record per line from stdin', command: 'printf "a\\nb\\n" | <%= config.bin %> <%= command.id %> orders'},
    {description: 'Keys before a tab, a static header, lz4', command: `<%= config.bin %> <%= command.id %> orders --key-separator $'\\t' -H source=import -z lz4 --file data.tsv`},
    {description: 'Copy records between topics with their keys, headers and partitions', command: '<%= config.bin %> console consume orders --from-beginning -e -o json | <%= config.bin %> <%= command.id %> orders-copy --input json'},
    {description: 'Tombstones: lines "key|NULL" delete keys in a compacted topic', command: `<%= config.bin %> <%= command.id %> users --key-separator '|' --null-marker NULL`},
  ]

  static args = {topic: Args.string({description: 'Topic to write to.', ignoreStdin: true})}

  static flags = {
    topic: kafkaNameFlag('topic', 't'),
    file: Flags.string({summary: 'Read from this file instead of stdin.'}),
    input: Flags.string({summary: 'line: one record per line; json: JSON lines with key, value, headers, partition, timestamp.', options: ['line', 'json'], default: 'line'}),
    'key-separator': Flags.string({char: 'K', summary: 'Split each line into key and value at the first SEP.'}),
    key: Flags.string({char: 'k', summary: 'The same key for every record.'}),
    header: Flags.string({char: 'H', summary: 'A header on every record, k=v (repeatable).', multiple: true, multipleNonGreedy: true}),
    'null-marker': Flags.string({summary: 'A key or value equal to this is sent as null (tombstone).'}),
    partition: Flags.integer({char: 'p', summary: 'Send every record to this partition.', min: 0}),
    compression: Flags.string({char: 'z', summary: 'Compress batches.', options: ['none', 'gzip', 'snappy', 'lz4', 'zstd'], default: 'none'}),
    acks: Flags.string({summary: 'all (or -1, as in Kafka): every in-sync replica (idempotent); 1: the leader; 0: no answer.', options: ['all', '-1', '1', '0'], default: 'all'}),
    'delivery-timeout': Flags.string({summary: 'How long a record may take to be acknowledged, retries included (as delivery.timeout.ms); only then it counts as failed.', default: '2m'}),
    quiet: Flags.boolean({char: 'q', summary: 'No prompt on a terminal and no summary on stderr at exit.'}),
    'value-subject': Flags.string({summary: 'Encode values (JSON) with the Avro, Protobuf or JSON Schema of this registry subject, S or S:VERSION (latest by default).', exclusive: ['value-schema-id', 'value-schema'], helpGroup: 'SCHEMAS'}),
    'value-schema-id': Flags.integer({summary: 'Encode values with the registry schema of this id.', min: 0, exclusive: ['value-schema'], helpGroup: 'SCHEMAS'}),
    'value-schema': Flags.string({summary: 'Encode values with this local schema: a file (.avsc, .proto with its imports: its first message, or a .json JSON Schema) or a folder of them (see --value-type); with a registry its subject (see --subject-strategy) must hold it, or --register.', helpGroup: 'SCHEMAS'}),
    'value-type': Flags.string({summary: 'The schema of --value-schema by full name: an Avro named type, a Protobuf message (nested ones too), a JSON Schema\'s title; needed for a folder of several files.', dependsOn: ['value-schema'], helpGroup: 'SCHEMAS'}),
    'key-subject': Flags.string({summary: 'As --value-subject, for keys.', exclusive: ['key-schema-id', 'key-schema'], helpGroup: 'SCHEMAS'}),
    'key-schema-id': Flags.integer({summary: 'As --value-schema-id, for keys.', min: 0, exclusive: ['key-schema'], helpGroup: 'SCHEMAS'}),
    'key-schema': Flags.string({summary: 'As --value-schema, for keys.', helpGroup: 'SCHEMAS'}),
    'key-type': Flags.string({summary: 'As --value-type, for keys.', dependsOn: ['key-schema'], helpGroup: 'SCHEMAS'}),
    'subject-strategy': Flags.string({summary: 'Subject of a local schema: topic (TOPIC-value), record (the record\'s full name), topic-record (TOPIC-NAME).', options: [...SUBJECT_STRATEGIES], default: 'topic', helpGroup: 'SCHEMAS'}),
    register: Flags.boolean({summary: 'Register a local schema (--key-schema/--value-schema) under its subject when it is not there yet.', helpGroup: 'SCHEMAS'}),
    ...registryUrlFlag,
  }

  async run(): Promise<ProduceSummary> {
    const {args, flags} = await this.parse(ConsoleProduce)
    this.applyOutputFlags(flags)
    const given = await this.pickWhenMissing('topic', namesGiven(args.topic === undefined ? [] : [args.topic], flags.topic), flags)
    const topics = namesGiven(given, undefined, 'TOPIC')
    if (topics.length > 1) throw new UsageError(`console produce writes to one topic, not ${topics.join(', ')}`)
    const [topic] = topics
    if (flags.input === 'json' && (flags['key-separator'] !== undefined || flags.key !== undefined)) {
      throw new UsageError('--input json takes keys from the JSON: drop --key-separator and --key')
    }
    if (flags['key-separator'] === '') throw new UsageError('--key-separator cannot be empty')
    const headers = (flags.header ?? []).map((h): [string, Buffer] => {
      const pair = parseHeaderPair(h)
      if (!pair) throw new UsageError(`-H "${h}" is not k=v or k:v`)
      return [pair[0], Buffer.from(pair[1])]
    })
    const lineOptions: LineOptions = {
      keySeparator: flags['key-separator'] === undefined ? undefined : Buffer.from(flags['key-separator']),
      key: flags.key === undefined ? undefined : Buffer.from(flags.key),
      nullMarker: flags['null-marker'] === undefined ? undefined : Buffer.from(flags['null-marker']),
      headers,
    }
    // One record object for every line: its key and value point into the chunk being read.
    const lineRecord = producedRecord(null, null)
    const parse = flags.input === 'json'
      ? (buf: Buffer, start: number, end: number): ProducedRecord => {
          const record = parseJsonRecord(buf.toString('utf8', start, end))
          if (headers.length) record.headers.push(...headers)
          return record
        }
      : (buf: Buffer, start: number, end: number) => parseLineRecord(buf, start, end, lineOptions, lineRecord)

    const encoders = await this.encoders(flags, topic)
    const encode = encoders.key || encoders.value
      ? (record: ProducedRecord): ProducedRecord => {
          const field = (encoder: FieldEncoder | undefined, bytes: Uint8Array | null, start: number, end: number, what: string) => {
            if (!encoder || bytes === null) return bytes === null ? null : Buffer.from(bytes.subarray(start, end))
            try {
              return encoder.encode(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8'))
            } catch (error) {
              throw new SchemaMismatch(`${what} ${(error as Error).message}`)
            }
          }
          const encoded = producedRecord(field(encoders.key, record.key, record.keyStart, record.keyEnd, 'key'), field(encoders.value, record.value, record.valueStart, record.valueEnd, 'value'), record.headers)
          if (record.partition !== undefined) encoded.partition = record.partition
          if (record.timestamp !== undefined) encoded.timestamp = record.timestamp
          return encoded
        }
      : undefined
    const deliveryTimeoutMs = this.parseTimeout(flags['delivery-timeout'], '--delivery-timeout')
    const started = Date.now()
    const connection = await this.connect(flags)
    const {RecordProducer} = await import('../../kafka/produce.js')
    const producer = await RecordProducer.open(connection, {
      topic, acks: (flags.acks === '-1' ? 'all' : flags.acks) as Acks, compression: flags.compression as 'none', partition: flags.partition, deliveryTimeoutMs,
    })
    const input = flags.file === undefined ? process.stdin : readChunks(flags.file)
    let interrupted = false
    const onSignal = () => {
      if (interrupted) void exitAfterFlush(ExitCode.interrupted)
      interrupted = true
      // A file is read chunk by chunk by the loop below, which stops at the next one.
      if (input === process.stdin) input.destroy()
    }
    process.on('SIGINT', onSignal)
    let lineNo = 0
    let badLines = 0
    const badReasons = new Map<string, number>()
    /** When the chunk being split was read: its records' timestamp. */
    let readAt = 0
    const take = (buf: Buffer, start: number, end: number) => {
      lineNo++
      if (flags.input === 'json' && start === end) return
      let record: ProducedRecord
      try {
        record = parse(buf, start, end)
        // Encoded (and so checked against its schema) before it joins a batch: a record that
        // does not match is refused whole, and nothing of it is sent.
        if (encode) record = encode(record)
      } catch (error) {
        badLines++
        if (badLines <= 5) this.warning(`line ${lineNo}: ${(error as Error).message}`)
        const reason = error instanceof SchemaMismatch ? 'does not match its schema' : `unreadable input (${flags.input})`
        badReasons.set(reason, (badReasons.get(reason) ?? 0) + 1)
        return
      }
      producer.append(record, readAt)
    }
    // Lines that are values and nothing else (no key, separator, marker or header to apply):
    // handed to the producer a run at a time, with nothing made per line.
    const plain = !encode && flags.input === 'line' && lineOptions.keySeparator === undefined && lineOptions.key === undefined && lineOptions.nullMarker === undefined && headers.length === 0
    const takeRun = plain
      ? (chunk: Buffer, starts: Int32Array, ends: Int32Array, count: number) => {
          lineNo += count
          producer.appendValues(chunk, starts, ends, count, readAt)
        }
      : undefined
    const splitter = new LineSplitter()
    if (input === process.stdin && process.stdin.isTTY && !flags.quiet) {
      this.note(`reading records for ${topic}, one per line: Ctrl-D to finish, Ctrl-C to stop`)
    }
    try {
      try {
        // The producer batches each chunk's records as they are split off, and sends a batch
        // that is not full LINGER_MS after its first record, so slow input is not held back.
        for await (const chunk of input) {
          if (interrupted) break
          readAt = Date.now()
          producer.expect((chunk as Buffer).length)
          if (takeRun) splitter.pushRuns(chunk as Buffer, take, takeRun)
          else splitter.push(chunk as Buffer, take)
          await producer.ready()
        }
      } catch (error) {
        if (!interrupted) throw new KadmError(`cannot read ${flags.file ?? 'stdin'}: ${(error as Error).message}`)
      }
      if (!interrupted) splitter.end(take)
      else if (splitter.pendingBytes) this.warning(`interrupted in the middle of line ${lineNo + 1}: its ${splitter.pendingBytes} bytes read so far were not sent`)
      await producer.flush()
    } finally {
      process.off('SIGINT', onSignal)
    }
    const {stats} = producer
    const errors = Object.fromEntries([...badReasons, ...stats.errors])
    const summary: ProduceSummary = {records: stats.records, failed: stats.failed + badLines, bytes: stats.bytes, ms: Date.now() - started, errors}
    if (!flags.quiet) this.note(renderConsumeSummary(summary, 'produced') + (interrupted ? ' (interrupted)' : ''))
    if (this.format !== 'table') await this.emit(summary, () => '')
    if (summary.failed) {
      const why = Object.entries(errors).map(([reason, n]) => `${n}: ${reason}`).join('; ')
      throw new KadmError(`${summary.failed} record${summary.failed === 1 ? '' : 's'} failed (${why})`)
    }
    if (interrupted) process.exitCode = ExitCode.interrupted
    return summary
  }

  /** Encoders for the key and value schema flags (none: keys and values are sent as they are). */
  private async encoders(flags: Record<string, unknown> & {register: boolean; 'subject-strategy': string; timeout: string; context?: string; 'config-file'?: string; 'schema-registry-url'?: string}, topic: string): Promise<{key?: FieldEncoder; value?: FieldEncoder}> {
    const given = (what: 'key' | 'value') => flags[`${what}-subject`] !== undefined || flags[`${what}-schema-id`] !== undefined || flags[`${what}-schema`] !== undefined
    if (!given('key') && !given('value')) {
      if (flags.register) throw new UsageError('--register registers the schema of --key-schema or --value-schema: give one')
      return {}
    }
    const client = await openRegistry(flags, this.parseTimeout(flags.timeout))
    const {FieldEncoder} = await import('../../schemas/codec.js')
    const result: {key?: FieldEncoder; value?: FieldEncoder} = {}
    for (const what of ['key', 'value'] as const) {
      if (!given(what)) continue
      result[what] = await FieldEncoder.create({
        client, topic, what, register: flags.register, strategy: flags['subject-strategy'] as SubjectStrategy,
        subject: flags[`${what}-subject`] as string | undefined, schemaId: flags[`${what}-schema-id`] as number | undefined, schemaFile: flags[`${what}-schema`] as string | undefined,
        typeName: flags[`${what}-type`] as string | undefined,
      })
    }
    return result
  }
}

/** A record refused because its key or value does not match the schema. */
class SchemaMismatch extends Error {}

/**
 * A file's bytes, a chunk at a time, read into one buffer reused from chunk to chunk (each chunk
 * is valid until the next is asked for: the records are copied into batches meanwhile). Reading
 * 100 MB in fresh 1 MiB buffers cost page faults and garbage collections.
 */
async function* readChunks(path: string, size = 1024 * 1024): AsyncGenerator<Buffer> {
  const file = await open(path, 'r')
  try {
    const buffer = Buffer.allocUnsafeSlow(size)
    for (;;) {
      const {bytesRead} = await file.read(buffer, 0, size, null)
      if (bytesRead === 0) return
      yield buffer.subarray(0, bytesRead)
    }
  } finally {
    await file.close()
  }
}
