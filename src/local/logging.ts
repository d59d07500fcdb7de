import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import type {KafkaDistribution} from './maven.js'

/**
 * Writes the logging configuration for brokers (INFO to stdout, which the launcher sends to the
 * broker's log file) or tools (WARN to stderr), and returns the JVM flags that select it.
 */
export async function loggingFlags(dist: KafkaDistribution, dir: string, role: 'broker' | 'tool'): Promise<string[]> {
  const level = role === 'broker' ? 'INFO' : 'WARN'
  if (dist.logging === 'log4j2') {
    const file = join(dir, `log4j2-${role}.properties`)
    await writeFile(file, [
      'status = warn',
      'appender.out.type = Console',
      'appender.out.name = OUT',
      `appender.out.target = ${role === 'broker' ? 'SYSTEM_OUT' : 'SYSTEM_ERR'}`,
      'appender.out.layout.type = PatternLayout',
      'appender.out.layout.pattern = [%d] %p %m (%c)%n',
      `rootLogger.level = ${level}`,
      'rootLogger.appenderRef.out.ref = OUT',
      'logger.state.name = state.change.logger',
      'logger.state.level = WARN',
      '',
    ].join('\n'))
    return [`-Dlog4j2.configurationFile=${file}`]
  }
  const file = join(dir, `log4j-${role}.properties`)
  await writeFile(file, [
    `log4j.rootLogger=${level}, out`,
    'log4j.appender.out=org.apache.log4j.ConsoleAppender',
    `log4j.appender.out.Target=${role === 'broker' ? 'System.out' : 'System.err'}`,
    'log4j.appender.out.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.state.change.logger=WARN',
    '',
  ].join('\n'))
  return [`-Dlog4j.configuration=file:${file}`]
}
