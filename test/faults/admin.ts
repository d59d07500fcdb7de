/**
 * The read commands an operator runs during an incident, right after the broker hosting the active
 * controller is killed (-9), before the controller fences it: kadm's, and the same questions put
 * to Kafka's own tools and kcat. A command fails when it gives no answer: kadm's exit code 4 (a
 * partial answer that names the broker it could not reach) counts as an answer.
 */
import {kadm, kadmJson} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'
import {runProcess} from '../helpers/process.js'
import {type FaultResult, type FaultScenario, withFaultCluster} from './lib.js'

export const run: FaultScenario = (ctx) => withFaultCluster(ctx, async (cluster) => {
  const topic = 'faults-admin'
  const group = 'faults-admin-group'
  const b = cluster.bootstrap
  const created = await kadm(['topics', 'create', topic, '-p', '6', '-r', '3', '-b', b])
  if (created.code !== 0) throw new Error(`creating ${topic}: ${created.stderr}`)
  await runProcess('kcat', ['-P', '-b', b, '-t', topic], {input: Array.from({length: 600}, (_, i) => `r${i}`).join('\n') + '\n', timeoutMs: 60_000})
  await runProcess('kcat', ['-C', '-b', b, '-G', group, topic, '-o', 'beginning', '-e', '-q'], {timeoutMs: 60_000})

  const {controller} = await kadmJson<{controller: {activeControllerId: number}}>(['cluster', 'describe', '-b', b])
  await cluster.kill(controller.activeControllerId)

  const kadmCommands = [
    ['topics', 'list'], ['topics', 'describe', topic], ['partitions', 'list'], ['offsets', 'show', topic],
    ['consumer-groups', 'list'], ['consumer-groups', 'describe', group], ['consumer-groups', 'lag'],
    ['cluster', 'describe'], ['console', 'consume', topic, '--from-beginning', '-e', '-q'],
  ]
  const kadmFailed: string[] = []
  for (const args of kadmCommands) {
    const result = await kadm([...args, '-b', b])
    if (result.code !== 0 && result.code !== 4) kadmFailed.push(`${args.join(' ')}: ${result.stderr.trim().split('\n')[0]}`)
  }

  const peers: Array<[string, () => Promise<{code: number | null; stderr: string}>]> = [
    ['kafka-topics --list', () => kafkaTool(ctx.kafkaVersion, 'TopicCommand', ['--bootstrap-server', b, '--list'])],
    ['kafka-topics --describe', () => kafkaTool(ctx.kafkaVersion, 'TopicCommand', ['--bootstrap-server', b, '--describe', '--topic', topic])],
    ['kafka-consumer-groups --list', () => kafkaTool(ctx.kafkaVersion, 'ConsumerGroupCommand', ['--bootstrap-server', b, '--list', '--timeout', '5000'])],
    ['kafka-consumer-groups --describe', () => kafkaTool(ctx.kafkaVersion, 'ConsumerGroupCommand', ['--bootstrap-server', b, '--describe', '--group', group, '--timeout', '5000'])],
    ['kcat -L', () => runProcess('kcat', ['-L', '-b', b], {timeoutMs: 30_000})],
    ['kcat -C -e', () => runProcess('kcat', ['-C', '-b', b, '-t', topic, '-o', 'beginning', '-e', '-q'], {timeoutMs: 30_000})],
  ]
  const peerFailed: string[] = []
  for (const [name, runIt] of peers) {
    const result = await runIt()
    if (result.code !== 0) peerFailed.push(`${name}: ${result.stderr.trim().split('\n').at(-1) ?? `exit ${result.code}`}`)
  }
  const row = (tool: string, commands: number, failed: string[]): FaultResult => ({
    scenario: 'read commands, controller broker killed',
    tool,
    records: commands,
    lost: 0,
    duplicated: 0,
    failedCommands: failed.length,
    note: failed.length ? failed.join('; ') : `${commands} commands answered`,
  })
  return [row('kadm', kadmCommands.length, kadmFailed), row("Kafka's tools and kcat", peers.length, peerFailed)]
})
