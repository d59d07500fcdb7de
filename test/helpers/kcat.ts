import {execFileSync} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'

import {until} from './process.js'

/** A partition as one broker's metadata has it, read by kcat. */
export interface KcatPartition {
  partition: number
  /** -1: no leader. */
  leader: number
  replicas: number[]
  isr: number[]
}

/** `topic`'s partitions (by partition number) as the broker at `address` alone answers kcat -L; [] when it does not know the topic. */
export function kcatPartitions(address: string, topic: string): KcatPartition[] {
  const out = execFileSync('kcat', ['-L', '-J', '-b', address, '-t', topic, '-m', '5'], {encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore']})
  const meta = JSON.parse(out) as {topics: Array<{topic: string; partitions?: Array<{partition: number; leader: number; replicas: Array<{id: number}>; isrs: Array<{id: number}>}>}>}
  return (meta.topics.find((t) => t.topic === topic)?.partitions ?? [])
    .map((p) => ({partition: p.partition, leader: p.leader, replicas: p.replicas.map((r) => r.id), isr: p.isrs.map((r) => r.id)}))
    .sort((a, b) => a.partition - b.partition)
}

/**
 * Metadata reaches each broker on its own time: waits until the broker at each of `addresses`
 * (kcat asking it alone) sees `topic` pass `ok`.
 */
export async function untilEveryBroker(addresses: string[], topic: string, what: string, ok: (partitions: KcatPartition[]) => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    const views = addresses.map((address) => {
      try {
        return kcatPartitions(address, topic)
      } catch (error) {
        return (error as Error).message
      }
    })
    if (views.every((v) => typeof v !== 'string' && ok(v))) return
    last = JSON.stringify(views)
    await sleep(300)
  }
  throw new Error(`timed out waiting until ${addresses.join(', ')} see ${what} (last: ${last})`)
}

/** The broker ids the broker at `address` alone lists in its metadata (live, unfenced brokers), sorted. */
export function kcatBrokerIds(address: string): number[] {
  const out = execFileSync('kcat', ['-L', '-J', '-b', address, '-m', '5'], {encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore']})
  return (JSON.parse(out) as {brokers: Array<{id: number}>}).brokers.map((b) => b.id).sort((a, b) => a - b)
}

/** Waits until the broker at each of `addresses` (kcat asking it alone) lists every one of `ids` as a live broker. */
export async function untilEveryBrokerLists(addresses: string[], ids: number[], timeoutMs = 90_000): Promise<void> {
  await until(async () => {
    const views = addresses.map((address) => kcatBrokerIds(address))
    if (views.every((v) => ids.every((id) => v.includes(id)))) return true
    throw new Error(`they list ${JSON.stringify(views)}`)
  }, `${addresses.join(', ')} list brokers ${ids.join(', ')}`, timeoutMs)
}

/** Every partition of `count` has a leader and all its replicas in sync. */
export const fullIsr = (count: number) => (partitions: KcatPartition[]) =>
  partitions.length === count && partitions.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length)

/** The topics the cluster at `bootstrap` has, as kcat -L lists them (internal ones too), sorted. */
export function kcatTopicNames(bootstrap: string): string[] {
  const out = execFileSync('kcat', ['-L', '-J', '-b', bootstrap, '-m', '5'], {encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore']})
  return (JSON.parse(out) as {topics: Array<{topic: string}>}).topics.map((t) => t.topic).sort()
}

/** Every record of `topic` from the beginning to its end, each printed with kcat's -f `format` (%k key, %s value, %p partition...). */
export function kcatRead(bootstrap: string, topic: string, format: string): string {
  return execFileSync('kcat', ['-C', '-e', '-q', '-b', bootstrap, '-t', topic, '-f', format], {encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024})
}
