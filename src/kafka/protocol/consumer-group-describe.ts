import type {Reader} from './codec.js'
import type {ApiSpec} from './transport.js'

export interface ConsumerGroupAssignment {
  topicId: string
  topic: string
  partitions: number[]
}

export interface ConsumerGroupMember {
  memberId: string
  instanceId: string | null
  rackId: string | null
  memberEpoch: number
  clientId: string
  clientHost: string
  subscribedTopicNames: string[]
  subscribedTopicRegex: string | null
  assignment: ConsumerGroupAssignment[]
  targetAssignment: ConsumerGroupAssignment[]
}

export interface DescribedConsumerGroup {
  errorCode: number
  errorMessage: string | null
  groupId: string
  state: string
  groupEpoch: number
  assignmentEpoch: number
  assignor: string
  members: ConsumerGroupMember[]
}

/** An Assignment struct of ConsumerGroupDescribe and ShareGroupDescribe: its topic partitions, then its tagged fields. */
export function readAssignment(r: Reader): ConsumerGroupAssignment[] {
  const topics = r.compactArray((r) => {
    const t = {topicId: r.uuid(), topic: r.compactString() ?? '', partitions: r.int32s(true)}
    r.tags()
    return t
  })
  r.tags()
  return topics
}

/**
 * ConsumerGroupDescribe v0 (API 69, Kafka 3.7+; the production protocol from 4.0): describes
 * groups that use the consumer rebalance protocol of KIP-848. A classic group answers
 * GROUP_ID_NOT_FOUND here and is described with DescribeGroups instead.
 */
export const ConsumerGroupDescribe: ApiSpec<string[], DescribedConsumerGroup[]> = {
  name: 'ConsumerGroupDescribe',
  apiKey: 69,
  minVersion: 0,
  maxVersion: 0,
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
        const m: ConsumerGroupMember = {
          memberId: r.compactString() ?? '',
          instanceId: r.compactString(),
          rackId: r.compactString(),
          memberEpoch: r.int32(),
          clientId: r.compactString() ?? '',
          clientHost: r.compactString() ?? '',
          subscribedTopicNames: r.compactArray((r) => r.compactString() ?? ''),
          subscribedTopicRegex: r.compactString(),
          assignment: readAssignment(r),
          targetAssignment: readAssignment(r),
        }
        r.tags()
        return m
      })
      r.int32() // authorized_operations
      r.tags()
      return {errorCode, errorMessage, groupId, state, groupEpoch, assignmentEpoch, assignor, members}
    })
    r.tags()
    return groups
  },
}
