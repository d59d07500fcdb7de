import type {ApiSpec} from './transport.js'

export interface ConsumerGroupMember {
  memberId: string
  instanceId: string | null
  clientId: string
  clientHost: string
}

export interface ConsumerGroupDescription {
  errorCode: number
  errorMessage: string | null
  groupId: string
  state: string
  members: ConsumerGroupMember[]
}

/**
 * ConsumerGroupDescribe v0-1 (API 69, KIP-848): describes groups on the new consumer protocol,
 * which DescribeGroups reports as Dead with no members.
 */
export const ConsumerGroupDescribe: ApiSpec<{groupIds: string[]}, ConsumerGroupDescription[]> = {
  name: 'ConsumerGroupDescribe',
  apiKey: 69,
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 0,
  encode(w, {groupIds}) {
    w.compactArray(groupIds, (w, g) => w.compactString(g))
    w.boolean(false) // include_authorized_operations
    w.tags()
  },
  decode(r, version) {
    r.int32() // throttle_time_ms
    const skipAssignment = () => {
      r.compactArray(() => {
        r.uuid()
        r.compactString()
        r.compactArray(() => r.int32())
        r.tags()
      })
      r.tags()
    }
    const groups = r.compactArray((): ConsumerGroupDescription => {
      const errorCode = r.int16()
      const errorMessage = r.compactString()
      const groupId = r.compactString() ?? ''
      const state = r.compactString() ?? ''
      r.int32() // group_epoch
      r.int32() // assignment_epoch
      r.compactString() // assignor_name
      const members = r.compactArray((): ConsumerGroupMember => {
        const memberId = r.compactString() ?? ''
        const instanceId = r.compactString()
        r.compactString() // rack_id
        r.int32() // member_epoch
        const clientId = r.compactString() ?? ''
        const clientHost = r.compactString() ?? ''
        r.compactArray(() => r.compactString()) // subscribed_topic_names
        r.compactString() // subscribed_topic_regex
        skipAssignment()
        skipAssignment() // target_assignment
        if (version >= 1) r.int8() // member_type
        r.tags()
        return {memberId, instanceId, clientId, clientHost}
      })
      r.int32() // authorized_operations
      r.tags()
      return {errorCode, errorMessage, groupId, state, members}
    })
    r.tags()
    return groups
  },
}
