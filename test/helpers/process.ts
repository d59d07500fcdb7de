import {spawn} from 'node:child_process'

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
