import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {FaultCluster} from '../helpers/fault-cluster.js'
import {kadm, uniqueName} from '../helpers/kadm.js'
import {activeController, createTopicAfterFaults, freeBasePort, produceThroughControllerKill} from '../helpers/produce-under-faults.js'

/**
 * Broker ports from 29400-29499 (KADM_FAULTS_TEST_PORT to pick one), the first whose ports are
 * free: machines running this suite are shared. The launcher's controller ports are 100 above.
 */
const PORTS = process.env.KADM_FAULTS_TEST_PORT ? [Number(process.env.KADM_FAULTS_TEST_PORT)] : Array.from({length: 33}, (_, i) => 29_400 + 3 * i)

// A cluster of its own, broken for real: no other test sees it degraded.
let cluster: FaultCluster

beforeAll(async () => {
  cluster = await FaultCluster.start(inject('kafkaVersion'), await freeBasePort(PORTS))
})

afterAll(async () => cluster?.stop())

describe('console produce while brokers fail', () => {
  it('delivers 300,000 records exactly once while the active controller\'s broker is killed and restarted', async () => {
    const run = await produceThroughControllerKill(cluster, 'kadm')
    expect(run.stderr).toContain('produced 300000 records')
    expect(run.code).toBe(0)
    expect({records: run.records, lost: run.lost, duplicated: run.duplicated}).toEqual({records: 300_000, lost: 0, duplicated: 0})
  }, 400_000)

  it('counts records as failed, with the cause, once their delivery timeout runs out', async () => {
    // Not the controller's broker: the fault is one partition without a live replica, nothing more.
    const controller = await activeController(cluster.bootstrap)
    const victim = cluster.state.nodes.map((n) => n.id).find((id) => id !== controller)!
    const topic = await createTopicAfterFaults(cluster, uniqueName('produce-undeliverable'), {assignment: String(victim)})
    await cluster.kill(victim)
    const input = Array.from({length: 1000}, (_, i) => `r${i}`).join('\n') + '\n'
    const started = Date.now()
    const result = await kadm(['console', 'produce', topic, '-b', cluster.bootstrap, '--delivery-timeout', '3s'], {input, timeoutMs: 60_000})
    const seconds = (Date.now() - started) / 1000
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/1000 records failed \(1000: delivery timeout \(3s\) ran out: /)
    // About the delivery timeout (plus start-up on a busy machine), never a hang.
    expect(seconds).toBeGreaterThanOrEqual(3)
    expect(seconds).toBeLessThan(15)
    await cluster.restart()
  }, 120_000)
})
