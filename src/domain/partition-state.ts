/** Health markers of one partition, named as kafka-topics.sh names its describe filters. */
export const PARTITION_MARKERS = ['unavailable', 'under-replicated', 'under-min-isr', 'at-min-isr', 'not-preferred-leader'] as const
export type PartitionMarker = (typeof PARTITION_MARKERS)[number]

export interface PartitionAssignmentState {
  topic: string
  partition: number
  /** -1 when the partition has no leader. */
  leader: number
  replicas: number[]
  isr: number[]
  offlineReplicas: number[]
  /** Replicas being added by a reassignment in progress (empty when none). */
  addingReplicas?: number[]
}

export interface PartitionState extends PartitionAssignmentState {
  /** The first replica: the broker a preferred election makes leader. */
  preferredLeader: number | null
  /** min.insync.replicas of the topic, null when unknown. */
  minIsr: number | null
  markers: PartitionMarker[]
}

/** What the markers need of a partition (the topics area's metadata shape fits it too). */
export interface ReplicaSet {
  /** -1 (or null) when the partition has no leader. */
  leader: number | null
  replicas: readonly number[]
  isr: readonly number[]
  /** Replicas a reassignment in progress is adding (still copying): not missing from the ISR. */
  addingReplicas?: readonly number[]
}

/**
 * The markers Kafka's TopicCommand applies (the single source of this logic and its words, for the
 * topics and the partitions commands alike): unavailable = no leader (or the
 * leader is not a live broker); under-replicated = ISR smaller than the replica set without the
 * replicas a reassignment is adding; under/at-min-isr
 * = ISR below or exactly at min.insync.replicas (no min-ISR marker when it is unknown);
 * not-preferred-leader = a live leader that is not the first replica.
 */
export function partitionMarkers(p: ReplicaSet, minIsr: number | null | undefined, liveBrokers?: ReadonlySet<number>): PartitionMarker[] {
  const markers: PartitionMarker[] = []
  const leaderless = p.leader === null || p.leader < 0 || (liveBrokers !== undefined && !liveBrokers.has(p.leader))
  if (leaderless) markers.push('unavailable')
  // As TopicCommand: the replication factor leaves out the replicas being added, so a reassignment in progress is not under-replicated.
  if (p.isr.length < p.replicas.length - (p.addingReplicas?.length ?? 0)) markers.push('under-replicated')
  if (minIsr !== null && minIsr !== undefined) {
    if (p.isr.length < minIsr) markers.push('under-min-isr')
    else if (p.isr.length === minIsr) markers.push('at-min-isr')
  }
  if (!leaderless && p.replicas.length > 0 && p.leader !== p.replicas[0]) markers.push('not-preferred-leader')
  return markers
}

export function withState(p: PartitionAssignmentState, minIsr: number | null, liveBrokers?: ReadonlySet<number>): PartitionState {
  return {...p, preferredLeader: p.replicas[0] ?? null, minIsr, markers: partitionMarkers(p, minIsr, liveBrokers)}
}

export interface PartitionFilter {
  markers: PartitionMarker[]
  /** Partitions with a replica on, or led by, this broker. */
  broker?: number
}

/** A partition passes when it carries any of the asked markers (all pass when none is asked) and touches the broker. */
export function matchesFilter(p: PartitionState, filter: PartitionFilter): boolean {
  if (filter.markers.length > 0 && !filter.markers.some((m) => p.markers.includes(m))) return false
  if (filter.broker !== undefined && p.leader !== filter.broker && !p.replicas.includes(filter.broker)) return false
  return true
}

export type HealthSummary = Record<PartitionMarker, number> & {partitions: number; healthy: number}

export function summarise(partitions: readonly PartitionState[]): HealthSummary {
  const summary = {partitions: partitions.length, healthy: 0} as HealthSummary
  for (const m of PARTITION_MARKERS) summary[m] = 0
  for (const p of partitions) {
    if (isHealthy(p)) summary.healthy++
    for (const m of p.markers) summary[m]++
  }
  return summary
}

/**
 * The markers that make a partition unhealthy. at-min-isr (one more failure blocks acks=all
 * producers) and not-preferred-leader (load imbalance) are warnings, not faults.
 */
export const FAULT_MARKERS: readonly PartitionMarker[] = ['unavailable', 'under-replicated', 'under-min-isr']

export function isHealthy(p: PartitionState): boolean {
  return !p.markers.some((m) => FAULT_MARKERS.includes(m))
}

export type PredictedElection = 'would-elect' | 'already-leader' | 'not-eligible'

/**
 * What an election would do, from metadata alone (for --dry-run). Preferred: the first replica
 * becomes leader if it is in the ISR. Unclean: only a partition without a live leader changes,
 * to a live replica (an in-sync one when there is one).
 */
export function predictElection(p: PartitionState, type: 'preferred' | 'unclean'): {outcome: PredictedElection; newLeader?: number} {
  if (type === 'preferred') {
    if (p.preferredLeader === null) return {outcome: 'not-eligible'}
    if (p.leader === p.preferredLeader) return {outcome: 'already-leader'}
    return p.isr.includes(p.preferredLeader) ? {outcome: 'would-elect', newLeader: p.preferredLeader} : {outcome: 'not-eligible'}
  }
  if (!p.markers.includes('unavailable')) return {outcome: 'already-leader'}
  const live = p.replicas.filter((r) => !p.offlineReplicas.includes(r))
  const candidate = live.find((r) => p.isr.includes(r)) ?? live[0]
  return candidate === undefined ? {outcome: 'not-eligible'} : {outcome: 'would-elect', newLeader: candidate}
}
