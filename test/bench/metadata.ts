import {type BenchContext, type BenchResult, kadmArgv, kafkaToolArgv, median} from './lib.js'

/** Issue 2: a whole round trip for cluster metadata, kadm against kcat and Kafka's TopicCommand. */
export async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const topicCommand = await kafkaToolArgv(ctx.kafkaVersion, 'TopicCommand', ['--bootstrap-server', ctx.bootstrap, '--list'])
  return [
    {name: 'cluster metadata', tool: 'kadm', ms: await median(kadmArgv('cluster', 'describe', '-b', ctx.bootstrap), 7), note: 'kadm cluster describe'},
    {name: 'cluster metadata', tool: 'kcat', ms: await median(['kcat', '-b', ctx.bootstrap, '-L'], 7), note: 'kcat -L'},
    {name: 'cluster metadata', tool: 'kafka-topics', ms: await median(topicCommand, 3), note: 'TopicCommand --list'},
  ]
}
