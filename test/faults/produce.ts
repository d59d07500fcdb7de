import {produceThroughControllerKill, type Producer} from '../helpers/produce-under-faults.js'
import {type FaultResult, type FaultScenario, withFaultCluster} from './lib.js'

const RECORDS = 300_000

/**
 * 300,000 lines produced with acks=all (idempotent) into 6 partitions (RF 3) while the broker
 * hosting the active KRaft controller is killed (-9) and restarted 4 s later, by kadm and by kcat,
 * each on a fresh cluster; kcat reads the topic back.
 */
export const run: FaultScenario = async (ctx) => {
  const results: FaultResult[] = []
  for (const tool of ['kadm', 'kcat'] as Producer[]) {
    results.push(await withFaultCluster(ctx, async (cluster) => {
      const r = await produceThroughControllerKill(cluster, tool, RECORDS)
      const summary = r.stderr.trim().split('\n').pop() ?? ''
      return {
        scenario: 'produce: kill -9 the active controller\'s broker, restart it',
        tool,
        records: r.records,
        lost: r.lost,
        duplicated: r.duplicated,
        failedCommands: r.code === 0 ? 0 : 1,
        note: `broker ${r.killed} killed; ${(r.ms / 1000).toFixed(1)}s${r.code === 0 ? '' : `; exit ${r.code}: ${summary.slice(0, 160)}`}`,
      }
    }))
  }
  return results
}
