import type {CsvOffset} from './offset-csv.js'
import {formatInstant, parseDurationSpec, parseInstant, TimeSpecError} from './time-spec.js'
import {compareNames} from './order.js'
import {parsePartitionList} from './start-position.js'

export interface TopicPartition {
  topic: string
  partition: number
}

/** What to reset to: exactly one of Kafka's --reset-offsets scenarios, plus --from-group. */
export type ResetTarget =
  | {kind: 'earliest'}
  | {kind: 'latest'}
  | {kind: 'current'}
  | {kind: 'offset'; offset: number}
  | {kind: 'shift'; by: number}
  | {kind: 'datetime'; timestamp: number}
  | {kind: 'duration'; ms: number; timestamp: number}
  | {kind: 'file'; path: string; offsets: CsvOffset[]}
  | {kind: 'group'; from: string}

export interface ResetTargetFlags {
  'to-earliest'?: boolean
  'to-latest'?: boolean
  'to-current'?: boolean
  'to-offset'?: string
  'shift-by'?: string
  'to-datetime'?: string
  'by-duration'?: string
  'from-file'?: string
  'from-group'?: string
  timezone?: string
}

export const TARGET_FLAGS = ['to-earliest', 'to-latest', 'to-current', 'to-offset', 'shift-by', 'to-datetime', 'by-duration', 'from-file', 'from-group'] as const

export class PlanError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PlanError'
  }
}

/**
 * Turns the target flags into a ResetTarget (the CSV of --from-file is read later, by the caller).
 * `now` anchors --by-duration.
 */
export function resetTargetFromFlags(flags: ResetTargetFlags, now: number): Exclude<ResetTarget, {kind: 'file'}> | {kind: 'file'; path: string} {
  const given = TARGET_FLAGS.filter((f) => flags[f] !== undefined && flags[f] !== false)
  if (given.length !== 1) {
    throw new PlanError(given.length === 0
      ? `say what to reset to: one of ${TARGET_FLAGS.map((f) => '--' + f).join(', ')}`
      : `choose one target, not ${given.map((f) => '--' + f).join(' and ')}`)
  }
  if (flags.timezone !== undefined && flags['to-datetime'] === undefined) throw new PlanError('--timezone only applies to --to-datetime')
  const integer = (text: string, flag: string) => {
    if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) throw new PlanError(`--${flag} "${text}" is not an integer`)
    return Number(text)
  }
  try {
    switch (given[0]) {
      case 'to-earliest': return {kind: 'earliest'}
      case 'to-latest': return {kind: 'latest'}
      case 'to-current': return {kind: 'current'}
      case 'to-offset': {
        const offset = integer(flags['to-offset']!, 'to-offset')
        if (offset < 0) throw new PlanError(`--to-offset must be 0 or more, not ${offset}`)
        return {kind: 'offset', offset}
      }
      case 'shift-by': return {kind: 'shift', by: integer(flags['shift-by']!, 'shift-by')}
      case 'to-datetime': return {kind: 'datetime', timestamp: parseInstant(flags['to-datetime']!, {now, zone: flags.timezone})}
      case 'by-duration': {
        const ms = parseDurationSpec(flags['by-duration']!)
        if (ms === undefined || ms < 0) throw new PlanError(`--by-duration "${flags['by-duration']}" is not a duration (e.g. PT2H, P1DT12H, 1h30m, 2d)`)
        return {kind: 'duration', ms, timestamp: now - ms}
      }
      case 'from-file': return {kind: 'file', path: flags['from-file']!}
      case 'from-group': return {kind: 'group', from: flags['from-group']!}
    }
  } catch (error) {
    if (error instanceof TimeSpecError) throw new PlanError(`--${given[0]}: ${error.message}`)
    throw error
  }
}

/** A human description of the target, for plans and logs. */
export function describeTarget(target: ResetTarget): string {
  switch (target.kind) {
    case 'earliest': return 'earliest (log start)'
    case 'latest': return 'latest (log end)'
    case 'current': return 'current committed offsets'
    case 'offset': return `offset ${target.offset}`
    case 'shift': return `shift by ${target.by > 0 ? '+' : ''}${target.by}`
    case 'datetime': return `first offset at or after ${formatInstant(target.timestamp)}`
    case 'duration': return `first offset at or after ${formatInstant(target.timestamp)} (now minus ${target.ms} ms)`
    case 'file': return `offsets from ${target.path}`
    case 'group': return `committed offsets of group ${target.from}`
  }
}

export interface TopicScope {
  topic: string
  /** null: every partition of the topic. */
  partitions: number[] | null
}

/** `t`, `t:0`, `t:0,2,5` → a scope (Kafka's --topic syntax). */
export function parseTopicScope(text: string): TopicScope {
  const colon = text.lastIndexOf(':')
  if (colon < 0) {
    if (!text) throw new PlanError('empty topic name')
    return {topic: text, partitions: null}
  }
  const topic = text.slice(0, colon)
  // One partition-list syntax, console consume -p's: 0,2 and ranges 0-3.
  const partitions = parsePartitionList(text.slice(colon + 1))
  if (!topic || !partitions) throw new PlanError(`"${text}" is not topic or topic:partitions (0,2 or 0-3)`)
  return {topic, partitions}
}

export interface ScopeResolution {
  partitions: TopicPartition[]
  missing: TopicPartition[]
  missingTopics: string[]
}

/** Each topic's partition numbers, sorted, from a Metadata answer (topics answered with an error are left out). */
export function partitionLists(topics: ReadonlyArray<{name: string; errorCode: number; partitions: ReadonlyArray<{partition: number}>}>): Map<string, number[]> {
  return new Map(topics.filter((t) => t.errorCode === 0).map((t) => [t.name, t.partitions.map((p) => p.partition).sort((a, b) => a - b)]))
}

/** Expands scopes against the topics' partition lists (from metadata); reports what does not exist. */
export function resolveScopes(scopes: readonly TopicScope[], topicPartitions: ReadonlyMap<string, readonly number[]>): ScopeResolution {
  const seen = new Set<string>()
  const out: ScopeResolution = {partitions: [], missing: [], missingTopics: []}
  for (const scope of scopes) {
    const existing = topicPartitions.get(scope.topic)
    if (!existing) {
      if (!out.missingTopics.includes(scope.topic)) out.missingTopics.push(scope.topic)
      continue
    }
    for (const partition of scope.partitions ?? existing) {
      const id = `${scope.topic}\u0000${partition}`
      if (seen.has(id)) continue
      seen.add(id)
      if (existing.includes(partition)) out.partitions.push({topic: scope.topic, partition})
      else out.missing.push({topic: scope.topic, partition})
    }
  }
  return out
}

/** What kadm knows about one partition when it plans. */
export interface PartitionFacts extends TopicPartition {
  logStartOffset: number
  logEndOffset: number
  /** The group's committed offset, null when it has none. */
  committedOffset: number | null
  /**
   * For datetime/duration: the first offset at or after the time (null: no such record).
   * For file/group: the offset asked for (null: none given for this partition).
   */
  requestedOffset?: number | null
}

export interface PlanRow extends TopicPartition {
  group: string
  currentOffset: number | null
  newOffset: number
  /** newOffset - currentOffset; null when the group had no committed offset. */
  change: number | null
  logStartOffset: number
  logEndOffset: number
  /** Records left to consume after the reset: logEndOffset - newOffset. */
  lagAfter: number
  /** The offset the target asked for, when clamping changed it. */
  requestedOffset?: number
  /** Set after --execute: null when committed, else Kafka's error. */
  error?: string | null
}

export interface GroupPlan {
  rows: PlanRow[]
  warnings: string[]
  problems: string[]
}

const tpName = (tp: TopicPartition) => `${tp.topic}:${tp.partition}`

/**
 * An offset moved into [log start, log end], as ConsumerGroupCommand clamps reset targets (and
 * `partitions truncate` its targets): which bound it hit, if any.
 */
export function clampOffset(wanted: number, logStartOffset: number, logEndOffset: number): {offset: number; clamped: 'above-end' | 'below-start' | null} {
  if (wanted > logEndOffset) return {offset: logEndOffset, clamped: 'above-end'}
  if (wanted < logStartOffset) return {offset: logStartOffset, clamped: 'below-start'}
  return {offset: wanted, clamped: null}
}

/**
 * The new offset of every partition for one group, as ConsumerGroupCommand computes it: targets
 * outside [log start, log end] are clamped with a warning; --shift-by needs a committed offset;
 * --to-current without one goes to the log end; a time with no record at or after it goes to the
 * log end. Problems are collected, never thrown, so the caller can refuse the whole plan.
 */
export function planGroupReset(group: string, target: ResetTarget, facts: readonly PartitionFacts[]): GroupPlan {
  const plan: GroupPlan = {rows: [], warnings: [], problems: []}
  const afterLastRecord: TopicPartition[] = []
  for (const f of facts) {
    let wanted: number
    switch (target.kind) {
      case 'earliest': wanted = f.logStartOffset; break
      case 'latest': wanted = f.logEndOffset; break
      case 'current': wanted = f.committedOffset ?? f.logEndOffset; break
      case 'offset': wanted = target.offset; break
      case 'shift':
        if (f.committedOffset === null) {
          plan.problems.push(`cannot shift ${tpName(f)} for group ${group}: it has no committed offset`)
          continue
        }
        wanted = f.committedOffset + target.by
        break
      case 'datetime':
      case 'duration':
        if (f.requestedOffset === null || f.requestedOffset === undefined) {
          afterLastRecord.push(f)
          wanted = f.logEndOffset
        } else wanted = f.requestedOffset
        break
      case 'file':
      case 'group':
        if (f.requestedOffset === null || f.requestedOffset === undefined) {
          plan.problems.push(target.kind === 'group'
            ? `group ${target.from} has no committed offset for ${tpName(f)}`
            : `${target.path} has no offset for ${tpName(f)} of group ${group}`)
          continue
        }
        wanted = f.requestedOffset
        break
    }
    const {offset: newOffset, clamped} = clampOffset(wanted, f.logStartOffset, f.logEndOffset)
    if (clamped === 'above-end') {
      plan.warnings.push(`new offset (${wanted}) is higher than the log end offset of ${tpName(f)} for group ${group}: it will be set to ${newOffset}`)
    } else if (clamped === 'below-start') {
      plan.warnings.push(`new offset (${wanted}) is lower than the log start offset of ${tpName(f)} for group ${group}: it will be set to ${newOffset}`)
    }
    plan.rows.push({
      group,
      topic: f.topic,
      partition: f.partition,
      currentOffset: f.committedOffset,
      newOffset,
      change: f.committedOffset === null ? null : newOffset - f.committedOffset,
      logStartOffset: f.logStartOffset,
      logEndOffset: f.logEndOffset,
      lagAfter: f.logEndOffset - newOffset,
      ...(newOffset === wanted ? {} : {requestedOffset: wanted}),
    })
  }
  if (afterLastRecord.length && (target.kind === 'datetime' || target.kind === 'duration')) {
    // One line, not one per partition: on a quiet topic that can be every partition.
    const shown = afterLastRecord.slice(0, 5).map(tpName).join(', ')
    const more = afterLastRecord.length > 5 ? ` and ${afterLastRecord.length - 5} more` : ''
    plan.warnings.push(`${afterLastRecord.length} partition(s) of group ${group} have no record at or after ${formatInstant(target.timestamp)}, so they go to their log end offset: ${shown}${more}`)
  }
  plan.rows.sort((a, b) => compareNames(a.topic, b.topic) || a.partition - b.partition)
  return plan
}

/** A group can be reset only when no consumer is in it (Kafka: Empty or Dead). */
export function isResettable(state: string): boolean {
  return state === 'Empty' || state === 'Dead'
}

/** One line naming the members that keep a group from being reset. */
export function activeGroupMessage(group: string, state: string, members: ReadonlyArray<{memberId: string; clientId: string; clientHost: string}>): string {
  const shown = members.slice(0, 3).map((m) => `${m.memberId} (${m.clientId}${m.clientHost ? ' ' + m.clientHost : ''})`)
  const more = members.length > 3 ? ` and ${members.length - 3} more` : ''
  const who = members.length ? `: ${shown.join(', ')}${more}` : ''
  return `group ${group} is ${state} with ${members.length} active member(s)${who}; stop its consumers first (offsets can only be reset in an Empty or Dead group)`
}
