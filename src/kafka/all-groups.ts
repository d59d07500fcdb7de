import {listRow, type GroupListRow} from '../domain/lag.js'
import {compareNames} from '../domain/order.js'
import type {KafkaConnection} from './client.js'
import {type GroupListing, type GroupType, listGroups, loadGroupLags, selectGroups} from './groups.js'

export interface TypedGroupRows {
  rows: GroupListRow[]
  /** Literal names that name no group of the types asked for. */
  missing: string[]
  /** Patterns that matched no group. */
  unmatched: string[]
}

/** Groups whose offsets and lag mean what they mean for consumers: consumer groups, and classic groups of the consumer protocol (or none: offsets committed without joining). */
function hasConsumerOffsets(g: GroupListing): boolean {
  return g.type === 'consumer' || ((g.type === 'classic' || g.type === null) && (g.protocolType === 'consumer' || g.protocolType === ''))
}

/**
 * One list row for every group of `types`, as kafka-groups.sh --list finds them (ListGroups on
 * every broker). Consumer groups are described and get their lag as in `consumer-groups list`;
 * share groups are described with ShareGroupDescribe (members, subscribed topics) and have no
 * lag (their progress is a start offset per partition: `share-groups describe`); streams groups
 * and classic groups of other protocols (Connect) show what ListGroups says, without members or lag.
 */
export async function loadTypedGroupRows(
  connection: KafkaConnection,
  options: {types: readonly GroupType[]; states?: string[]; names: readonly string[]; regex?: boolean; offsets: boolean},
): Promise<TypedGroupRows> {
  const listing = await listGroups(connection, {types: options.types})
  const ids = listing.map((g) => g.groupId)
  // Names and patterns as every command selects groups, matched against the groups of these types.
  const selection = await selectGroups(connection, options.names, {regex: options.regex, list: async () => [...ids]})
  const missing = (selection.ids ?? []).filter((id) => !ids.includes(id))
  const chosen = new Set(selection.ids ?? ids)
  const wantedStates = new Set((options.states ?? []).map((s) => s.toLowerCase()))
  const selected = listing.filter((g) => chosen.has(g.groupId))
    .filter((g) => wantedStates.size === 0 || g.state === null || wantedStates.has(g.state.toLowerCase()))

  const consumers = selected.filter(hasConsumerOffsets)
  const shares = selected.filter((g) => g.type === 'share')
  const others = selected.filter((g) => !hasConsumerOffsets(g) && g.type !== 'share')
  const [loaded, described] = await Promise.all([
    consumers.length > 0 ? loadGroupLags(connection, {groupIds: consumers.map((g) => g.groupId), offsets: options.offsets}) : undefined,
    shares.length > 0 ? import('./share-groups.js').then((m) => m.describeShareGroups(connection, shares.map((g) => g.groupId))) : undefined,
  ])
  const rows: GroupListRow[] = (loaded?.groups ?? []).map((g) => listRow(g, options.offsets))
  for (const g of shares) {
    const d = described?.get(g.groupId)
    // A share group deleted between the listing and the describe is gone: no row.
    if (d === null) continue
    rows.push({
      groupId: g.groupId,
      state: d?.state ?? g.state ?? 'Unknown',
      type: 'share',
      protocolType: g.protocolType,
      assignor: d?.assignor ?? '',
      members: d ? d.members.length : null,
      topics: d ? [...new Set(d.members.flatMap((m) => m.subscribedTopics))].sort(compareNames) : [],
      totalLag: null,
    })
  }
  for (const g of others) {
    rows.push({groupId: g.groupId, state: g.state ?? 'Unknown', type: g.type, protocolType: g.protocolType, assignor: '', members: null, topics: [], totalLag: null})
  }
  // States the consumer describe found may differ from the listing's: the state filter applies to them too.
  const rowsInState = rows.filter((r) => wantedStates.size === 0 || wantedStates.has(r.state.toLowerCase()))
  return {rows: rowsInState, missing, unmatched: selection.unmatched}
}
