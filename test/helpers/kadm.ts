import {randomBytes} from 'node:crypto'
import {join} from 'node:path'

import {runProcess, type RunResult} from './process.js'

export const ROOT = join(import.meta.dirname, '..', '..')
const BIN = join(ROOT, 'bin', 'run.js')

export type {RunResult}

export interface RunOptions {
  env?: Record<string, string | undefined>
  input?: string | Buffer
  timeoutMs?: number
  /** The node binary that runs kadm (default: the one running the tests). */
  node?: string
}

/**
 * Runs the built CLI as a user's shell would (a child process with its own stdout, stderr and
 * exit code). No config file or local cluster of the developer's leaks in: XDG dirs point to a
 * scratch directory unless the test sets them.
 */
export async function kadm(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const scratch = join(ROOT, '.kadm-test', 'home')
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: undefined,
    XDG_CONFIG_HOME: join(scratch, 'config'),
    XDG_DATA_HOME: join(scratch, 'data'),
    XDG_STATE_HOME: join(scratch, 'state'),
    KADM_BOOTSTRAP_SERVER: undefined,
    KADM_CONTEXT: undefined,
    KADM_CONFIG: undefined,
    KADM_LOCAL_DIR: undefined,
    FORCE_COLOR: undefined,
    ...options.env,
  }
  return runProcess(options.node ?? process.execPath, [BIN, ...args], {env: env as NodeJS.ProcessEnv, input: options.input, timeoutMs: options.timeoutMs ?? 60_000})
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
