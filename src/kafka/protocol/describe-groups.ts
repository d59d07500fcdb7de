import type {ApiSpec} from './transport.js'

export interface DescribedGroupMember {
  memberId: string
  groupInstanceId: string | null
  clientId: string
  clientHost: string
}

export interface DescribedGroup {
  errorCode: number
  groupId: string
  state: string
  protocolType: string
  members: DescribedGroupMember[]
}

/**
 * DescribeGroups v0-5 for classic groups. kafkajs throws on the first group error; kadm keeps
 * every group's error code. Kafka 4 answers Dead (or GROUP_ID_NOT_FOUND) for groups on the new
 * consumer protocol: ConsumerGroupDescribe describes those.
 */
export const DescribeGroups: ApiSpec<{groupIds: string[]}, DescribedGroup[]> = {
  name: 'DescribeGroups',
  apiKey: 15,
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 5,
  encode(w, {groupIds}, version) {
    const flexible = version >= 5
    if (flexible) w.compactArray(groupIds, (w, g) => w.compactString(g))
    else w.array(groupIds, (w, g) => w.string(g))
    if (version >= 3) w.boolean(false) // include_authorized_operations
    if (flexible) w.tags()
  },
  decode(r, version) {
    const flexible = version >= 5
    const str = () => (flexible ? r.compactString() : r.string()) ?? ''
    const nullableStr = () => (flexible ? r.compactString() : r.string())
    const bytes = () => (flexible ? r.compactBytes() : r.nullableBytes())
    if (version >= 1) r.int32() // throttle_time_ms
    const readGroup = (): DescribedGroup => {
      const errorCode = r.int16()
      const groupId = str()
      const state = str()
      const protocolType = str()
      str() // protocol_data
      const readMember = (): DescribedGroupMember => {
        const memberId = str()
        const groupInstanceId = version >= 4 ? nullableStr() : null
        const member = {memberId, groupInstanceId, clientId: str(), clientHost: str()}
        bytes() // member_metadata
        bytes() // member_assignment
        if (flexible) r.tags()
        return member
      }
      const members = flexible ? r.compactArray(readMember) : r.array(readMember)
      if (version >= 3) r.int32() // authorized_operations
      if (flexible) r.tags()
      return {errorCode, groupId, state, protocolType, members}
    }
    const groups = flexible ? r.compactArray(readGroup) : r.array(readGroup)
    if (flexible) r.tags()
    return groups
  },
}
