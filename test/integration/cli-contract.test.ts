import {spawn} from 'node:child_process'
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, inject, it} from 'vitest'

import {createTopic, kadm, kadmJson, ROOT, uniqueName} from '../helpers/kadm.js'
import {runProcess} from '../helpers/process.js'

const bootstrap = inject('bootstrap')
const B = ['-b', bootstrap]

/** A usage error: exit 2, and its first line on stderr is exactly `line`. */
async function expectUsageError(args: string[], line: string, env?: Record<string, string | undefined>): Promise<void> {
  const result = await kadm(args, {env})
  expect({args, code: result.code, first: result.stderr.split('\n')[0]}).toEqual({args, code: 2, first: `error: ${line}`})
  expect(result.stdout).toBe('')
}

describe('the command-line contract: errors name what is wrong, in one line', () => {
  it.each([
    [['console', 'consume'], 'missing argument TOPIC'],
    [['console', 'produce'], 'missing argument TOPIC'],
    [['topics', 'create'], 'missing argument NAME'],
    [['topics', 'delete'], 'missing argument NAME'],
    [['topics', 'alter'], 'missing argument NAME'],
    [['partitions', 'add'], 'missing argument TOPIC'],
    [['offsets', 'show'], 'missing argument TOPICS'],
    [['contexts', 'use'], 'missing argument NAME'],
    [['contexts', 'add'], 'missing argument NAME'],
    [['consumer-groups', 'delete'], 'missing argument GROUP'],
  ])('%j: %s', async (args, line) => {
    await expectUsageError(args, line)
  })

  it.each([
    [['partitions', 'truncate', 'clicks', ...B], 'Exactly one of the following must be provided: --before, --partition'],
    [['offsets', 'delete', '--group', 'g', ...B], 'missing required flag --topic'],
    [['topics', 'create', 'foo', '-p', '0', ...B], '--partitions: Expected an integer greater than or equal to 1 but received: 0'],
    [['topics', 'alter', 'foo', '-p', '0', ...B], '--partitions: Expected an integer greater than or equal to 1 but received: 0'],
    [['topics', 'list', '--nope', ...B], 'Nonexistent flag: --nope'],
  ])('%j: %s', async (args, line) => {
    await expectUsageError(args, line)
  })
})

describe('durations need a unit', () => {
  it.each([
    [['cluster', 'describe', '--timeout', '5000', ...B], '--timeout 5000: add a unit, e.g. 5000ms or 5s'],
    [['topics', 'list', '--timeout', '30', ...B], '--timeout 30: add a unit, e.g. 30ms or 30s'],
    [['topics', 'create', 'never-created', '--timeout', '5000', ...B], '--timeout 5000: add a unit, e.g. 5000ms or 5s'],
    [['console', 'produce', 'never-created', '--delivery-timeout', '3000', ...B], '--delivery-timeout 3000: add a unit, e.g. 3000ms or 3s'],
    [['cluster', 'describe', '--timeout', 'soon', ...B], '--timeout "soon" is not a duration (e.g. 5s, 500ms, 1m)'],
  ])('%j: %s', async (args, line) => {
    await expectUsageError(args, line)
  })

  it('takes a duration with a unit', async () => {
    const result = await kadm(['topics', 'list', '--timeout', '4500ms', ...B])
    expect(result.code).toBe(0)
    expect((await kadm(['topics', 'describe', 'never-created', '--timeout', '5000', ...B])).code).toBe(2)
  })
})

describe('--config-file is kadm\'s config file, --config a topic config', () => {
  async function contextFile(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'kadm-contract-'))
    const path = join(dir, 'config.yaml')
    await writeFile(path, `current-context: suite\ncontexts:\n  suite:\n    bootstrap-servers: [${bootstrap}]\n`, {mode: 0o600})
    return path
  }

  it('connects through the context of the file --config-file or KADM_CONFIG names', async () => {
    const path = await contextFile()
    const topic = await createTopic(bootstrap, uniqueName('contract-file'))
    const byFlag = await kadmJson<Array<{name: string}>>(['topics', 'list', topic, '--config-file', path])
    expect(byFlag.map((t) => t.name)).toEqual([topic])
    const byEnv = await kadmJson<Array<{name: string}>>(['topics', 'list', topic], {env: {KADM_CONFIG: path}})
    expect(byEnv.map((t) => t.name)).toEqual([topic])
    const contexts = await kadmJson<Array<{name: string}>>(['contexts', 'list', '--config-file', path])
    expect(contexts.map((c) => c.name)).toEqual(['suite'])
  })

  it('refuses a named config file that does not exist, rather than connecting elsewhere', async () => {
    const missing = join(tmpdir(), uniqueName('no-such-kadm-config'), 'config.yaml')
    await expectUsageError(['topics', 'list', '--config-file', missing], `--config-file ${missing}: no such file`)
    await expectUsageError(['cluster', 'describe'], `KADM_CONFIG ${missing}: no such file`, {KADM_CONFIG: missing})
    await expectUsageError(['contexts', 'list', '--config-file', missing], `--config-file ${missing}: no such file`)
    await expectUsageError(['contexts', 'use', 'x', '--config-file', missing], `--config-file ${missing}: no such file`)
  })

  it('contexts add creates the file it is given', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'kadm-contract-')), 'new.yaml')
    const added = await kadm(['contexts', 'add', 'fresh', '-b', bootstrap, '--config-file', path])
    expect(added.code).toBe(0)
    expect(await readFile(path, 'utf8')).toContain('fresh')
  })

  it.each([
    [['topics', 'list']],
    [['cluster', 'describe']],
    [['contexts', 'list']],
    [['consumer-groups', 'list']],
  ])('%j refuses --config PATH: it never means the config file', async (args) => {
    const path = await contextFile()
    await expectUsageError([...args, '--config', path], `--config ${path}: --config is a topic config (topics create, topics alter); name kadm's config file with --config-file`)
  })

  it('topics create and topics alter apply --config key=value; alter never drops it', async () => {
    const topic = uniqueName('contract-config')
    await kadmJson(['topics', 'create', topic, '-p', '1', '-r', '1', '--config', 'retention.ms=7200000', ...B])
    const configOf = async (key: string) => {
      const [described] = await kadmJson<Array<{partitionCount: number; configs: Array<{name: string; value: string | null}>}>>(['topics', 'describe', topic, ...B])
      return {partitions: described.partitionCount, value: described.configs.find((c) => c.name === key)?.value}
    }
    expect(await configOf('retention.ms')).toEqual({partitions: 1, value: '7200000'})

    const altered = await kadm(['topics', 'alter', topic, '--partitions', '2', '--config', 'retention.ms=3600000', ...B])
    expect(altered.code).toBe(0)
    expect(await configOf('retention.ms')).toEqual({partitions: 2, value: '3600000'})

    expect((await kadm(['topics', 'alter', topic, '-c', 'segment.ms=7200000', ...B])).code).toBe(0)
    expect(await configOf('segment.ms')).toEqual({partitions: 2, value: '7200000'})

    await expectUsageError(['topics', 'alter', topic, '--config', 'retention.ms', ...B], '--config "retention.ms" is not key=value')
    await expectUsageError(['topics', 'create', uniqueName('contract-bad'), '--config', 'retention.ms', ...B], '--config "retention.ms" is not key=value')
  })
})

/**
 * Runs kadm on a pseudo-terminal (util-linux `script`) and, once the confirmation prompt shows,
 * types `answer` as a person would ("n" and Enter, or Ctrl-C: \x03).
 */
async function answerPrompt(args: string[], answer: string): Promise<{code: number | null; output: string}> {
  const command = [process.execPath, join(ROOT, 'bin', 'run.js'), ...args, '--no-color'].join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, NODE_ENV: undefined, KADM_CONFIG: undefined}})
    let output = ''
    let answered = false
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    const read = (d: Buffer) => {
      output += d
      if (!answered && /\(y\/N\)/.test(output)) {
        answered = true
        child.stdin.end(answer)
      }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({code, output})
    })
  })
}

describe('a command that asks before it risks data, without a terminal and without --yes: a usage error saying what is at stake', () => {
  const cases: Array<[string, (topic: string) => string[], string]> = [
    ['partitions truncate', (topic) => ['partitions', 'truncate', topic, '--before', 'end', ...B], 'deleting records cannot be undone'],
    ['partitions elect-leaders --unclean', (topic) => ['partitions', 'elect-leaders', '--unclean', '--topic', topic, ...B], 'an unclean election may lose data'],
  ]
  it.each(cases)('%s', async (_name, args, risk) => {
    const topic = await createTopic(bootstrap, uniqueName('contract-noterm'), {partitions: 1, replicationFactor: 1})
    const written = await runProcess('kcat', ['-P', '-b', bootstrap, '-t', topic], {input: 'a\nb\nc\n', timeoutMs: 30_000})
    expect(written.code, written.stderr).toBe(0)
    const result = await kadm(args(topic))
    expect(result.code).toBe(2)
    expect(result.stderr.split('\n')[0]).toBe(`error: ${risk}: pass --yes to confirm without a terminal`)
    // Nothing deleted: kcat still reads all three records.
    const read = await runProcess('kcat', ['-C', '-b', bootstrap, '-t', topic, '-e', '-q'], {timeoutMs: 30_000})
    expect(read.stdout).toBe('a\nb\nc\n')
  })
})

describe('"no" or Ctrl-C at a confirmation prompt: one line "cancelled", exit 5, nothing changed', () => {
  const answers = [['no', 'n\r'], ['Ctrl-C', '\x03']] as const
  const commands: Array<[string, (topic: string, group: string) => string[], ReadonlyArray<readonly [string, string]>]> = [
    ['topics delete', (topic) => ['topics', 'delete', topic, ...B], answers],
    ['partitions elect-leaders --unclean', (topic) => ['partitions', 'elect-leaders', '--unclean', '--topic', topic, ...B], answers],
    ['partitions truncate', (topic) => ['partitions', 'truncate', topic, '--before', 'end', ...B], answers],
    ['consumer-groups delete', (_topic, group) => ['consumer-groups', 'delete', group, ...B], answers],
    ['offsets delete', (topic, group) => ['offsets', 'delete', '--group', group, '--topic', topic, ...B], answers],
  ]
  it.each(commands.flatMap(([name, args, keys]) => keys.map(([what, typed]) => [name, what, args, typed] as const)))('%s, %s', async (name, what, args, keys) => {
    const topic = await createTopic(bootstrap, uniqueName('contract-prompt'), {partitions: 1, replicationFactor: 1})
    // Records to delete (truncate asks only when its plan deletes something) and a group with offsets.
    const written = await runProcess('kcat', ['-P', '-b', bootstrap, '-t', topic], {input: 'a\nb\nc\n', timeoutMs: 30_000})
    expect(written.code, written.stderr).toBe(0)
    const group = uniqueName('contract-group')
    if (name.includes('delete') && name !== 'topics delete') {
      const read = await runProcess('kcat', ['-b', bootstrap, '-G', group, '-o', 'beginning', '-e', '-q', topic], {timeoutMs: 60_000})
      expect(read.code, read.stderr).toBe(0)
    }
    const result = await answerPrompt(args(topic, group), keys)
    const lines = result.output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
    expect({what, code: result.code, last: lines.at(-1)?.replace(/^\u001B\[\?25h/, '')}).toEqual({what, code: 5, last: 'cancelled'})
    expect(result.output).not.toContain('error:')
    expect(result.output).not.toContain('force closed')
    const listed = await kadmJson<Array<{name: string}>>(['topics', 'list', topic, ...B])
    expect(listed.map((t) => t.name)).toEqual([topic])
  })
})
