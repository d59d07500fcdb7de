import type {GroupLag} from '../domain/lag.js'

/** A label value as the Prometheus text format writes it: backslash, double quote and newline escaped. */
function labelValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')
}

export interface Family {
  name: string
  help: string
  samples: Array<[labels: Array<[string, string]>, value: number]>
}

export function family(name: string, help: string): Family {
  return {name, help, samples: []}
}

export function renderFamilies(families: Family[]): string {
  const out: string[] = []
  for (const f of families) {
    if (!f.samples.length) continue
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`)
    for (const [labels, value] of f.samples) out.push(`${f.name}${labels.length ? `{${labels.map(([k, v]) => `${k}="${labelValue(v)}"`).join(',')}}` : ''} ${value}`)
  }
  out.push('# EOF')
  return out.join('\n') + '\n'
}

/**
 * Consumer group lag as Prometheus metrics, in the text format node_exporter's textfile collector
 * reads (and, ending with # EOF, OpenMetrics). Names are kafka_exporter's where it has the same
 * series (kafka_consumergroup_lag, _current_offset, _members, kafka_topic_partition_current_offset);
 * kafka_consumergroup_lag_seconds and _state are kadm's. kafka_exporter's _lag_sum is left out:
 * `sum by (consumergroup, topic) (kafka_consumergroup_lag)` gives it, and promtool refuses a _sum
 * suffix on a gauge.
 * `at` is when the offsets were read (epoch ms); lag in seconds only when `timeLag` was read.
 */
export function renderLagMetrics(groups: readonly GroupLag[], at: number, timeLag: boolean): string {
  return renderFamilies(lagFamilies(groups, at, timeLag))
}

/** The families of renderLagMetrics, for the exporter to add its own to. */
export function lagFamilies(groups: readonly GroupLag[], at: number, timeLag: boolean): Family[] {
  const current = family('kafka_consumergroup_current_offset', 'Committed offset of the group on the partition.')
  const lag = family('kafka_consumergroup_lag', 'Records of the partition the group has not consumed: log end offset minus committed offset.')
  const seconds = family('kafka_consumergroup_lag_seconds', 'Age of the oldest record of the partition the group has not consumed (0 without lag).')
  const members = family('kafka_consumergroup_members', 'Members of the group.')
  const state = family('kafka_consumergroup_state', 'The group\'s state (1 for the state it is in).')
  const logEnd = family('kafka_topic_partition_current_offset', 'Log end offset of the partition.')
  const ends = new Map<string, [Array<[string, string]>, number]>()
  for (const g of groups) {
    const group: [string, string] = ['consumergroup', g.groupId]
    members.samples.push([[group], g.members.length])
    state.samples.push([[group, ['state', g.state]], 1])
    for (const p of g.partitions) {
      const labels: Array<[string, string]> = [group, ['topic', p.topic], ['partition', String(p.partition)]]
      if (p.committed !== null) current.samples.push([labels, p.committed])
      if (p.lag !== null) {
        lag.samples.push([labels, p.lag])
        if (timeLag && p.lag === 0) seconds.samples.push([labels, 0])
        else if (timeLag && p.oldestUnconsumedTimestamp) seconds.samples.push([labels, Math.max(0, at - p.oldestUnconsumedTimestamp) / 1000])
      }
      if (p.logEnd !== null) ends.set(`${p.topic}\u0000${p.partition}`, [[['topic', p.topic], ['partition', String(p.partition)]], p.logEnd])
    }
  }
  logEnd.samples.push(...[...ends.values()].sort(([a], [b]) => a[0][1].localeCompare(b[0][1]) || Number(a[1][1]) - Number(b[1][1])))
  return [lag, seconds, current, members, state, logEnd]
}
