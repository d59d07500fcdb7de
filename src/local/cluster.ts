import {spawn} from 'node:child_process'
import {closeSync, openSync} from 'node:fs'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import {join} from 'node:path'

import {KadmError} from '../errors.js'
import {localDataDir} from '../config/paths.js'
import {BROKER_JVM_OPTS, checkJava, classpath} from './java.js'
import {loggingFlags} from './logging.js'
import {ensureKafkaJars, type KafkaDistribution, resolveKafkaVersion} from './maven.js'
import {layoutNodes, logDirsOf, type NodeLayout, randomClusterId, serverProperties} from './properties.js'
import {DEFAULT_KAFKA_VERSION, isTestedKafkaVersion, kafkaToolClass, majorOf, TESTED_KAFKA_VERSIONS} from './versions.js'
import {exists} from './files.js'
import {isAlive, isOurBroker, terminate} from './processes.js'

export interface NodeState extends NodeLayout {
  pid: number | null
  dir: string
  logFile: string
  propertiesFile: string
}

export interface LocalState {
  version: string
  clusterId: string
  dataDir: string
  bootstrap: string
  nodes: NodeState[]
  startedAt: string
}

export interface NodeStatus extends NodeState {
  running: boolean
}

export interface StartOptions {
  dataDir?: string
  brokers?: number
  /** Log dirs per broker (log.dirs), when the cluster is first made. Default 1. */
  logDirs?: number
  versionSpec?: string
  port?: number
  /** Progress lines ("fetching Kafka 4.3.1 ...") for the person waiting. */
  onProgress?: (line: string) => void
  readyTimeoutMs?: number
  /** Waits until the given broker ids are in the cluster metadata (provided by the kafka layer). */
  waitForBrokers: (bootstrap: string, ids: number[], deadline: number, stillAlive: () => void) => Promise<void>
  /** Broker settings that replace or add to the defaults (e.g. secured listeners); used when storage is first formatted. */
  extraProperties?: Record<string, string>
  /** Extra `StorageTool format` arguments (e.g. `--add-scram ...`). */
  formatArgs?: string[]
  /**
   * The release whose metadata.version (and, on Kafka 4.x, other feature levels) a new cluster's
   * storage is formatted at, as `kafka-storage.sh format --release-version`: "3.7" or "3.7-IV4".
   * Kafka's StorageTool maps it to levels and refuses one it does not know.
   */
  releaseVersion?: string
  /**
   * Start only these nodes (of those not running) and wait only for them: the others may be down
   * on purpose (a fault test). Default: every node that is not running, and wait for all nodes.
   */
  nodes?: number[]
}

const stateFile = (dir: string) => join(dir, 'state.json')

export async function readState(dataDir = localDataDir()): Promise<LocalState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(dataDir), 'utf8')) as LocalState
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new KadmError(`cannot read ${stateFile(dataDir)}: ${(error as Error).message}`)
  }
}

async function writeState(state: LocalState): Promise<void> {
  await writeFile(stateFile(state.dataDir), JSON.stringify(state, null, 2) + '\n')
}

export async function nodeStatuses(state: LocalState): Promise<NodeStatus[]> {
  return Promise.all(state.nodes.map(async (node) => ({
    ...node,
    running: node.pid !== null && (await isOurBroker(node.pid, node.propertiesFile)),
  })))
}

/** The bootstrap string of the local cluster when at least one of its brokers runs. */
export async function runningBootstrap(dataDir = localDataDir()): Promise<string | undefined> {
  const state = await readState(dataDir)
  if (!state) return undefined
  const statuses = await nodeStatuses(state)
  const up = statuses.filter((s) => s.running)
  return up.length > 0 ? up.map((s) => `127.0.0.1:${s.port}`).join(',') : undefined
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({port, host: '127.0.0.1', exclusive: true}, () => server.close(() => resolve(true)))
  })
}

/** The last ERROR line of a broker log (or its last line), so a failed start can say why. */
export async function lastErrorLine(logFile: string): Promise<string | undefined> {
  try {
    const lines = (await readFile(logFile, 'utf8')).trimEnd().split('\n')
    const error = [...lines].reverse().find((l) => /\b(ERROR|FATAL)\b|Exception/.test(l))
    return (error ?? lines.at(-1))?.replace(/^\[[^\]]+\]\s*/, '').slice(0, 300)
  } catch {
    return undefined
  }
}

async function runJava(dist: KafkaDistribution, args: string[], logFile: string, what: string): Promise<void> {
  const fd = openSync(logFile, 'a')
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('java', ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', classpath(dist), ...args], {stdio: ['ignore', fd, fd]})
      child.once('error', reject)
      child.once('exit', resolve)
    })
    if (code !== 0) throw new KadmError(`${what} failed (exit ${code}): ${(await lastErrorLine(logFile)) ?? 'no output'}; see ${logFile}`)
  } finally {
    closeSync(fd)
  }
}

function spawnBroker(dist: KafkaDistribution, node: NodeState, logging: string[]): number {
  const fd = openSync(node.logFile, 'a')
  try {
    const child = spawn('java', [...BROKER_JVM_OPTS, ...logging, `-Dkafka.logs.dir=${node.dir}`, '-cp', classpath(dist), kafkaToolClass('Kafka', dist.version), node.propertiesFile], {
      detached: true,
      stdio: ['ignore', fd, fd],
    })
    child.unref()
    if (!child.pid) throw new KadmError(`cannot start broker ${node.id}: java did not start`)
    return child.pid
  } finally {
    closeSync(fd)
  }
}

/**
 * Starts (or restarts) the local cluster: fetches the jars, formats KRaft storage the first time,
 * starts every node that is not running and waits until all of them are in the cluster metadata.
 */
export async function startCluster(options: StartOptions): Promise<LocalState> {
  const dataDir = options.dataDir ?? localDataDir()
  const progress = options.onProgress ?? (() => {})
  await checkJava()
  let state = await readState(dataDir)

  if (state && options.brokers !== undefined && options.brokers !== state.nodes.length) {
    throw new KadmError(`the local cluster in ${dataDir} has ${state.nodes.length} broker(s); run \`kadm local stop --purge\` to make a new one with ${options.brokers}`)
  }
  if (state && options.logDirs !== undefined && options.logDirs !== logDirsOf(state.nodes[0]).length) {
    throw new KadmError(`the local cluster in ${dataDir} has ${logDirsOf(state.nodes[0]).length} log dir(s) per broker; run \`kadm local stop --purge\` to make a new one with ${options.logDirs}`)
  }
  const requested = options.versionSpec === undefined ? undefined : await resolveKafkaVersion(options.versionSpec)
  if (requested && !isTestedKafkaVersion(requested)) {
    progress(`note: Kafka ${requested} has not been tested with this kadm (tested: ${TESTED_KAFKA_VERSIONS.join(', ')})`)
  }
  if (state && options.releaseVersion !== undefined) {
    throw new KadmError(`the local cluster in ${dataDir} is formatted already (--release-version applies to a new one); run \`kadm local stop --purge\` first`)
  }
  if (state && requested && requested !== state.version) {
    throw new KadmError(`the local cluster in ${dataDir} runs Kafka ${state.version}; run \`kadm local stop --purge\` to switch versions`)
  }
  const version = state?.version ?? requested ?? DEFAULT_KAFKA_VERSION
  progress(`Apache Kafka ${version}: resolving jars with mvn (cached after the first run)`)
  const dist = await ensureKafkaJars(version)

  if (!state) {
    const count = options.brokers ?? 1
    if (count !== 1 && count !== 3) throw new KadmError('--brokers must be 1 or 3')
    const basePort = options.port ?? 9092
    const layout = layoutNodes(count, basePort, (id) => join(dataDir, `broker-${id}`, 'data'), options.logDirs ?? 1)
    state = {
      version,
      clusterId: randomClusterId(),
      dataDir,
      bootstrap: layout.map((n) => `127.0.0.1:${n.port}`).join(','),
      nodes: layout.map((n) => ({
        ...n,
        pid: null,
        dir: join(dataDir, `broker-${n.id}`),
        logFile: join(dataDir, `broker-${n.id}`, 'broker.log'),
        propertiesFile: join(dataDir, `broker-${n.id}`, 'server.properties'),
      })),
      startedAt: new Date().toISOString(),
    }
  }

  const statuses = await nodeStatuses(state)
  const toStart = statuses.filter((s) => !s.running && (!options.nodes || options.nodes.includes(s.id)))
  if (toStart.length === 0) {
    progress(`already running: ${state.bootstrap}`)
    return state
  }
  for (const node of toStart) {
    for (const port of [node.port, node.controllerPort]) {
      if (!(await portFree(port))) throw new KadmError(`port ${port} on 127.0.0.1 is already in use (needed by broker ${node.id}); stop what uses it or pass --port`)
    }
  }

  await mkdir(dataDir, {recursive: true})
  const brokerLogging = await loggingFlags(dist, dataDir, 'broker')
  const formatted = await Promise.all(toStart.map((n) => exists(join(n.logDir, 'meta.properties'))))
  const toFormat = toStart.filter((_, i) => !formatted[i])
  if (toFormat.length > 0) progress(`formatting KRaft storage for broker(s) ${toFormat.map((n) => n.id).join(', ')}`)
  await Promise.all(toFormat.map(async (node) => {
    await mkdir(node.dir, {recursive: true})
    await writeFile(node.propertiesFile, serverProperties(node, state!.nodes, majorOf(version), options.extraProperties))
    await runJava(dist, [kafkaToolClass('StorageTool', dist.version), 'format', '-t', state!.clusterId, '-c', node.propertiesFile, '--ignore-formatted', ...(options.releaseVersion === undefined ? [] : ['--release-version', options.releaseVersion]), ...(options.formatArgs ?? [])], node.logFile, `formatting storage of broker ${node.id}`)
  }))

  progress(`starting broker(s) ${toStart.map((n) => n.id).join(', ')}`)
  for (const node of toStart) {
    const target = state.nodes.find((n) => n.id === node.id)!
    target.pid = spawnBroker(dist, target, brokerLogging)
  }
  state.startedAt = new Date().toISOString()
  await writeState(state)

  const started = state.nodes.filter((n) => toStart.some((s) => s.id === n.id))
  const stillAlive = () => {
    for (const node of started) {
      if (node.pid !== null && !isAlive(node.pid)) throw new BrokerExited(node)
    }
  }
  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000)
  try {
    await options.waitForBrokers(state.bootstrap, options.nodes ?? state.nodes.map((n) => n.id), deadline, stillAlive)
  } catch (error) {
    if (error instanceof BrokerExited) {
      await stopNodes(state, started.map((n) => n.id))
      const reason = await lastErrorLine(error.node.logFile)
      throw new KadmError(`broker ${error.node.id} failed to start${reason ? `: ${reason}` : ''} (log: ${error.node.logFile})`)
    }
    throw error
  }
  return state
}

class BrokerExited extends Error {
  constructor(readonly node: NodeState) {
    super(`broker ${node.id} exited`)
  }
}

/**
 * Stops the given nodes (all by default) by the PIDs recorded at start, after checking each PID
 * still belongs to that broker, so a recycled PID is never signalled.
 */
export async function stopNodes(state: LocalState, ids?: number[]): Promise<number[]> {
  const targets = state.nodes.filter((n) => !ids || ids.includes(n.id))
  const stopped: number[] = []
  await Promise.all(targets.map(async (node) => {
    if (node.pid !== null && (await isOurBroker(node.pid, node.propertiesFile))) {
      await terminate(node.pid, 20_000)
      stopped.push(node.id)
    }
    node.pid = null
  }))
  await writeState(state)
  return stopped.sort((a, b) => a - b)
}

export async function purge(dataDir: string): Promise<void> {
  await rm(dataDir, {recursive: true, force: true})
}
