import type {ApiSpec} from './transport.js'

export interface ListGroupsRequest {
  /** Only groups in these states (v4+); empty = all. */
  statesFilter: string[]
  /** Only groups of these types, e.g. classic, consumer (v5+); empty = all. */
  typesFilter: string[]
}

export interface ListedGroup {
  groupId: string
  protocolType: string
  /** null before v4. */
  groupState: string | null
  /** null before v5. */
  groupType: string | null
}

export interface ListGroupsResponse {
  errorCode: number
  groups: ListedGroup[]
}

/**
 * ListGroups v3-5 (flexible). v4 adds the state filter and each group's state, v5 the type
 * filter and each group's type (classic or consumer, KIP-848). One request per broker: each
 * broker lists the groups it coordinates.
 */
export const ListGroups: ApiSpec<ListGroupsRequest, ListGroupsResponse> = {
  name: 'ListGroups',
  apiKey: 16,
  minVersion: 3,
  maxVersion: 5,
  flexibleFrom: 3,
  encode(w, request, version) {
    if (version >= 4) w.compactArray(request.statesFilter, (w, s) => w.compactString(s))
    if (version >= 5) w.compactArray(request.typesFilter, (w, s) => w.compactString(s))
    w.tags()
  },
  decode(r, version) {
    r.int32() // throttle_time_ms
    const errorCode = r.int16()
    const groups = r.compactArray((r) => {
      const g: ListedGroup = {
        groupId: r.compactString() ?? '',
        protocolType: r.compactString() ?? '',
        groupState: version >= 4 ? r.compactString() : null,
        groupType: version >= 5 ? r.compactString() : null,
      }
      r.tags()
      return g
    })
    r.tags()
    return {errorCode, groups}
  },
}
