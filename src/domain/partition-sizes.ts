export interface ReplicaBytes {
  topic: string
  partition: number
  broker: number
  logDir: string
  bytes: number
}

export interface DirBytes {
  broker: number
  logDir: string
  bytes: number
  totalBytes: number | null
  usableBytes: number | null
  /** Why the broker cannot use the dir (KAFKA_STORAGE_ERROR: offline); absent when it is online. */
  error?: string
}

export const SIZE_GROUPS = ['partition', 'topic', 'broker', 'logdir'] as const
export type SizeGroup = (typeof SIZE_GROUPS)[number]

export interface SizeRow {
  name: string
  /** partition/topic: the largest replica (the data once); broker/logdir: bytes on that disk. */
  bytes: number
  replicas: number
  topic?: string
  partition?: number
  broker?: number
  logDir?: string
  perBroker?: Array<{broker: number; bytes: number}>
  totalBytes?: number | null
  usableBytes?: number | null
  /** logdir rows: the dir's error (offline); broker rows: set when any of its dirs has one. */
  error?: string
}

/**
 * Sums replica sizes per partition, topic, broker or log dir. A partition's size is its largest
 * replica (a lagging follower holds less), a topic's the sum of its partitions: the data once,
 * not multiplied by the replication factor.
 */
export function groupSizes(replicas: readonly ReplicaBytes[], dirs: readonly DirBytes[], by: SizeGroup): SizeRow[] {
  if (by === 'broker' || by === 'logdir') {
    const rows = new Map<string, SizeRow>()
    for (const d of dirs) {
      const name = by === 'broker' ? String(d.broker) : `${d.broker}:${d.logDir}`
      const row = rows.get(name) ?? {name, bytes: 0, replicas: 0, broker: d.broker, ...(by === 'logdir' ? {logDir: d.logDir} : {}), totalBytes: null, usableBytes: null}
      row.bytes += d.bytes
      if (d.totalBytes !== null) row.totalBytes = (row.totalBytes ?? 0) + d.totalBytes
      if (d.usableBytes !== null) row.usableBytes = (row.usableBytes ?? 0) + d.usableBytes
      if (d.error !== undefined) row.error = by === 'logdir' ? d.error : 'a log dir is offline'
      rows.set(name, row)
    }
    for (const r of replicas) {
      const row = rows.get(by === 'broker' ? String(r.broker) : `${r.broker}:${r.logDir}`)
      if (row) row.replicas++
    }
    return [...rows.values()]
  }
  const partitions = new Map<string, SizeRow & {perBroker: Array<{broker: number; bytes: number}>}>()
  for (const r of replicas) {
    const name = `${r.topic}-${r.partition}`
    const row = partitions.get(name) ?? {name, topic: r.topic, partition: r.partition, bytes: 0, replicas: 0, perBroker: []}
    row.bytes = Math.max(row.bytes, r.bytes)
    row.replicas++
    row.perBroker.push({broker: r.broker, bytes: r.bytes})
    partitions.set(name, row)
  }
  if (by === 'partition') return [...partitions.values()]
  const topics = new Map<string, SizeRow>()
  for (const p of partitions.values()) {
    const row = topics.get(p.topic!) ?? {name: p.topic!, topic: p.topic, bytes: 0, replicas: 0}
    row.bytes += p.bytes
    row.replicas += p.replicas
    topics.set(p.topic!, row)
  }
  return [...topics.values()]
}

/** Largest first by default; by name (topic, then partition number) on request. */
export function sortSizes(rows: SizeRow[], sort: 'size' | 'name'): SizeRow[] {
  const byName = (a: SizeRow, b: SizeRow) => {
    if (a.topic !== undefined && b.topic !== undefined && a.topic !== b.topic) return a.topic < b.topic ? -1 : 1
    if (a.partition !== undefined && b.partition !== undefined) return a.partition - b.partition
    if (a.broker !== undefined && b.broker !== undefined && a.broker !== b.broker) return a.broker - b.broker
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  }
  return [...rows].sort((a, b) => (sort === 'size' ? b.bytes - a.bytes || byName(a, b) : byName(a, b)))
}
