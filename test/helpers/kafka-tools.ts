import {spawn} from 'node:child_process'
import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'

import {toolArgv} from '../../src/local/java.js'
import {loggingFlags} from '../../src/local/logging.js'
import {ensureKafkaJars, resolveKafkaVersion} from '../../src/local/maven.js'
import {ROOT, type RunResult} from './kadm.js'

/**
 * Runs one of Kafka's own tool classes (TopicCommand, ConsumerGroupCommand, ConsoleProducer, ...)
 * from the very jars the test cluster runs, as bin/kafka-*.sh would.
 */
export async function kafkaTool(version: string, className: string, args: string[], options: {input?: string | Buffer; timeoutMs?: number} = {}): Promise<RunResult> {
  const dist = await ensureKafkaJars(await resolveKafkaVersion(version))
  const dir = join(ROOT, '.kadm-test', 'tools')
  await mkdir(dir, {recursive: true})
  const argv = toolArgv(dist, await loggingFlags(dist, dir, 'tool'), className, args)
  return new Promise((resolve, reject) => {
    const child = spawn('java', argv, {stdio: ['pipe', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => err.push(d))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString()})
    })
    child.stdin.end(options.input ?? '')
  })
}
