import {readAssignment} from './consumer-group-describe.js'
import type {ApiSpec} from './transport.js'

export interface DescribedShareMember {
  memberId: string
  rackId: string | null
  memberEpoch: number
  clientId: string
  clientHost: string
  subscribedTopics: string[]
  assignment: Array<{topicId: string; topic: string; partitions: number[]}>
}

export interface DescribedShareGroup {
  errorCode: number
  errorMessage: string | null
  groupId: string
  state: string
  groupEpoch: number
  assignmentEpoch: number
  assignor: string
  members: DescribedShareMember[]
}

/**
 * ShareGroupDescribe v1 (KIP-932, Kafka 4.1+; v0 was the early-access version of 4.0, removed
 * since), many groups per coordinator in one request.
 */
export const ShareGroupDescribe: ApiSpec<string[], DescribedShareGroup[]> = {
  name: 'ShareGroupDescribe',
  apiKey: 77,
  minVersion: 1,
  maxVersion: 1,
  flexibleFrom: 0,
  encode(w, groupIds) {
    w.compactArray(groupIds, (w, id) => w.compactString(id))
    w.boolean(false) // include_authorized_operations
    w.tags()
  },
  decode(r) {
    r.int32() // throttle_time_ms
    const groups = r.compactArray((r) => {
      const errorCode = r.int16()
      const errorMessage = r.compactString()
      const groupId = r.compactString() ?? ''
      const state = r.compactString() ?? ''
      const groupEpoch = r.int32()
      const assignmentEpoch = r.int32()
      const assignor = r.compactString() ?? ''
      const members = r.compactArray((r) => {
        const memberId = r.compactString() ?? ''
        const rackId = r.compactString()
        const memberEpoch = r.int32()
        const clientId = r.compactString() ?? ''
        const clientHost = r.compactString() ?? ''
        const subscribedTopics = r.compactArray((r) => r.compactString() ?? '')
        const assignment = readAssignment(r)
        r.tags() // Member
        return {memberId, rackId, memberEpoch, clientId, clientHost, subscribedTopics, assignment}
      })
      r.int32() // authorized_operations
      r.tags()
      return {errorCode, errorMessage, groupId, state, groupEpoch, assignmentEpoch, assignor, members}
    })
    r.tags()
    return groups
  },
}
