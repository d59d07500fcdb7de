import {execFileSync} from 'node:child_process'
import {chmod, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {cacheFile, readNames} from '../../src/completion/names.js'
import {BIN, createTopic, kadm, kadmEnv, kadmOnTerminal, shellQuote, uniqueName} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'
import {runProcess} from '../helpers/process.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
/** The cache key of the test cluster: its bootstrap servers, sorted (src/completion/names.ts). */
const cluster = bootstrap.split(',').sort().join(',')

let dir = ''
let env: NodeJS.ProcessEnv = {}
const prefix = uniqueName('completion')
const REGEX_SUMMARY = 'Treat the names as regular expressions (full match, as kafka-topics --topic) instead of globs.'
const topics = [`${prefix}-a`, `${prefix}-b`]
const group = `${prefix}-group`

/** Kafka's own lists (kafka-topics --list, kafka-consumer-groups --list) of the names starting with `start`. */
async function kafkaList(tool: 'TopicCommand' | 'ConsumerGroupCommand', start: string): Promise<string[]> {
  const listed = await kafkaTool(version, tool, ['--bootstrap-server', bootstrap, '--list'])
  expect(listed.code, listed.stderr).toBe(0)
  return listed.stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith(start)).sort()
}

async function sh(shell: string, args: string[], script: string, extra: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const result = await runProcess(shell, [...args, script], {env: {...env, ...extra}, timeoutMs: 60_000})
  expect(result.code, result.stderr).toBe(0)
  return result.stdout.split('\n').filter(Boolean)
}


/** bash: the words as bash splits them (COMP_WORDS, = a word of its own), _kadm_complete run as bash-completion runs it; COMPREPLY. */
function bash(words: string[], extra: NodeJS.ProcessEnv = {}, prelude = ''): Promise<string[]> {
  const line = words.join(' ').replaceAll(' = ', '=')
  return sh('bash', ['--norc', '-c'], [
    'source /usr/share/bash-completion/bash_completion',
    'source <(kadm completion bash)',
    prelude,
    `COMP_WORDS=(${words.map(shellQuote).join(' ')}); COMP_CWORD=${words.length - 1}`,
    `COMP_LINE=${shellQuote(line)}; COMP_POINT=\${#COMP_LINE}`,
    '_kadm_complete',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n'), extra)
}

/** zsh: _kadm with words and CURRENT set as compsys sets them; what it hands _describe (value:description). */
function zsh(words: string[], setup = 'source <(kadm completion zsh)'): Promise<string[]> {
  return sh('zsh', ['-f', '-c'], [
    'compdef() { :; }',
    '_describe() { local name=$4; print -rl -- "${(@P)name}"; }',
    '_files() { print -r -- "_files called"; }',
    setup,
    `words=(${words.map(shellQuote).join(' ')}); CURRENT=${words.length}`,
    '_kadm',
  ].join('\n'))
}

/** fish: `complete -C LINE` with the script sourced (or installed); value<TAB>description lines. */
function fish(line: string, source = true): Promise<string[]> {
  // Installed: fish finds it in $XDG_CONFIG_HOME/fish/completions (the scratch one), which --no-config would skip.
  return sh('fish', source ? ['--no-config', '-c'] : ['-c'], `${source ? 'kadm completion fish | source; ' : ''}complete -C ${shellQuote(line)}`)
}

async function until<T>(what: string, read: () => Promise<T> | T, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read()
    if (ok(value)) return value
    await sleep(100)
  }
  throw new Error(`gave up waiting for ${what}`)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kadm-completion-'))
  // `kadm` on PATH, as the scripts call it; scratch HOME and XDG dirs (no real dotfiles touched).
  await mkdir(join(dir, 'bin'))
  await writeFile(join(dir, 'bin', 'kadm'), `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(BIN)} "$@"\n`)
  await chmod(join(dir, 'bin', 'kadm'), 0o755)
  env = kadmEnv({
    PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    KADM_COMPLETION_BUDGET: '0',
  })
  for (const topic of topics) await createTopic(bootstrap, topic)
  const reset = await kafkaTool(version, 'ConsumerGroupCommand', ['--bootstrap-server', bootstrap, '--group', group, '--topic', topics[0], '--reset-offsets', '--to-earliest', '--execute'])
  expect(reset.code, reset.stderr).toBe(0)
  // The current context names the test cluster; "down" names a port nothing listens on.
  for (const [name, servers] of [['down', '127.0.0.1:1'], ['test', bootstrap]]) {
    const added = await kadm(['contexts', 'add', name, '-b', servers], {env})
    expect(added.code, added.stderr).toBe(0)
  }
  expect((await kadm(['contexts', 'use', 'test'], {env})).code).toBe(0)
}, 180_000)
afterAll(async () => rm(dir, {recursive: true, force: true}))

describe('live names: a cold cache answers nothing and is filled in the background, then bash, zsh and fish offer them', () => {
  it('cold, then warm: topics and groups as Kafka lists them', async () => {
    expect(await bash(['kadm', 'topics', 'describe', prefix])).toEqual([])
    const file = cacheFile(cluster, env)
    await until('the names cache', () => readNames(cluster, env), (cache) => cache !== undefined)
    const expectedTopics = await kafkaList('TopicCommand', prefix)
    const expectedGroups = await kafkaList('ConsumerGroupCommand', prefix)
    expect(expectedTopics).toEqual(topics)
    expect(expectedGroups).toEqual([group])
    expect(JSON.parse(await readFile(file, 'utf8')).cluster).toBe(cluster)

    expect(await bash(['kadm', 'topics', 'describe', prefix])).toEqual(expectedTopics)
    expect(await bash(['kadm', 'groups', 'describe', prefix])).toEqual(expectedGroups)
    expect((await zsh(['kadm', 'consume', prefix])).sort()).toEqual(expectedTopics)
    expect(await fish(`kadm consumer-groups delete ${prefix}`)).toEqual(expectedGroups)
    // Broker ids as kcat's metadata has them.
    const kcatBrokers = (JSON.parse(execFileSync('kcat', ['-b', bootstrap, '-L', '-J'], {encoding: 'utf8'})) as {brokers: Array<{id: number}>}).brokers.map((b) => String(b.id)).sort()
    expect(await bash(['kadm', 'partitions', 'list', '--broker', ''])).toEqual(kcatBrokers)
    expect(await fish('kadm configs get broker ')).toEqual(kcatBrokers)
  })

  it('a stale cache answers at once and is refreshed in the background (KADM_COMPLETION_TTL)', async () => {
    const added = await createTopic(bootstrap, `${prefix}-c`)
    // Fresh (default TTL 60s): the cache as it was.
    expect(await bash(['kadm', 'topics', 'describe', prefix])).toEqual(topics)
    const before = readNames(cluster, env)!.fetchedAt
    expect(await bash(['kadm', 'topics', 'describe', prefix], {KADM_COMPLETION_TTL: '1ms'})).toEqual(topics)
    await until('a refreshed cache', () => readNames(cluster, env), (cache) => cache !== undefined && cache.fetchedAt > before)
    expect(await bash(['kadm', 'topics', 'describe', prefix])).toEqual(await kafkaList('TopicCommand', prefix))
    expect(await bash(['kadm', 'topics', 'describe', prefix])).toEqual([...topics, added])
  })

  it('a cluster that cannot be reached: nothing offered, the shell not held', async () => {
    expect(await bash(['kadm', '--context', 'down', 'topics', 'describe', ''])).toEqual([])
    expect(await fish('kadm topics describe --context down ')).toEqual([])
  })

  it('contexts from the config file, with the current one described', async () => {
    expect(await bash(['kadm', 'contexts', 'use', ''])).toEqual(['down', 'test'])
    expect(await fish('kadm topics list --context ')).toEqual(['down', 'test\tcurrent context'])
  })
})

describe('commands, flags and values in bash, zsh and fish', () => {
  it('commands and aliases, with descriptions where the shell shows them', async () => {
    expect(await bash(['kadm', 'topics', ''])).toEqual(['alter', 'create', 'delete', 'describe', 'list', 'ls'])
    expect(await bash(['kadm', 'gr'])).toEqual(['groups'])
    expect(await zsh(['kadm', 'comp'])).toEqual(['completion:Print the completion script of bash, zsh or fish, or install it where the shell finds it.'])
    expect(await fish('kadm groups l')).toEqual([
      'lag\talias of consumer-groups lag: Lag summary for every group (or the ones named): total lag, max lag and its partition, and lag as time.',
      'list\talias of consumer-groups list: List consumer groups with state, type, assignor, members, topics and total lag.',
    ])
  })

  it('flags, output formats, compression codecs, reset targets', async () => {
    expect(await bash(['kadm', 'topics', 'describe', '-o', ''])).toEqual(['table', 'json', 'yaml'])
    // fish sorts what it offers.
    expect(await fish('kadm console produce t --compression ')).toEqual(['gzip', 'lz4', 'none', 'snappy', 'zstd'])
    expect(await bash(['kadm', 'offsets', 'reset', '--to-'])).toEqual(['--to-earliest', '--to-latest', '--to-current', '--to-offset', '--to-datetime'])
    expect(await zsh(['kadm', 'topics', 'describe', '--reg'])).toEqual([`--regex:${REGEX_SUMMARY}`])
  })

  it('config keys of topics and brokers with the documentation Kafka gives (zsh, fish), and values of known keys (bash)', async () => {
    // The documentation's first sentence, as the broker describes the key.
    const zshKeys = await zsh(['kadm', 'topics', 'create', 'x', '--config', 'retention.m'])
    expect(zshKeys).toHaveLength(1)
    expect(zshKeys[0]).toMatch(/^retention\.ms=:This configuration controls the maximum time we will retain a log before we will discard old log segments/)
    const fishKeys = await fish('kadm configs set broker 1 --set log.retention.ho')
    expect(fishKeys).toEqual(['log.retention.hours=\tThe number of hours to keep a log file before deleting it (in hours), tertiary to log.retention.ms property'])
    expect(await bash(['kadm', 'topics', 'alter', topics[0], '--config', 'compression.type', '=', 'z'])).toEqual(['zstd'])
    expect(await fish(`kadm topics alter ${topics[0]} --config cleanup.policy=c`)).toEqual(['cleanup.policy=compact', 'cleanup.policy=compact,delete'])
  })

  it('paths where a file goes: each shell completes file names its own way', async () => {
    await mkdir(join(dir, 'plans'))
    await writeFile(join(dir, 'plans', 'plan.json'), '{}')
    await writeFile(join(dir, 'plans', 'other.csv'), '')
    expect(await fish(`kadm partitions reassign apply ${join(dir, 'plans', 'pl')}`)).toEqual([join(dir, 'plans', 'plan.json')])
    expect(await fish(`kadm offsets reset --from-file ${join(dir, 'plans', 'o')}`)).toEqual([join(dir, 'plans', 'other.csv')])
    expect(await zsh(['kadm', 'local', 'start', '--data-dir', ''])).toEqual(['_files called'])
    // bash: no candidates of its own, and readline's file name completion turned on (compopt -o default).
    expect(await bash(['kadm', 'contexts', 'list', '--config-file', ''], {}, 'compopt() { echo compopt "$@"; }')).toEqual(['compopt -o default'])
  })
})

describe('kadm completion SHELL --install, into a scratch HOME and XDG dirs', () => {
  it('writes each script where its shell finds it by itself', async () => {
    const installed: Record<string, string> = {
      bash: join(dir, 'data', 'bash-completion', 'completions', 'kadm'),
      zsh: join(dir, 'data', 'zsh', 'site-functions', '_kadm'),
      fish: join(dir, 'config', 'fish', 'completions', 'kadm.fish'),
    }
    for (const shell of ['bash', 'zsh', 'fish']) {
      const result = await kadm(['completion', shell, '--install'], {env})
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toBe(`installed ${installed[shell]}\n`)
      const printed = await kadm(['completion', shell], {env})
      expect(await readFile(installed[shell], 'utf8')).toBe(printed.stdout)
    }
    // Loaded the shells' own way: bash-completion's loader, zsh's $fpath autoload, fish's completions folder.
    expect(await sh('bash', ['--norc', '-c'], 'source /usr/share/bash-completion/bash_completion; __load_completion kadm; complete -p kadm')).toEqual(['complete -F _kadm_complete kadm'])
    expect(await zsh(['kadm', 'contexts', 'u'], `fpath=(${shellQuote(join(dir, 'data', 'zsh', 'site-functions'))} $fpath); autoload -Uz _kadm`)).toEqual(['use:Make a context the current one (used when no -b, KADM_BOOTSTRAP_SERVER or --context is given).'])
    expect(await fish('kadm completion ', false)).toEqual(['bash', 'fish', 'zsh'])
  })
})

/**
 * Runs kadm on a pseudo-terminal; once the picker shows, types `typed`, waits until the list has
 * `pick` under the cursor and presses Enter. Returns what the terminal got.
 */
async function onTerminal(args: string[], picker?: {typed: string; pick: string}): Promise<{code: number | null; output: string}> {
  let step = 0
  return kadmOnTerminal(args, {
    env,
    respond(output, type) {
      if (!picker) return
      if (step === 0 && output.includes('(type to search)')) {
        step = 1
        type(picker.typed)
      } else if (step === 1) {
        // The latest frame, colours dropped: the search term as typed, and the name to pick under the cursor.
        const frame = output.slice(output.lastIndexOf('(type to search)')).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
        if (frame.startsWith(`(type to search) ${picker.typed}\r\n\u276f ${picker.pick}\r\n`)) {
          step = 2
          type('\r')
        }
      }
    },
  })
}

describe('pickers: a missing topic or group is picked on a terminal, and never otherwise', () => {
  it('consumer-groups describe without a group: a fuzzy search over the groups; the picked one is described', async () => {
    const {code, output} = await onTerminal(['groups', 'describe', '-b', bootstrap], {typed: group.slice(-12), pick: group})
    expect(code, output).toBe(0)
    expect(output).toContain('Group (type to search)')
    // After the answer (inquirer's check mark and the name): the description of that group.
    const answered = output.slice(output.lastIndexOf('\u2714')).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    expect(answered).toMatch(new RegExp(`^\u2714 Group \\(type to search\\) ${group}\\s`))
    expect(answered).toMatch(new RegExp(`\\nGroup: +${group}\\r?\\n`))
  })

  it('console consume without a topic: the picked topic is read', async () => {
    const {code, output} = await onTerminal(['consume', '-b', bootstrap, '-e'], {typed: `${prefix.slice(-8)}-b`, pick: topics[1]})
    expect(code, output).toBe(0)
    expect(output).toContain('consumed 0 records')
  })

  it('a command whose topic is required (offsets show) picks it too; without a terminal it is the usage error', async () => {
    const {code, output} = await onTerminal(['offsets', 'show', '-b', bootstrap], {typed: `${prefix.slice(-8)}-a`, pick: topics[0]})
    expect(code, output).toBe(0)
    const answered = output.slice(output.lastIndexOf('\u2714')).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    expect(answered).toMatch(new RegExp(`^\u2714 Topic \\(type to search\\) ${topics[0]}\\s`))
    // The offsets of one topic's one partition (its name cut to the pseudo-terminal's width), empty as created.
    expect(answered.split(/\r?\n/).slice(1).filter(Boolean).map((line) => line.trim().split(/\s+/)), answered).toEqual([['TOPIC', 'PARTITION', 'EARLIEST', 'LATEST'], [expect.stringMatching(/^completion-/), '0', '0', '0']])
    for (const args of [['offsets', 'show'], ['topics', 'delete'], ['topics', 'alter', '--config', 'retention.ms=1'], ['partitions', 'add', '--count', '1'], ['partitions', 'truncate', '--before', '1'], ['partitions', 'set-replication-factor', '-r', '1']]) {
      const piped = await kadm([...args, '-b', bootstrap], {env})
      expect([piped.code, piped.stderr], args.join(' ')).toEqual([2, `error: missing argument ${args[0] === 'offsets' ? 'TOPICS' : args[0] === 'topics' ? 'NAME' : 'TOPIC'}\n`])
    }
  })

  it('no picker with --no-input, with -o json, or without a terminal: the usage error as before', async () => {
    for (const extra of [['--no-input'], ['-o', 'json']]) {
      const {code, output} = await onTerminal(['groups', 'describe', '-b', bootstrap, ...extra])
      expect(code, output).toBe(2)
      expect(output).not.toContain('(type to search)')
      expect(output).toContain('error: name at least one group, or --all')
    }
    const piped = await kadm(['consume', '-b', bootstrap, '-e'], {env})
    expect(piped.code).toBe(2)
    expect(piped.stderr).toBe('error: missing argument TOPIC\n')
    const noInput = await onTerminal(['consume', '-b', bootstrap, '-e', '--no-input'])
    expect(noInput.code, noInput.output).toBe(2)
    expect(noInput.output).toContain('error: missing argument TOPIC')
  })

  it('--no-input makes a confirmation a usage error on a terminal too', async () => {
    const {code, output} = await onTerminal(['groups', 'delete', group, '-b', bootstrap, '--no-input'])
    expect(code, output).toBe(2)
    expect(output).not.toContain('(y/N)')
    expect(output).toMatch(/pass --yes to confirm with --no-input/)
  })
})
