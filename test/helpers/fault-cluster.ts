import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {waitForBrokers} from '../../src/kafka/cluster.js'
import {type LocalState, readState, startCluster, stopNodes} from '../../src/local/cluster.js'
import {isAlive, isOurBroker} from '../../src/local/processes.js'

/**
 * A 3-broker cluster that one test file owns, so it can break it for real: kill -9, freeze
 * (SIGSTOP: the broker keeps accepting connections and never answers) and restart brokers by the
 * PIDs the launcher recorded. No other test ever sees it degraded. Started through the same code
 * as `kadm local start`, with the suite's Kafka version.
 */
export class FaultCluster {
  private frozen = new Set<number>()

  private constructor(readonly dataDir: string, public state: LocalState) {}

  /** `properties` replace broker defaults, e.g. a longer broker.session.timeout.ms for a wider fencing window. */
  static async start(version: string, port: number, properties: Record<string, string> = {}): Promise<FaultCluster> {
    const dataDir = await mkdtemp(join(tmpdir(), 'kadm-faults-'))
    const state = await startCluster({dataDir, brokers: 3, versionSpec: version, port, waitForBrokers, extraProperties: properties})
    return new FaultCluster(dataDir, state)
  }

  get bootstrap(): string {
    return this.state.bootstrap
  }

  /** `host:port` of one broker. */
  address(id: number): string {
    return `127.0.0.1:${this.node(id).port}`
  }

  private node(id: number) {
    const node = this.state.nodes.find((n) => n.id === id)
    if (!node) throw new Error(`no broker ${id} in ${this.dataDir}`)
    return node
  }

  private async pidOf(id: number): Promise<number> {
    const node = this.node(id)
    if (node.pid === null || !(await isOurBroker(node.pid, node.propertiesFile))) throw new Error(`broker ${id} is not running`)
    return node.pid
  }

  /** kill -9: the process is gone at once, its sockets are reset, the controller fences it only later. */
  async kill(id: number): Promise<void> {
    const pid = await this.pidOf(id)
    this.frozen.delete(id)
    process.kill(pid, 'SIGCONT')
    process.kill(pid, 'SIGKILL')
    while (isAlive(pid)) await sleep(20)
  }

  /** SIGSTOP: the kernel still accepts connections for it; nothing is ever answered. */
  async freeze(id: number): Promise<void> {
    process.kill(await this.pidOf(id), 'SIGSTOP')
    this.frozen.add(id)
  }

  async thaw(id: number): Promise<void> {
    process.kill(await this.pidOf(id), 'SIGCONT')
    this.frozen.delete(id)
  }

  /** Starts every broker that is down and waits until all are registered again. */
  async restart(): Promise<void> {
    for (const id of this.frozen) await this.thaw(id)
    this.state = await startCluster({dataDir: this.dataDir, waitForBrokers})
  }

  /** Starts one broker that is down, leaving the others as they are, and waits until it is registered again. */
  async startBroker(id: number): Promise<void> {
    if (this.frozen.has(id)) await this.thaw(id)
    this.state = await startCluster({dataDir: this.dataDir, nodes: [id], waitForBrokers})
  }

  async stop(): Promise<void> {
    for (const id of [...this.frozen]) await this.thaw(id).catch(() => {})
    const current = (await readState(this.dataDir)) ?? this.state
    await stopNodes(current)
    await rm(this.dataDir, {recursive: true, force: true})
  }
}
