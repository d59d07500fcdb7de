/**
 * A follow-mode consumer while the broker leading most partitions is killed (-9) and restarted:
 * 1,000 records before, 1,000 during the outage, 1,000 after the restart, written by kcat -P.
 * Run for `kadm console consume` (no group) and for `kcat -C`, each on a topic of its own.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'

import type {FaultCluster} from '../helpers/fault-cluster.js'
import {BIN, kadm, kadmEnv, kadmJson} from '../helpers/kadm.js'
import {runProcess} from '../helpers/process.js'
import {type FaultContext, type FaultResult, type FaultScenario, tally, withFaultCluster} from './lib.js'

const PER_PHASE = 1000

interface Follower {
  child: ChildProcess
  lines: () => string[]
  exitedEarly: () => boolean
  stop: () => Promise<void>
}

function follow(command: string, args: string[]): Follower {
  const child = spawn(command, args, {env: kadmEnv(), stdio: ['ignore', 'pipe', 'pipe']})
  let out = ''
  let stopping = false
  let exited = false
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
  child.stderr!.resume()
  const closed = new Promise<void>((resolve) => child.once('close', () => {
    exited = true
    resolve()
  }))
  return {
    child,
    lines: () => out.split('\n').filter(Boolean),
    exitedEarly: () => exited && !stopping,
    stop: async () => {
      stopping = !exited
      if (!exited) child.kill('SIGINT')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await closed
      clearTimeout(timer)
    },
  }
}

async function busiestLeader(cluster: FaultCluster, topic: string): Promise<number> {
  const {topics: [described]} = await kadmJson<{topics: Array<{partitions: Array<{leader: number}>}>}>(['topics', 'describe', topic, '-b', cluster.bootstrap])
  const counts = new Map<number, number>()
  for (const p of described.partitions) counts.set(p.leader, (counts.get(p.leader) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])[0][0]
}

async function scenario(cluster: FaultCluster, tool: string, start: (topic: string) => Follower): Promise<FaultResult> {
  const topic = `faults-consume-${tool}`
  const created = await kadm(['topics', 'create', topic, '-p', '6', '-r', '3', '-b', cluster.bootstrap])
  if (created.code !== 0) throw new Error(`creating ${topic}: ${created.stderr}`)
  let failedCommands = 0
  const produce = async (values: string[]) => {
    const result = await runProcess('kcat', ['-P', '-b', cluster.bootstrap, '-t', topic, '-X', 'message.timeout.ms=120000'], {input: values.join('\n') + '\n', timeoutMs: 150_000})
    if (result.code !== 0) failedCommands++
  }
  const phase = (name: string) => Array.from({length: PER_PHASE}, (_, i) => `${name}-${i}`)
  const expected = [...phase('before'), ...phase('during'), ...phase('after')]
  const consumer = start(topic)
  try {
    await produce(expected.slice(0, PER_PHASE))
    const victim = await busiestLeader(cluster, topic)
    await cluster.kill(victim)
    await produce(expected.slice(PER_PHASE, 2 * PER_PHASE))
    await cluster.restart()
    await produce(expected.slice(2 * PER_PHASE))
    const until = Date.now() + 60_000
    while (consumer.lines().length < expected.length && !consumer.exitedEarly() && Date.now() < until) await sleep(200)
    await sleep(1500)
  } finally {
    await consumer.stop()
  }
  if (consumer.exitedEarly()) failedCommands++
  const {lost, duplicated} = tally(expected, consumer.lines())
  return {scenario: 'follow across kill -9 and restart of the busiest leader', tool, records: expected.length, lost, duplicated, failedCommands, note: consumer.exitedEarly() ? 'consumer exited by itself' : undefined}
}

export const run: FaultScenario = async (ctx: FaultContext) => {
  const results: FaultResult[] = []
  for (const tool of ['kadm', 'kcat']) {
    results.push(await withFaultCluster(ctx, (cluster) => scenario(cluster, tool, (topic) => tool === 'kadm'
      ? follow(process.execPath, [BIN, 'console', 'consume', topic, '--from-beginning', '-f', '%v\n', '-b', cluster.bootstrap])
      : follow('kcat', ['-C', '-b', cluster.bootstrap, '-t', topic, '-o', 'beginning', '-f', '%s\n', '-q']))))
  }
  return results
}
