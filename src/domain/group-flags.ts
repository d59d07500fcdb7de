import {UsageError} from '../errors.js'

/** Kafka's group state names, classic and consumer protocol. */
export const GROUP_STATE_NAMES = ['Stable', 'Empty', 'PreparingRebalance', 'CompletingRebalance', 'Assigning', 'Reconciling', 'Dead'] as const

/** `--state stable,empty` → Kafka's spelling (Stable, Empty); unknown names are a usage error. */
export function parseStates(values: readonly string[] | undefined): string[] {
  const out: string[] = []
  for (const value of (values ?? []).flatMap((v) => v.split(','))) {
    const name = value.trim()
    if (!name) continue
    const known = GROUP_STATE_NAMES.find((s) => s.toLowerCase() === name.toLowerCase())
    if (!known) throw new UsageError(`--state "${name}" is not a group state (${GROUP_STATE_NAMES.join(', ')})`)
    out.push(known)
  }
  return [...new Set(out)]
}
