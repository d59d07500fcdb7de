import type {ChalkInstance} from 'chalk'

import type {ClusterDescription} from '../kafka/cluster.js'
import {renderKeyValues, renderTable} from './table.js'

export function renderClusterDescription(data: ClusterDescription, chalk: ChalkInstance): string {
  const c = data.controller
  const controller = c.activeControllerId === null
    ? `unknown (${c.note})`
    : `${c.activeControllerId} (KRaft quorum leader; voters ${c.voters.join(',')})`
  const header = renderKeyValues([
    ['Cluster ID', data.clusterId],
    ['Controller', controller],
    ['Brokers', data.brokers.length],
    ['Topics', data.topics],
    ['Partitions', data.partitions],
  ], chalk)
  const table = renderTable(data.brokers, [
    {header: 'ID', value: (b) => b.id, align: 'right'},
    {header: 'ADDRESS', value: (b) => `${b.host}:${b.port}`},
    {header: 'RACK', value: (b) => b.rack},
    {header: 'LEADERS', value: (b) => b.leaders, align: 'right'},
    {header: 'REPLICAS', value: (b) => b.replicas, align: 'right'},
    {header: 'CONTROLLER', value: (b) => (b.id === c.activeControllerId ? 'active' : c.voters.includes(b.id) ? 'voter' : ''), colour: (t) => (t === 'active' ? chalk.green(t) : t)},
  ], chalk)
  return `${header}\n\n${table}`
}
