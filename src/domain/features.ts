import {UsageError} from '../errors.js'

/**
 * metadata.version levels by the names Kafka gives them (MetadataVersion, from level 1: 3.0-IV1;
 * Kafka 3.9 supports it from there, 4.x from 3.3-IV3; 4.4-IV2 is the newest Kafka 4.4.0 runs in
 * production), as kafka-features.sh prints them. A level kadm does not know yet is "level N".
 */
const METADATA_VERSIONS = [
  '3.0-IV1', '3.1-IV0', '3.2-IV0', '3.3-IV0', '3.3-IV1', '3.3-IV2', '3.3-IV3', '3.4-IV0', '3.5-IV0', '3.5-IV1', '3.5-IV2', '3.6-IV0', '3.6-IV1', '3.6-IV2', '3.7-IV0', '3.7-IV1', '3.7-IV2', '3.7-IV3', '3.7-IV4', '3.8-IV0', '3.9-IV0',
  '4.0-IV0', '4.0-IV1', '4.0-IV2', '4.0-IV3', '4.1-IV0', '4.1-IV1', '4.2-IV0', '4.2-IV1', '4.3-IV0', '4.4-IV0', '4.4-IV1', '4.4-IV2',
] as const
/** The level of the first name above. */
const FIRST_LEVEL = 1

export const METADATA_VERSION = 'metadata.version'

/** A feature level as kafka-features.sh shows it: metadata.version by its name, the others as numbers. */
export function featureLevelName(feature: string, level: number): string {
  if (feature !== METADATA_VERSION) return String(level)
  return METADATA_VERSIONS[level - FIRST_LEVEL] ?? `level ${level}`
}

/**
 * The levels Kafka gives the other features at a metadata.version (what `kafka-features.sh
 * version-mapping --release-version` prints, from Kafka 4.4.0's Feature defaults): each feature's
 * [first metadata.version level, feature level] steps. Checked against FeatureCommand in the tests.
 */
const RELEASE_DEFAULTS: ReadonlyArray<[feature: string, steps: ReadonlyArray<[metadataLevel: number, level: number]>]> = [
  ['kraft.version', [[21, 1]]],
  ['transaction.version', [[24, 2]]],
  ['group.version', [[22, 1]]],
  ['eligible.leader.replicas.version', [[26, 1]]],
  ['share.version', [[28, 1], [31, 2]]],
  ['streams.version', [[29, 1]]],
]

export interface FeatureLevel {
  feature: string
  level: number
}

/**
 * The metadata.version level of a release as kafka-features.sh and kafka-storage.sh read it: a
 * full name ("3.7-IV4") or a release ("3.7": its last level, 3.7-IV4).
 */
export function metadataVersionLevel(release: string): number {
  const exact = METADATA_VERSIONS.indexOf(release as (typeof METADATA_VERSIONS)[number])
  const index = exact >= 0 ? exact : METADATA_VERSIONS.findLastIndex((name) => name.startsWith(`${release}-`))
  if (index < 0) throw new UsageError(`unknown release "${release}": kadm knows metadata.version ${METADATA_VERSIONS[0]} to ${METADATA_VERSIONS.at(-1)} (e.g. 3.9 or 3.9-IV0)`)
  return index + FIRST_LEVEL
}

/**
 * What `kafka-features.sh upgrade --release-version` sets: metadata.version at the release, and
 * each other feature Kafka turns on by that release at its level (features still off are left out).
 */
export function releaseFeatureLevels(release: string): FeatureLevel[] {
  const metadataLevel = metadataVersionLevel(release)
  const others = RELEASE_DEFAULTS.map(([feature, steps]) => ({feature, level: steps.findLast(([from]) => metadataLevel >= from)?.[1] ?? 0}))
  return [{feature: METADATA_VERSION, level: metadataLevel}, ...others.filter((f) => f.level > 0)]
}

/** `name=level` of --feature: a number (0 turns the feature off), or for metadata.version also a release ("3.9-IV0"). */
export function parseFeatureLevel(text: string): FeatureLevel {
  const match = /^([^=\s]+)=(\S+)$/.exec(text)
  if (!match) throw new UsageError(`--feature "${text}": expected NAME=LEVEL, e.g. group.version=1`)
  const [, feature, level] = match
  if (/^\d+$/.test(level) && Number(level) <= 32_767) return {feature, level: Number(level)}
  if (feature === METADATA_VERSION) return {feature, level: metadataVersionLevel(level)}
  throw new UsageError(`--feature "${text}": the level must be a whole number from 0 to 32767`)
}

/**
 * The levels asked for by the flags of `cluster features upgrade|downgrade` (as kafka-features.sh
 * takes them): --release-version alone, or --metadata and --feature together, each feature once.
 */
export function requestedFeatureLevels(flags: {metadata?: string; 'release-version'?: string; feature?: string[]}): FeatureLevel[] {
  const features = (flags.feature ?? []).map((f) => parseFeatureLevel(f))
  if (flags['release-version'] !== undefined) {
    if (flags.metadata !== undefined || features.length) throw new UsageError('--release-version sets every feature: leave out --metadata and --feature')
    return releaseFeatureLevels(flags['release-version'])
  }
  const levels = [...(flags.metadata === undefined ? [] : [{feature: METADATA_VERSION, level: metadataVersionLevel(flags.metadata)}]), ...features]
  if (!levels.length) throw new UsageError('nothing to change: pass --release-version, --metadata or --feature NAME=LEVEL')
  const twice = levels.find((l, i) => levels.findIndex((o) => o.feature === l.feature) !== i)
  if (twice) throw new UsageError(`${twice.feature} is given twice`)
  return levels
}
