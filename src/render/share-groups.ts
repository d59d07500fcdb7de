import type {ChalkInstance} from 'chalk'

import type {ShareGroupDescription, ShareGroupListing, ShareGroupOffset} from '../kafka/share-groups.js'
import {renderKeyValues, renderTable} from './table.js'

export interface ShareGroupList {
  groups: ShareGroupListing[]
}

export interface ShareGroupDescriptions {
  groups: ShareGroupDescription[]
}

const stateColour = (chalk: ChalkInstance) => (text: string) => (text === 'Stable' ? chalk.green(text) : text === 'Dead' ? chalk.red(text) : text)

export function renderShareGroupList(data: ShareGroupList, chalk: ChalkInstance): string {
  if (data.groups.length === 0) return 'No share groups.'
  return renderTable(data.groups, [
    {header: 'GROUP', value: (g) => g.groupId, shrink: true},
    {header: 'STATE', value: (g) => g.state, colour: stateColour(chalk)},
    {header: 'COORDINATOR', value: (g) => g.coordinator, align: 'right'},
  ], chalk)
}

export function renderShareGroupDescriptions(data: ShareGroupDescriptions, chalk: ChalkInstance): string {
  return data.groups.map((g) => {
    const header = renderKeyValues([
      ['Group', g.groupId],
      ['State', stateColour(chalk)(g.state)],
      ['Coordinator', `broker ${g.coordinator}`],
      ['Epoch', `group ${g.groupEpoch}, assignment ${g.assignmentEpoch}`],
      ['Assignor', g.assignor],
      ['Members', g.members.length],
    ], chalk)
    if (g.members.length === 0) return header
    return `${header}\n\n` + renderTable(g.members, [
      {header: 'MEMBER', value: (m) => m.memberId, shrink: true},
      {header: 'CLIENT', value: (m) => m.clientId, shrink: true},
      {header: 'HOST', value: (m) => m.host},
      {header: 'EPOCH', value: (m) => m.memberEpoch, align: 'right'},
      {header: 'TOPICS', value: (m) => m.subscribedTopics.join(','), shrink: true},
      {header: 'ASSIGNMENT', value: (m) => m.assignment.map((a) => `${a.topic}:${a.partition}`).join(',') || null, shrink: true},
    ], chalk)
  }).join('\n\n')
}

export interface ShareOffsetsDeleteResult {
  group: string
  dryRun: boolean
  topics: Array<{topic: string; deleted: boolean; error: string | null}>
  /** The start offsets the group had on those topics before the delete. */
  partitions: ShareGroupOffset[]
}

export function renderShareOffsetsDelete(data: ShareOffsetsDeleteResult, chalk: ChalkInstance): string {
  const status = (topic: {deleted: boolean; error: string | null}) => (data.dryRun ? 'would delete' : topic.deleted ? 'deleted' : `failed: ${topic.error}`)
  return renderTable(data.topics, [
    {header: 'GROUP', value: () => data.group, shrink: true},
    {header: 'TOPIC', value: (t) => t.topic, shrink: true},
    {header: 'START-OFFSETS', value: (t) => data.partitions.filter((p) => p.topic === t.topic).map((p) => `${p.partition}:${p.startOffset}`).join(',') || null, shrink: true},
    {header: 'STATUS', value: status, colour: (t) => (t === 'deleted' ? chalk.green(t) : t.startsWith('failed') ? chalk.red(t) : t)},
  ], chalk)
}
