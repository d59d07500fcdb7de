import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {CHECK_IDS, type CheckReport, checkReport, failsAt, resolveThresholds, selectChecks, type Severity, SEVERITIES, THRESHOLDS} from '../../domain/cluster-check.js'
import {ExitCode, KadmError, UsageError} from '../../errors.js'
import {renderCheckReport} from '../../render/check.js'
import {selectionFlags, topicPatterns} from '../../topic-flags.js'

const thresholdFlags = Object.fromEntries(Object.values(THRESHOLDS).map((t) => [t.flag, Flags.string({
  summary: `${t.summary} (default ${t.default}${t.kind === 'percent' ? '%' : ''}; also \`checks: {${t.flag}: ...}\` in the context).`,
  helpGroup: 'THRESHOLDS',
})])) as Record<string, ReturnType<typeof Flags.string>>

export default class ClusterCheck extends ClusterCommand {
  static summary = 'Check the cluster for the classic mistakes: replication that cannot lose a broker, skew, full disks, unbounded topics, lagging and stale groups.'
  static description = `One pass over the cluster with batched requests; each finding has a severity (warn or error), the objects it concerns, why it matters and the kadm command that inspects or fixes it. Checks: ${CHECK_IDS.join(', ')}. Thresholds come from the flags, else from the context's "checks:" mapping, else the defaults. --fail-on warn|error exits with code 3 when a finding at or above that severity exists.`
  static examples = [
    {description: 'Every check on the whole cluster', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'In CI: exit 3 on any error, as JSON', command: '<%= config.bin %> <%= command.id %> --fail-on error -o json'},
    {description: 'Only the consumer checks, with a tighter lag limit', command: '<%= config.bin %> <%= command.id %> --only consumers --max-lag 1000 --max-lag-time 1m'},
    {description: 'The topics and groups of one team', command: '<%= config.bin %> <%= command.id %> --topic \'billing-*\' --group \'billing-*\''},
  ]

  static flags = {
    topic: Flags.string({char: 't', summary: 'Only these topics: names or globs (regular expressions with --regex); repeatable. Broker-wide checks still count every topic.', multiple: true, multipleNonGreedy: true}),
    group: Flags.string({char: 'g', summary: 'Only these groups: names or globs (regular expressions with --regex); repeatable.', multiple: true, multipleNonGreedy: true}),
    ...selectionFlags,
    only: Flags.string({summary: 'Run only these checks or categories (replication, capacity, consumers, config); comma-separated or repeated.', multiple: true, multipleNonGreedy: true}),
    skip: Flags.string({summary: 'Skip these checks or categories; comma-separated or repeated.', multiple: true, multipleNonGreedy: true}),
    'fail-on': Flags.string({summary: 'Exit with code 3 when a finding at or above this severity exists.', options: [...SEVERITIES]}),
    ...thresholdFlags,
  }

  async run(): Promise<CheckReport> {
    const {flags} = await this.parse(ClusterCheck)
    this.applyOutputFlags(flags)
    const list = (values: string[] | undefined) => (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
    let enabled
    try {
      enabled = selectChecks(list(flags.only), list(flags.skip))
    } catch (error) {
      throw new UsageError(`--only/--skip: ${(error as Error).message}`)
    }
    const given = Object.fromEntries(Object.values(THRESHOLDS).map((t) => [t.flag, (flags as Record<string, unknown>)[t.flag] as string | undefined]))
    // Flags are checked before connecting, the context's values once it is resolved.
    try {
      resolveThresholds(given)
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
    const topics = topicPatterns(flags.topic ?? [], flags.regex)
    const connection = await this.connect(flags)
    let thresholds
    try {
      thresholds = resolveThresholds(given, this.settings?.checks)
    } catch (error) {
      throw new KadmError(`context "${this.settings?.contextName}": ${(error as Error).message}`)
    }
    const groups = flags.group ? await this.selectGroups(connection, topicPatterns(flags.group, flags.regex), flags.regex) : {ids: null}
    const {loadCheckSnapshot} = await import('../../kafka/cluster-check.js')
    const snapshot = await loadCheckSnapshot(connection, {
      topics,
      regex: flags.regex,
      groupIds: groups.ids,
      emptyGroupAges: enabled.has('empty-group'),
      compactKeys: enabled.has('compact-without-keys'),
      onUnmatched: (patterns) => this.warning(`no topic matches ${patterns.map((p) => `"${p}"`).join(', ')}`),
    })
    const report = await this.emit(checkReport(snapshot, thresholds, enabled), renderCheckReport)
    const level = flags['fail-on'] as Severity | undefined
    if (level && failsAt(report.findings, level)) {
      const failing = report.findings.filter((f) => SEVERITIES.indexOf(f.severity) >= SEVERITIES.indexOf(level))
      throw new KadmError(`${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${level}: ${failing.map((f) => f.check).join(', ')}`, {exitCode: ExitCode.checkFailed})
    }
    return report
  }
}
