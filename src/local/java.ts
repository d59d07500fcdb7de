import {execFile} from 'node:child_process'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {KadmError} from '../errors.js'
import type {KafkaDistribution} from './maven.js'
import {type KafkaTool, kafkaToolClass} from './versions.js'

const run = promisify(execFile)

/** Fails with one line when java is missing or too old for Kafka. */
export async function checkJava(): Promise<number> {
  let output: string
  try {
    const result = await run('java', ['-version'])
    output = `${result.stderr}${result.stdout}`
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new KadmError('java was not found on PATH: kadm local runs Apache Kafka, which needs Java 17 or newer')
    }
    throw new KadmError(`java -version failed: ${(error as Error).message.split('\n')[0]}`)
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output)
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0
  if (major < 17) throw new KadmError(`Java ${major || '(unknown version)'} found, but Apache Kafka 4 needs Java 17 or newer`)
  return major
}

/** JVM settings for brokers sharing a 2-core machine with each other and the test suite. */
export const BROKER_JVM_OPTS = [
  '-Xms256m', '-Xmx768m', '-XX:+UseSerialGC', '-XX:MaxMetaspaceSize=256m',
  '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true',
]

/** What bin/kafka-run-class.sh gives Kafka's own command-line tools, so comparisons are fair. */
export const TOOL_JVM_OPTS = [
  '-Xmx256M', '-server', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent', '-Djava.awt.headless=true',
]

export function classpath(dist: KafkaDistribution): string {
  return join(dist.libDir, '*')
}

/** The argv that runs one of Kafka's tools (TopicCommand, ConsumerGroupCommand, ...) from the jars, by its class in that release. */
export function toolArgv(dist: KafkaDistribution, loggingConfig: string[], tool: KafkaTool, args: string[]): string[] {
  return [...TOOL_JVM_OPTS, ...loggingConfig, '-cp', classpath(dist), kafkaToolClass(tool, dist.version), ...args]
}
