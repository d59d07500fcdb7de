import {setTimeout as sleep} from 'node:timers/promises'

import {KadmError} from '../errors.js'
import {isLiteralName, type NameMatchOptions, selectNames} from '../domain/name-match.js'
import {assessTopics, type PartitionMarker, type TopicHealth} from '../domain/topic-health.js'
import {type KafkaConnection, withDeadline} from './client.js'
import {BrokerUnreachable, describeKafkaError} from './connection-errors.js'
import {type ConfigEntry, type ConfigOp, describeConfigs, incrementalAlterConfigs, MIN_ISR, minInsyncReplicas, minIsrFrom, waitForConfigs} from './configs.js'
import {listOffsets, listOffsetsMany} from './offsets.js'
import {addingReplicasFor} from './partitions.js'
import {type CreatableTopic, CreateTopics} from './protocol/create-topics.js'
import {DeleteTopics} from './protocol/delete-topics.js'
import {errorName} from './protocol/errors.js'
import type {MetadataResponse, MetadataTopic} from './protocol/metadata.js'

/** Kafka's internal topics: flagged by Metadata (__consumer_offsets, __transaction_state) or named with "__". */
export function isInternalTopic(t: Pick<MetadataTopic, 'name' | 'isInternal'>): boolean {
  return t.isInternal || t.name.startsWith('__')
}

export interface TopicSelection extends NameMatchOptions {
  patterns: string[]
  /** Include internal topics matched by a pattern (an exact name always includes it). */
  internal?: boolean
}

interface Selected {
  metadata: MetadataResponse
  topics: MetadataTopic[]
  unmatched: string[]
}

/**
 * One Metadata request (for just the named topics when every pattern is an exact name, else for
 * every topic), then the names the selection picks, sorted.
 */
async function selectTopics(connection: KafkaConnection, selection: TopicSelection): Promise<Selected> {
  const metadata = await connection.metadata(metadataRequestFor(selection))
  return {metadata, ...pickTopics(metadata.topics, selection)}
}

/** The topics a Metadata request for `selection` asks for: just the names when every pattern is one, else all (null). */
export function metadataRequestFor(selection: TopicSelection): string[] | null {
  const exact = selection.patterns.length > 0 && selection.patterns.every((p) => isLiteralName(p, selection))
  return exact ? [...new Set(selection.patterns)] : null
}

/**
 * The topics of a Metadata answer that `selection` picks, sorted by name, and the patterns that
 * matched none. An internal topic is picked by its exact name, by a pattern only with `internal`.
 */
export function pickTopics(topics: readonly MetadataTopic[], selection: TopicSelection): {topics: MetadataTopic[]; unmatched: string[]} {
  const literal = new Set(selection.patterns.filter((p) => isLiteralName(p, selection)))
  const visible = topics.filter((t) => t.errorCode === 0)
  const byName = new Map(visible.map((t) => [t.name, t]))
  const candidates = visible.filter((t) => selection.internal || literal.has(t.name) || !isInternalTopic(t)).map((t) => t.name).sort()
  const {selected, unmatched} = selectNames(candidates, selection.patterns, selection)
  return {topics: selected.map((n) => byName.get(n)!), unmatched}
}

/**
 * The replicas being added by reassignments in progress, for the health markers (as TopicCommand).
 * Without the right to list reassignments they count as out of sync: a health check errs towards unhealthy.
 */
const addingOrNone = (connection: KafkaConnection, topics: readonly MetadataTopic[]) => addingReplicasFor(connection, topics).catch(() => new Map<string, number[]>())

function withAdding(topics: readonly MetadataTopic[], adding: ReadonlyMap<string, number[]>) {
  return topics.map((t) => ({name: t.name, partitions: t.partitions.map((p) => ({...p, addingReplicas: adding.get(`${t.name}\u0000${p.partition}`)}))}))
}

const replicationFactor = (t: MetadataTopic) => Math.max(0, ...t.partitions.map((p) => p.replicas.length))

export interface TopicSummary {
  name: string
  topicId: string
  internal: boolean
  partitions: number
  replicationFactor: number
  minInsyncReplicas: number | null
  health: TopicHealth
}

/** Topics with partition counts, replication factor and health: one Metadata and one DescribeConfigs request. */
export async function listTopics(connection: KafkaConnection, selection: TopicSelection): Promise<TopicSummary[]> {
  const {metadata, topics} = await selectTopics(connection, selection)
  const live = new Set(metadata.brokers.map((b) => b.nodeId))
  const [minIsr, adding] = await Promise.all([minInsyncReplicas(connection, topics.map((t) => t.name), [...live]), addingOrNone(connection, topics)])
  const reports = assessTopics(withAdding(topics, adding), minIsr, live)
  return topics.map((t, i) => {
    const {name: _n, markers: _m, ...health} = reports[i]
    return {
      name: t.name,
      topicId: t.topicId,
      internal: isInternalTopic(t),
      partitions: t.partitions.length,
      replicationFactor: replicationFactor(t),
      minInsyncReplicas: minIsr.get(t.name) ?? null,
      health,
    }
  })
}

export interface PartitionDescription {
  partition: number
  leader: number | null
  replicas: number[]
  isr: number[]
  offlineReplicas: number[]
  earliestOffset: number | null
  latestOffset: number | null
  /** latest - earliest: records currently in the log (compaction and aborted transactions aside). */
  records: number | null
  markers: PartitionMarker[]
  error?: string
}

export interface TopicDescription {
  name: string
  topicId: string
  internal: boolean
  partitionCount: number
  replicationFactor: number
  minInsyncReplicas: number | null
  /** Non-default configs, or all of them with `allConfigs`. */
  configs: ConfigEntry[]
  partitions: PartitionDescription[]
}

/**
 * Describes the selected topics: one Metadata request, then one DescribeConfigs batch and one
 * ListOffsets per leader broker for earliest and latest offsets, all in parallel.
 */
export async function describeTopics(
  connection: KafkaConnection,
  selection: TopicSelection,
  options: {allConfigs?: boolean; offsets?: boolean} = {},
): Promise<{topics: TopicDescription[]; unmatched: string[]}> {
  const selected = await selectTopics(connection, selection)
  const {metadata, unmatched} = selected
  const topics = selected.topics.map((t) => ({...t, partitions: [...t.partitions].sort((a, b) => a.partition - b.partition)}))
  // listOffsets answers in the order asked: the n-th offset belongs to the n-th partition here.
  const partitions = topics.flatMap((t) => t.partitions.map((p) => ({topic: t.name, partition: p.partition})))
  const withOffsets = options.offsets !== false
  const brokerIds = metadata.brokers.map((b) => b.nodeId)
  const configsAnswered = describeConfigs(connection, topics.map((t) => ({type: 'topic' as const, name: t.name})), {
    synonyms: false,
    spreadOver: brokerIds,
    // Only what is shown, and min.insync.replicas for the health markers.
    omitDefaultsExcept: options.allConfigs ? undefined : [MIN_ISR],
  })
  const offsetsAnswered = (async () => {
    if (!withOffsets) return [[], []]
    // DescribeConfigs of every topic takes the brokers longest: let its requests go out first
    // (once the connections are up, before the next turn of the event loop), then build the
    // ListOffsets requests while the brokers work.
    // A broker that does not answer here is reported where its partitions' offsets are asked for.
    await Promise.all(brokerIds.map((id) => connection.broker(id).catch(() => undefined)))
    await new Promise((resolve) => setImmediate(resolve))
    return listOffsetsMany(connection, partitions, ['earliest', 'latest'], {metadata: topics})
  })()
  const [configs, [earliest, latest], adding] = await Promise.all([configsAnswered, offsetsAnswered, addingOrNone(connection, topics)])
  const minIsr = minIsrFrom(configs)
  const live = new Set(metadata.brokers.map((b) => b.nodeId))
  const reports = assessTopics(withAdding(topics, adding), minIsr, live)
  let n = 0
  const described = topics.map((t, i): TopicDescription => {
    const entries = configs[i].configs
    return {
      name: t.name,
      topicId: t.topicId,
      internal: isInternalTopic(t),
      partitionCount: t.partitions.length,
      replicationFactor: replicationFactor(t),
      minInsyncReplicas: minIsr.get(t.name) ?? null,
      configs: options.allConfigs ? entries : entries.filter((c) => c.source !== 'DEFAULT_CONFIG'),
      partitions: t.partitions.map((p) => {
        const low = earliest[n]
        const high = latest[n++]
        const e = low?.offset ?? null
        const l = high?.offset ?? null
        const d: PartitionDescription = {
          partition: p.partition,
          leader: p.leader >= 0 ? p.leader : null,
          replicas: p.replicas,
          isr: p.isr,
          offlineReplicas: p.offlineReplicas,
          earliestOffset: e,
          latestOffset: l,
          records: e !== null && l !== null ? l - e : null,
          markers: reports[i].markers.get(p.partition) ?? [],
        }
        const error = low?.error ?? high?.error
        if (error) d.error = error
        return d
      }),
    }
  })
  return {topics: described, unmatched}
}

export interface NewTopic {
  name: string
  /** Omitted: the broker default (num.partitions). */
  partitions?: number
  /** Omitted: the broker default (default.replication.factor). */
  replicationFactor?: number
  assignment?: number[][]
  configs: Record<string, string>
}

export interface CreatedTopic {
  name: string
  status: 'created' | 'exists' | 'valid'
  partitions: number | null
  replicationFactor: number | null
}

const CREATE_HINTS: Record<string, string> = {
  INVALID_CONFIG: 'a --config key is unknown or its value is invalid',
  INVALID_REPLICATION_FACTOR: 'the replication factor is invalid (more than the live brokers?)',
  INVALID_PARTITIONS: 'the partition count is invalid',
  INVALID_REPLICA_ASSIGNMENT: 'the replica assignment is invalid',
  INVALID_TOPIC_EXCEPTION: 'the topic name is invalid',
  TOPIC_ALREADY_EXISTS: 'the topic already exists (use --if-not-exists)',
  POLICY_VIOLATION: 'the broker\'s create-topic policy refused it',
  TOPIC_AUTHORIZATION_FAILED: 'not authorized to create it',
  CLUSTER_AUTHORIZATION_FAILED: 'not authorized to create topics',
}

interface TopicProblem {
  topic: string
  type: string
  message: string | null
}

interface KafkaJsError {
  name?: string
  type?: string
  topic?: string
  message: string
  errors?: KafkaJsError[]
}

/** The per-topic protocol errors inside a kafkajs error (retry wrappers, then an aggregate); none for network errors. */
function kafkajsProblems(error: unknown): Array<{type: string; message: string}> {
  let e = error as KafkaJsError & {originalError?: unknown}
  for (let i = 0; i < 5 && e.originalError; i++) e = e.originalError as typeof e
  const list = e.errors && e.errors.length > 0 ? e.errors : [e]
  return list.filter((x) => x.type).map((x) => ({type: x.type!, message: x.message}))
}

/**
 * Runs a kafkajs admin call within the deadline and returns what the brokers refused (nothing
 * when it succeeded); anything else (network, auth) throws kadm's usual one-line error.
 */
async function adminCall(connection: KafkaConnection, work: Promise<unknown>, what: string): Promise<Array<{type: string; message: string}>> {
  try {
    await withDeadline(work, Math.max(connection.options.timeoutMs, 30_000), () => new KadmError(`${what} timed out`))
    return []
  } catch (error) {
    if (error instanceof KadmError) throw error
    const problems = kafkajsProblems(error)
    if (problems.length > 0) return problems
    throw describeKafkaError(error, connection.settings.bootstrapServers)
  }
}

/**
 * Sends CreateTopics (through a broker to the controller) and returns what the brokers refused,
 * topic by topic: nothing when every topic was created (or, validating only, would be).
 */
async function sendCreateTopics(connection: KafkaConnection, topics: NewTopic[], options: {validateOnly: boolean; timeoutMs: number}): Promise<TopicProblem[]> {
  const request = {topics: topics.map(creatable), timeoutMs: options.timeoutMs, validateOnly: options.validateOnly}
  const answers = await connection.sendToController(CreateTopics, request, Math.max(connection.options.timeoutMs, 30_000))
  return answers.filter((a) => a.errorCode !== 0).map((a) => ({topic: a.name, type: errorName(a.errorCode), message: a.errorMessage}))
}

/** What the broker said, or kadm's hint for its error when it said nothing more specific. */
const problemText = (p: TopicProblem) => `topic ${p.topic}: ${p.type === 'INVALID_CONFIG' && p.message ? p.message : (CREATE_HINTS[p.type] ?? p.message ?? p.type)} (${p.type})`

async function validateCreate(connection: KafkaConnection, topics: NewTopic[], timeoutMs: number): Promise<void> {
  const problems = await sendCreateTopics(connection, topics, {validateOnly: true, timeoutMs})
  if (problems.length > 0) throw new KadmError(`cannot create ${problems.map(problemText).join('; ')}`)
}

function creatable(t: NewTopic): CreatableTopic {
  return {
    name: t.name,
    numPartitions: t.assignment ? -1 : (t.partitions ?? -1),
    replicationFactor: t.assignment ? -1 : (t.replicationFactor ?? -1),
    assignments: (t.assignment ?? []).map((brokers, partition) => ({partition, brokers})),
    configs: Object.entries(t.configs).map(([name, value]) => ({name, value})),
  }
}

/**
 * Creates topics, all or none: existing names are refused (or skipped with `ifNotExists`),
 * impossible settings are caught by a validate-only request before anything is created, and it
 * returns only when every partition has a leader that answers for it.
 */
export async function createTopics(
  connection: KafkaConnection,
  topics: NewTopic[],
  options: {validateOnly: boolean; ifNotExists: boolean; timeoutMs: number},
): Promise<CreatedTopic[]> {
  const metadata = await connection.metadata(topics.map((t) => t.name))
  const existing = new Set(metadata.topics.filter((t) => t.errorCode === 0).map((t) => t.name))
  const brokers = new Set(metadata.brokers.map((b) => b.nodeId))
  const present = topics.filter((t) => existing.has(t.name))
  if (present.length > 0 && !options.ifNotExists) {
    throw new KadmError(`topic${present.length > 1 ? 's' : ''} ${present.map((t) => t.name).join(', ')} already exist${present.length > 1 ? '' : 's'}`, {hint: 'use --if-not-exists to skip existing topics'})
  }
  for (const t of topics) {
    if (t.replicationFactor !== undefined && t.replicationFactor > brokers.size) {
      throw new KadmError(`cannot create topic ${t.name}: replication factor ${t.replicationFactor} is larger than the ${brokers.size} available broker${brokers.size === 1 ? '' : 's'}`)
    }
    const unknown = [...new Set(t.assignment?.flat() ?? [])].filter((id) => !brokers.has(id))
    if (unknown.length > 0) throw new KadmError(`cannot create topic ${t.name}: --replica-assignment names unknown broker${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (brokers: ${[...brokers].sort((a, b) => a - b).join(', ')})`)
  }
  const toCreate = topics.filter((t) => !existing.has(t.name))
  if (toCreate.length > 0) await validateCreate(connection, toCreate, options.timeoutMs)
  if (toCreate.length > 0 && !options.validateOnly) {
    const problems = await sendCreateTopics(connection, toCreate, {validateOnly: false, timeoutMs: options.timeoutMs})
    if (problems.length > 0) {
      const refused = new Set(problems.map((p) => p.topic))
      const created = toCreate.filter((t) => !refused.has(t.name)).map((t) => t.name)
      throw new KadmError(`cannot create ${problems.map(problemText).join('; ')}${created.length ? `; created ${created.join(', ')}` : ''}`)
    }
    await waitForLeaders(connection, toCreate.map((t) => t.name), Math.max(30_000, options.timeoutMs))
  }
  const after = options.validateOnly || toCreate.length === 0 ? metadata : await connection.metadata(topics.map((t) => t.name))
  const byName = new Map(after.topics.filter((t) => t.errorCode === 0).map((t) => [t.name, t]))
  // A dry run creates nothing to read back: show what the broker defaults would give.
  const defaults = options.validateOnly && toCreate.some((t) => !t.assignment && (t.partitions === undefined || t.replicationFactor === undefined))
    ? await brokerTopicDefaults(connection, metadata.brokers[0]?.nodeId)
    : {}
  return topics.map((t) => {
    const found = byName.get(t.name)
    const status = existing.has(t.name) ? 'exists' : options.validateOnly ? 'valid' : 'created'
    return {
      name: t.name,
      status,
      partitions: found ? found.partitions.length : (t.assignment?.length ?? t.partitions ?? defaults.partitions ?? null),
      replicationFactor: found ? replicationFactor(found) : (t.assignment?.[0].length ?? t.replicationFactor ?? defaults.replicationFactor ?? null),
    }
  })
}

/** num.partitions and default.replication.factor as one broker has them. */
async function brokerTopicDefaults(connection: KafkaConnection, brokerId: number | undefined): Promise<{partitions?: number; replicationFactor?: number}> {
  if (brokerId === undefined) return {}
  const [result] = await describeConfigs(connection, [{type: 'broker', name: String(brokerId)}], {keys: ['num.partitions', 'default.replication.factor']})
  const value = (name: string) => {
    const v = result.configs.find((c) => c.name === name)?.value
    return v && /^\d+$/.test(v) ? Number(v) : undefined
  }
  return {partitions: value('num.partitions'), replicationFactor: value('default.replication.factor')}
}

/**
 * Each broker's own metadata for `topics`, from the brokers that answer. One that does not answer
 * within --timeout (frozen, or down and not fenced yet) is noted once as a gap, `missing` what it
 * would have told (the command then exits 4 naming it), and not asked again (`skip`): a change
 * the controller has already made is not reported as failed because one broker is silent.
 */
async function brokerViews(connection: KafkaConnection, brokers: MetadataResponse['brokers'], topics: string[], skip: Set<number>, missing: string): Promise<MetadataResponse[]> {
  const asked = brokers.filter((b) => !skip.has(b.nodeId))
  const answers = await Promise.allSettled(asked.map((b) => connection.metadataFrom(b.nodeId, topics)))
  const views: MetadataResponse[] = []
  answers.forEach((answer, i) => {
    if (answer.status === 'fulfilled') return void views.push(answer.value)
    if (!(answer.reason instanceof BrokerUnreachable)) throw answer.reason
    skip.add(asked[i].nodeId)
    connection.noteGap(answer.reason, missing)
  })
  return views
}

/**
 * Polls until every broker's metadata has every partition of `topics` (at least `minPartitions`
 * of each, when given) with a leader, and each leader answers ListOffsets for it. Then the next
 * command, whichever broker it asks, never meets "unknown topic" or "This server does not host
 * this topic-partition" (kafkajs #815).
 */
export async function waitForLeaders(connection: KafkaConnection, topics: string[], timeoutMs: number, minPartitions?: Map<string, number>): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let waitingFor = ''
  const incomplete = (metadata: MetadataResponse) => topics.filter((name) => {
    const t = metadata.topics.find((x) => x.name === name)
    return !t || t.errorCode !== 0 || t.partitions.length === 0 || t.partitions.length < (minPartitions?.get(name) ?? 0) || t.partitions.some((p) => p.leader < 0)
  })
  const silent = new Set<number>()
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    const metadata = await connection.metadata(topics)
    let missing = incomplete(metadata)
    if (missing.length === 0) {
      const views = await brokerViews(connection, metadata.brokers, topics, silent, `whether it knows the leaders of ${topics.join(', ')}`)
      missing = [...new Set(views.flatMap(incomplete))]
    }
    if (missing.length === 0) {
      const partitions = metadata.topics.flatMap((t) => t.partitions.map((p) => ({topic: t.name, partition: p.partition})))
      const offsets = await listOffsets(connection, partitions, 'latest', {metadata: metadata.topics}).catch(() => [{error: 'ListOffsets failed'}])
      const failed = offsets.filter((o) => o.error)
      if (failed.length === 0) return
      waitingFor = `${failed.length} partition leader(s) to load their logs`
    } else waitingFor = `leaders for ${missing.join(', ')}`
    if (Date.now() + delay > deadline) throw new KadmError(`created, but still waiting for ${waitingFor} after ${timeoutMs / 1000}s`)
    await sleep(delay)
  }
}

export interface TopicToDelete {
  name: string
  topicId: string
  partitions: number
  internal: boolean
}

/** What `topics delete` would remove: literal names must exist (unless ifExists); internal topics need `force`. */
export async function planTopicDeletion(
  connection: KafkaConnection,
  selection: TopicSelection,
  options: {ifExists: boolean; force: boolean},
): Promise<TopicToDelete[]> {
  const {topics, unmatched} = await selectTopics(connection, {...selection, internal: true})
  const missing = unmatched.filter((p) => isLiteralName(p, selection))
  if (missing.length > 0 && !options.ifExists) {
    throw new KadmError(`topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist`, {hint: 'use --if-exists to ignore missing topics'})
  }
  // A pattern never picks an internal topic; a literal name may, with --force.
  const literal = new Set(selection.patterns.filter((p) => isLiteralName(p, selection)))
  const chosen = topics.filter((t) => !isInternalTopic(t) || literal.has(t.name) || selection.internal)
  const internal = chosen.filter(isInternalTopic)
  if (internal.length > 0 && !options.force) {
    throw new KadmError(`refusing to delete internal topic${internal.length > 1 ? 's' : ''} ${internal.map((t) => t.name).join(', ')}`, {hint: 'add --force if you really mean it'})
  }
  return chosen.map((t) => ({name: t.name, topicId: t.topicId, partitions: t.partitions.length, internal: isInternalTopic(t)}))
}

/** Deletes topics and waits until the metadata no longer lists them. */
export async function deleteTopics(connection: KafkaConnection, names: string[], timeoutMs: number): Promise<void> {
  if (names.length === 0) return
  const answers = await connection.sendToController(DeleteTopics, {names, timeoutMs}, Math.max(connection.options.timeoutMs, 30_000))
  const refused = answers.filter((a) => a.errorCode !== 0)
  if (refused.length > 0) {
    const deleted = answers.filter((a) => a.errorCode === 0).map((a) => a.name)
    const why = refused.map((a) => `${a.name}: ${errorName(a.errorCode)}${a.errorMessage ? ` (${a.errorMessage})` : ''}`).join('; ')
    throw new KadmError(`cannot delete ${why}${deleted.length ? `; deleted ${deleted.join(', ')}` : ''}`)
  }
  const deadline = Date.now() + Math.max(30_000, timeoutMs)
  const listed = (metadata: MetadataResponse) => metadata.topics.filter((t) => t.errorCode === 0).map((t) => t.name)
  const silent = new Set<number>()
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    // Gone once every live broker's metadata has dropped them, as create waits for every broker's leaders.
    const metadata = await connection.metadata(names)
    let left = listed(metadata)
    if (left.length === 0) {
      const views = await brokerViews(connection, metadata.brokers, names, silent, `whether it has dropped ${[...names].sort().join(', ')}`)
      left = [...new Set(views.flatMap(listed))]
    }
    if (left.length === 0) return
    if (Date.now() + delay > deadline) throw new KadmError(`deletion requested, but ${left.join(', ')} still listed after ${Math.max(30_000, timeoutMs) / 1000}s`)
    await sleep(delay)
  }
}

export interface AddPartitionsResult {
  topic: string
  before: number
  after: number
  validateOnly: boolean
}

/** The one refusal for a partition count that is not larger (Kafka cannot remove partitions). */
function shrinkRefused(name: string, current: number, asked: number): KadmError {
  return new KadmError(`topic ${name} has ${current} partitions: partitions can only be added (Kafka cannot remove them), not ${asked === current ? 'kept at' : 'reduced to'} ${asked}`)
}

/**
 * The one way kadm grows a topic (partitions add, topics alter --partitions): CreatePartitions,
 * validated by the controller first; unless `validateOnly`, done, then waited for until every
 * broker knows a leader for each new partition, so that a produce right after succeeds.
 */
export async function growPartitions(
  connection: KafkaConnection,
  name: string,
  to: number,
  options: {assignments?: number[][]; validateOnly: boolean; timeoutMs: number; current?: number},
): Promise<AddPartitionsResult> {
  let before = options.current
  if (before === undefined) {
    const topic = (await connection.metadata([name])).topics.find((t) => t.name === name && t.errorCode === 0)
    if (!topic) throw new KadmError(`topic ${name} does not exist`)
    before = topic.partitions.length
  }
  if (to <= before) throw shrinkRefused(name, before, to)
  if (options.assignments && options.assignments.length !== to - before) {
    throw new KadmError(`--replica-assignment lists ${options.assignments.length} partition(s) but ${to - before} are being added`, {exitCode: 2})
  }
  const admin = await connection.admin()
  const create = async (validateOnly: boolean) => {
    const problems = await adminCall(connection, admin.createPartitions({validateOnly, timeout: options.timeoutMs, topicPartitions: [{topic: name, count: to, assignments: options.assignments}]}), 'CreatePartitions request')
    if (problems.length > 0) throw new KadmError(`cannot grow ${name} to ${to} partitions: ${problems.map((p) => `${p.message} (${p.type})`).join('; ')}`)
  }
  await create(true)
  if (!options.validateOnly) {
    await create(false)
    await waitForLeaders(connection, [name], Math.max(30_000, options.timeoutMs), new Map([[name, to]]))
  }
  return {topic: name, before, after: to, validateOnly: options.validateOnly}
}

export interface TopicAlteration {
  topic: string
  partitions: {from: number; to: number} | null
  configs: ConfigOp[]
  dryRun: boolean
}

/**
 * Grows a topic's partitions and changes named config keys (IncrementalAlterConfigs: other keys
 * untouched). Everything is validated by the brokers before anything is applied.
 */
export async function alterTopic(
  connection: KafkaConnection,
  name: string,
  change: {partitions?: number; configs: ConfigOp[]},
  options: {dryRun: boolean; timeoutMs: number},
): Promise<TopicAlteration> {
  const metadata = await connection.metadata([name])
  const topic = metadata.topics.find((t) => t.name === name && t.errorCode === 0)
  if (!topic) throw new KadmError(`topic ${name} does not exist`)
  const current = topic.partitions.length
  let partitions: TopicAlteration['partitions'] = null
  if (change.partitions !== undefined) {
    if (change.partitions < current) throw shrinkRefused(name, current, change.partitions)
    if (change.partitions > current) partitions = {from: current, to: change.partitions}
  }
  const configResource = [{type: 'topic' as const, name, ops: change.configs}]
  // Everything validated before anything changes: the configs, then the partitions (validated,
  // and unless a dry run added and waited for), then the configs applied.
  if (change.configs.length > 0) await incrementalAlterConfigs(connection, configResource, true)
  if (partitions) await growPartitions(connection, name, partitions.to, {validateOnly: options.dryRun, timeoutMs: options.timeoutMs, current})
  if (!options.dryRun) {
    if (change.configs.length > 0) {
      await incrementalAlterConfigs(connection, configResource, false)
      await waitForConfigs(connection, configResource, 'configs changed')
    }
  }
  return {topic: name, partitions, configs: change.configs, dryRun: options.dryRun}
}

