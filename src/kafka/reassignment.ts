import {KadmError} from '../errors.js'
import {
  type BrokerInfo, changedPartitions, checkPlan, type CurrentPartition, planReassignment, type ReassignmentPlan,
  reassignmentKey, throttleSettings, toPlan, verifyPlan, type VerifyResult,
} from '../domain/reassignment.js'
import {checkLogDirTargets, type LogDirMoveStatus, logDirMoveStatuses, logDirTargets} from '../domain/log-dirs.js'
import type {KafkaConnection} from './client.js'
import {brokerLogDirs, type LogDirMoves, moveReplicaLogDirs} from './log-dirs.js'
import {fetchReassignments, type TopicPatternOptions, topicsOf} from './partitions.js'
import {AlterPartitionReassignments} from './protocol/alter-partition-reassignments.js'
import {errorName} from './protocol/errors.js'
import {clearThrottles, setThrottles} from './throttles.js'

export interface ClusterAssignment {
  brokers: BrokerInfo[]
  partitions: CurrentPartition[]
}

/** The brokers and the current replica lists of the selected topics (all when omitted). */
export async function currentAssignment(connection: KafkaConnection, topics?: string[], selection: TopicPatternOptions = {}): Promise<ClusterAssignment> {
  const metadata = await connection.metadata(null)
  return {
    brokers: metadata.brokers.map((b) => ({id: b.nodeId, rack: b.rack})).sort((a, b) => a.id - b.id),
    partitions: topicsOf(metadata, topics, selection).flatMap((t) => t.partitions.map((p) => ({topic: t.name, partition: p.partition, replicas: p.replicas}))),
  }
}

export interface GeneratedPlan {
  current: ReassignmentPlan
  proposed: ReassignmentPlan
  /** Only the partitions that move (what `apply` would change). */
  moves: number
}

/** A balanced plan for `topics` over `brokerIds` (all brokers when omitted), with the current assignment as rollback. */
export async function generatePlan(connection: KafkaConnection, topics: string[], brokerIds: number[] | undefined, replicationFactor?: number, selection: TopicPatternOptions = {}): Promise<GeneratedPlan> {
  const {brokers, partitions} = await currentAssignment(connection, topics, selection)
  if (partitions.length === 0) throw new KadmError('no partitions match the topics given')
  const ids = brokerIds ?? brokers.map((b) => b.id)
  const unknown = ids.filter((id) => !brokers.some((b) => b.id === id))
  if (unknown.length > 0) throw new KadmError(`broker ${unknown.join(', ')} is not in the cluster (brokers: ${brokers.map((b) => b.id).join(', ')})`)
  let proposed: ReassignmentPlan
  try {
    proposed = planReassignment(partitions, {brokers: brokers.filter((b) => ids.includes(b.id)), replicationFactor})
  } catch (error) {
    throw new KadmError((error as Error).message, {exitCode: 2})
  }
  return {current: toPlan(partitions), proposed, moves: changedPartitions(proposed, partitions).length}
}

export interface ApplyResult {
  /** Partitions whose reassignment was started. */
  started: Array<{topic: string; partition: number; from: number[]; to: number[]}>
  /** Partitions already on their target replicas. */
  unchanged: number
  failed: Array<{topic: string; partition: number; error: string}>
  throttle: number | null
  dryRun: boolean
  /** The intra-broker moves of the plan's log_dirs paths; null when it has none (all "any"). */
  logDirs: LogDirMoves | null
}

/** The log dirs of the brokers a plan's log_dirs paths name, for the plan's topics (none when every entry is "any"). */
async function planLogDirs(connection: KafkaConnection, plan: ReassignmentPlan, consequence?: string) {
  const targets = logDirTargets(plan)
  if (targets.length === 0) return {targets, brokers: []}
  const topics = [...new Set(plan.partitions.map((p) => p.topic))]
  const metadata = await connection.metadata(topics)
  const brokers = await brokerLogDirs(connection, metadata.topics.filter((t) => t.errorCode === 0), [...new Set(targets.map((t) => t.broker))], consequence)
  return {targets, brokers}
}

async function sendReassignments(connection: KafkaConnection, partitions: Array<{topic: string; partition: number; replicas: number[] | null}>) {
  const byTopic = new Map<string, Array<{partition: number; replicas: number[] | null}>>()
  for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), {partition: p.partition, replicas: p.replicas}])
  const answer = await connection.sendAny(AlterPartitionReassignments, {
    timeoutMs: Math.max(connection.options.timeoutMs, 1000),
    topics: [...byTopic].map(([topic, ps]) => ({topic, partitions: ps})),
  })
  if (answer.errorCode !== 0) throw new KadmError(`reassignment refused: ${errorName(answer.errorCode)}${answer.errorMessage ? ` (${answer.errorMessage})` : ''}`)
  return answer.results
}

/**
 * Starts a plan with AlterPartitionReassignments. With a throttle, the throttle configs are set
 * first so the copy never runs unthrottled; `verify` removes them when the plan is complete.
 * Replicas with a log dir path in log_dirs are then moved there with AlterReplicaLogDirs, as
 * kafka-reassign-partitions.sh --execute does: every path is checked against the brokers' log dirs
 * before anything is sent, and a replica that the reassignment is still bringing to its broker is
 * asked for until the broker takes it (up to 10 s, or --timeout when longer).
 */
export async function applyPlan(connection: KafkaConnection, plan: ReassignmentPlan, options: {throttle?: number; dryRun: boolean}): Promise<ApplyResult> {
  const {brokers, partitions} = await currentAssignment(connection, [...new Set(plan.partitions.map((p) => p.topic))])
  const dirs = await planLogDirs(connection, plan)
  // A broker that is not in the cluster is checkPlan's to name, once.
  const known = dirs.targets.filter((t) => brokers.some((b) => b.id === t.broker))
  const problems = [...checkPlan(plan, partitions, brokers.map((b) => b.id)), ...checkLogDirTargets(known, dirs.brokers)]
  if (problems.length > 0) throw new KadmError(`the plan cannot be applied: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`)
  const moves = changedPartitions(plan, partitions)
  const before = new Map(partitions.map((p) => [reassignmentKey(p.topic, p.partition), p.replicas]))
  const result: ApplyResult = {
    started: moves.map((m) => ({topic: m.topic, partition: m.partition, from: before.get(reassignmentKey(m.topic, m.partition)) ?? [], to: m.replicas})),
    unchanged: plan.partitions.length - moves.length,
    failed: [],
    throttle: options.throttle ?? null,
    dryRun: options.dryRun,
    logDirs: null,
  }
  const moveDirs = async () => {
    if (dirs.targets.length > 0) result.logDirs = await moveReplicaLogDirs(connection, dirs.targets, dirs.brokers, {dryRun: options.dryRun, waitMs: Math.max(10_000, connection.options.timeoutMs)})
    return result
  }
  if (options.dryRun || moves.length === 0) return moveDirs()
  if (options.throttle !== undefined) await setThrottles(connection, throttleSettings(moves, partitions), options.throttle)
  const answers = await sendReassignments(connection, moves)
  const failed = new Map(answers.filter((a) => a.errorCode !== 0).map((a) => [reassignmentKey(a.topic, a.partition), `${errorName(a.errorCode)}${a.errorMessage ? `: ${a.errorMessage}` : ''}`]))
  result.failed = result.started.filter((s) => failed.has(reassignmentKey(s.topic, s.partition))).map((s) => ({topic: s.topic, partition: s.partition, error: failed.get(reassignmentKey(s.topic, s.partition))!}))
  result.started = result.started.filter((s) => !failed.has(reassignmentKey(s.topic, s.partition)))
  return moveDirs()
}

export interface OngoingReassignment {
  topic: string
  partition: number
  replicas: number[]
  adding: number[]
  removing: number[]
}

/** ListPartitionReassignments: what is moving right now (of `topics`, or everywhere). */
export async function listReassignments(connection: KafkaConnection, topics?: string[], selection: TopicPatternOptions = {}): Promise<OngoingReassignment[]> {
  let filter: Array<{topic: string; partitions: number[]}> | null = null
  if (topics) {
    const metadata = await connection.metadata(null)
    filter = topicsOf(metadata, topics, selection).map((t) => ({topic: t.name, partitions: t.partitions.map((p) => p.partition)}))
    if (filter.length === 0) return []
  }
  return (await fetchReassignments(connection, filter)).sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1))
}

export interface VerifyReport {
  complete: boolean
  partitions: VerifyResult[]
  /** Whether this run removed the throttle configs (only once every partition and log dir move is complete). */
  throttlesCleared: boolean
  /** The replicas with a log dir path in the plan: where each is and the state of its move. */
  logDirs: LogDirMoveStatus[]
}

/**
 * Checks a plan against the cluster. When every partition is complete the reassignment
 * throttles are removed from the plan's topics and from every broker, as Kafka's --verify does.
 */
export async function verifyReassignment(connection: KafkaConnection, plan: ReassignmentPlan, options: {keepThrottles: boolean}): Promise<VerifyReport> {
  const topics = [...new Set(plan.partitions.map((p) => p.topic))]
  const [{brokers, partitions}, ongoing, dirs] = await Promise.all([currentAssignment(connection, topics), listReassignments(connection, topics), planLogDirs(connection, plan, 'its log dir moves cannot be verified')])
  const results = verifyPlan(plan, partitions, new Set(ongoing.map((o) => reassignmentKey(o.topic, o.partition))))
  const logDirs = logDirMoveStatuses(dirs.targets, dirs.brokers)
  const complete = results.every((r) => r.state === 'complete') && logDirs.every((d) => d.state === 'complete')
  let throttlesCleared = false
  if (complete && !options.keepThrottles) {
    await clearThrottles(connection, topics, brokers.map((b) => b.id))
    throttlesCleared = true
  }
  return {complete, partitions: results, throttlesCleared, logDirs}
}

export interface CancelResult {
  cancelled: Array<{topic: string; partition: number}>
  failed: Array<{topic: string; partition: number; error: string}>
}

/** Cancels the reassignments in progress of the given partitions (every one in progress when omitted). */
export async function cancelReassignments(connection: KafkaConnection, only?: Array<{topic: string; partition: number}>): Promise<CancelResult> {
  const ongoing = await listReassignments(connection, only ? [...new Set(only.map((p) => p.topic))] : undefined)
  const wanted = only ? new Set(only.map((p) => reassignmentKey(p.topic, p.partition))) : undefined
  const targets = ongoing.filter((o) => !wanted || wanted.has(reassignmentKey(o.topic, o.partition)))
  if (targets.length === 0) return {cancelled: [], failed: []}
  const answers = await sendReassignments(connection, targets.map((t) => ({topic: t.topic, partition: t.partition, replicas: null})))
  return {
    cancelled: answers.filter((a) => a.errorCode === 0).map((a) => ({topic: a.topic, partition: a.partition})),
    failed: answers.filter((a) => a.errorCode !== 0).map((a) => ({topic: a.topic, partition: a.partition, error: errorName(a.errorCode)})),
  }
}

/**
 * Changes a topic's replication factor: a balanced plan that adds or drops replicas (keeping
 * existing ones), applied at once. The call `topics alter --replication-factor` makes.
 */
export async function changeReplicationFactor(connection: KafkaConnection, topic: string, replicationFactor: number, options: {throttle?: number; dryRun: boolean; brokers?: number[]}): Promise<ApplyResult & {plan: GeneratedPlan}> {
  const plan = await generatePlan(connection, [topic], options.brokers, replicationFactor)
  const applied = await applyPlan(connection, plan.proposed, options)
  return {...applied, plan}
}
