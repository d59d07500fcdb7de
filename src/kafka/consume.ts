import {setTimeout as sleep} from 'node:timers/promises'

import type {Consumer, EachBatchPayload} from 'kafkajs'

import {isLiteralName} from '../domain/name-match.js'
import {failureCause, leaderRetryDelay, lostLine, regainedLine, type UnreadPartition} from '../domain/partition-events.js'
import {type ConsumedRecord, recordBytes} from '../domain/record-format.js'
import {type StartPosition, type StopPosition, tailOffset} from '../domain/start-position.js'
import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {type Codec, codecFor, COMPRESSION_TYPES} from './compression.js'
import {describeKafkaError, isAuthorizationError} from './connection-errors.js'
import {findCoordinators} from './groups.js'
import {releaseFrame} from './framed-socket.js'
import {type IsolationLevel, listOffsets, listOffsetsMany, type OffsetSpec, type TopicPartition} from './offsets.js'
import {ZERO_UUID} from './protocol/codec.js'
import {errorName} from './protocol/errors.js'
import {
  type AbortedTransaction,
  BATCH_HEADER_SIZE,
  type BatchHeader,
  COMPRESSION_MASK,
  CONTROL_FLAG,
  Fetch,
  type FetchPartitionResponse,
  RecordCursor,
  scanBatches,
  TRANSACTIONAL_FLAG,
} from './protocol/fetch.js'
import type {MetadataPartition, MetadataTopic} from './protocol/metadata.js'
import {metadataRequestFor, pickTopics} from './topics.js'

export interface ConsumeOptions {
  /**
   * Topic names, globs or (with `regex`) full-match regular expressions, as in `topics list`. A
   * pattern never picks an internal topic; an exact name does.
   */
  patterns: string[]
  regex?: boolean
  /** Only these partition numbers (of every topic). */
  partitions?: number[]
  start: StartPosition
  stop?: StopPosition
  exitAtEnd: boolean
  maxMessages?: number
  isolation: IsolationLevel
  filter?: (r: ConsumedRecord) => boolean
  /**
   * Takes each record, in offset order per partition, during the call only: the object (and its
   * key's, value's and headers' Buffers) is reused for the next record. Copy what must stay.
   */
  print: (record: ConsumedRecord) => void
  /** Awaited after each batch of printed records: a slow stdout slows fetching. */
  flush: () => Promise<void>
  signal: AbortSignal
  /** One line per event when partitions lose their leader or read again (direct reading only). */
  notify?: (line: string) => void
}

export interface ConsumeSummary {
  records: number
  bytes: number
  ms: number
  /** Why it stopped: end of data (-e), --max-messages, --until, or interrupted. */
  reason: 'end' | 'max-messages' | 'until' | 'interrupted'
  /** -e only: partitions given up on because no leader could be reached within --timeout. */
  unread?: UnreadPartition[]
  /** Topics deleted while they were read (one stderr line each said so). */
  deleted?: string[]
  /**
   * Following exact names only (no pattern), every one of them was deleted: there is nothing left
   * to read. A pattern keeps waiting for new matching topics instead.
   */
  nothingLeft?: boolean
}

/**
 * How often a follow-mode consumer (no -e) reads the metadata again: topics created since it
 * started that match a pattern, partitions added to the topics it reads, and deleted topics. A
 * few seconds, as a new topic's first records are seldom urgent, and one Metadata request for
 * every topic of a large cluster costs the brokers tens of milliseconds. Fetching is not paused.
 */
export const TOPIC_POLL_MS = 3000
/**
 * Metadata answers in a row that must lack a topic (or show it with a new topic id) before it
 * counts as deleted: a broker may learn of a topic created a moment ago after the others did.
 */
const GONE_AFTER = 2
const EARLIEST: StartPosition = {kind: 'earliest'}

/** What `patterns` select in a Metadata answer; exact names that do not exist are one clear error. */
export function matchTopics(all: readonly MetadataTopic[], patterns: string[], regex = false): {topics: MetadataTopic[]; unmatched: string[]} {
  const {topics, unmatched} = pickTopics(all, {patterns, regex})
  for (const name of unmatched) {
    if (!isLiteralName(name, {regex})) continue
    const topic = all.find((t) => t.name === name)
    if (topic && topic.errorCode !== 0 && topic.errorCode !== 3) throw topicRefused(name, topic.errorCode)
    throw new KadmError(`topic ${name} does not exist`)
  }
  return {topics, unmatched}
}

/**
 * Follow mode: every TOPIC_POLL_MS until `signal` aborts or `stopped()`, the metadata of
 * `request` to `onAnswer`. A round no broker answers is skipped (the fetch loops say so and wait).
 */
async function pollTopics(connection: KafkaConnection, request: string[] | null, signal: AbortSignal, stopped: () => boolean, onAnswer: (topics: MetadataTopic[]) => void | Promise<void>): Promise<void> {
  for (;;) {
    await sleep(TOPIC_POLL_MS, undefined, {signal}).catch(() => {})
    if (signal.aborted || stopped()) return
    let fresh: MetadataTopic[]
    try {
      fresh = (await connection.metadata(request)).topics
    } catch (error) {
      if (isFatal(error)) throw error
      continue
    }
    if (signal.aborted || stopped()) return
    await onAnswer(fresh)
  }
}

/** The stderr line for patterns that match no topic (yet, when following). */
function unmatchedLine(patterns: string[], follow: boolean): string {
  const list = patterns.map((p) => `'${p}'`).join(', ')
  return follow ? `no topic matches ${list} yet: waiting for matching topics to be created` : `no topic matches ${list}`
}

/** The partitions of `topics` to read: with `only`, an exact name must have them all; a pattern's topics those they have. */
function partitionsToRead(topics: MetadataTopic[], exact: Set<string>, only?: number[]): Array<TopicPartition & {leader: number}> {
  return topics.flatMap((t) => (exact.has(t.name) || !only ? selectPartitions([t], [t.name], only)
    : t.partitions.filter((p) => only.includes(p.partition)).sort((a, b) => a.partition - b.partition).map((p) => ({topic: t.name, partition: p.partition, leader: p.leader}))))
}

interface PartitionState extends TopicPartition {
  /** Next offset to read; undefined until its start position was looked up at its leader. */
  offset: number | undefined
  /** The broker it is read from; -1 while its leader is looked up again. */
  leader: number
  done: boolean
  /** While its leader cannot be reached (one line said so); cleared when it is read again. */
  lost?: {broker: number; cause: string}
  /** Since when it has had no leader to read from (-e gives up after --timeout). */
  waitingSince?: number
  /** Failed attempts since it was last read, for the backoff between leader look-ups. */
  attempts: number
  unread?: UnreadPartition
  /** -e: the end to read to, once a leader confirmed it (see confirmEnds). */
  end?: number
  /** Found while following (a new topic or partition): read from its beginning, not from the start position. */
  fromEarliest?: boolean
}

/** Response and partition limits: large enough for throughput, small enough to keep memory flat. */
const PARTITION_MAX_BYTES = 1024 * 1024
const RESPONSE_MAX_BYTES = 8 * 1024 * 1024
const MAX_WAIT_MS = 500
/** Errors after which the partition's leader is looked up again. */
const MOVED = new Set(['NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'REPLICA_NOT_AVAILABLE', 'KAFKA_STORAGE_ERROR', 'OFFSET_NOT_AVAILABLE'])

/** A topic's error in a Metadata answer as one line; a refusal by the authorizer reads as it does for every other command. */
function topicRefused(name: string, code: number): KadmError {
  const type = errorName(code)
  return new KadmError(type === 'TOPIC_AUTHORIZATION_FAILED' ? `not authorized: topic ${name} (${type})` : `topic ${name}: ${type}`)
}

/** Which partitions to read, from metadata; unknown topics and partitions are one clear error. */
export function selectPartitions(topics: MetadataTopic[], names: string[], only?: number[]): Array<TopicPartition & {leader: number}> {
  const out: Array<TopicPartition & {leader: number}> = []
  for (const name of names) {
    const topic = topics.find((t) => t.name === name)
    if (!topic || topic.errorCode === 3) throw new KadmError(`topic ${name} does not exist`)
    if (topic.errorCode !== 0) throw topicRefused(name, topic.errorCode)
    const partitions = [...topic.partitions].sort((a, b) => a.partition - b.partition)
    for (const p of only ?? partitions.map((x) => x.partition)) {
      const found = partitions.find((x) => x.partition === p)
      if (!found) throw new KadmError(`topic ${name} has no partition ${p} (it has ${partitions.length})`)
      out.push({topic: name, partition: p, leader: found.leader})
    }
  }
  return out
}

/**
 * Errors after which waiting for another leader cannot help: refused credentials, or a broker
 * that does not speak what kadm needs. Anything else from a broker (refused, reset, no answer
 * within --timeout) counts as that broker being unreachable.
 */
function isFatal(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error)
  return /^authentication failed|does not support|kadm needs v|not authori[sz]ed/i.test(message)
}

/** A request to a leader that failed on the way (refused, reset, no answer): try another leader. */
class LeaderUnreachable extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original))
  }
}

/** Runs one exchange with a broker; failures other than fatal ones become LeaderUnreachable. */
async function reaching<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof KadmError && !isFatal(error)) throw new LeaderUnreachable(error)
    throw error
  }
}

/** Metadata saying that `leader` leads `parts`, so that offsets are asked of that broker alone. */
function ledBy(leader: number, parts: TopicPartition[]): MetadataTopic[] {
  const byTopic = new Map<string, MetadataPartition[]>()
  for (const p of parts) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), {errorCode: 0, partition: p.partition, leader, leaderEpoch: -1, replicas: [], isr: [], offlineReplicas: []}])
  return [...byTopic].map(([name, partitions]) => ({errorCode: 0, name, topicId: '', isInternal: false, partitions}))
}

/**
 * Where -e stops, confirmed by ListOffsets: a leader elected a moment ago may report a high
 * watermark behind the records it already has in its Fetch answers; ListOffsets answers
 * OFFSET_NOT_AVAILABLE until it knows (KIP-207). Sets each partition's end, or `done` when it is
 * read to it; returns the partitions whose leader moved.
 */
async function confirmEnds(connection: KafkaConnection, leader: number, parts: PartitionState[], isolation: IsolationLevel): Promise<PartitionState[]> {
  const [found] = await reaching(() => listOffsetsMany(connection, parts, ['latest'], {metadata: ledBy(leader, parts), isolation, leaders: 'caller'}))
  const moved: PartitionState[] = []
  parts.forEach((p, i) => {
    const {error, offset} = found[i]
    if (error === 'OFFSET_NOT_AVAILABLE') return
    if (error) {
      if (MOVED.has(error)) return moved.push(p)
      throw new KadmError(`cannot find the latest offset of ${p.topic}:${p.partition}: ${error}`)
    }
    p.end = offset ?? 0
    if (p.offset! >= p.end) p.done = true
  })
  return moved
}

/**
 * Start offsets of partitions led by `leader`, asked of that broker alone (ListOffsets). With
 * `exitAtEnd` a partition that starts at its end is done at once: a fetch would only wait out
 * its max wait (500 ms for `consume -e` of an empty topic) to say there is nothing. Returns the
 * partitions whose leader moved meanwhile; a broker that cannot be reached throws.
 */
async function startOffsetsAt(connection: KafkaConnection, leader: number, parts: PartitionState[], start: StartPosition, isolation: IsolationLevel, exitAtEnd: boolean): Promise<PartitionState[]> {
  const metadata = ledBy(leader, parts)
  const specs: OffsetSpec[] = start.kind === 'earliest' ? (exitAtEnd ? ['earliest', 'latest'] : ['earliest'])
    : start.kind === 'latest' ? ['latest']
      : start.kind === 'time' ? [{timestamp: start.timestamp}, 'latest'] : ['earliest', 'latest']
  const found = await reaching(() => listOffsetsMany(connection, parts, specs, {metadata, isolation, leaders: 'caller'}))
  const moved: PartitionState[] = []
  parts.forEach((p, i) => {
    const answers = found.map((list) => list[i])
    const failed = answers.find((a) => a.error)
    if (failed) {
      if (MOVED.has(failed.error!)) return moved.push(p)
      const spec = specs[answers.indexOf(failed)]
      const what = typeof spec === 'string' ? spec : 'timestamp'
      throw new KadmError(`cannot find the ${what} offset of ${p.topic}:${p.partition}: ${failed.error}`)
    }
    const [first, second] = answers.map((a) => a.offset)
    switch (start.kind) {
      case 'earliest':
      case 'latest':
        p.offset = first ?? 0
        break
      case 'time':
        p.offset = first ?? second ?? 0
        break
      case 'tail':
      case 'offset': {
        const [lo, hi] = [first ?? 0, second ?? 0]
        p.offset = start.kind === 'tail' ? tailOffset(lo, hi, start.count) : Math.min(Math.max(start.offset, lo), hi)
      }
    }
    const latest = start.kind === 'latest' ? first : second
    if (exitAtEnd && latest != null && p.offset! >= latest) p.done = true
  })
  return moved
}

/** Filters a read_committed partition's batches: control batches and aborted transactions go. */
class TransactionFilter {
  private readonly pending: AbortedTransaction[]
  private readonly aborted = new Set<bigint>()

  constructor(aborted: AbortedTransaction[]) {
    this.pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset)
  }

  keep(batch: BatchHeader, controlType: () => number): boolean {
    const lastOffset = batch.nextOffset - 1
    while (this.pending.length && this.pending[0].firstOffset <= lastOffset) this.aborted.add(this.pending.shift()!.producerId)
    if (batch.attributes & CONTROL_FLAG) {
      if (controlType() === 0) this.aborted.delete(batch.producerId)
      return false
    }
    return !((batch.attributes & TRANSACTIONAL_FLAG) && this.aborted.has(batch.producerId))
  }
}

/** The records of `batch` in `buf` at or after `fromOffset`, decompressed when needed, one cursor over them. */
export async function recordsOf(buf: Buffer, batch: BatchHeader, fromOffset: number, topic: string, partition: number): Promise<RecordCursor> {
  let data = buf.subarray(batch.start + BATCH_HEADER_SIZE, batch.end)
  const codec = batch.attributes & COMPRESSION_MASK
  if (codec !== 0) data = await codecFor(codec).decompress(data)
  return new RecordCursor(batch, data, batch.recordCount, fromOffset, topic, partition)
}

/**
 * Reads partitions straight from their leaders with Fetch: no group, no commits, nothing written
 * to __consumer_offsets. One fetch loop per leader broker; each loop sends its next fetch as soon
 * as the batch headers of the last one are read, then decodes and delivers while it is in flight.
 */
export async function consumeDirect(connection: KafkaConnection, options: ConsumeOptions): Promise<ConsumeSummary> {
  const started = Date.now()
  const timeoutMs = connection.options.timeoutMs
  const notify = options.notify ?? (() => {})
  const selection = {patterns: options.patterns, regex: options.regex}
  const request = metadataRequestFor(selection)
  const exact = new Set(options.patterns.filter((p) => isLiteralName(p, selection)))
  const follow = !options.exitAtEnd
  /** Following by pattern, an empty selection waits for matching topics instead of ending. */
  const waitForTopics = follow && exact.size < options.patterns.length
  const first = await connection.metadata(request)
  const chosen = matchTopics(first.topics, options.patterns, options.regex)
  if (chosen.unmatched.length) notify(unmatchedLine(chosen.unmatched, follow))
  const states: PartitionState[] = partitionsToRead(chosen.topics, exact, options.partitions)
    .map((tp) => ({...tp, offset: undefined, done: false, attempts: 0, waitingSince: tp.leader < 0 ? started : undefined}))
  /** The topics being read: the id each had when found, and Metadata answers in a row that lacked it. */
  const followed = new Map(chosen.topics.map((t) => [t.name, {topicId: t.topicId, misses: 0}]))
  const deleted: string[] = []
  const stopOffset = options.stop?.kind === 'offset' ? options.stop.offset : undefined
  const stopTime = options.stop?.kind === 'time' ? options.stop.timestamp : undefined

  let records = 0
  let bytes = 0
  let reason: ConsumeSummary['reason'] = 'end'
  const stopAll = new AbortController()
  const finish = (why: ConsumeSummary['reason']) => {
    reason = why
    stopAll.abort()
  }
  const onAbort = () => finish('interrupted')
  options.signal.addEventListener('abort', onAbort, {once: true})
  if (options.signal.aborted) finish('interrupted')
  /** `work`, or null as soon as everything stops. Listeners are removed again: a long-lived
   * promise raced against every fetch would keep every response alive. */
  const orStop = <T>(work: Promise<T>): Promise<T | null> => new Promise((resolve, reject) => {
    const signal = stopAll.signal
    if (signal.aborted) return resolve(null)
    const onAbort = () => resolve(null)
    signal.addEventListener('abort', onAbort, {once: true})
    work.then((v) => {
      signal.removeEventListener('abort', onAbort)
      resolve(v)
    }, (error) => {
      signal.removeEventListener('abort', onAbort)
      reject(error)
    })
  })
  const isolationLevel = options.isolation === 'read_committed' ? 1 : 0

  const active = () => states.filter((s) => !s.done)
  const allDone = () => states.every((s) => s.done)

  const fetchFrom = async (leader: number, parts: PartitionState[]) => {
    const byTopic = new Map<string, PartitionState[]>()
    for (const p of parts) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p])
    const request = {
      maxWaitMs: MAX_WAIT_MS,
      minBytes: 1,
      maxBytes: RESPONSE_MAX_BYTES,
      isolationLevel: isolationLevel as 0 | 1,
      topics: [...byTopic].map(([topic, ps]) => ({topic, partitions: ps.map((p) => ({partition: p.partition, offset: p.offset!, maxBytes: PARTITION_MAX_BYTES}))})),
    }
    return reaching(async () => connection.send(await connection.broker(leader), Fetch, request))
  }

  /** With -e, partitions that waited --timeout for a leader are given up: the result is partial. */
  const expire = () => {
    if (!options.exitAtEnd) return
    const now = Date.now()
    for (const s of active()) {
      if (s.leader >= 0 || s.waitingSince === undefined || now < s.waitingSince + timeoutMs) continue
      s.done = true
      s.unread = {topic: s.topic, partition: s.partition, offset: s.offset ?? null, broker: s.lost?.broker ?? -1, cause: s.lost?.cause ?? 'no leader'}
    }
  }

  /** Partitions whose leader answered with "not the leader (any more)": look it up again, quietly. */
  const moved = (parts: PartitionState[]) => {
    const now = Date.now()
    for (const p of parts) {
      p.leader = -1
      p.attempts++
      p.waitingSince ??= now
    }
    expire()
  }

  /**
   * The leader of `parts` could not be reached: one line, then look for another. With -e each
   * partition then has --timeout to find a new leader (metadata a moment stale may still name the
   * one that just failed), counted from now rather than from the request that failed.
   */
  const lose = (leader: number, error: unknown) => {
    const since = Date.now()
    const parts = active().filter((s) => s.leader === leader)
    const cause = failureCause(error, timeoutMs)
    const newly = parts.filter((s) => !s.lost)
    for (const p of parts) {
      p.lost ??= {broker: leader, cause}
      p.waitingSince ??= since
    }
    if (newly.length) notify(lostLine(newly, leader, cause))
    moved(parts)
  }

  /** A deleted topic: one line, and its partitions are no longer read. */
  const drop = (name: string) => {
    followed.delete(name)
    deleted.push(name)
    for (let i = states.length - 1; i >= 0; i--) {
      if (states[i].topic !== name) continue
      // A loop or the relocator may still hold it: done makes them pass it by.
      states[i].done = true
      states.splice(i, 1)
    }
    notify(`topic ${name} was deleted`)
    wake()
  }

  /**
   * Counts a Metadata answer for `asked` (null: every topic) towards the deletion of the followed
   * topics it lacks, or shows with another topic id (deleted and created again).
   */
  const observe = (fresh: MetadataTopic[], asked: string[] | null) => {
    const byName = new Map(fresh.map((t) => [t.name, t]))
    for (const [name, known] of [...followed]) {
      if (asked && !asked.includes(name)) continue
      const t = byName.get(name)
      const gone = !t || t.errorCode === 3 || (t.errorCode === 0 && t.topicId !== known.topicId && t.topicId !== ZERO_UUID && known.topicId !== ZERO_UUID)
      known.misses = gone ? known.misses + 1 : 0
      if (known.misses >= GONE_AFTER) drop(name)
    }
  }

  /**
   * Follow mode: every TOPIC_POLL_MS, the metadata again. Topics that now match and partitions
   * added to the followed ones are read from their beginning (all of it was written after the
   * start); deleted topics go. Runs beside the fetch loops, which never wait for it.
   */
  const watch = (signal: AbortSignal) => pollTopics(connection, request, signal, () => false, (fresh) => {
    observe(fresh, request)
    let added = false
    for (const t of pickTopics(fresh, selection).topics) {
      const known = followed.get(t.name)
      // Deleted and created again: dropped once the misses count, found anew after that.
      if (known && known.topicId !== t.topicId) continue
      const have = new Set(states.filter((s) => s.topic === t.name).map((s) => s.partition))
      const found = partitionsToRead([t], new Set(), options.partitions).filter((p) => !have.has(p.partition))
      if (!found.length) continue
      if (known) notify(`${t.name}: following new partition${found.length > 1 ? 's' : ''} ${found.map((p) => p.partition).join(',')} from the beginning`)
      else {
        followed.set(t.name, {topicId: t.topicId, misses: 0})
        notify(`following new topic ${t.name} (${found.length} partition${found.length > 1 ? 's' : ''}) from the beginning`)
      }
      const now = Date.now()
      states.push(...found.map((tp) => ({...tp, offset: undefined, done: false, attempts: 0, fromEarliest: true, waitingSince: tp.leader < 0 ? now : undefined})))
      added = true
    }
    if (added) wake()
  })

  /** Looks leaders up again (any broker, with backoff) for as long as partitions wait for one. */
  const relocate = async () => {
    while (!stopAll.signal.aborted) {
      expire()
      const waiting = active().filter((s) => s.leader < 0)
      if (!waiting.length) return
      let delay = leaderRetryDelay(Math.min(...waiting.map((w) => w.attempts)) - 1)
      if (options.exitAtEnd) delay = Math.min(delay, Math.max(0, Math.min(...waiting.map((w) => w.waitingSince! + timeoutMs)) - Date.now()))
      await sleep(delay, undefined, {signal: stopAll.signal}).catch(() => {})
      if (stopAll.signal.aborted) return
      let fresh: MetadataTopic[] | undefined
      const asked = [...new Set(waiting.map((w) => w.topic))]
      try {
        // From any broker that answers, those that failed (the one just lost) last.
        fresh = (await connection.metadata(asked)).topics
      } catch (error) {
        if (isFatal(error)) throw error
      }
      // A partition of a deleted topic answers "unknown topic" like one whose leader moved.
      if (fresh) observe(fresh, asked)
      for (const w of waiting) {
        if (w.done || w.leader >= 0) continue
        const leader = fresh?.find((t) => t.name === w.topic)?.partitions.find((p) => p.partition === w.partition)?.leader ?? -1
        if (leader >= 0) w.leader = leader
        else w.attempts++
      }
      wake()
    }
  }

  /** Applies one fetch response: positions, end detection; returns what to decode. */
  const scan = (leader: number, response: FetchPartitionResponse[], asked: Map<string, number>) => {
    const work: Array<{state: PartitionState; part: FetchPartitionResponse; batches: BatchHeader[]; from: number}> = []
    const movedAway: PartitionState[] = []
    const regained: Array<TopicPartition & {offset: number}> = []
    const atEnd: PartitionState[] = []
    for (const part of response) {
      if (part.partition < 0) throw new KadmError(`fetch failed: ${errorName(part.errorCode)}`)
      const state = states.find((s) => s.topic === part.topic && s.partition === part.partition)
      // An answer for a position or a leader that is no longer current is stale: never read twice.
      if (!state || state.done || state.leader !== leader || asked.get(`${part.topic}\u0000${part.partition}`) !== state.offset) continue
      if (part.errorCode !== 0) {
        const name = errorName(part.errorCode)
        if (name === 'OFFSET_OUT_OF_RANGE') {
          // The log was truncated under us (retention): go on from its new start.
          state.offset = part.logStartOffset >= 0 && state.offset! < part.logStartOffset ? part.logStartOffset : Math.max(part.highWatermark, 0)
          continue
        }
        if (MOVED.has(name)) {
          movedAway.push(state)
          continue
        }
        throw new KadmError(`cannot read ${part.topic}:${part.partition}: ${name}`)
      }
      const from = state.offset!
      if (state.lost) regained.push({topic: state.topic, partition: state.partition, offset: from})
      state.lost = undefined
      state.waitingSince = undefined
      state.attempts = 0
      const batches = scanBatches(part.records)
      if (batches.length) state.offset = Math.max(from, batches.at(-1)!.nextOffset)
      const end = options.isolation === 'read_committed' ? part.lastStableOffset : part.highWatermark
      if (stopOffset !== undefined && state.offset! >= stopOffset) state.done = true
      if (options.exitAtEnd) {
        if (state.end !== undefined) state.done ||= state.offset! >= state.end
        else if (state.offset! >= end) atEnd.push(state)
      }
      if (stopTime !== undefined && state.offset! >= end && Date.now() >= stopTime) state.done = true
      if (batches.length) work.push({state, part, batches, from})
    }
    return {work, movedAway, regained, atEnd}
  }

  const deliverWork = async (buf: FetchPartitionResponse, state: PartitionState, batches: BatchHeader[], from: number) => {
    const txn = options.isolation === 'read_committed' ? new TransactionFilter(buf.abortedTransactions) : undefined
    for (const batch of batches) {
      if (stopAll.signal.aborted) return
      if (txn) {
        if (!txn.keep(batch, () => controlType(buf.records, batch))) continue
      } else if (batch.attributes & CONTROL_FLAG) continue
      const record = await recordsOf(buf.records, batch, from, state.topic, state.partition)
      let reachedStop = false
      let full = false
      while (record.next()) {
        if ((stopOffset !== undefined && record.offset >= stopOffset) || (stopTime !== undefined && record.timestamp >= stopTime)) {
          state.done = true
          reachedStop = true
          break
        }
        if (options.filter && !options.filter(record)) continue
        records++
        bytes += recordBytes(record)
        options.print(record)
        if (options.maxMessages !== undefined && records >= options.maxMessages) {
          full = true
          break
        }
      }
      await options.flush()
      if (full) return finish('max-messages')
      if (reachedStop) return
    }
  }

  const loops = new Map<number, Promise<void>>()
  const runLoop = async (leader: number): Promise<void> => {
    let turn = 0
    /** Partitions that moved to this broker before their start offset was known get it here first. */
    const resolveStarts = async () => {
      const unresolved = active().filter((s) => s.leader === leader && s.offset === undefined)
      if (!unresolved.length) return
      for (const fromEarliest of [false, true]) {
        const group = unresolved.filter((s) => Boolean(s.fromEarliest) === fromEarliest)
        if (group.length) moved(await startOffsetsAt(connection, leader, group, fromEarliest ? EARLIEST : options.start, options.isolation, options.exitAtEnd))
      }
      for (const s of unresolved) if (stopOffset !== undefined && s.offset !== undefined && s.offset >= stopOffset) s.done = true
    }
    const send = () => {
      const mine = active().filter((s) => s.leader === leader && s.offset !== undefined)
      if (!mine.length) return undefined
      // A different partition goes first each time: the broker fills the response in request
      // order, and only the first partition is sure to get a batch larger than its limit.
      const first = turn++ % mine.length
      const parts = [...mine.slice(first), ...mine.slice(0, first)]
      const asked = new Map(parts.map((p) => [`${p.topic}\u0000${p.partition}`, p.offset!]))
      const promise = orStop(fetchFrom(leader, parts))
      // It may fail while the previous response is still being delivered: handled when awaited.
      promise.catch(() => {})
      return {promise, asked}
    }
    try {
      await resolveStarts()
      let inflight = send()
      while (inflight && !stopAll.signal.aborted) {
        const response = await inflight.promise
        if (!response) return
        const {work, movedAway, regained, atEnd} = scan(leader, response, inflight.asked)
        if (regained.length) notify(regainedLine(regained, leader))
        // Positions already moved past this response's records: they are delivered even if the
        // leader fails on one of the look-ups below, before its partitions move on.
        let unreachable: LeaderUnreachable | undefined
        try {
          if (atEnd.length) {
            movedAway.push(...await confirmEnds(connection, leader, atEnd, options.isolation))
          }
          if (active().some((s) => s.leader === leader && s.offset === undefined)) {
            await resolveStarts()
          }
        } catch (error) {
          if (!(error instanceof LeaderUnreachable)) throw error
          unreachable = error
        }
        if (movedAway.length) {
          moved(movedAway)
          wake()
        }
        inflight = unreachable || allDone() ? undefined : send()
        for (const w of work) {
          await deliverWork(w.part, w.state, w.batches, w.from)
          if (stopAll.signal.aborted) return
        }
        // Delivered: the response's memory serves a later one (see ConsumeOptions.print).
        const frame = response.find((p) => p.records.length > 0)?.records.buffer
        if (frame) releaseFrame(frame)
        if (unreachable) throw unreachable
        // Done: the other loops still deliver what they hold; the caller waits for them.
        if (allDone()) return
      }
    } catch (error) {
      if (!(error instanceof LeaderUnreachable)) throw error
      lose(leader, error.original)
    }
  }

  let failure: unknown
  const fail = (error: unknown) => {
    failure ??= error
    stopAll.abort()
  }
  let relocating: Promise<void> | undefined
  let wake = () => {}
  const ensureWorkers = () => {
    for (const s of active()) {
      if (s.leader < 0 || loops.has(s.leader)) continue
      const leader = s.leader
      loops.set(leader, runLoop(leader).catch(fail).finally(() => {
        loops.delete(leader)
        wake()
      }))
    }
    if (!relocating && active().some((s) => s.leader < 0)) {
      relocating = relocate().catch(fail).finally(() => {
        relocating = undefined
        wake()
      })
    }
  }

  const watching = new AbortController()
  if (follow) watch(watching.signal).catch(fail)
  try {
    // Each partition moves between loops: one per leader broker, and the relocator while it has none.
    while (!stopAll.signal.aborted && (waitForTopics || !allDone())) {
      ensureWorkers()
      if (!loops.size && !relocating && !waitForTopics) break
      await orStop(new Promise<void>((resolve) => (wake = resolve)))
    }
    await Promise.allSettled([...loops.values()])
    if (failure) throw failure
    if (!stopAll.signal.aborted && allDone()) reason = stopOffset !== undefined || stopTime !== undefined ? 'until' : 'end'
  } finally {
    // Not awaited: a Metadata request in flight is of no use any more.
    watching.abort()
    options.signal.removeEventListener('abort', onAbort)
  }
  const unread = states.flatMap((s) => (s.unread ? [s.unread] : []))
  const nothingLeft = follow && !waitForTopics && deleted.length > 0 && followed.size === 0
  return {records, bytes, ms: Date.now() - started, reason, ...(unread.length ? {unread} : {}), ...(deleted.length ? {deleted} : {}), ...(nothingLeft ? {nothingLeft} : {})}
}

/** A control batch's marker type: 0 abort, 1 commit (its one record's key is version int16, type int16). */
function controlType(buf: Buffer, batch: BatchHeader): number {
  const marker = new RecordCursor(batch, buf.subarray(batch.start + BATCH_HEADER_SIZE, batch.end), 1, -1)
  const key = marker.next() ? marker.key : null
  return key && key.length >= 4 ? key.readInt16BE(2) : -1
}

export interface GroupConsumeOptions extends Omit<ConsumeOptions, 'start' | 'partitions'> {
  group: string
  /** Where a partition without a committed offset starts. */
  fromBeginning: boolean
}

/**
 * Consumes as a real member of `group` (kafkajs consumer): joins, reads what the group assigns,
 * commits exactly the offsets it printed after each batch, and leaves the group on exit.
 * With exitAtEnd it stops once every assigned partition has reached the end it had at join time.
 *
 * Patterns are matched against the metadata, and the member subscribes to the topics found (not
 * to a RegExp: kafkajs matches one only when subscribing). While following, the metadata is read
 * again every TOPIC_POLL_MS; when new topics match, the member leaves, subscribes to them too
 * (from their beginning) and joins again, as Java's consumer rejoins for a pattern subscription.
 */
export async function consumeWithGroup(connection: KafkaConnection, options: GroupConsumeOptions): Promise<ConsumeSummary> {
  const started = Date.now()
  const selection = {patterns: options.patterns, regex: options.regex}
  const request = metadataRequestFor(selection)
  const follow = !options.exitAtEnd
  const chosen = matchTopics((await connection.metadata(request)).topics, options.patterns, options.regex)
  if (chosen.unmatched.length) options.notify?.(unmatchedLine(chosen.unmatched, follow))
  const subscribed = new Set(chosen.topics.map((t) => t.name))
  if (!subscribed.size && !follow) return {records: 0, bytes: 0, ms: Date.now() - started, reason: 'end'}
  // kafkajs's member reports a group it may not use as "Failed to find group coordinator" and
  // retries for ever: kadm's own FindCoordinator names the refusal first.
  await findCoordinators(connection, [options.group])
  const {Kafka, CompressionCodecs} = await (await import('./kafkajs.js')).loadKafkajs()
  const {kafkaConfig} = await import('./client.js')
  // kafkajs ships gzip only: it gets kadm's codecs, each loaded when a batch needs it. One that
  // cannot load ends the command with its one line: kafkajs takes the error for a failed fetch and
  // fetches again, printing nothing, for as long as it runs.
  for (const type of [COMPRESSION_TYPES.gzip, COMPRESSION_TYPES.snappy, COMPRESSION_TYPES.lz4, COMPRESSION_TYPES.zstd]) {
    (CompressionCodecs as unknown as Record<number, () => Codec>)[type] = () => {
      try {
        return codecFor(type)
      } catch (error) {
        failure ??= error
        resolveDone()
        throw error
      }
    }
  }
  const kafka = new Kafka(await kafkaConfig(connection.settings, connection.options))
  /** Topics that matched after the start: read from their beginning when the group has no offsets for them. */
  const foundLater = new Set<string>()
  let records = 0
  let bytes = 0
  let reason: ConsumeSummary['reason'] = 'end'
  const key = (topic: string, partition: number) => `${topic}\u0000${partition}`
  /** Offsets still to reach per assigned partition (exitAtEnd only). */
  const remaining = new Map<string, number>()
  const endAtJoin = new Map<string, number>()
  /** The next offset after the last one printed, per partition: batches may arrive before the join's look-ups return. */
  const printedTo = new Map<string, number>()
  let assigned = false
  let resolveDone!: () => void
  const done = new Promise<void>((resolve) => (resolveDone = resolve))
  let finished = false
  const finish = (why: ConsumeSummary['reason']) => {
    if (finished) return
    finished = true
    reason = why
    resolveDone()
  }
  const onAbort = () => finish('interrupted')
  options.signal.addEventListener('abort', onAbort, {once: true})
  const stopTime = options.stop?.kind === 'time' ? options.stop.timestamp : undefined
  const stopOffset = options.stop?.kind === 'offset' ? options.stop.offset : undefined

  const checkEnd = () => {
    if (options.exitAtEnd && assigned && [...remaining.values()].every((v) => v <= 0)) finish('end')
  }

  const onJoin = async (event: {payload: {memberAssignment: unknown}}) => {
    if (!options.exitAtEnd) return
    const assignment = event.payload.memberAssignment as Record<string, number[]>
    const tps = Object.entries(assignment).flatMap(([topic, ps]) => ps.map((partition) => ({topic, partition})))
    try {
      const [ends, committed] = await Promise.all([
        listOffsets(connection, tps, 'latest', {isolation: options.isolation}),
        (await connection.admin()).fetchOffsets({groupId: options.group, topics: [...new Set(tps.map((t) => t.topic))]}),
      ])
      const starts = await listOffsets(connection, tps, options.fromBeginning ? 'earliest' : 'latest', {isolation: options.isolation})
      remaining.clear()
      tps.forEach((tp, i) => {
        const c = committed.find((t) => t.topic === tp.topic)?.partitions.find((p) => p.partition === tp.partition)
        const position = Math.max(c && Number(c.offset) >= 0 ? Number(c.offset) : (starts[i].offset ?? 0), printedTo.get(key(tp.topic, tp.partition)) ?? 0)
        endAtJoin.set(key(tp.topic, tp.partition), ends[i].offset ?? 0)
        remaining.set(key(tp.topic, tp.partition), (ends[i].offset ?? 0) - position)
      })
      assigned = true
      checkEnd()
    } catch (error) {
      failure = error
      resolveDone()
    }
  }

  let failure: unknown
  let current: Promise<void> = Promise.resolve()
  let consumer: Consumer | undefined
  /** A member subscribed to every topic in `subscribed`, joined and reading. */
  const join = async () => {
    const member = kafka.consumer({
      groupId: options.group,
      readUncommitted: options.isolation === 'read_uncommitted',
      maxWaitTimeInMs: MAX_WAIT_MS,
      allowAutoTopicCreation: false,
    })
    consumer = member
    member.on(member.events.GROUP_JOIN, onJoin)
    // kafkajs restarts a crashed member for ever; a missing ACL (no READ on the group or a topic)
    // would keep it joining and failing in silence. That refusal ends the run with its error.
    member.on(member.events.CRASH, ({payload}) => {
      if (!isAuthorizationError(payload.error)) return
      failure ??= describeKafkaError(payload.error, connection.settings.bootstrapServers)
      resolveDone()
    })
    await connection.guard(member.connect(), 'connect')
    if (finished) return
    const fromStart = [...subscribed].filter((t) => !foundLater.has(t))
    const fromBeginning = [...subscribed].filter((t) => foundLater.has(t))
    if (fromStart.length) await member.subscribe({topics: fromStart, fromBeginning: options.fromBeginning})
    if (fromBeginning.length) await member.subscribe({topics: fromBeginning, fromBeginning: true})
    if (finished) return
    await member.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const work = handleBatch(payload, member)
        current = work.catch(() => {})
        await work
      },
    })
  }
  /** Leaves the group (LeaveGroup, after the batch being printed is committed) so the others rebalance at once. */
  const leave = async () => {
    const member = consumer
    consumer = undefined
    await member?.disconnect().catch(() => {})
  }
  /** Metadata answers in a row that lacked a subscribed topic. */
  const misses = new Map<string, number>()
  const deleted: string[] = []
  let nothingLeft = false
  /**
   * Follow mode: when the topics that match change (new ones, deleted ones), the member leaves and
   * joins again subscribed to the new set. kafkajs cannot drop a topic from a subscription, and
   * a member subscribed to a deleted topic stops reading the others.
   */
  const watch = (signal: AbortSignal) => pollTopics(connection, request, signal, () => finished, async (fresh) => {
    const matching = new Set(pickTopics(fresh, selection).topics.map((t) => t.name))
    const added = [...matching].filter((t) => !subscribed.has(t))
    for (const t of subscribed) misses.set(t, matching.has(t) ? 0 : (misses.get(t) ?? 0) + 1)
    const gone = [...subscribed].filter((t) => misses.get(t)! >= GONE_AFTER)
    if (!added.length && !gone.length) return
    for (const name of gone) {
      subscribed.delete(name)
      misses.delete(name)
      deleted.push(name)
      options.notify?.(`topic ${name} was deleted`)
    }
    for (const name of added) {
      subscribed.add(name)
      foundLater.add(name)
      options.notify?.(`following new topic ${name} from the beginning`)
    }
    await leave()
    if (finished) return
    if (subscribed.size) await (joining = join())
    else if (exactOnly) {
      nothingLeft = true
      finish('end')
    }
  })
  const exactOnly = options.patterns.every((p) => isLiteralName(p, selection))
  const watching = new AbortController()
  let joining: Promise<void> | undefined
  try {
    if (subscribed.size) await (joining = join())
    if (follow) {
      watch(watching.signal).catch((error) => {
        failure ??= error
        resolveDone()
      })
    }
    await done
    // A batch printed but not yet committed is committed before leaving.
    await current
    if (failure) throw failure
  } finally {
    watching.abort()
    options.signal.removeEventListener('abort', onAbort)
    // A member joining again meanwhile is left once it has joined.
    await joining?.catch(() => {})
    await leave()
  }
  return {records, bytes, ms: Date.now() - started, reason, ...(deleted.length ? {deleted} : {}), ...(nothingLeft ? {nothingLeft} : {})}

  async function handleBatch({batch, isRunning, isStale, resolveOffset}: EachBatchPayload, consumer: Consumer): Promise<void> {
    if (finished) return
    let printed: number | undefined
    let any = false
    for (const m of batch.messages) {
      if (!isRunning() || isStale()) break
      const offset = Number(m.offset)
      const record: ConsumedRecord = {
        topic: batch.topic,
        partition: batch.partition,
        offset,
        timestamp: Number(m.timestamp),
        key: m.key,
        value: m.value,
        headers: Object.entries(m.headers ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x === undefined ? null : Buffer.from(x as Buffer | string)] as [string, Buffer | null])),
      }
      if ((stopOffset !== undefined && offset >= stopOffset) || (stopTime !== undefined && record.timestamp >= stopTime)) {
        finish('until')
        break
      }
      printed = offset
      if (options.filter && !options.filter(record)) continue
      records++
      bytes += recordBytes(record)
      options.print(record)
      any = true
      if (options.maxMessages !== undefined && records >= options.maxMessages) break
    }
    if (any) await options.flush()
    if (printed !== undefined) {
      resolveOffset(String(printed))
      await consumer.commitOffsets([{topic: batch.topic, partition: batch.partition, offset: String(printed + 1)}])
      const k = key(batch.topic, batch.partition)
      printedTo.set(k, printed + 1)
      if (endAtJoin.has(k)) remaining.set(k, endAtJoin.get(k)! - (printed + 1))
    }
    if (options.maxMessages !== undefined && records >= options.maxMessages) finish('max-messages')
    checkEnd()
  }
}
