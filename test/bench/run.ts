/**
 * `npm run bench`: runs every test/bench/*.ts module (except this runner and lib) against one
 * cluster and prints each task's times side by side with ratios to kadm. The cluster is
 * KADM_BENCH_BOOTSTRAP, else a running `kadm local` cluster, else a 3-broker one started here
 * (and stopped at the end); none when every module named exports `needsCluster = false`
 * (`npm run bench -- startup`). `npm run bench -- topics` runs only the modules named.
 */
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {waitForBrokers} from '../../src/kafka/cluster.js'
import {readState, runningBootstrap, startCluster, stopNodes} from '../../src/local/cluster.js'
import {resolveKafkaVersion} from '../../src/local/maven.js'
import {DEFAULT_KAFKA_VERSION} from '../../src/local/versions.js'
import {type BenchContext, type BenchResult, ROOT} from './lib.js'

async function cluster(): Promise<{ctx: BenchContext; stop: () => Promise<void>}> {
  if (process.env.KADM_BENCH_BOOTSTRAP) {
    const version = await resolveKafkaVersion(process.env.KADM_BENCH_KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION)
    return {ctx: {bootstrap: process.env.KADM_BENCH_BOOTSTRAP, kafkaVersion: version}, stop: async () => {}}
  }
  const local = await runningBootstrap()
  const state = await readState()
  if (local && state) return {ctx: {bootstrap: local, kafkaVersion: state.version}, stop: async () => {}}
  const dataDir = join(ROOT, '.kadm-test', 'bench-cluster')
  const started = await startCluster({dataDir, brokers: 3, port: 25_092, waitForBrokers, onProgress: (l) => process.stderr.write(`[kafka] ${l}\n`)})
  return {ctx: {bootstrap: started.bootstrap, kafkaVersion: started.version}, stop: async () => void (await stopNodes(started))}
}

function report(results: BenchResult[]): string {
  const lines: string[] = []
  for (const name of [...new Set(results.map((r) => r.name))]) {
    const rows = results.filter((r) => r.name === name)
    const kadm = rows.find((r) => r.tool === 'kadm')
    lines.push(name)
    for (const r of rows) {
      // A tool that cannot do the task at all reports NaN.
      const measured = Number.isFinite(r.ms)
      const ratio = kadm && r !== kadm && measured ? `  ${(r.ms / kadm.ms).toFixed(2)}x kadm's time` : ''
      const time = measured ? `${r.ms.toFixed(0).padStart(8)} ms` : '     n/a   '
      lines.push(`  ${r.tool.padEnd(20)} ${time}${ratio}${r.note ? `  (${r.note})` : ''}`)
    }
  }
  return lines.join('\n')
}

interface BenchModule {
  /** false: the module measures no cluster (its run() gets none). */
  needsCluster?: boolean
  run(ctx?: BenchContext): Promise<BenchResult[]>
}

const only = process.argv.slice(2)
const files = (await readdir(import.meta.dirname))
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'lib.ts'].includes(f))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort()
const modules = await Promise.all(files.map(async (file) => ({file, mod: (await import(join(import.meta.dirname, file))) as BenchModule})))
const {ctx, stop} = modules.some((m) => m.mod.needsCluster !== false) ? await cluster() : {ctx: undefined, stop: async () => {}}
process.stderr.write(`benchmarking${ctx ? ` against ${ctx.bootstrap} (Kafka ${ctx.kafkaVersion})` : ''}: ${files.join(', ')}\n`)
try {
  for (const {file, mod} of modules) {
    process.stderr.write(`running ${file} ...\n`)
    process.stdout.write(report(await mod.run(ctx)) + '\n')
  }
} finally {
  await stop()
}
