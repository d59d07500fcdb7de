import {KadmError} from '../errors.js'
import {featureLevelName, type FeatureLevel} from '../domain/features.js'
import type {KafkaConnection} from './client.js'
import {describeFeatures} from './cluster.js'
import {errorName} from './protocol/errors.js'
import {UpdateFeatures, type UpgradeType} from './protocol/update-features.js'

export interface FeatureChange {
  feature: string
  /** The finalized level before the change (0: off), and the one asked for. */
  fromLevel: number
  toLevel: number
  /** The same by name (metadata.version: "3.9-IV0"; other features: the number). */
  from: string
  to: string
}

export interface FeatureChangeResult {
  upgradeType: UpgradeType
  /** True when the controller only validated the change (--dry-run): nothing was changed. */
  dryRun: boolean
  changes: FeatureChange[]
}

const ADVERBS: Record<UpgradeType, string> = {upgrade: '', 'safe-downgrade': '', 'unsafe-downgrade': 'unsafely '}

/** "upgrade metadata.version to 3.9-IV0", "unsafely disable group.version": what a refusal names. */
function describeChange(c: FeatureChange, upgradeType: UpgradeType): string {
  const verb = upgradeType === 'upgrade' ? 'upgrade' : c.toLevel === 0 ? 'disable' : 'downgrade'
  return `${ADVERBS[upgradeType]}${verb} ${c.feature}${verb === 'disable' ? '' : ` to ${c.to}`}`
}

/**
 * Sets finalized feature levels as kafka-features.sh upgrade/downgrade/disable does, with
 * UpdateFeatures through a broker to the controller. `dryRun`: the controller only validates.
 * `confirm` (destructive changes): the controller validates first, so that nobody is asked about
 * a change it refuses; the change is made once `confirm` resolves. A refusal is one line with
 * the controller's reason.
 */
export async function changeFeatures(connection: KafkaConnection, levels: FeatureLevel[], options: {upgradeType: UpgradeType; dryRun: boolean; confirm?: (changes: FeatureChange[]) => Promise<void>}): Promise<FeatureChangeResult> {
  const current = await describeFeatures(connection)
  const changes = levels.map(({feature, level}): FeatureChange => {
    const fromLevel = current.features.find((f) => f.name === feature)?.finalizedVersionLevel ?? 0
    return {feature, fromLevel, toLevel: level, from: featureLevelName(feature, fromLevel), to: featureLevelName(feature, level)}
  })
  const send = (validateOnly: boolean) => updateFeatures(connection, changes, options.upgradeType, validateOnly)
  if (options.dryRun || options.confirm) await send(true)
  if (!options.dryRun) {
    await options.confirm?.(changes)
    await send(false)
  }
  return {upgradeType: options.upgradeType, dryRun: options.dryRun, changes}
}

async function updateFeatures(connection: KafkaConnection, changes: FeatureChange[], upgradeType: UpgradeType, validateOnly: boolean): Promise<void> {
  const waitMs = Math.max(connection.options.timeoutMs, 30_000)
  const response = await connection.sendToController(UpdateFeatures, {
    timeoutMs: waitMs,
    updates: changes.map((c) => ({feature: c.feature, level: c.toLevel, upgradeType})),
    validateOnly,
  }, waitMs)
  const refusal = (code: number, message: string | null) => `${errorName(code)}${message ? ` (${message})` : ''}`
  const what = (names: string[]) => changes.filter((c) => names.includes(c.feature)).map((c) => describeChange(c, upgradeType)).join(', ')
  if (response.errorCode !== 0) {
    throw new KadmError(`cannot ${what(changes.map((c) => c.feature))}: ${refusal(response.errorCode, response.errorMessage)}`)
  }
  const failed = response.results.filter((r) => r.errorCode !== 0)
  if (failed.length) throw new KadmError(`cannot ${failed.map((r) => `${what([r.feature])}: ${refusal(r.errorCode, r.errorMessage)}`).join('; ')}`)
}
