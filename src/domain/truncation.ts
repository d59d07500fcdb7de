import {clampOffset} from './offset-reset.js'

interface TopicPartition {
  topic: string
  partition: number
}

export interface TruncationFacts extends TopicPartition {
  /** The offset asked for; -1: the high watermark ("end"). */
  requested: number
  logStartOffset: number | null
  logEndOffset: number | null
  error?: string
}

export interface TruncationRow extends TopicPartition {
  /** Log start offset now. */
  before: number
  /** Where the log will start: the request clamped into [log start, high watermark]. */
  target: number
  /** The offset asked for, when clamping changed it. */
  requestedOffset?: number
  /** False when there is nothing before the target to delete (the partition is left alone). */
  deletes: boolean
}

export interface TruncationPlan {
  rows: TruncationRow[]
  warnings: string[]
  /** Partitions whose offsets could not be read: the plan must not be applied in part. */
  problems: string[]
}

/**
 * What `partitions truncate` deletes, decided for every partition before anything is deleted, so
 * the dry run shows what the real run does: a target beyond the high watermark is clamped to it
 * (DeleteRecords would refuse it with OFFSET_OUT_OF_RANGE), one before the log start leaves the
 * partition alone, each with a warning.
 */
export function planTruncation(facts: readonly TruncationFacts[]): TruncationPlan {
  const plan: TruncationPlan = {rows: [], warnings: [], problems: []}
  for (const f of facts) {
    const name = `${f.topic}:${f.partition}`
    if (f.error || f.logStartOffset === null || f.logEndOffset === null) {
      plan.problems.push(`cannot read the offsets of ${name}: ${f.error ?? 'no answer'}`)
      continue
    }
    const wanted = f.requested < 0 ? f.logEndOffset : f.requested
    const {offset, clamped} = clampOffset(wanted, f.logStartOffset, f.logEndOffset)
    if (clamped === 'above-end') plan.warnings.push(`offset ${wanted} is beyond the high watermark of ${name}: deleting up to ${offset} instead`)
    if (clamped === 'below-start') plan.warnings.push(`offset ${wanted} is before the log start offset of ${name} (${f.logStartOffset}): nothing to delete there`)
    plan.rows.push({
      topic: f.topic,
      partition: f.partition,
      before: f.logStartOffset,
      target: offset,
      ...(clamped ? {requestedOffset: wanted} : {}),
      deletes: offset > f.logStartOffset,
    })
  }
  return plan
}
