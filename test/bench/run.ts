/**
 * `npm run bench`: runs every test/bench/*.ts module (except this runner and lib) against one
 * cluster and prints each task's times side by side with ratios to kadm. The cluster is
 * KADM_BENCH_BOOTSTRAP, else a running `kadm local` cluster, else a 3-broker one started here
 * (and stopped at the end). `npm run bench -- topics` runs only the modules named.
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

const only = process.argv.slice(2)
const modules = (await readdir(import.meta.dirname))
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'lib.ts'].includes(f))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort()
const {ctx, stop} = await cluster()
process.stderr.write(`benchmarking against ${ctx.bootstrap} (Kafka ${ctx.kafkaVersion}): ${modules.join(', ')}\n`)
const all: BenchResult[] = []
try {
  for (const file of modules) {
    const mod = (await import(join(import.meta.dirname, file))) as {run: (c: BenchContext) => Promise<BenchResult[]>}
    process.stderr.write(`running ${file} ...\n`)
    const results = await mod.run(ctx)
    all.push(...results)
    process.stdout.write(report(results) + '\n')
  }
} finally {
  await stop()
}
