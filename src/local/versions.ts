import {UsageError} from '../errors.js'

/** The default line for `kadm local start`: the newest 4.x release on Maven Central. */
export const DEFAULT_KAFKA_VERSION_SPEC = '4.x'

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
  throw new UsageError(`--kafka-version "${spec}" is not a version: use e.g. 4.3.1, 4.x or 3.9.x`)
}

export function majorOf(version: string): number {
  return Number(version.split('.')[0])
}

/** ConsoleProducer moved from the core jar to kafka-tools in 4.0. */
export function consoleProducerClass(version: string): string {
  return majorOf(version) >= 4 ? 'org.apache.kafka.tools.ConsoleProducer' : 'kafka.tools.ConsoleProducer'
}
