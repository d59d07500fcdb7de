import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {parseTopicScope, PlanError} from '../../domain/offset-reset.js'
import {formatInstant, parseTimeSpec, TimeSpecError, type TimeSpec} from '../../domain/time-spec.js'
import {KadmError, UsageError} from '../../errors.js'
import {TIME_HELP, timeFlag, timezoneFlag} from '../../flags/time.js'
import {type OffsetsShowResult, renderOffsetsShow} from '../../render/offsets.js'

export default class OffsetsShow extends ClusterCommand {
  static summary = 'Earliest and latest offsets per partition, the offset at a time, and a group\'s committed offsets and lag.'
  static description = `Like kafka-get-offsets.sh, with one ListOffsets request per leader broker. --time takes earliest, latest, or a time: an ISO-8601 date-time (without a zone: UTC, or --timezone), epoch milliseconds, or a relative time such as -1h or -P1D. --group adds the group's committed offset and lag (latest - committed) per partition.`
  static examples = [
    {description: 'Offsets of every partition of a topic', command: '<%= config.bin %> <%= command.id %> orders'},
    {description: 'The first offset written in the last hour, on partitions 0 and 1', command: '<%= config.bin %> <%= command.id %> orders:0,1 --time -1h'},
    {description: 'Committed offsets and lag of a group, as JSON', command: '<%= config.bin %> <%= command.id %> orders payments --group billing -o json'},
  ]

  static strict = false
  static args = {
    topics: Args.string({description: 'Topic or glob (orders-*), or topic:partition[,partition...] (several allowed; one picked from a list on a terminal when left out).', ignoreStdin: true}),
  }

  static flags = {
    time: Flags.string({summary: `Also show the offset at: earliest | latest | ${TIME_HELP}.`}),
    timezone: timezoneFlag('a --time'),
    group: Flags.string({char: 'g', summary: "Add this group's committed offsets and lag."}),
  }

  async run(): Promise<OffsetsShowResult> {
    const {argv, flags} = await this.parse(OffsetsShow)
    this.applyOutputFlags(flags)
    let scopes: ReturnType<typeof parseTopicScope>[]
    let spec: TimeSpec | undefined
    if (flags.timezone !== undefined && flags.time === undefined) throw new UsageError('--timezone only applies to --time')
    try {
      scopes = (argv as string[]).map(parseTopicScope)
      spec = flags.time === undefined ? undefined : timeFlag('--time', () => parseTimeSpec(flags.time!, {zone: flags.timezone}))
    } catch (error) {
      if (error instanceof PlanError || error instanceof TimeSpecError) throw new UsageError(error.message)
      throw error
    }
    if (scopes.length === 0) scopes = (await this.requireOrPick('topic', [], flags, 'TOPICS')).map(parseTopicScope)
    const connection = await this.connect(flags)
    const {listOffsetsMany} = await import('../../kafka/offsets.js')
    const {committedOffsetsOf, resolvePartitions} = await import('../../kafka/group-offsets.js')
    const {partitions, metadata} = await resolvePartitions(connection, await this.expandTopicScopes(connection, scopes))
    const [[earliest, latest, atTime], committed] = await Promise.all([
      listOffsetsMany(connection, partitions, spec === undefined ? ['earliest', 'latest'] : ['earliest', 'latest', spec], {metadata}),
      flags.group === undefined ? undefined : committedOffsetsOf(connection, flags.group, partitions),
    ])
    const committedOf = new Map(committed?.map((c) => [`${c.topic}:${c.partition}`, c.offset]))
    const result: OffsetsShowResult = {
      time: spec === undefined ? null : typeof spec === 'string' ? spec : formatInstant(spec.timestamp),
      group: flags.group ?? null,
      partitions: partitions.map((tp, i) => {
        const row: OffsetsShowResult['partitions'][number] = {...tp, earliestOffset: earliest[i].offset, latestOffset: latest[i].offset}
        if (atTime) {
          row.offsetAtTime = atTime[i].offset
          if (typeof spec === 'object') row.timestampAtTime = atTime[i].offset === null ? null : formatInstant(atTime[i].timestamp)
        }
        if (committed) {
          row.committedOffset = committedOf.get(`${tp.topic}:${tp.partition}`) ?? null
          row.lag = row.committedOffset === null || row.latestOffset === null ? null : Math.max(0, row.latestOffset - row.committedOffset)
        }
        const error = earliest[i].error ?? latest[i].error ?? atTime?.[i].error
        if (error) row.error = error
        return row
      }),
    }
    await this.emit(result, renderOffsetsShow)
    // Leaders that did not answer are reported once by the connection, with exit code 4.
    const unreachable = new Set(partitions.filter((_, i) => earliest[i].unreachable || latest[i].unreachable || atTime?.[i].unreachable).map((p) => `${p.topic}:${p.partition}`))
    const failed = result.partitions.filter((p) => p.error && !unreachable.has(`${p.topic}:${p.partition}`))
    if (failed.length) throw new KadmError(`${failed.length} partition(s) could not be read (${failed[0].topic}:${failed[0].partition} ${failed[0].error})`)
    return result
  }
}
