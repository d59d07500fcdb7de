import {isAbsolute} from 'node:path'

import type {ReassignmentPlan} from './reassignment.js'

/**
 * Moves of replicas between the log dirs of their broker (AlterReplicaLogDirs): the targets a
 * plan's `log_dirs` or `partitions move-log-dir` give, their checks against what the brokers
 * report (DescribeLogDirs), and the state of a move as kafka-reassign-partitions.sh --verify
 * reports it.
 */

export interface LogDirTarget {
  topic: string
  partition: number
  broker: number
  /** Absolute path of a log dir of `broker`. */
  dir: string
}

/** What DescribeLogDirs tells of one broker: its dirs (with the error of an offline one) and where its replicas are. */
export interface BrokerLogDirs {
  broker: number
  dirs: Array<{path: string; error: string | null}>
  replicas: Array<{topic: string; partition: number; dir: string; future: boolean}>
}

/** Kafka's word for "no particular log dir" in a plan's log_dirs. */
export const ANY_LOG_DIR = 'any'

/** A log_dirs entry Kafka's tool accepts: "any" or an absolute path. */
export function isLogDirEntry(entry: unknown): entry is string {
  return typeof entry === 'string' && (entry === ANY_LOG_DIR || isAbsolute(entry))
}

/** The replicas of a plan with a log dir other than "any", in plan order. */
export function logDirTargets(plan: ReassignmentPlan): LogDirTarget[] {
  return plan.partitions.flatMap((p) => (p.log_dirs ?? [])
    .map((dir, i) => ({topic: p.topic, partition: p.partition, broker: p.replicas[i], dir}))
    .filter((t) => t.dir !== ANY_LOG_DIR))
}

const replicaKey = (topic: string, partition: number, broker: number) => `${topic}\u0000${partition}\u0000${broker}`

/** Where a replica lives on its broker now, and where its copy in progress ("future" log) goes, if any. */
export interface ReplicaPlace {
  current: string | null
  future: string | null
}

export function replicaPlaces(brokers: readonly BrokerLogDirs[]): Map<string, ReplicaPlace> {
  const out = new Map<string, ReplicaPlace>()
  for (const b of brokers) {
    for (const r of b.replicas) {
      const k = replicaKey(r.topic, r.partition, b.broker)
      const place = out.get(k) ?? {current: null, future: null}
      if (r.future) place.future = r.dir
      else place.current = r.dir
      out.set(k, place)
    }
  }
  return out
}

export function placeOf(places: ReadonlyMap<string, ReplicaPlace>, t: {topic: string; partition: number; broker: number}): ReplicaPlace {
  return places.get(replicaKey(t.topic, t.partition, t.broker)) ?? {current: null, future: null}
}

/**
 * Problems of targets against the brokers' log dirs, one line each: a broker that reported
 * nothing, a path that is not one of the broker's log dirs, a log dir that is offline.
 */
export function checkLogDirTargets(targets: readonly LogDirTarget[], brokers: readonly BrokerLogDirs[]): string[] {
  const byId = new Map(brokers.map((b) => [b.broker, b]))
  const problems = new Set<string>()
  for (const t of targets) {
    const broker = byId.get(t.broker)
    if (!broker) {
      problems.add(`broker ${t.broker} is not in the cluster`)
      continue
    }
    const dir = broker.dirs.find((d) => d.path === t.dir)
    if (!dir) problems.add(`${t.dir} is not a log dir of broker ${t.broker} (its log dirs: ${broker.dirs.map((d) => d.path).join(', ')})`)
    else if (dir.error !== null) problems.add(`log dir ${t.dir} of broker ${t.broker} is offline (${dir.error})`)
  }
  return [...problems]
}

/**
 * The state of a move, as kafka-reassign-partitions.sh --verify tells them apart: complete (the
 * replica is in the target dir, no copy left), in-progress (being copied to the target), elsewhere
 * (being copied to another dir), not-moving (in another dir, no copy under way), missing (not in
 * any live log dir of the broker: not there yet, or in an offline dir).
 */
export type LogDirMoveState = 'complete' | 'in-progress' | 'elsewhere' | 'not-moving' | 'missing'

export function logDirMoveState(target: string, place: ReplicaPlace): LogDirMoveState {
  if (place.current === null) return 'missing'
  if (place.future === null) return place.current === target ? 'complete' : 'not-moving'
  return place.future === target ? 'in-progress' : 'elsewhere'
}

export interface LogDirMoveStatus extends LogDirTarget {
  current: string | null
  future: string | null
  state: LogDirMoveState
}

/** Where each target replica is now and the state of its move (kafka-reassign-partitions.sh --verify). */
export function logDirMoveStatuses(targets: readonly LogDirTarget[], brokers: readonly BrokerLogDirs[]): LogDirMoveStatus[] {
  const places = replicaPlaces(brokers)
  return targets.map((t) => {
    const place = placeOf(places, t)
    return {topic: t.topic, partition: t.partition, broker: t.broker, dir: t.dir, ...place, state: logDirMoveState(t.dir, place)}
  })
}
