import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {setTimeout as sleep} from 'node:timers/promises'

import {ClusterCommand} from '../../cluster-command.js'
import {expandOptionalFlag, groupsAbove, type LagRates, type LagSample, lagRates, type LagSummary, rateWindow, sampleOf, sortGroups, summariseLag} from '../../domain/lag.js'
import {parseStates} from '../../domain/group-flags.js'
import {ExitCode, KadmError, UsageError} from '../../errors.js'
import {kafkaNameFlag, namesGiven, selectionFlags, topicPatterns} from '../../topic-flags.js'
import {renderLagLines, renderLagSummary} from '../../render/groups.js'
import {OUTPUT_FORMATS, serialise} from '../../render/output.js'
import {forTerminal} from '../../render/table.js'

const DEFAULT_WATCH_SECONDS = '5'
/** Lines of the --watch screen besides the group rows: title, blank, header, blank, total, "more". */
const WATCH_CHROME_LINES = 6

export default class ConsumerGroupsLag extends ClusterCommand {
  static aliases = ['groups:lag']
  static summary = 'Lag summary for every group (or the ones named): total lag, max lag and its partition, and lag as time.'
  static description = `TIME-LAG is the age of the oldest record a group has not consumed yet: now minus the timestamp of the record at its committed offset (read with one small Fetch per leader broker). With --watch the view refreshes every SECONDS (default ${DEFAULT_WATCH_SECONDS}) and adds the consume and produce rates between samples and an estimated time to catch up (ETA; "never" while lag is not shrinking). On a terminal it redraws in place; otherwise it prints one line per group per sample (-o json: one JSON document per line). --fail-above N exits with code 3 when any group's total lag is above N. A group committed exactly at a partition's last stable offset, with records after it, waits behind an open transaction (read_committed consumers get nothing more until it ends): kadm names it under the table (heldByTransactions in JSON) with the producer holding it, found with ListOffsets read_committed and DescribeProducers on those partitions only.`
  static examples = [
    {description: 'Lag of every consumer group, worst first', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Two groups, refreshed every 2 seconds with rates and ETA', command: '<%= config.bin %> <%= command.id %> orders-service billing --watch 2'},
    {description: 'For alerting: exit 3 when any group is more than 10000 records behind', command: '<%= config.bin %> <%= command.id %> --fail-above 10000 -o json'},
  ]

  static strict = false
  static args = {
    group: Args.string({description: 'Groups: names or globs (orders-*), full-match regular expressions with --regex; default every group.', ignoreStdin: true}),
  }

  static flags = {
    group: kafkaNameFlag('group', 'g'),
    state: Flags.string({summary: 'Only groups in these states (comma-separated or repeated).', multiple: true, multipleNonGreedy: true}),
    ...selectionFlags,
    lagging: Flags.boolean({summary: 'Only groups whose total lag is above 0.'}),
    sort: Flags.string({summary: 'Sort by total lag (largest first) or by name.', options: ['lag', 'name'], default: 'lag'}),
    'time-lag': Flags.boolean({summary: 'Fetch the oldest unconsumed record of each lagging partition for TIME-LAG (--no-time-lag skips it).', allowNo: true, default: true}),
    watch: Flags.string({char: 'w', summary: `Refresh every SECONDS (default ${DEFAULT_WATCH_SECONDS}) with consume/produce rates and ETA, until Ctrl-C.`, helpValue: '[SECONDS]'}),
    iterations: Flags.integer({summary: 'With --watch: stop after this many samples.', min: 1}),
    'fail-above': Flags.integer({summary: 'Exit with code 3 when any group\'s total lag is above N.', helpValue: 'N', min: 0}),
    output: Flags.string({
      char: 'o',
      summary: 'Output format; prometheus: lag per partition as Prometheus metrics, for node_exporter\'s textfile collector.',
      options: [...OUTPUT_FORMATS, 'prometheus'],
      default: 'table',
      helpGroup: 'OUTPUT',
    }),
  }

  async run(): Promise<LagSummary> {
    this.argv = expandOptionalFlag(this.argv, ['--watch', '-w'], DEFAULT_WATCH_SECONDS)
    const {flags, argv} = await this.parse(ConsumerGroupsLag)
    const prometheus = flags.output === 'prometheus' && !flags.json
    this.applyOutputFlags({...flags, output: prometheus ? 'json' : flags.output})
    const names = topicPatterns(namesGiven(argv, flags.group), flags.regex)
    const interval = flags.watch === undefined ? undefined : Number(flags.watch)
    if (interval !== undefined && !(interval > 0)) throw new UsageError(`--watch "${flags.watch}" is not a number of seconds`)
    if (flags.iterations !== undefined && interval === undefined) throw new UsageError('--iterations needs --watch')
    if (prometheus && interval !== undefined) throw new UsageError('-o prometheus prints one sample: run it from a timer (node_exporter reads the file it writes), not with --watch')
    const states = parseStates(flags.state)
    const connection = await this.connect(flags)
    const {loadGroupLags, missingConsumerGroupsError} = await import('../../kafka/groups.js')
    const selection = await this.selectGroups(connection, names, flags.regex)

    const sample = async (previous: Map<string, LagSample[]> | undefined) => {
      const loaded = await loadGroupLags(connection, {
        groupIds: selection.ids,
        states,
        timeLag: flags['time-lag'],
        openTransactions: true,
      })
      if (loaded.missing.length > 0) throw await missingConsumerGroupsError(connection, loaded.missing)
      let groups = loaded.groups
      if (flags.lagging) groups = groupsAbove(groups, 0)
      groups = sortGroups(groups, flags.sort as 'lag' | 'name')
      // Rates over the samples of the last RATE_WINDOW_MS (see rateWindow), not only the last interval.
      const samples = new Map(groups.map((g) => [g.groupId, [...(previous?.get(g.groupId) ?? []), sampleOf(loaded.at, g.partitions)]]))
      let rates: Map<string, LagRates | null> | undefined
      if (previous) {
        rates = new Map(groups.map((g) => {
          const window = samples.get(g.groupId)!
          return [g.groupId, window.length > 1 ? lagRates(window[0], window.at(-1)!) : null]
        }))
      } else if (interval !== undefined) rates = new Map()
      if (interval !== undefined) for (const [group, window] of samples) samples.set(group, rateWindow(window, loaded.at + interval * 1000))
      return {summary: summariseLag(groups, loaded.at, rates), samples, groups, at: loaded.at}
    }

    let exceeded: string[] = []
    const check = (summary: LagSummary) => {
      if (flags['fail-above'] !== undefined) exceeded = groupsAbove(summary.groups, flags['fail-above']).map((g) => g.groupId)
      // A check whose pattern selected nothing checked nothing: it fails, as partitions list --fail-on-unhealthy.
      if (flags['fail-above'] !== undefined && selection.unmatched.length > 0) process.exitCode = ExitCode.checkFailed
    }

    if (interval === undefined) {
      const {summary, groups, at} = await sample(undefined)
      if (prometheus) {
        const {renderLagMetrics} = await import('../../render/metrics.js')
        process.stdout.write(renderLagMetrics(groups, at, flags['time-lag']))
      } else await this.emit(summary, renderLagSummary)
      check(summary)
      this.failIfAbove(exceeded, flags['fail-above'])
      return summary
    }

    let stopped = false
    const abort = new AbortController()
    const onSigint = () => {
      stopped = true
      abort.abort()
    }
    process.once('SIGINT', onSigint)
    const tty = process.stdout.isTTY === true && this.format === 'table'
    let previous: Map<string, LagSample[]> | undefined
    let last: LagSummary | undefined
    try {
      for (let n = 1; !stopped; n++) {
        const {summary, samples} = await sample(previous)
        previous = samples
        last = summary
        check(summary)
        if (this.format !== 'table') process.stdout.write(this.format === 'json' ? JSON.stringify(summary) + '\n' : '---\n' + await serialise(summary, 'yaml'))
        else if (tty) {
          // Taller than the terminal: the worst groups and a count of the others, not a scroll.
          const maxGroups = Math.max(1, (process.stdout.rows ?? 24) - WATCH_CHROME_LINES)
          const table = forTerminal(process.stdout.columns, () => renderLagSummary(summary, this.chalk, {maxGroups}))
          process.stdout.write(`\u001B[H\u001B[J${this.chalk.dim(`every ${interval}s · ${summary.at} · Ctrl-C to stop`)}\n\n${table}\n`)
        }
        else if (summary.groups.length > 0) process.stdout.write(renderLagLines(summary) + '\n')
        if (flags.iterations !== undefined && n >= flags.iterations) break
        await sleep(interval * 1000, undefined, {signal: abort.signal}).catch(() => undefined)
      }
    } finally {
      process.removeListener('SIGINT', onSigint)
    }
    if (stopped) process.exitCode = ExitCode.interrupted
    this.failIfAbove(exceeded, flags['fail-above'])
    return last!
  }

  private failIfAbove(groups: string[], threshold: number | undefined): void {
    if (groups.length === 0 || threshold === undefined) return
    throw new KadmError(`lag above ${threshold} in ${groups.length} group${groups.length > 1 ? 's' : ''}: ${groups.join(', ')}`, {exitCode: ExitCode.checkFailed})
  }
}
