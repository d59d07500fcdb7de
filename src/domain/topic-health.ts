import {type PartitionMarker, partitionMarkers, type ReplicaSet} from './partition-state.js'

/**
 * Partition health as kafka-topics judges it (TopicCommand's PartitionDescription), as a pure
 * function of metadata and each topic's min.insync.replicas. The markers come from
 * partition-state.ts, the one vocabulary of the topics and partitions commands: `unavailable` (no
 * live leader, Kafka's --unavailable-partitions), under-replicated, under-min-isr, at-min-isr,
 * not-preferred-leader.
 */
export {type PartitionMarker, partitionMarkers}

export interface PartitionReplicas extends ReplicaSet {
  partition: number
}

export interface TopicHealth {
  partitions: number
  unavailable: number
  underReplicated: number
  underMinIsr: number
  atMinIsr: number
  notPreferredLeader: number
}

/** A topic is unhealthy when any partition is unavailable, under-replicated or under min ISR. */
export function isUnhealthy(health: TopicHealth): boolean {
  return health.unavailable + health.underReplicated + health.underMinIsr > 0
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
    const report: TopicHealthReport = {name: t.name, partitions: t.partitions.length, unavailable: 0, underReplicated: 0, underMinIsr: 0, atMinIsr: 0, notPreferredLeader: 0, markers: new Map()}
    for (const p of t.partitions) {
      const markers = partitionMarkers(p, minIsrByTopic.get(t.name), liveBrokers)
      report.markers.set(p.partition, markers)
      for (const m of markers) {
        if (m === 'unavailable') report.unavailable++
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
 * Whether a partition passes the filters (any of them). As in kafka-topics, an unavailable
 * partition (no live leader) also counts as under min ISR.
 */
export function matchesHealthFilter(markers: readonly PartitionMarker[], filters: readonly HealthFilter[]): boolean {
  if (filters.length === 0) return true
  return filters.some((f) => {
    switch (f) {
      case 'under-replicated': return markers.includes('under-replicated')
      case 'unavailable': return markers.includes('unavailable')
      case 'under-min-isr': return markers.includes('under-min-isr') || markers.includes('unavailable')
      case 'at-min-isr': return markers.includes('at-min-isr')
    }
  })
}
