import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdirSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync} from 'node:fs'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'

import {cacheDirectory, cachePrefix} from '../../src/bundle-loader.js'
import {runProcess, type RunResult} from './process.js'

export const ROOT = join(import.meta.dirname, '..', '..')
/** bin/run.js of this checkout: spawn it with kadmEnv(). */
export const BIN = join(ROOT, 'bin', 'run.js')

export type {RunResult}

export interface RunOptions {
  env?: Record<string, string | undefined>
  input?: string | Buffer
  timeoutMs?: number
  /** The node binary that runs kadm (default: the one running the tests). */
  node?: string
}

/** Where kadm's XDG dirs point in tests: config, data, state and cache of test runs only. */
export const SCRATCH_HOME = join(ROOT, '.kadm-test', 'home')

/** The developer's real cache directory (XDG_CACHE_HOME of the test process, or ~/.cache). */
export const REAL_CACHE = process.env.XDG_CACHE_HOME || join(homedir(), '.cache')

/** What kadm may share from the real cache: Kafka's jars (src/local/maven.ts) and Node builds (test/setup/node.sh). */
const SHARED_CACHES = ['kafka', 'node']

let scratchCache: string | undefined

/**
 * The scratch cache kadm runs with: its own kadm/v8 (code caches of test runs stay out of the
 * real one), and kadm/kafka and kadm/node as links to the real cache's, so Kafka's jars and Node
 * builds are found there, or fetched once into it, and never downloaded again per checkout.
 */
function ensureScratchCache(): string {
  if (scratchCache) return scratchCache
  const cache = join(SCRATCH_HOME, 'cache')
  mkdirSync(join(cache, 'kadm'), {recursive: true})
  for (const name of SHARED_CACHES) {
    const link = join(cache, 'kadm', name)
    const target = join(REAL_CACHE, 'kadm', name)
    if (resolve(link) === resolve(target)) continue
    mkdirSync(target, {recursive: true})
    let current: string | undefined
    try {
      current = readlinkSync(link)
    } catch {}
    if (current === target) continue
    rmSync(link, {recursive: true, force: true})
    try {
      symlinkSync(target, link)
    } catch (error) {
      // Another test process made the same link meanwhile.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || readlinkSync(link) !== target) throw error
    }
  }
  scratchCache = cache
  return cache
}

/**
 * The environment every kadm process of the tests runs with, as a user's shell gives it, without
 * the developer's config file, contexts, local cluster or caches: the XDG dirs point into
 * SCRATCH_HOME, KADM_* settings are cleared, and so is NODE_ENV (oclif would look for TypeScript
 * sources). `extra` adds or overrides variables (undefined removes one).
 */
export function kadmEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: undefined,
    XDG_CONFIG_HOME: join(SCRATCH_HOME, 'config'),
    XDG_DATA_HOME: join(SCRATCH_HOME, 'data'),
    XDG_STATE_HOME: join(SCRATCH_HOME, 'state'),
    XDG_CACHE_HOME: ensureScratchCache(),
    KADM_BOOTSTRAP_SERVER: undefined,
    KADM_CONTEXT: undefined,
    KADM_CONFIG: undefined,
    KADM_LOCAL_DIR: undefined,
    FORCE_COLOR: undefined,
    ...extra,
  }
}

/** Runs the built CLI as a user's shell would (a child process with its own stdout, stderr and exit code), with kadmEnv. */
export async function kadm(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return runProcess(options.node ?? process.execPath, [BIN, ...args], {env: kadmEnv(options.env), input: options.input, timeoutMs: options.timeoutMs ?? 60_000})
}

/** Runs kadm with -o json and parses stdout; fails the test with stderr when it exits non-zero. */
export async function kadmJson<T = unknown>(args: string[], options: RunOptions = {}): Promise<T> {
  const result = await kadm([...args, '-o', 'json'], options)
  if (result.code !== 0) throw new Error(`kadm ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}

/** A name no other test (or earlier run) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

/**
 * Creates a topic through `kadm topics create`, which returns once every broker's metadata has
 * its leaders and they answer for it (kafkajs's createTopics can trip over kafkajs#815).
 */
export async function createTopic(bootstrap: string, name: string, options: {partitions?: number; replicationFactor?: number; assignment?: string; config?: Record<string, string>} = {}): Promise<string> {
  const args = ['topics', 'create', name, '-b', bootstrap]
  if (options.assignment) args.push('--replica-assignment', options.assignment)
  else args.push('-p', String(options.partitions ?? 1), '-r', String(options.replicationFactor ?? 1))
  for (const [key, value] of Object.entries(options.config ?? {})) args.push('--config', `${key}=${value}`)
  const result = await kadm(args)
  if (result.code !== 0) throw new Error(`creating topic ${name}: ${result.stderr}`)
  return name
}

/**
 * The V8 code caches (src/bundle-loader.ts) of this checkout's bundles in the developer's real
 * cache directory, by file name, with their modification times. Other checkouts and installs
 * write caches of their own bundles there (the names differ): those are none of a test run's doing.
 */
export function checkoutCodeCaches(): Map<string, number> {
  const dir = cacheDirectory({XDG_CACHE_HOME: REAL_CACHE})
  const prefixes = ['kadm.cjs', 'commands.cjs'].map((bundle) => cachePrefix(join(ROOT, 'dist', bundle)))
  const caches = new Map<string, number>()
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {}
  for (const name of names) {
    if (!prefixes.some((prefix) => name.startsWith(prefix))) continue
    try {
      caches.set(name, statSync(join(dir, name)).mtimeMs)
    } catch {}
  }
  return caches
}

/** The entries of checkoutCodeCaches() that appeared, changed or went between two readings. */
export function codeCachesWritten(before: Map<string, number>, after: Map<string, number>): string[] {
  const names = new Set([...before.keys(), ...after.keys()])
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort()
}

/** A word for `sh -c`, quoted. */
export const shellQuote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`

/**
 * Runs kadm (with --no-color) on a pseudo-terminal (util-linux `script`: stdin, stdout and stderr
 * are the terminal) as a person at it would: after each piece of output, `respond` sees everything
 * the terminal got so far and may type into it (`end` closes the input after). Killed after 60 s.
 * Returns the exit code and what the terminal got.
 */
export async function kadmOnTerminal(args: string[], options: {env?: NodeJS.ProcessEnv; respond?: (output: string, type: (keys: string, end?: boolean) => void) => void} = {}): Promise<{code: number | null; output: string}> {
  const command = [process.execPath, BIN, ...args, '--no-color'].map(shellQuote).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? kadmEnv()})
    let output = ''
    const type = (keys: string, end = false) => (end ? child.stdin.end(keys) : child.stdin.write(keys))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    const read = (d: Buffer) => {
      output += d
      options.respond?.(output, type)
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
