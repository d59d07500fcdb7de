import type {ChalkInstance} from 'chalk'

import {formatDuration} from '../domain/duration.js'
import type {ClusterDescription, FeaturesDescription, QuorumDescription} from '../kafka/cluster.js'
import type {FeatureChange, FeatureChangeResult} from '../kafka/features.js'
import {renderKeyValues, renderTable} from './table.js'

export function renderClusterDescription(data: ClusterDescription, chalk: ChalkInstance): string {
  const c = data.controller
  const controller = c.activeControllerId === null
    ? `unknown (${c.note})`
    : `${c.activeControllerId} (KRaft quorum leader; voters ${c.voters.join(',')})`
  const notOk = data.brokers.filter((b) => b.status !== 'ok')
  const brokers = notOk.length === 0
    ? String(data.brokers.length)
    : `${data.brokers.length - notOk.length} of ${data.brokers.length} answering (${notOk.map((b) => `${b.id} ${b.status}`).join(', ')})`
  const lagging = c.laggingVoters.length === 0 ? [] : [['Lagging voters', c.laggingVoters.map((v) => `${v.id} (${v.sinceMs === null ? 'no fetch since the leader was elected' : `no fetch for ${Math.round(v.sinceMs / 1000)}s`})`).join(', ')] as [string, string]]
  const header = renderKeyValues([
    ['Cluster ID', data.clusterId],
    ['Controller', controller],
    ...lagging,
    ['Brokers', notOk.length === 0 ? brokers : chalk.red(brokers)],
    ['Topics', data.topics],
    ['Partitions', data.partitions],
  ], chalk)
  const table = renderTable(data.brokers, [
    {header: 'ID', value: (b) => b.id, align: 'right'},
    {header: 'ADDRESS', value: (b) => (b.host === null ? null : `${b.host}:${b.port}`)},
    {header: 'STATUS', value: (b) => (b.error ? `${b.status}: ${b.error}` : b.status), colour: (t, b) => (b.status === 'ok' ? t : chalk.red(t))},
    {header: 'RACK', value: (b) => b.rack},
    {header: 'LEADERS', value: (b) => b.leaders, align: 'right'},
    {header: 'REPLICAS', value: (b) => b.replicas, align: 'right'},
    {header: 'CONTROLLER', value: (b) => (b.id === c.activeControllerId ? 'active' : c.voters.includes(b.id) ? 'voter' : ''), colour: (t) => (t === 'active' ? chalk.green(t) : t)},
  ], chalk)
  return `${header}\n\n${table}`
}

/** `kadm cluster quorum`: the quorum's state, then each voter and observer (ages from `now`, epoch ms). */
export function renderQuorum(data: QuorumDescription, chalk: ChalkInstance, now = Date.now()): string {
  const stopped = data.members.filter((m) => !m.fetching)
  const lag = `${data.maxFollowerLag} record${data.maxFollowerLag === 1 ? '' : 's'}${data.maxFollowerLagTimeMs === null ? '' : `, ${formatDuration(data.maxFollowerLagTimeMs)}`}`
  const header = renderKeyValues([
    ['Cluster ID', data.clusterId],
    ['Leader', `${data.leaderId} (epoch ${data.leaderEpoch})`],
    ['High watermark', data.highWatermark],
    ['Max follower lag', data.maxFollowerLag > 0 ? chalk.yellow(lag) : lag],
    ...(stopped.length ? [['Not fetching', chalk.red(stopped.map((m) => m.id).join(', '))] as [string, string]] : []),
  ], chalk)
  const age = (t: number | null) => (t === null ? null : `${formatDuration(now - t)} ago`)
  const table = renderTable(data.members, [
    {header: 'NODE', value: (m) => m.id, align: 'right'},
    {header: 'ROLE', value: (m) => m.role, colour: (t, m) => (m.role === 'leader' ? chalk.green(t) : t)},
    {header: 'STATUS', value: (m) => (m.fetching ? 'ok' : 'not fetching'), colour: (t, m) => (m.fetching ? t : chalk.red(t))},
    {header: 'LOG END', value: (m) => m.logEndOffset, align: 'right'},
    {header: 'LAG', value: (m) => m.lag, align: 'right'},
    {header: 'LAST FETCH', value: (m) => age(m.lastFetchTimestamp)},
    {header: 'LAST CAUGHT UP', value: (m) => age(m.lastCaughtUpTimestamp)},
    {header: 'ENDPOINTS', value: (m) => m.endpoints.join(',')},
  ], chalk)
  return `${header}\n\n${table}`
}

/** `kadm cluster features`: one row per feature, as kafka-features.sh describe lists them. */
export function renderFeatures(data: FeaturesDescription, chalk: ChalkInstance): string {
  const table = renderTable(data.features, [
    {header: 'FEATURE', value: (f) => f.name},
    {header: 'SUPPORTED', value: (f) => `${f.supportedMin} - ${f.supportedMax}`},
    {header: 'FINALIZED', value: (f) => f.finalized, colour: (t, f) => (f.finalizedVersionLevel < f.supportedMaxVersion ? chalk.yellow(t) : t)},
  ], chalk)
  return `${table}\n\nFinalized at epoch ${data.epoch}${data.unreachable.length ? `; brokers not counted (did not answer): ${data.unreachable.join(', ')}` : ''}`
}


/** The levels `cluster features upgrade|downgrade|disable` asked for, as a plan (before a confirmation) or a result. */
export function renderFeatureChangePlan(changes: FeatureChange[], chalk: ChalkInstance): string {
  return renderTable(changes, [
    {header: 'FEATURE', value: (c) => c.feature},
    {header: 'FROM', value: (c) => c.from},
    {header: 'TO', value: (c) => (c.toLevel === 0 ? '0 (disabled)' : c.to)},
  ], chalk)
}

export function renderFeatureChanges(data: FeatureChangeResult, chalk: ChalkInstance): string {
  const done = data.upgradeType === 'upgrade' ? 'upgraded' : data.changes.every((c) => c.toLevel === 0) ? 'disabled' : 'downgraded'
  const footer = data.dryRun ? 'Dry run: the controller accepts this; nothing was changed.' : `Finalized: ${done}${data.upgradeType === 'unsafe-downgrade' ? ' (unsafe)' : ''}.`
  return `${renderFeatureChangePlan(data.changes, chalk)}\n\n${footer}`
}
