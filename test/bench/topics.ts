/**
 * Issue 3 speed target: with 1,000 topics x 6 partitions, `kadm topics describe` of all of them
 * is >= 5x faster than kafka-topics --describe and within 1.5x of `kcat -L -J`; `topics list`
 * is compared with kafka-topics --list and kcat -L. Creates the bench-topic-* topics if missing
 * (replication factor 1, to spare small test clusters) and leaves them for the next run.
 */
import {type BenchResult, KADM as KADM_BIN, kafkaToolArgv, median, timeCommand} from './lib.js'

const KADM = [process.execPath, KADM_BIN]
export const TOPICS = 1000
const PARTITIONS = 6
export const PREFIX = 'bench-topic-'

export async function ensureTopics(bootstrap: string): Promise<void> {
  const names = Array.from({length: TOPICS}, (_, i) => `${PREFIX}${String(i).padStart(4, '0')}`)
  for (let i = 0; i < names.length; i += 250) {
    const r = await timeCommand([...KADM, 'topics', 'create', ...names.slice(i, i + 250), '-p', String(PARTITIONS), '-r', '1', '--if-not-exists', '-b', bootstrap, '--timeout', '60s', '-o', 'json'])
    if (r.code !== 0) throw new Error(`creating bench topics failed: ${r.stderr}`)
  }
}

export async function run(ctx: {bootstrap: string; kafkaVersion: string}): Promise<BenchResult[]> {
  await ensureTopics(ctx.bootstrap)
  const topicCommand = (...args: string[]) => kafkaToolArgv(ctx.kafkaVersion, 'TopicCommand', ['--bootstrap-server', ctx.bootstrap, ...args])
  const b = ['-b', ctx.bootstrap]
  const scope = `${TOPICS} topics x ${PARTITIONS} partitions`
  return [
    {name: `topics list (${scope})`, tool: 'kadm', ms: await median([...KADM, 'topics', 'list', ...b], 5), note: 'kadm topics list (with health)'},
    {name: `topics list (${scope})`, tool: 'kafka-topics', ms: await median(await topicCommand('--list'), 3), note: 'TopicCommand --list'},
    {name: `topics list (${scope})`, tool: 'kcat', ms: await median(['kcat', '-b', ctx.bootstrap, '-L'], 5), note: 'kcat -L'},
    {name: `describe all (${scope})`, tool: 'kadm', ms: await median([...KADM, 'topics', 'describe', ...b], 5), note: 'kadm topics describe: tables with configs, offsets and markers'},
    {name: `describe all (${scope})`, tool: 'kadm -o json', ms: await median([...KADM, 'topics', 'describe', ...b, '-o', 'json'], 5), note: 'kadm topics describe -o json'},
    {name: `describe all (${scope})`, tool: 'kadm --no-offsets', ms: await median([...KADM, 'topics', 'describe', '--no-offsets', ...b], 5), note: 'what TopicCommand shows: no ListOffsets'},
    {name: `describe all (${scope})`, tool: 'kafka-topics', ms: await median(await topicCommand('--describe'), 3), note: 'TopicCommand --describe; target: >= 5x kadm'},
    {name: `describe all (${scope})`, tool: 'kcat', ms: await median(['kcat', '-b', ctx.bootstrap, '-L', '-J'], 5), note: 'kcat -L -J; target: kadm <= 1.5x'},
  ]
}
