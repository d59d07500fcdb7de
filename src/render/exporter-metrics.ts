import {type CheckReport, CHECK_IDS, CHECKS, type CheckSnapshot} from '../domain/cluster-check.js'
import {family, type Family, lagFamilies, renderFamilies} from './metrics.js'

export interface BrokerUp {
  broker: number
  address: string
  up: boolean
}

/**
 * What `kadm exporter` serves on /metrics: the lag series of `consumer-groups lag -o prometheus`,
 * each partition's health (kafka_exporter's names where it has them), the log dirs' volume, the
 * findings of `cluster check` per check, and an up metric per broker. Built from one snapshot, so
 * a group, topic or broker that is gone has no series: Prometheus marks them stale.
 */
export function renderExporterMetrics(snapshot: CheckSnapshot, report: CheckReport, brokers: readonly BrokerUp[], scrapeMs: number): string {
  return renderFamilies([...brokerFamilies(brokers, snapshot.brokers.length, true), ...clusterFamilies(snapshot, report, scrapeMs)])
}

/** The up metrics alone, for a scrape that could not reach the cluster. */
export function renderUnreachable(brokers: readonly BrokerUp[]): string {
  return renderFamilies(brokerFamilies(brokers, 0, false))
}

function brokerFamilies(brokers: readonly BrokerUp[], registered: number, success: boolean): Family[] {
  const ok = family('kadm_scrape_success', 'Whether kadm could read the cluster for this scrape (1) or not (0).')
  ok.samples.push([[], success ? 1 : 0])
  const up = family('kafka_broker_up', 'Whether the broker is registered in the cluster and answered this scrape (1) or not (0).')
  for (const b of brokers) up.samples.push([[['broker', String(b.broker)], ['address', b.address]], b.up ? 1 : 0])
  const count = family('kafka_brokers', 'Brokers registered in the cluster (kafka_exporter\'s name).')
  count.samples.push([[], registered])
  return [ok, up, count]
}

function clusterFamilies(snapshot: CheckSnapshot, report: CheckReport, scrapeMs: number): Family[] {

  const leader = family('kafka_topic_partition_leader', 'Leader broker id of the partition (-1: none).')
  const replicas = family('kafka_topic_partition_replicas', 'Replicas of the partition.')
  const inSync = family('kafka_topic_partition_in_sync_replica', 'In-sync replicas of the partition.')
  const underReplicated = family('kafka_topic_partition_under_replicated_partition', 'Whether the partition has replicas out of sync (1) or not (0).')
  const offline = family('kafka_topic_partition_offline', 'Whether the partition has no live leader (1) or has one (0).')
  const underMinIsr = family('kafka_topic_partition_under_min_isr', 'Whether the partition has fewer in-sync replicas than min.insync.replicas (1) or not (0).')
  const preferred = family('kafka_topic_partition_leader_is_preferred', 'Whether the partition is led by its first replica (1) or not (0).')
  for (const p of snapshot.partitions) {
    const labels: Array<[string, string]> = [['topic', p.topic], ['partition', String(p.partition)]]
    leader.samples.push([labels, p.leader])
    replicas.samples.push([labels, p.replicas.length])
    inSync.samples.push([labels, p.isr.length])
    underReplicated.samples.push([labels, p.markers.includes('under-replicated') ? 1 : 0])
    offline.samples.push([labels, p.markers.includes('unavailable') ? 1 : 0])
    underMinIsr.samples.push([labels, p.markers.includes('under-min-isr') ? 1 : 0])
    preferred.samples.push([labels, p.leader === p.replicas[0] ? 1 : 0])
  }

  const total = family('kafka_log_dir_total_bytes', 'Size of the volume of the log dir (Kafka 3.3+ brokers report it).')
  const usable = family('kafka_log_dir_usable_bytes', 'Free bytes of the volume of the log dir (Kafka 3.3+ brokers report it).')
  for (const d of snapshot.logDirs) {
    const labels: Array<[string, string]> = [['broker', String(d.broker)], ['log_dir', d.logDir]]
    if (d.totalBytes !== null) total.samples.push([labels, d.totalBytes])
    if (d.usableBytes !== null) usable.samples.push([labels, d.usableBytes])
  }

  const findings = family('kadm_check_findings', 'Objects (partitions, topics, brokers, groups) each check of kadm cluster check finds (0: none).')
  for (const id of CHECK_IDS) {
    findings.samples.push([[['check', id], ['severity', CHECKS[id].severity]], report.findings.find((f) => f.check === id)?.objects.length ?? 0])
  }
  const duration = family('kadm_scrape_duration_seconds', 'Time kadm took to read the cluster for this scrape.')
  duration.samples.push([[], scrapeMs / 1000])
  return [...lagFamilies(snapshot.groups, snapshot.at, true), leader, replicas, inSync, underReplicated, offline, underMinIsr, preferred, total, usable, findings, duration]
}
