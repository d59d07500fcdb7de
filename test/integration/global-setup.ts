import {rm} from 'node:fs/promises'
import {join} from 'node:path'
import type {TestProject} from 'vitest/node'

import {waitForBrokers} from '../../src/kafka/cluster.js'
import {readState, startCluster, stopNodes} from '../../src/local/cluster.js'
import {DEFAULT_KAFKA_VERSION} from '../../src/local/versions.js'
import {checkoutCodeCaches, codeCachesWritten, REAL_CACHE} from '../helpers/kadm.js'

declare module 'vitest' {
  export interface ProvidedContext {
    bootstrap: string
    /** Data dir of the cluster the suite started (empty when KADM_TEST_BOOTSTRAP points elsewhere). */
    clusterDir: string
    kafkaVersion: string
  }
}

/**
 * Starts a real 3-broker Kafka through the same code as `kadm local start` (version from
 * KADM_TEST_KAFKA_VERSION, default the newest tested release), or uses KADM_TEST_BOOTSTRAP when set.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // kadm runs in the tests keep their V8 code caches in the scratch home (kadmEnv): a run that
  // wrote this checkout's caches into the real ~/.cache/kadm/v8 has a spawn that forgot kadmEnv.
  const caches = checkoutCodeCaches()
  const checkCaches = () => {
    const written = codeCachesWritten(caches, checkoutCodeCaches())
    if (!written.length) return
    process.stderr.write(`error: the test run wrote kadm code caches into the real ${join(REAL_CACHE, 'kadm', 'v8')}: ${written.join(', ')}; run kadm with kadmEnv() (test/helpers/kadm.ts)\n`)
    process.exitCode = 1
  }
  const external = process.env.KADM_TEST_BOOTSTRAP
  if (external) {
    project.provide('bootstrap', external)
    project.provide('clusterDir', '')
    project.provide('kafkaVersion', process.env.KADM_TEST_KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION)
    return async () => checkCaches()
  }
  const spec = process.env.KADM_TEST_KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION
  const dataDir = join(process.cwd(), '.kadm-test', `cluster-${spec}`)
  const previous = await readState(dataDir)
  if (previous) await stopNodes(previous)
  await rm(dataDir, {recursive: true, force: true})
  const started = Date.now()
  const state = await startCluster({
    dataDir,
    brokers: 3,
    versionSpec: spec,
    port: Number(process.env.KADM_TEST_PORT ?? 19_092),
    onProgress: (line) => process.stderr.write(`[kafka] ${line}\n`),
    waitForBrokers,
  })
  process.stderr.write(`[kafka] ${state.version} up with 3 brokers at ${state.bootstrap} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`)
  project.provide('bootstrap', state.bootstrap)
  project.provide('clusterDir', dataDir)
  project.provide('kafkaVersion', state.version)
  return async () => {
    const current = await readState(dataDir)
    if (current) await stopNodes(current)
    await rm(dataDir, {recursive: true, force: true})
    checkCaches()
  }
}
