import {KadmError} from '../errors.js'
import type {ThrottleSettings} from '../domain/reassignment.js'
import type {KafkaConnection} from './client.js'
import {type ConfigChange, sendConfigChanges} from './configs.js'
import {errorName} from './protocol/errors.js'

type Resource = ConfigChange

/**
 * Changes the throttle configs (IncrementalAlterConfigs through configs.ts: broker resources to
 * their own broker, topic resources to any broker). Throws on the first resource refused.
 */
async function alterConfigs(connection: KafkaConnection, resources: Resource[]): Promise<void> {
  const [f] = await sendConfigChanges(connection, resources, false)
  if (f) throw new KadmError(`cannot change configs of ${f.type} ${f.name}: ${errorName(f.errorCode)}${f.errorMessage ? ` (${f.errorMessage})` : ''}`)
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
