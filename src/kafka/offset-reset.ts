import {
  activeGroupMessage, isResettable, partitionLists, planGroupReset, resolveScopes,
  type PartitionFacts, type PlanRow, type ResetTarget, type TopicPartition, type TopicScope,
} from '../domain/offset-reset.js'
import type {KafkaConnection} from './client.js'
import {commitGroupOffsets} from './group-offsets.js'
import {COORDINATOR_UNREACHABLE, describeGroups, fetchCommittedOffsets, findCoordinators} from './groups.js'
import {listOffsetsMany} from './offsets.js'

export interface ResetRequest {
  groups: string[]
  scopes: TopicScope[]
  /** The partitions the group already has committed offsets for. */
  allTopics: boolean
  target: ResetTarget
}

export interface GroupResetPlan {
  group: string
  state: string
  rows: PlanRow[]
}

export interface PreparedReset {
  groups: GroupResetPlan[]
  warnings: string[]
  /** Reasons the plan cannot be applied (all-or-nothing). */
  problems: string[]
  /** Groups that have active members, one line each. */
  refusals: string[]
  /** Each group's coordinator, for applyReset. */
  coordinators: Map<string, number>
}

const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`

/**
 * Everything ConsumerGroupCommand looks up before a reset, batched: one FindCoordinator for every
 * group, then per coordinator one describe and one OffsetFetch for all its groups (groups.ts), and
 * one ListOffsets per leader.
 */
export async function prepareReset(connection: KafkaConnection, request: ResetRequest): Promise<PreparedReset> {
  const {target} = request
  // Everything that does not depend on another answer goes out at once: the coordinators (then
  // group states and committed offsets), the topics named on the command line (or in the file),
  // and connections to their leaders.
  const namedTopics = [...new Set([...request.scopes.map((s) => s.topic), ...(target.kind === 'file' ? target.offsets.map((o) => o.topic) : [])])]
  const namedMetadata = namedTopics.length ? connection.metadata(namedTopics) : Promise.resolve(undefined)
  const warmLeaders = namedMetadata.then(async (md) => {
    const leaders = new Set(md?.topics.flatMap((t) => t.partitions.map((p) => p.leader)).filter((id) => id >= 0))
    // A leader that does not answer fails the reset below, when its offsets are read.
    await Promise.all([...leaders].map((id) => connection.broker(id).catch(() => undefined)))
  })
  const readGroups = async () => {
    const ids = [...new Set([...request.groups, ...(target.kind === 'group' ? [target.from] : [])])]
    const coordinators = await findCoordinators(connection, ids)
    const [described, offsets] = await Promise.all([
      describeGroups(connection, request.groups, {coordinators}),
      fetchCommittedOffsets(connection, ids, {coordinators}),
    ])
    return {coordinators, described, offsets}
  }
  const [{coordinators, described, offsets}] = await Promise.all([readGroups(), warmLeaders])
  // A group that does not exist is described as Dead with no members (and can be reset).
  const stateOf = new Map(described.map((d) => [d.groupId, d]))
  const states = request.groups.map((g) => stateOf.get(g) ?? {groupId: g, state: 'Dead', members: []})
  const refusals = states.filter((s) => !isResettable(s.state))
    .map((s) => activeGroupMessage(s.groupId, s.state, s.members.map((m) => ({memberId: m.memberId, clientId: m.clientId, clientHost: m.host}))))
  const source = target.kind === 'group' ? offsets.get(target.from) ?? [] : []
  // Every group's committed offsets: the plan shows them, and --shift-by, --to-current, --all-topics use them.
  const committed = new Map(request.groups.map((g) => [g, new Map((offsets.get(g) ?? []).map((c) => [key(c), c.offset]))]))

  const problems: string[] = []
  // Nothing is committed for a group whose state and offsets could not be read.
  for (const s of states) if (s.state === COORDINATOR_UNREACHABLE) problems.push(`group ${s.groupId}: its coordinator did not answer`)
  // The partitions asked for, per group, with the offsets a file or another group gives.
  const wanted = new Map<string, {partitions: TopicPartition[]; requested?: Map<string, number>}>()
  for (const g of request.groups) {
    if (target.kind === 'file') {
      const rows = target.offsets.filter((o) => o.group === g)
      if (rows.length === 0) problems.push(`${target.path} has no offsets for group ${g}`)
      wanted.set(g, {partitions: rows.map(({topic, partition}) => ({topic, partition})), requested: new Map(rows.map((r) => [key(r), r.offset]))})
    } else if (target.kind === 'group' && request.scopes.length === 0) {
      wanted.set(g, {partitions: source.map(({topic, partition}) => ({topic, partition})), requested: new Map(source.map((s) => [key(s), s.offset]))})
      if (source.length === 0) problems.push(`group ${target.from} has no committed offsets to copy`)
    } else if (request.allTopics) {
      wanted.set(g, {partitions: [...committed.get(g)!.keys()].map((k) => {
        const [topic, partition] = k.split('\u0000')
        return {topic, partition: Number(partition)}
      })})
    } else {
      wanted.set(g, {partitions: [], requested: target.kind === 'group' ? new Map(source.map((s) => [key(s), s.offset])) : undefined})
    }
  }

  // One Metadata request for every topic involved: expands --topic t and checks partitions exist.
  const topics = new Set(request.scopes.map((s) => s.topic))
  for (const w of wanted.values()) for (const tp of w.partitions) topics.add(tp.topic)
  const named = (await namedMetadata)?.topics ?? []
  const metadata = [...topics].every((t) => named.some((m) => m.name === t)) ? named : (await connection.metadata([...topics])).topics
  const lists = partitionLists(metadata)
  const scoped = request.scopes.length ? resolveScopes(request.scopes, lists) : undefined
  if (scoped) {
    for (const t of scoped.missingTopics) problems.push(`topic ${t} does not exist`)
    for (const tp of scoped.missing) problems.push(`partition ${tp.topic}:${tp.partition} does not exist`)
    const inScope = new Set(scoped.partitions.map(key))
    for (const w of wanted.values()) {
      w.partitions = w.partitions.length || request.allTopics || target.kind === 'file'
        ? w.partitions.filter((tp) => inScope.has(key(tp)))
        : scoped.partitions
    }
  }
  const all = new Map<string, TopicPartition>()
  for (const w of wanted.values()) {
    for (const tp of w.partitions) {
      if (!lists.get(tp.topic)?.includes(tp.partition)) {
        const line = lists.has(tp.topic) ? `partition ${tp.topic}:${tp.partition} does not exist` : `topic ${tp.topic} does not exist`
        if (!problems.includes(line)) problems.push(line)
      } else all.set(key(tp), tp)
    }
  }

  const partitions = [...all.values()]
  const timestamp = target.kind === 'datetime' || target.kind === 'duration' ? target.timestamp : undefined
  const [starts, ends, atTime = []] = await listOffsetsMany(connection, partitions,
    timestamp === undefined ? ['earliest', 'latest'] : ['earliest', 'latest', {timestamp}], {metadata})
  const startOf = new Map(starts.map((o) => [key(o), o]))
  const endOf = new Map(ends.map((o) => [key(o), o]))
  const atTimeOf = new Map(atTime.map((o) => [key(o), o]))
  for (const o of [...starts, ...ends, ...atTime]) {
    if (o.error) problems.push(`cannot read the offsets of ${o.topic}:${o.partition}: ${o.error}`)
  }

  const warnings: string[] = []
  const groups: GroupResetPlan[] = request.groups.map((g, i) => {
    const w = wanted.get(g)!
    const facts: PartitionFacts[] = w.partitions.filter((tp) => all.has(key(tp))).map((tp) => ({
      ...tp,
      logStartOffset: startOf.get(key(tp))?.offset ?? 0,
      logEndOffset: endOf.get(key(tp))?.offset ?? 0,
      committedOffset: committed.get(g)?.get(key(tp)) ?? null,
      requestedOffset: timestamp !== undefined ? atTimeOf.get(key(tp))?.offset ?? null : w.requested ? w.requested.get(key(tp)) ?? null : undefined,
    }))
    const plan = planGroupReset(g, target, facts)
    warnings.push(...plan.warnings)
    problems.push(...plan.problems)
    return {group: g, state: states[i].state, rows: plan.rows}
  })
  return {groups, warnings, problems: [...new Set(problems)], refusals, coordinators}
}

/** Commits every group's plan (one OffsetCommit per group, at the coordinators prepareReset found); marks each row with null or Kafka's error. */
export async function applyReset(connection: KafkaConnection, groups: GroupResetPlan[], coordinators?: Map<string, number>): Promise<void> {
  await Promise.all(groups.map(async (g) => {
    const results = await commitGroupOffsets(connection, g.group, g.rows.map((r) => ({topic: r.topic, partition: r.partition, offset: r.newOffset})), {coordinators})
    const errors = new Map(results.map((r) => [key(r), r.error]))
    for (const row of g.rows) row.error = errors.has(key(row)) ? errors.get(key(row))! : 'NO_RESPONSE'
  }))
}
