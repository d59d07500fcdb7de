import type {ApiSpec} from './transport.js'

export interface DescribedClassicMember {
  memberId: string
  groupInstanceId: string | null
  clientId: string
  clientHost: string
  metadata: Buffer
  assignment: Buffer
}

export interface DescribedClassicGroup {
  errorCode: number
  groupId: string
  state: string
  protocolType: string
  /** The assignor for consumer groups (range, cooperative-sticky, ...). */
  protocol: string
  members: DescribedClassicMember[]
}

/**
 * DescribeGroups v5 (flexible; Kafka 2.4+) for classic-protocol groups, many groups per
 * coordinator in one request. Groups using the consumer protocol (KIP-848) look "Dead" here:
 * ConsumerGroupDescribe describes them.
 */
export const DescribeGroups: ApiSpec<string[], DescribedClassicGroup[]> = {
  name: 'DescribeGroups',
  apiKey: 15,
  minVersion: 5,
  maxVersion: 5,
  flexibleFrom: 5,
  encode(w, groupIds) {
    w.compactArray(groupIds, (w, id) => w.compactString(id))
    w.boolean(false) // include_authorized_operations
    w.tags()
  },
  decode(r) {
    r.int32() // throttle_time_ms
    const groups = r.compactArray((r) => {
      const errorCode = r.int16()
      const groupId = r.compactString() ?? ''
      const state = r.compactString() ?? ''
      const protocolType = r.compactString() ?? ''
      const protocol = r.compactString() ?? ''
      const members = r.compactArray((r) => {
        const m: DescribedClassicMember = {
          memberId: r.compactString() ?? '',
          groupInstanceId: r.compactString(),
          clientId: r.compactString() ?? '',
          clientHost: r.compactString() ?? '',
          metadata: Buffer.from(r.compactBytes() ?? Buffer.alloc(0)),
          assignment: Buffer.from(r.compactBytes() ?? Buffer.alloc(0)),
        }
        r.tags()
        return m
      })
      r.int32() // authorized_operations
      r.tags()
      return {errorCode, groupId, state, protocolType, protocol, members}
    })
    r.tags()
    return groups
  },
}
