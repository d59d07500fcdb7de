import {spawn} from 'node:child_process'
import {join} from 'node:path'

export {kafkaToolArgv} from '../helpers/kafka-tools.js'

export const ROOT = join(import.meta.dirname, '..', '..')
export const KADM = join(ROOT, 'bin', 'run.js')

export interface BenchContext {
  bootstrap: string
  /** Exact Kafka version of the cluster (for running Kafka's own tools from the same jars). */
  kafkaVersion: string
}

/** One timing: `name` is the task, `tool` who did it; tasks are compared against kadm's time. */
export interface BenchResult {
  name: string
  tool: string
  ms: number
  note?: string
}

export interface Timed {
  ms: number
  code: number | null
  stdout: string
  stderr: string
  /** Peak resident memory of the process in KiB (from /usr/bin/time), when measured. */
  maxRssKb?: number
}

/** Runs a command to completion and times it (wall clock, including process start). */
export async function timeCommand(argv: string[], options: {input?: string; stdoutTo?: 'pipe' | 'ignore'; env?: NodeJS.ProcessEnv} = {}): Promise<Timed> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {stdio: ['pipe', options.stdoutTo ?? 'pipe', 'pipe'], env: options.env ?? process.env})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout?.on('data', (d) => out.push(d))
    child.stderr?.on('data', (d) => err.push(d))
    child.once('error', reject)
    child.once('close', (code) => resolve({ms: performance.now() - started, code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString()}))
    child.stdin?.end(options.input ?? '')
  })
}

/** Median wall time of `runs` runs (after one warm-up run); fails loudly if the command fails. */
export async function median(argv: string[], runs = 5, options: {stdoutTo?: 'pipe' | 'ignore'; env?: NodeJS.ProcessEnv} = {}): Promise<number> {
  const times: number[] = []
  for (let i = 0; i <= runs; i++) {
    const result = await timeCommand(argv, options)
    if (result.code !== 0) throw new Error(`${argv.join(' ')} exited ${result.code}: ${result.stderr.slice(0, 500)}`)
    if (i > 0) times.push(result.ms)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

/**
 * Median wall times of several commands run in turns (a, b, a, b, ...) after one warm-up each: load
 * from elsewhere on the machine then hits every command alike, and their ratio stays fair.
 */
export async function interleavedMedians(commands: Array<{argv: string[]; env?: NodeJS.ProcessEnv}>, runs: number): Promise<number[]> {
  const times = commands.map(() => [] as number[])
  for (let i = 0; i <= runs; i++) {
    for (const [k, c] of commands.entries()) {
      const result = await timeCommand(c.argv, {env: c.env})
      if (result.code !== 0) throw new Error(`${c.argv.join(' ')} exited ${result.code}: ${result.stderr.slice(0, 500)}`)
      if (i > 0) times[k].push(result.ms)
    }
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)])
}

export function kadmArgv(...args: string[]): string[] {
  return [process.execPath, KADM, ...args]
}
