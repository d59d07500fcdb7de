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
