/**
 * Partition health as kafka-topics judges it (TopicCommand's PartitionDescription), as a pure
 * function of metadata and each topic's min.insync.replicas.
 */
export type PartitionMarker = 'leaderless' | 'under-replicated' | 'under-min-isr' | 'at-min-isr' | 'not-preferred-leader'

export const PARTITION_MARKERS: readonly PartitionMarker[] = ['leaderless', 'under-replicated', 'under-min-isr', 'at-min-isr', 'not-preferred-leader']

export interface PartitionReplicas {
  partition: number
  /** -1 (or null) when the partition has no leader. */
  leader: number | null
  replicas: readonly number[]
  isr: readonly number[]
}

/**
 * Markers for one partition:
 * - leaderless: no leader, or (when `liveBrokers` is given) a leader that is not a live broker;
 * - under-replicated: fewer in-sync replicas than replicas;
 * - under-min-isr: fewer in-sync replicas than min.insync.replicas (producers with acks=all fail);
 * - at-min-isr: exactly min.insync.replicas in sync (one more failure blocks acks=all);
 * - not-preferred-leader: the leader is not the first replica (preferred election would move it).
 */
export function partitionMarkers(p: PartitionReplicas, minIsr: number | null | undefined, liveBrokers?: ReadonlySet<number>): PartitionMarker[] {
  const markers: PartitionMarker[] = []
  const hasLeader = p.leader !== null && p.leader >= 0 && (!liveBrokers || liveBrokers.has(p.leader))
  if (!hasLeader) markers.push('leaderless')
  if (p.isr.length < p.replicas.length) markers.push('under-replicated')
  if (minIsr !== null && minIsr !== undefined) {
    if (p.isr.length < minIsr) markers.push('under-min-isr')
    else if (p.isr.length === minIsr) markers.push('at-min-isr')
  }
  if (hasLeader && p.replicas.length > 0 && p.replicas[0] !== p.leader) markers.push('not-preferred-leader')
  return markers
}

export interface TopicHealth {
  partitions: number
  leaderless: number
  underReplicated: number
  underMinIsr: number
  atMinIsr: number
  notPreferredLeader: number
}

/** A topic is unhealthy when any partition is leaderless, under-replicated or under min ISR. */
export function isUnhealthy(health: TopicHealth): boolean {
  return health.leaderless + health.underReplicated + health.underMinIsr > 0
}

export interface TopicPartitionsInput {
  name: string
  partitions: readonly PartitionReplicas[]
}

export interface TopicHealthReport extends TopicHealth {
  name: string
  markers: Map<number, PartitionMarker[]>
}

/** Markers per partition and counts per topic, given min.insync.replicas per topic name. */
export function assessTopics(
  topics: readonly TopicPartitionsInput[],
  minIsrByTopic: ReadonlyMap<string, number>,
  liveBrokers?: ReadonlySet<number>,
): TopicHealthReport[] {
  return topics.map((t) => {
    const report: TopicHealthReport = {name: t.name, partitions: t.partitions.length, leaderless: 0, underReplicated: 0, underMinIsr: 0, atMinIsr: 0, notPreferredLeader: 0, markers: new Map()}
    for (const p of t.partitions) {
      const markers = partitionMarkers(p, minIsrByTopic.get(t.name), liveBrokers)
      report.markers.set(p.partition, markers)
      for (const m of markers) {
        if (m === 'leaderless') report.leaderless++
        else if (m === 'under-replicated') report.underReplicated++
        else if (m === 'under-min-isr') report.underMinIsr++
        else if (m === 'at-min-isr') report.atMinIsr++
        else report.notPreferredLeader++
      }
    }
    return report
  })
}

/** kafka-topics' describe filters, by flag name. */
export type HealthFilter = 'under-replicated' | 'unavailable' | 'under-min-isr' | 'at-min-isr'

/**
 * Whether a partition passes the filters (any of them). As in kafka-topics, a leaderless
 * partition counts as unavailable and as under min ISR.
 */
export function matchesHealthFilter(markers: readonly PartitionMarker[], filters: readonly HealthFilter[]): boolean {
  if (filters.length === 0) return true
  return filters.some((f) => {
    switch (f) {
      case 'under-replicated': return markers.includes('under-replicated')
      case 'unavailable': return markers.includes('leaderless')
      case 'under-min-isr': return markers.includes('under-min-isr') || markers.includes('leaderless')
      case 'at-min-isr': return markers.includes('at-min-isr')
    }
  })
}
