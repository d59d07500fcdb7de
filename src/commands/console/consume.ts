import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {BINARY_FORMATS, type BinaryFormat, compileTemplate, type ConsumedRecord, makeRecordFilter, OutputBuffer, parseHeaderPair, terminalSafeJson, toJsonLine} from '../../domain/record-format.js'
import {parsePartitionList, parseStartPosition, parseStopPosition, type StartPosition} from '../../domain/start-position.js'
import type {TimeOptions} from '../../domain/time-spec.js'
import {partialResultLine} from '../../domain/partition-events.js'
import {ExitCode, KadmError, UsageError} from '../../errors.js'
import {exitAfterFlush} from '../../exit.js'
import {TIME_HELP, timeFlag, timezoneFlag} from '../../flags/time.js'
import type {ConsumeSummary} from '../../kafka/consume.js'
import {renderConsumeSummary, renderRecordPretty, writeChunk} from '../../render/records.js'
import {type SchemaFormat, SCHEMA_FORMATS} from '../../schemas/formats.js'
import {openRegistry, registryUrlFlag} from '../../schemas/connect.js'
import {watchStdoutReader} from '../../stdout-reader.js'
import {kafkaNameFlag, namesGiven, selectionFlags, topicPatterns} from '../../topic-flags.js'

const FLUSH_AT = 128 * 1024

export default class ConsoleConsume extends ClusterCommand {
  static aliases = ['consume']
  static summary = 'Print records from topics: tail them, read a range, or consume as a group member.'
  static description = `Without --group kadm reads the partitions straight from their leaders (one Fetch per leader broker): no group, nothing written to __consumer_offsets, and the first record arrives without waiting for a rebalance. With --group it joins as a real member, commits the offsets it printed and leaves the group on exit.

Output: on a terminal, a readable coloured view; in a pipe, the value alone (like kcat), or --format '%t %p %o %k %v %T %h\\n'; -o json writes one JSON object per line (topic, partition, offset, timestamp, key, value, headers) that \`console produce --input json\` takes back unchanged. Keys and values that are not UTF-8 are written in base64 with "keyEncoding"/"valueEncoding": "base64".

On a terminal (the readable view and --format) keys, values and headers cannot drive the terminal: control characters (but newline and tab) and bytes that are not UTF-8 show as \\xHH (ESC as \\x1b), C1 controls and bidi overrides as \\uXXXX (\\u202e); -o json there writes C1, DEL and bidi characters as JSON \\u escapes (the same JSON). In a pipe or file --format and -o json write the bytes exactly as they are.

Reads gzip, snappy, lz4 and zstd batches and transactional data (--isolation). A summary goes to stderr at exit (-q hides it). Ctrl-C prints what was read, marks the summary "(interrupted)" and exits 130; when the reader of a pipe goes away (| head), kadm stops at once and exits 0 without a word.

A folder of local schemas (--key-schema/--value-schema DIR): every .avsc, .proto and .json file under it is read; Avro files share their named types, a .proto file's imports are read relative to the folder, a JSON Schema's $ref names another file by its path in the folder. --key-type/--value-type NAME chooses the schema by full name (Avro named type, Protobuf message, nested ones too, JSON Schema title); a folder of several files needs it. Without a registry the records are plain Avro, Protobuf or JSON of that schema (not the registry's wire format, whose schema id only a registry resolves).`
  static examples = [
    {description: 'Follow a topic from now on', command: '<%= config.bin %> <%= command.id %> orders'},
    {description: 'Everything there is, then exit', command: '<%= config.bin %> <%= command.id %> orders --from-beginning -e'},
    {description: 'Follow every topic matching a glob, and those created later', command: "<%= config.bin %> <%= command.id %> 'orders-*'"},
    {description: 'Topics matching a regular expression (full match), then exit', command: "<%= config.bin %> <%= command.id %> --regex 'orders\\.(eu|us)' --from-beginning -e"},
    {description: 'The last 10 records of partitions 0 and 2', command: '<%= config.bin %> <%= command.id %> orders --offset -10 --partition 0,2 -e'},
    {description: 'Records of the last hour as JSON lines', command: '<%= config.bin %> <%= command.id %> orders --offset @-1h -e -o json'},
    {description: 'A custom line per record', command: `<%= config.bin %> <%= command.id %> orders -f '%p:%o %k=%v\\n'`},
    {description: 'As a member of a group, committing what was printed', command: '<%= config.bin %> <%= command.id %> orders --group audit --from-beginning'},
  ]

  static strict = false
  static args = {topic: Args.string({description: 'Topics to read: names or globs (orders-*), regular expressions with --regex. A pattern never picks an internal topic; while following, topics created later that match are read from their beginning.', ignoreStdin: true})}

  static flags = {
    ...selectionFlags,
    topic: kafkaNameFlag('topic', 't'),
    output: Flags.string({
      char: 'o',
      summary: 'Output format: table is the readable view on a terminal (elsewhere the value, or --format); json is one JSON object per line.',
      options: ['table', 'json'],
      default: 'table',
      helpGroup: 'OUTPUT',
    }),
    group: Flags.string({char: 'g', summary: 'Consume as a member of this group and commit what was printed.'}),
    'from-beginning': Flags.boolean({summary: 'Start at the earliest offset (same as --offset earliest).'}),
    offset: Flags.string({summary: `Where to start: earliest, latest (default), N, -N (last N per partition), @<time> (${TIME_HELP}).`}),
    partition: Flags.string({char: 'p', summary: 'Only these partitions, e.g. 0,2 or 0-3.'}),
    'exit-at-end': Flags.boolean({char: 'e', summary: 'Exit when every partition has been read to its end.'}),
    'max-messages': Flags.integer({char: 'n', summary: 'Exit after printing this many records.', min: 1}),
    until: Flags.string({summary: 'Stop before this offset (N) or at this time ([@]<time>, as --offset).'}),
    timezone: timezoneFlag('an --offset @<time> or --until'),
    format: Flags.string({char: 'f', summary: 'Line template: %t topic, %p partition, %o offset, %k key, %v value, %T timestamp, %h headers, %K/%S key/value size.'}),
    'key-format': Flags.string({summary: 'How keys are printed; avro, protobuf, json-schema and schema-registry decode them to JSON (see Schemas).', options: [...BINARY_FORMATS, ...SCHEMA_FORMATS], default: 'string'}),
    'value-format': Flags.string({summary: 'How values are printed (json is indented on a terminal); avro, protobuf, json-schema and schema-registry decode them to JSON.', options: [...BINARY_FORMATS, ...SCHEMA_FORMATS], default: 'string'}),
    'key-schema': Flags.string({summary: 'As --value-schema, for keys.'}),
    'value-schema': Flags.string({summary: 'Local schema of the values for plain Avro, Protobuf or JSON without a registry: a file (.avsc, .proto: its first message, .json) or a folder of them (see --value-type).'}),
    'key-type': Flags.string({summary: 'As --value-type, for keys.', dependsOn: ['key-schema']}),
    'value-type': Flags.string({summary: 'The schema of --value-schema by full name: an Avro named type, a Protobuf message (nested ones too), a JSON Schema\'s title; needed for a folder of several files.', dependsOn: ['value-schema']}),
    ...registryUrlFlag,
    grep: Flags.string({summary: 'Only records whose key or value matches this regular expression.'}),
    header: Flags.string({summary: 'Only records with this header, k=v (repeatable; all must match).', multiple: true, multipleNonGreedy: true}),
    isolation: Flags.string({summary: 'Read aborted transactions too (read_uncommitted) or not (--isolation-level as in Kafka).', options: ['read_uncommitted', 'read_committed'], default: 'read_uncommitted', aliases: ['isolation-level']}),
    quiet: Flags.boolean({char: 'q', summary: 'No summary on stderr at exit.'}),
  }

  async run(): Promise<ConsumeSummary> {
    const {flags, argv} = await this.parse(ConsoleConsume)
    this.applyOutputFlags(flags)
    const given = await this.pickWhenMissing('topic', namesGiven(argv, flags.topic), flags)
    const patterns = topicPatterns(namesGiven(given, undefined, 'TOPIC'), flags.regex)
    const times = {zone: flags.timezone}
    const start = timeFlag('--offset', () => this.startPosition(flags, times))
    const stop = flags.until === undefined ? undefined : timeFlag('--until', () => parseStopPosition(flags.until!, times))
    if (flags.timezone !== undefined && start.kind !== 'time' && stop?.kind !== 'time') throw new UsageError('--timezone only applies to --offset @<time> and --until <time>')
    const partitions = flags.partition === undefined ? undefined : parsePartitionList(flags.partition)
    if (flags.partition !== undefined && !partitions) throw new UsageError(`--partition "${flags.partition}" is not a list like 0,2 or 0-3`)
    if (flags.group && (flags.partition || flags.offset)) throw new UsageError('--group cannot be combined with --partition or --offset: the group decides both')
    const headers = (flags.header ?? []).map((h) => parseHeaderPair(h) ?? this.badHeader(h))
    let grep: RegExp | undefined
    try {
      grep = flags.grep === undefined ? undefined : new RegExp(flags.grep)
    } catch (error) {
      throw new UsageError(`--grep: ${(error as Error).message}`)
    }
    const decoding = await this.decoders(flags)
    const print = this.printer(flags.format, decoding.keyFormat, decoding.valueFormat)
    const out = new OutputBuffer()
    const controller = new AbortController()
    /** What ended the consume from outside: Ctrl-C (or SIGTERM), or stdout's reader leaving. */
    let stoppedBy: 'signal' | 'reader-left' | undefined
    const stopFromOutside = (by: 'signal' | 'reader-left') => {
      stoppedBy ??= by
      controller.abort()
    }
    let flushQueued = false
    /** Chunks of FLUSH_AT filled by print, for flush to write: a batch of records is written as
     * its chunks fill, not grown (and copied) into one buffer of its size. */
    const full: Buffer[] = []
    const printDecoded = (r: ConsumedRecord) => {
      print(r, out)
      if (out.length >= FLUSH_AT) full.push(out.take())
    }
    const {DecodingPrinter} = decoding.key || decoding.value ? await import('../../schemas/codec.js') : {DecodingPrinter: undefined}
    // Values alone in a pipe (the default there): decoded values are written straight into the output.
    const valueLines = decoding.value && this.format !== 'json' && flags.format === undefined && !process.stdout.isTTY
      ? {out, printed: () => void (out.length >= FLUSH_AT && full.push(out.take()))}
      : undefined
    const decoder = DecodingPrinter && new DecodingPrinter(decoding.key, decoding.value, printDecoded, valueLines)
    const printRecord = decoder ? (r: ConsumedRecord) => decoder.take(r) : printDecoded
    const flush = async () => {
      await decoder?.drain()
      if (stoppedBy === 'reader-left') {
        full.length = 0
        return
      }
      for (const chunk of full.splice(0)) {
        await writeChunk(process.stdout, chunk, () => out.recycle(chunk)).catch((error: unknown) => {
          if (stoppedBy !== 'reader-left') throw error
        })
      }
      if (out.length && !flushQueued) {
        // Small amounts (tailing) go out as soon as the fetch loop yields, not when 128 KiB piled up.
        flushQueued = true
        setImmediate(() => {
          flushQueued = false
          if (!out.length || stoppedBy === 'reader-left') return
          const chunk = out.take()
          process.stdout.write(chunk, () => out.recycle(chunk))
        })
      }
    }
    const onSignal = () => (controller.signal.aborted ? void exitAfterFlush(ExitCode.interrupted) : stopFromOutside('signal'))
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    this.readerLeft = () => stopFromOutside('reader-left')
    const unwatch = watchStdoutReader(this.readerLeft)
    const connection = await this.connect(flags)
    const {consumeDirect, consumeWithGroup} = await import('../../kafka/consume.js')
    const common = {
      patterns, regex: flags.regex, stop, exitAtEnd: flags['exit-at-end'], maxMessages: flags['max-messages'], print: printRecord, flush, signal: controller.signal,
      isolation: flags.isolation as 'read_committed' | 'read_uncommitted', filter: makeRecordFilter({grep, headers}),
      notify: (line: string) => this.note(line),
    }
    let summary: ConsumeSummary
    try {
      summary = flags.group
        ? await consumeWithGroup(connection, {...common, group: flags.group, fromBeginning: start.kind === 'earliest'})
        : await consumeDirect(connection, {...common, start, partitions})
    } finally {
      unwatch()
      await decoder?.drain()
      if (stoppedBy !== 'reader-left') for (const chunk of [...full.splice(0), out.take()]) if (chunk.length) await writeChunk(process.stdout, chunk)
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    // Like `tail -f | head`: the reader ended it, and that is success without a word.
    if (stoppedBy === 'reader-left') {
      if (!flags.group) await exitAfterFlush(Number(process.exitCode ?? 0))
      return summary
    }
    const interrupted = stoppedBy === 'signal' && summary.reason === 'interrupted'
    if (!flags.quiet) this.note(renderConsumeSummary(summary) + (interrupted ? ' (interrupted)' : ''))
    if (decoder?.undecodable.length) {
      const [first] = decoder.undecodable
      const n = decoder.undecodable.length
      throw new KadmError(`${n} record${n === 1 ? '' : 's'} could not be decoded (first: ${first.where}: ${first.reason})`)
    }
    if (summary.unread) throw new KadmError(partialResultLine(summary.unread), {exitCode: ExitCode.partial})
    if (summary.nothingLeft) throw new KadmError('nothing left to read: every topic followed was deleted')
    if (interrupted) process.exitCode = ExitCode.interrupted
    if (!flags.group && (summary.reason === 'max-messages' || summary.reason === 'interrupted')) {
      // Output is out and no group needs leaving: do not wait up to a fetch's max wait for the
      // prefetches still parked at the brokers (kafkajs drains them on disconnect).
      await exitAfterFlush(Number(process.exitCode ?? 0))
    }
    return summary
  }

  /** Ends the consume (a group member leaves its group) when stdout's reader has gone. */
  private readerLeft?: () => void

  protected override stdoutClosed(): void {
    if (this.readerLeft) this.readerLeft()
    else super.stdoutClosed()
  }

  private startPosition(flags: {'from-beginning': boolean; offset?: string}, times: TimeOptions): StartPosition {
    if (flags['from-beginning'] && flags.offset) throw new UsageError('use either --from-beginning or --offset')
    if (flags['from-beginning']) return {kind: 'earliest'}
    if (flags.offset === undefined) return {kind: 'latest'}
    const start = parseStartPosition(flags.offset, times)
    if (!start) throw new UsageError(`--offset "${flags.offset}" is not earliest, latest, N, -N or @<time>`)
    return start
  }

  /**
   * Decoders for --key-format/--value-format avro|schema-registry, and the formats the printer
   * then uses for those fields: their JSON text is printed as json (indented on a terminal,
   * embedded in -o json) or as it is (templates in a pipe).
   */
  private async decoders(flags: {'key-format': string; 'value-format': string; 'key-schema'?: string; 'value-schema'?: string; 'key-type'?: string; 'value-type'?: string; 'schema-registry-url'?: string; context?: string; 'config-file'?: string; timeout: string}) {
    const schemaFormat = (f: string) => (SCHEMA_FORMATS as readonly string[]).includes(f)
    for (const what of ['key', 'value'] as const) {
      if (flags[`${what}-schema`] !== undefined && !schemaFormat(flags[`${what}-format`])) throw new UsageError(`--${what}-schema decodes with --${what}-format avro, protobuf or json-schema`)
    }
    const printed = (f: string): BinaryFormat => (schemaFormat(f) ? (this.format === 'json' || process.stdout.isTTY ? 'json' : 'string') : (f as BinaryFormat))
    const result = {keyFormat: printed(flags['key-format']), valueFormat: printed(flags['value-format']), key: undefined as import('../../schemas/codec.js').FieldDecoder | undefined, value: undefined as import('../../schemas/codec.js').FieldDecoder | undefined}
    if (!schemaFormat(flags['key-format']) && !schemaFormat(flags['value-format'])) return result
    const {FieldDecoder} = await import('../../schemas/codec.js')
    const needsRegistry = (['key', 'value'] as const).some((w) => schemaFormat(flags[`${w}-format`]) && flags[`${w}-schema`] === undefined)
    const client = needsRegistry ? await openRegistry(flags, this.parseTimeout(flags.timeout)) : undefined
    for (const what of ['key', 'value'] as const) {
      if (schemaFormat(flags[`${what}-format`])) result[what] = await FieldDecoder.create(flags[`${what}-format`] as SchemaFormat, client, flags[`${what}-schema`], flags[`${what}-type`], what)
    }
    return result
  }

  private badHeader(text: string): never {
    throw new UsageError(`--header "${text}" is not k=v or k:v`)
  }

  /** JSON lines for -o json; a template for --format (terminal-safe on a terminal); pretty on a terminal; else the value alone. */
  private printer(template: string | undefined, keyFormat: BinaryFormat, valueFormat: BinaryFormat): (r: ConsumedRecord, out: OutputBuffer) => void {
    if (this.format === 'json') {
      if (process.stdout.isTTY) return (r, out) => out.text(terminalSafeJson(toJsonLine(r, keyFormat, valueFormat)) + '\n')
      return (r, out) => out.text(toJsonLine(r, keyFormat, valueFormat) + '\n')
    }
    if (template !== undefined) {
      try {
        return compileTemplate(template, {keyFormat, valueFormat, terminal: process.stdout.isTTY})
      } catch (error) {
        throw new UsageError(`--format: ${(error as Error).message}`)
      }
    }
    if (process.stdout.isTTY) return (r, out) => out.text(renderRecordPretty(r, this.chalk, keyFormat, valueFormat))
    return compileTemplate('%v\n', {keyFormat, valueFormat})
  }
}
