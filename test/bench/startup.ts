import {type BenchContext, type BenchResult, kadmArgv, kafkaToolArgv, median} from './lib.js'

/** Issue 2: kadm's start-up against node itself, kcat and Kafka's TopicCommand. Target: --version within 2x `node -e 0`. */
export async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const topicCommand = await kafkaToolArgv(ctx.kafkaVersion, 'TopicCommand', ['--bootstrap-server', ctx.bootstrap, '--list'])
  return [
    {name: 'start-up (print version)', tool: 'kadm', ms: await median(kadmArgv('--version'), 9), note: 'with its code cache, as every run after the first'},
    {name: 'start-up (print version)', tool: 'kadm, no code cache', ms: await median(kadmArgv('--version'), 9, {env: {...process.env, KADM_NO_CODE_CACHE: '1'}}), note: 'KADM_NO_CODE_CACHE=1: what the first run after an install or upgrade costs'},
    {name: 'start-up (print version)', tool: 'node -e 0', ms: await median([process.execPath, '-e', '0'], 9), note: 'target: kadm <= 2x'},
    {name: 'cluster metadata', tool: 'kadm', ms: await median(kadmArgv('cluster', 'describe', '-b', ctx.bootstrap), 7), note: 'kadm cluster describe'},
    {name: 'cluster metadata', tool: 'kcat', ms: await median(['kcat', '-b', ctx.bootstrap, '-L'], 7), note: 'kcat -L'},
    {name: 'cluster metadata', tool: 'kafka-topics', ms: await median(topicCommand, 3), note: 'TopicCommand --list'},
  ]
}
