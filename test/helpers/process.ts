import {spawn} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a program to completion with the given stdin, collecting stdout and stderr; killed after timeoutMs. */
export async function runProcess(command: string, args: string[], options: {env?: NodeJS.ProcessEnv; input?: string | Buffer; timeoutMs: number; cwd?: string}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => err.push(d))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString()})
    })
    // A program may exit without reading all its input (kadm refusing, `head`): its exit code tells.
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  })
}

/** Polls `check` every 300 ms until it gives a truthy value (returned), failing after `timeoutMs` with the last error. */
export async function until<T>(check: () => Promise<T | false | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value) return value
    } catch (error) {
      last = error
    }
    await sleep(300)
  }
  throw new Error(`timed out waiting until ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`)
}
