import {spawn} from 'node:child_process'
import {appendFile, mkdtemp, readFile, rm, symlink} from 'node:fs/promises'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterAll, describe, expect, inject, it} from 'vitest'

import {isAlive} from '../../src/local/processes.js'
import {TESTED_KAFKA_VERSIONS} from '../../src/local/versions.js'
import {BIN, kadm, kadmEnv, kadmJson} from '../helpers/kadm.js'

const suiteVersion = inject('kafkaVersion')
/** The suite's cluster runs one tested version; the CLI lifecycle test uses another, so both lines are exercised. */
const otherLine = TESTED_KAFKA_VERSIONS.find((v) => v.split('.')[0] !== suiteVersion.split('.')[0]) ?? TESTED_KAFKA_VERSIONS[0]
const port = Number(process.env.KADM_TEST_PORT ?? 19_092) + 500

interface Status {
  running: boolean
  version: string
  bootstrap: string
  brokers: Array<{id: number; pid: number | null; running: boolean; port: number}>
}

describe(`kadm local (Kafka ${otherLine}, one broker)`, () => {
  let dir = ''

  afterAll(async () => {
    if (dir) {
      await kadm(['local', 'stop', '--purge', '--data-dir', dir])
      await rm(dir, {recursive: true, force: true})
    }
  })

  it('starts, reports, is used when nothing else is given, and stops by PID', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kadm-local-'))
    const started = await kadm(['local', 'start', '--brokers', '1', '--kafka-version', otherLine, '--port', String(port), '--data-dir', dir], {timeoutMs: 240_000})
    expect(started.code, started.stderr).toBe(0)
    expect(started.stdout.trim()).toBe(`127.0.0.1:${port}`)
    expect(started.stderr).toContain(`Kafka ${otherLine} is up with 1 broker`)
    expect(started.stderr).not.toContain('has not been tested')

    const status = await kadmJson<Status>(['local', 'status', '--data-dir', dir])
    expect(status.running).toBe(true)
    expect(status.version).toBe(otherLine)
    expect(status.brokers).toHaveLength(1)
    const pid = status.brokers[0].pid!
    expect(isAlive(pid)).toBe(true)

    // Nothing given: kadm finds the running local cluster and says so on stderr.
    const described = await kadm(['cluster', 'describe', '-o', 'json'], {env: {KADM_LOCAL_DIR: dir}})
    expect(described.code, described.stderr).toBe(0)
    expect(JSON.parse(described.stdout).brokers).toEqual([expect.objectContaining({id: 1, port})])
    expect(described.stderr).toContain(`using the local cluster started by \`kadm local start\` (127.0.0.1:${port})`)

    // Starting again is a no-op while it runs.
    const again = await kadm(['local', 'start', '--data-dir', dir])
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('already running')

    // A release kadm was not tested with is named as such, before anything else happens.
    const untested = await kadm(['local', 'start', '--kafka-version', '4.2.0', '--data-dir', dir])
    expect(untested.code).toBe(1)
    expect(untested.stderr.trim().split('\n')).toEqual([
      `note: Kafka 4.2.0 has not been tested with this kadm (tested: ${TESTED_KAFKA_VERSIONS.join(', ')})`,
      `error: the local cluster in ${dir} runs Kafka ${otherLine}; run \`kadm local stop --purge\` to switch versions`,
    ])

    const logs = await kadm(['local', 'logs', '--data-dir', dir, '-n', '5'])
    expect(logs.code).toBe(0)
    expect(logs.stdout.trim().split('\n')).toHaveLength(5)

    const oneBroker = await kadm(['local', 'logs', '--data-dir', dir, '--broker', '1', '-n', '3'])
    expect(oneBroker.stdout.trim().split('\n')).toHaveLength(3)

    const stopped = await kadmJson<{stopped: number[]}>(['local', 'stop', '--data-dir', dir, '--broker', '1'])
    expect(stopped.stopped).toEqual([1])
    expect(isAlive(pid)).toBe(false)

    // --follow prints the last lines, then each line appended, and keeps running. The broker is
    // stopped, so its log holds still: the output is exactly its last 2 lines and the one appended.
    const logFile = join(dir, 'broker-1', 'broker.log')
    const tail = (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-2)
    const appended = `a line appended while kadm follows ${Date.now()}`
    const follower = spawn(process.execPath, [BIN, 'local', 'logs', '--data-dir', dir, '--follow', '-n', '2'], {stdio: ['ignore', 'pipe', 'pipe'], env: kadmEnv()})
    let followed = ''
    follower.stdout.on('data', (d: Buffer) => (followed += d.toString()))
    try {
      const until = async (text: string) => {
        for (const deadline = Date.now() + 30_000; !followed.includes(text) && follower.exitCode === null && Date.now() < deadline;) await sleep(100)
      }
      await until(tail.join('\n') + '\n')
      await appendFile(logFile, `${appended}\n`)
      await until(appended)
      expect(follower.exitCode).toBeNull()
    } finally {
      follower.kill('SIGKILL')
    }
    expect(followed).toBe([...tail, appended].join('\n') + '\n')
    const after = await kadmJson<Status>(['local', 'status', '--data-dir', dir])
    expect(after.running).toBe(false)
    expect(after.brokers[0].running).toBe(false)

    // The data is kept: a restart brings the same cluster back.
    const restarted = await kadm(['local', 'start', '--data-dir', dir], {timeoutMs: 240_000})
    expect(restarted.code, restarted.stderr).toBe(0)
    const purged = await kadm(['local', 'stop', '--purge', '--data-dir', dir])
    expect(purged.code).toBe(0)
    expect((await kadmJson<Status>(['local', 'status', '--data-dir', dir])).brokers).toEqual([])
  })
})

describe('kadm local start refuses clearly', () => {
  let server: Server | undefined
  let dir = ''

  afterAll(async () => {
    server?.close()
    if (dir) await rm(dir, {recursive: true, force: true})
  })

  /** A PATH holding node and the named tools only. */
  async function pathWith(...tools: string[]): Promise<string> {
    const bin = await mkdtemp(join(tmpdir(), 'kadm-bin-'))
    const {execFileSync} = await import('node:child_process')
    for (const tool of ['node', ...tools]) {
      const target = execFileSync('sh', ['-c', `readlink -f "$(command -v ${tool})"`]).toString().trim()
      await symlink(target, join(bin, tool))
    }
    return bin
  }

  it('when java is missing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kadm-nojava-'))
    const result = await kadm(['local', 'start', '--data-dir', dir], {env: {PATH: await pathWith('mvn')}})
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe('error: java was not found on PATH: kadm local runs Apache Kafka, which needs Java 17 or newer')
  })

  it('when mvn is missing', async () => {
    // An exact version no cache holds, so mvn must be asked.
    const bin = await pathWith('java')
    const result = await kadm(['local', 'start', '--kafka-version', '9.9.9', '--data-dir', join(dir, 'x')], {env: {PATH: bin, XDG_CACHE_HOME: bin}})
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n').at(-1)).toBe('error: mvn was not found on PATH: kadm local fetches Apache Kafka with Maven (install it, e.g. apt-get install maven)')
    await rm(bin, {recursive: true, force: true})
  })

  it('when the version does not exist on Maven Central', async () => {
    const result = await kadm(['local', 'start', '--kafka-version', '9.9.9', '--data-dir', join(dir, 'v')], {env: {XDG_CACHE_HOME: join(dir, 'cache')}})
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^error: cannot fetch Apache Kafka 9\.9\.9 from Maven Central: org\.apache\.kafka:kafka[-_.\w]+:jar:9\.9\.9 is not there$/)
  })

  it('when a port is taken', async () => {
    server = createServer()
    const taken = port + 50
    await new Promise<void>((resolve) => server!.listen(taken, '127.0.0.1', resolve))
    const result = await kadm(['local', 'start', '--kafka-version', suiteVersion, '--port', String(taken), '--data-dir', join(dir, 'ports')])
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n').at(-1)).toBe(`error: port ${taken} on 127.0.0.1 is already in use (needed by broker 1); stop what uses it or pass --port`)
  })

  it('when --brokers is not 1 or 3', async () => {
    const result = await kadm(['local', 'start', '--brokers', '2', '--kafka-version', suiteVersion, '--data-dir', join(dir, 'two')])
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n').at(-1)).toBe('error: --brokers must be 1 or 3')
  })
})
