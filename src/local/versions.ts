import {UsageError} from '../errors.js'

/**
 * The Kafka releases this kadm is tested against, newest first: the test suite and the benchmarks
 * run exactly these, and `kadm local start` defaults to the first. Moving to a new release is a
 * change of this line and a green `npm test`.
 */
export const TESTED_KAFKA_VERSIONS = ['4.4.0', '3.9.2'] as const

/** The default of `kadm local start`: the newest release kadm has been tested with. */
export const DEFAULT_KAFKA_VERSION = TESTED_KAFKA_VERSIONS[0]

export function isTestedKafkaVersion(version: string): boolean {
  return (TESTED_KAFKA_VERSIONS as readonly string[]).includes(version)
}

export type VersionRequest =
  | {kind: 'exact'; version: string}
  /** A Maven version range, resolved to its newest release by mvn. */
  | {kind: 'range'; range: string; label: string}

/**
 * "4.3.1" is exact; "4", "4.x", "3.9", "3.9.x" mean the newest release of that line.
 */
export function parseVersionSpec(spec: string): VersionRequest {
  const text = spec.trim()
  let match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (match) return {kind: 'exact', version: text}
  match = /^(\d+)(?:\.x)?$/.exec(text)
  if (match) {
    const major = Number(match[1])
    return {kind: 'range', range: `[${major},${major + 1})`, label: `${major}.x`}
  }
  match = /^(\d+)\.(\d+)(?:\.x)?$/.exec(text)
  if (match) {
    const major = Number(match[1])
    const minor = Number(match[2])
    return {kind: 'range', range: `[${major}.${minor},${major}.${minor + 1})`, label: `${major}.${minor}.x`}
  }
  throw new UsageError(`--kafka-version "${spec}" is not a version: use e.g. ${DEFAULT_KAFKA_VERSION}, 4.x or 3.9.x`)
}

export function majorOf(version: string): number {
  return Number(version.split('.')[0])
}

/** -1, 0 or 1 as release `a` is older than, the same as or newer than `b` (numeric parts only). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0)
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

/**
 * Kafka's own command-line tools by the name of their script's class, and where each class lives:
 * Kafka moves them from the Scala core (`kafka.*`) to the Java tools (`org.apache.kafka.tools.*`)
 * release by release. Each entry lists the class from a release on, newest first.
 */
const TOOL_CLASSES = {
  Kafka: [{since: '0', className: 'kafka.Kafka'}],
  StorageTool: [{since: '0', className: 'kafka.tools.StorageTool'}],
  TopicCommand: [{since: '0', className: 'org.apache.kafka.tools.TopicCommand'}],
  ConfigCommand: [{since: '4.4.0', className: 'org.apache.kafka.tools.ConfigCommand'}, {since: '0', className: 'kafka.admin.ConfigCommand'}],
  AclCommand: [{since: '4.0.0', className: 'org.apache.kafka.tools.AclCommand'}, {since: '0', className: 'kafka.admin.AclCommand'}],
  ConsoleProducer: [{since: '4.0.0', className: 'org.apache.kafka.tools.ConsoleProducer'}, {since: '0', className: 'kafka.tools.ConsoleProducer'}],
  ConsoleConsumer: [{since: '0', className: 'org.apache.kafka.tools.consumer.ConsoleConsumer'}],
  ConsumerGroupCommand: [{since: '0', className: 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand'}],
  GetOffsetShell: [{since: '0', className: 'org.apache.kafka.tools.GetOffsetShell'}],
  LogDirsCommand: [{since: '0', className: 'org.apache.kafka.tools.LogDirsCommand'}],
  LeaderElectionCommand: [{since: '0', className: 'org.apache.kafka.tools.LeaderElectionCommand'}],
  MetadataQuorumCommand: [{since: '0', className: 'org.apache.kafka.tools.MetadataQuorumCommand'}],
  FeatureCommand: [{since: '0', className: 'org.apache.kafka.tools.FeatureCommand'}],
  TransactionsCommand: [{since: '0', className: 'org.apache.kafka.tools.TransactionsCommand'}],
  GroupsCommand: [{since: '4.0.0', className: 'org.apache.kafka.tools.GroupsCommand'}],
  ShareGroupCommand: [{since: '4.1.0', className: 'org.apache.kafka.tools.consumer.group.ShareGroupCommand'}],
  ConsoleShareConsumer: [{since: '4.1.0', className: 'org.apache.kafka.tools.consumer.ConsoleShareConsumer'}],
  ReassignPartitionsCommand: [{since: '0', className: 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand'}],
  ProducerPerformance: [{since: '0', className: 'org.apache.kafka.tools.ProducerPerformance'}],
  ConsumerPerformance: [{since: '0', className: 'org.apache.kafka.tools.ConsumerPerformance'}],
  DumpLogSegments: [{since: '4.3.0', className: 'org.apache.kafka.tools.DumpLogSegments'}, {since: '0', className: 'kafka.tools.DumpLogSegments'}],
} as const satisfies Record<string, ReadonlyArray<{since: string; className: string}>>

export type KafkaTool = keyof typeof TOOL_CLASSES

/** The Java class that runs `tool` in Kafka `version` (what its bin/kafka-*.sh script runs). */
export function kafkaToolClass(tool: KafkaTool, version: string): string {
  const found = TOOL_CLASSES[tool].find((entry) => compareVersions(version, entry.since) >= 0)
  if (!found) throw new Error(`Kafka ${version} has no ${tool} (it came with ${TOOL_CLASSES[tool].at(-1)!.since})`)
  return found.className
}

/** Every tool Kafka `version` has, with its class. */
export function kafkaToolClasses(version: string): Partial<Record<KafkaTool, string>> {
  const tools = (Object.keys(TOOL_CLASSES) as KafkaTool[]).filter((tool) => TOOL_CLASSES[tool].some((entry) => compareVersions(version, entry.since) >= 0))
  return Object.fromEntries(tools.map((tool) => [tool, kafkaToolClass(tool, version)]))
}
