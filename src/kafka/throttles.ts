import {KadmError} from '../errors.js'
import type {ThrottleSettings} from '../domain/reassignment.js'
import type {KafkaConnection} from './client.js'
import {errorName} from './protocol/errors.js'
import type {ApiSpec} from './protocol/transport.js'

const CONFIG_RESOURCE_TYPE = {topic: 2, broker: 4} as const
const CONFIG_OPERATION = {set: 0, delete: 1, append: 2, subtract: 3} as const

interface IncrementalAlterConfigsRequest {
  resources: Array<{
    type: keyof typeof CONFIG_RESOURCE_TYPE
    name: string
    ops: Array<{op: keyof typeof CONFIG_OPERATION; name: string; value?: string}>
  }>
  validateOnly: boolean
}

interface IncrementalAlterConfigsResult {
  type: 'topic' | 'broker'
  name: string
  errorCode: number
  errorMessage: string | null
}

/**
 * IncrementalAlterConfigs v0-1 (KIP-339): changes only the keys named, unlike AlterConfigs (the
 * only form kafkajs has), which resets every key it is not sent. v1 is flexible.
 * Kept private to the throttle code; the configs commands own the general form.
 */
const IncrementalAlterConfigs: ApiSpec<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResult[]> = {
  name: 'IncrementalAlterConfigs',
  apiKey: 44,
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 1,
  encode(w, request, version) {
    const flexible = version >= 1
    const str = (v: string | null) => (flexible ? w.compactString(v) : w.string(v))
    const resources = request.resources
    const eachResource = (_: unknown, res: IncrementalAlterConfigsRequest['resources'][number]) => {
      w.int8(CONFIG_RESOURCE_TYPE[res.type])
      str(res.name)
      const eachOp = (_: unknown, op: IncrementalAlterConfigsRequest['resources'][number]['ops'][number]) => {
        str(op.name)
        w.int8(CONFIG_OPERATION[op.op])
        str(op.value ?? null)
        if (flexible) w.tags()
      }
      if (flexible) w.compactArray(res.ops, eachOp)
      else w.array(res.ops, eachOp)
      if (flexible) w.tags()
    }
    if (flexible) w.compactArray(resources, eachResource)
    else w.array(resources, eachResource)
    w.boolean(request.validateOnly)
    if (flexible) w.tags()
  },
  decode(r, version) {
    const flexible = version >= 1
    r.int32() // throttle_time_ms
    const each = () => {
      const errorCode = r.int16()
      const errorMessage = flexible ? r.compactString() : r.string()
      const type = r.int8() === CONFIG_RESOURCE_TYPE.broker ? 'broker' as const : 'topic' as const
      const name = (flexible ? r.compactString() : r.string()) ?? ''
      if (flexible) r.tags()
      return {type, name, errorCode, errorMessage}
    }
    const results = flexible ? r.compactArray(each) : r.array(each)
    if (flexible) r.tags()
    return results
  },
}

type Resource = IncrementalAlterConfigsRequest['resources'][number]

/**
 * Sends the changes: broker resources to their own broker (as Kafka's admin client does), topic
 * resources to any broker (forwarded to the controller). Throws on the first resource error.
 */
async function alterConfigs(connection: KafkaConnection, resources: Resource[]): Promise<void> {
  const topics = resources.filter((r) => r.type === 'topic')
  const brokers = resources.filter((r) => r.type === 'broker')
  const requests: Array<Promise<IncrementalAlterConfigsResult[]>> = []
  if (topics.length > 0) requests.push(connection.send(connection.seedBroker, IncrementalAlterConfigs, {resources: topics, validateOnly: false}))
  for (const b of brokers) {
    requests.push(connection.broker(Number(b.name)).then((broker) => connection.send(broker, IncrementalAlterConfigs, {resources: [b], validateOnly: false})))
  }
  const failed = (await Promise.all(requests)).flat().filter((r) => r.errorCode !== 0)
  if (failed.length > 0) {
    const f = failed[0]
    throw new KadmError(`cannot change configs of ${f.type} ${f.name}: ${errorName(f.errorCode)}${f.errorMessage ? ` (${f.errorMessage})` : ''}`)
  }
}

export const BROKER_THROTTLE_KEYS = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate'] as const
export const TOPIC_THROTTLE_KEYS = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'] as const

/** Sets the replication throttle of a reassignment: the rate on the brokers involved, the replica lists on the topics. */
export async function setThrottles(connection: KafkaConnection, settings: ThrottleSettings, bytesPerSecond: number): Promise<void> {
  const rate = String(Math.floor(bytesPerSecond))
  await alterConfigs(connection, [
    ...settings.topics.map((t): Resource => ({type: 'topic', name: t.topic, ops: [
      {op: 'set', name: 'leader.replication.throttled.replicas', value: t.leaderReplicas},
      {op: 'set', name: 'follower.replication.throttled.replicas', value: t.followerReplicas},
    ]})),
    ...settings.brokers.map((id): Resource => ({type: 'broker', name: String(id), ops: BROKER_THROTTLE_KEYS.map((name) => ({op: 'set', name, value: rate}))})),
  ])
}

/** Removes the throttle configs from the topics and brokers given (deleting an unset key is a no-op). */
export async function clearThrottles(connection: KafkaConnection, topics: string[], brokers: number[]): Promise<void> {
  await alterConfigs(connection, [
    ...topics.map((name): Resource => ({type: 'topic', name, ops: TOPIC_THROTTLE_KEYS.map((key) => ({op: 'delete', name: key}))})),
    ...brokers.map((id): Resource => ({type: 'broker', name: String(id), ops: BROKER_THROTTLE_KEYS.map((key) => ({op: 'delete', name: key}))})),
  ])
}
