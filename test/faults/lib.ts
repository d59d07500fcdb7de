import {FaultCluster} from '../helpers/fault-cluster.js'

/** What every scenario of `npm run faults` gets: the Kafka release to break, and its own ports. */
export interface FaultContext {
  kafkaVersion: string
  /** First broker port of the scenario's own cluster (each scenario gets a distinct range). */
  port: number
}

/**
 * One tool's figures in one scenario: records written or expected, and what went wrong. Figures,
 * not timings: a resilient tool has 0 lost, 0 duplicated and 0 failed commands.
 */
export interface FaultResult {
  scenario: string
  tool: string
  records: number
  lost: number
  duplicated: number
  failedCommands: number
  note?: string
}

export type FaultScenario = (ctx: FaultContext) => Promise<FaultResult[]>

/** Runs `work` on a fresh 3-broker cluster of its own, always stopped afterwards. */
export async function withFaultCluster<T>(ctx: FaultContext, work: (cluster: FaultCluster) => Promise<T>): Promise<T> {
  const cluster = await FaultCluster.start(ctx.kafkaVersion, ctx.port)
  try {
    return await work(cluster)
  } finally {
    await cluster.stop()
  }
}

/** Lost and duplicated records: `seen` against the `expected` ones, each expected exactly once. */
export function tally(expected: Iterable<string>, seen: Iterable<string>): {lost: number; duplicated: number} {
  const counts = new Map<string, number>()
  for (const s of seen) counts.set(s, (counts.get(s) ?? 0) + 1)
  let lost = 0
  let duplicated = 0
  for (const e of expected) {
    const n = counts.get(e) ?? 0
    if (n === 0) lost++
    else duplicated += n - 1
    counts.delete(e)
  }
  // Records nobody wrote count as duplicates of nothing: still wrong.
  for (const n of counts.values()) duplicated += n
  return {lost, duplicated}
}
