import * as Flags from '@oclif/core/flags'

/** The flags of `cluster features upgrade|downgrade`, named as kafka-features.sh names them. */
export const featureLevelFlags = {
  'release-version': Flags.string({summary: 'Set metadata.version to this release (3.9 or 3.9-IV0) and every other feature to the level Kafka gives it in that release (kafka-features.sh version-mapping).'}),
  metadata: Flags.string({summary: 'Set metadata.version to this release: 3.9 (its last level) or 3.9-IV0.'}),
  feature: Flags.string({summary: 'NAME=LEVEL, e.g. group.version=1 (metadata.version also by name: metadata.version=3.9-IV0); repeatable.', multiple: true, multipleNonGreedy: true}),
  'dry-run': Flags.boolean({summary: 'Only ask the controller whether it would accept the change (UpdateFeatures validateOnly); nothing is changed.', default: false}),
}

/** Downgrades and disabling lose what the newer levels wrote: confirmed, and safe unless --unsafe. */
export const featureDowngradeFlags = {
  unsafe: Flags.boolean({summary: 'Allow a downgrade that may irreversibly lose metadata (UNSAFE_DOWNGRADE); the controller refuses it otherwise.'}),
  yes: Flags.boolean({char: 'y', summary: 'Do it without asking (required when stdin or stdout is not a terminal).'}),
}
