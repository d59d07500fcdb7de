import {setTimeout as sleep} from 'node:timers/promises'

import type {FaultCluster} from '../helpers/fault-cluster.js'
import {type ProduceRun, produceThroughFault, type Producer} from '../helpers/produce-under-faults.js'
import {type FaultResult, type FaultScenario, withFaultCluster} from './lib.js'

const RECORDS = 300_000

/** Faults done to the broker hosting the active KRaft controller while the lines stream in. */
const FAULTS: Array<{scenario: string; fault: (cluster: FaultCluster, victim: number) => Promise<void>}> = [
  {
    scenario: 'produce: kill -9 the active controller\'s broker, restart it 4 s later',
    async fault(cluster, victim) {
      await cluster.kill(victim)
      await sleep(4000)
      await cluster.restart()
    },
  },
  {
    scenario: 'produce: freeze (SIGSTOP) the active controller\'s broker for 20 s',
    async fault(cluster, victim) {
      await cluster.freeze(victim)
      await sleep(20_000)
      await cluster.thaw(victim)
    },
  },
]

function result(scenario: string, tool: Producer, r: ProduceRun): FaultResult {
  const summary = r.stderr.trim().split('\n').pop() ?? ''
  return {
    scenario,
    tool,
    records: r.records,
    lost: r.lost,
    duplicated: r.duplicated,
    failedCommands: r.code === 0 ? 0 : 1,
    note: `broker ${r.killed}; ${(r.ms / 1000).toFixed(1)}s${r.code === 0 ? '' : `; exit ${r.code}: ${summary.slice(0, 160)}`}`,
  }
}

/**
 * 300,000 lines produced with acks=all (idempotent) into 6 partitions (RF 3) by kadm and by kcat,
 * each on a cluster of its own, while the active controller's broker is killed and restarted, then
 * frozen and thawed; kcat reads each topic back.
 */
export const run: FaultScenario = async (ctx) => {
  const results: FaultResult[] = []
  for (const tool of ['kadm', 'kcat'] as Producer[]) {
    await withFaultCluster(ctx, async (cluster) => {
      for (const {scenario, fault} of FAULTS) {
        results.push(result(scenario, tool, await produceThroughFault(cluster, tool, (victim) => fault(cluster, victim), {count: RECORDS})))
      }
    })
  }
  return results.sort((a, b) => a.scenario.localeCompare(b.scenario))
}
