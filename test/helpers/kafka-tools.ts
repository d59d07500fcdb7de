import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'

import {toolArgv} from '../../src/local/java.js'
import {loggingFlags} from '../../src/local/logging.js'
import {ensureKafkaJars, resolveKafkaVersion} from '../../src/local/maven.js'
import type {KafkaTool} from '../../src/local/versions.js'
import {ROOT} from './kadm.js'
import {runProcess, type RunResult} from './process.js'

/** The argv that runs one of Kafka's tool classes from the jars of `version`, as bin/kafka-*.sh would. */
export async function kafkaToolArgv(version: string, tool: KafkaTool, args: string[]): Promise<string[]> {
  const dist = await ensureKafkaJars(await resolveKafkaVersion(version))
  const dir = join(ROOT, '.kadm-test', 'tools')
  await mkdir(dir, {recursive: true})
  return ['java', ...toolArgv(dist, await loggingFlags(dist, dir, 'tool'), tool, args)]
}

/**
 * Runs one of Kafka's own tool classes (TopicCommand, ConsumerGroupCommand, ConsoleProducer, ...)
 * from the very jars the test cluster runs.
 */
export async function kafkaTool(version: string, tool: KafkaTool, args: string[], options: {input?: string | Buffer; timeoutMs?: number} = {}): Promise<RunResult> {
  const [java, ...argv] = await kafkaToolArgv(version, tool, args)
  return runProcess(java, argv, {input: options.input, timeoutMs: options.timeoutMs ?? 120_000})
}
