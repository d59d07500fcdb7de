import {type CheckSnapshot, type TopicConfigs} from '../domain/cluster-check.js'
import {partitionKey} from '../domain/lag.js'
import type {KafkaConnection} from './client.js'
import {describeConfigs, MIN_ISR, minIsrFrom} from './configs.js'
import {firstRecords, loadGroupLags, recordKey, recordTimestamps, type RecordAt} from './groups.js'
import {listOffsetsMany} from './offsets.js'
import {addingReplicasFor, describeLogDirs, partitionStates, topicsOf} from './partitions.js'
import type {MetadataTopic} from './protocol/metadata.js'

/** The topic configs the checks read, asked for in one DescribeConfigs per broker. */
const CHECKED_CONFIGS = [MIN_ISR, 'unclean.leader.election.enable', 'cleanup.policy', 'retention.ms', 'retention.bytes', 'segment.ms', 'segment.bytes']

export interface CheckScope {
  /** Topic names or patterns (every topic when empty). */
  topics: string[]
  regex: boolean
  /** Group ids, or null for every group. */
  groupIds: string[] | null
  /** Read the last record each empty group consumed (for the empty-group check). */
  emptyGroupAges: boolean
  /** Read the first and last record of each compacted topic's partitions (for the compact-without-keys check). */
  compactKeys: boolean
  onUnmatched?: (patterns: string[]) => void
}

/**
 * Everything `cluster check` judges, in one pass with batched requests: one Metadata, one
 * DescribeConfigs per broker for the topics, one DescribeLogDirs per broker (volume sizes only),
 * the group lag of loadGroupLags (per coordinator and per leader), one Fetch round per leader
 * for the last records empty groups consumed, and for compacted topics one ListOffsets and one
 * Fetch round per leader for the first and last record of each partition.
 */
export async function loadCheckSnapshot(connection: KafkaConnection, scope: CheckScope): Promise<CheckSnapshot> {
  const metadata = await connection.metadata(null)
  const topics = topicsOf(metadata, scope.topics, {regex: scope.regex, onUnmatched: scope.onUnmatched})
  const brokers = metadata.brokers.map((b) => b.nodeId).sort((a, b) => a - b)
  const describing = describeConfigs(connection, topics.map((t) => ({type: 'topic' as const, name: t.name})), {keys: CHECKED_CONFIGS, spreadOver: brokers})
  const [configs, keyless, adding, logDirs, lags] = await Promise.all([
    describing,
    scope.compactKeys ? describing.then((found) => {
      const compacted = new Set(found.filter((r) => isCompacted(r.configs)).map((r) => r.name))
      return keylessPartitions(connection, topics.filter((t) => !t.isInternal && compacted.has(t.name)))
    }) : [],
    addingReplicasFor(connection, topics),
    // No topics: the volumes' sizes are what is wanted, not every replica's.
    describeLogDirs(connection, []),
    loadGroupLags(connection, {groupIds: scope.groupIds, timeLag: true, logStarts: true}),
  ])
  const configsOf = new Map(configs.map((r) => [r.name, Object.fromEntries(r.configs.map((c) => [c.name, c.value]))]))
  const partitions = partitionStates(topics, minIsrFrom(configs), adding, new Set(brokers))
  const topicConfigs: TopicConfigs[] = topics.map((t) => ({
    topic: t.name,
    internal: t.isInternal,
    replicationFactor: Math.max(0, ...t.partitions.map((p) => p.replicas.length)),
    configs: configsOf.get(t.name) ?? {},
  }))

  // The last record an empty group consumed is the one before its committed offset, where it still exists.
  const lastConsumed = new Map<string, number | null>()
  if (scope.emptyGroupAges) {
    const wanted: RecordAt[] = []
    for (const g of lags.groups.filter((g) => g.state === 'Empty')) {
      for (const p of g.partitions) {
        if (p.committed !== null && p.committed > (lags.logStarts.get(partitionKey(p.topic, p.partition)) ?? 0)) wanted.push({topic: p.topic, partition: p.partition, offset: p.committed - 1})
      }
    }
    const timestamps = wanted.length === 0 ? new Map<string, number | null>() : await recordTimestamps(connection, wanted, (await connection.metadata([...new Set(wanted.map((w) => w.topic))])).topics)
    for (const g of lags.groups.filter((g) => g.state === 'Empty')) {
      const seen = g.partitions.flatMap((p) => (p.committed === null ? [] : [timestamps.get(recordKey(p.topic, p.partition, p.committed - 1))])).filter((ts): ts is number => typeof ts === 'number')
      lastConsumed.set(g.groupId, seen.length === 0 ? null : Math.max(...seen))
    }
  }
  return {
    brokers,
    partitions,
    placement: metadata.topics.filter((t) => t.errorCode === 0).flatMap((t) => t.partitions.map((p) => ({leader: p.leader, replicas: p.replicas}))),
    topics: topicConfigs,
    logDirs: logDirs.logDirs.map((d) => ({broker: d.broker, logDir: d.logDir, totalBytes: d.totalBytes, usableBytes: d.usableBytes})),
    keyless,
    groups: lags.groups,
    logStarts: lags.logStarts,
    lastConsumed,
    at: lags.at,
  }
}

const isCompacted = (configs: ReadonlyArray<{name: string; value: string | null}>) =>
  (configs.find((c) => c.name === 'cleanup.policy')?.value ?? '').split(',').map((p) => p.trim()).includes('compact')

/**
 * The partitions (topic-N) of compacted topics whose first or last record has a null key. A broker
 * refuses keyless records for a compacted topic, so they were written before the topic became
 * compacted: the two ends of the log are where they are found (the oldest data, and the last
 * record before keyless producers started to be refused).
 */
async function keylessPartitions(connection: KafkaConnection, topics: MetadataTopic[]): Promise<string[]> {
  const partitions = topics.flatMap((t) => t.partitions.filter((p) => p.leader >= 0).map((p) => ({topic: t.name, partition: p.partition})))
  if (partitions.length === 0) return []
  const [starts, ends] = await listOffsetsMany(connection, partitions, ['earliest', 'latest'], {metadata: topics})
  const wanted: RecordAt[] = []
  partitions.forEach((p, i) => {
    const start = starts[i].offset
    const end = ends[i].offset
    if (start !== null && end !== null && end > start) wanted.push({...p, offset: start}, {...p, offset: end - 1})
  })
  const records = wanted.length === 0 ? new Map() : await firstRecords(connection, wanted, topics)
  const found = new Set(wanted.filter((w) => records.get(recordKey(w.topic, w.partition, w.offset))?.keyless === true).map((w) => `${w.topic}-${w.partition}`))
  return [...found]
}
