import {type ChildProcess, spawn} from 'node:child_process'

import {BIN, kadmEnv} from './kadm.js'

/** A `kadm exporter` run as a user runs it, stopped by its PID. */
export class RunningExporter {
  private err = ''

  private constructor(private readonly child: ChildProcess, readonly url: string) {
    child.stderr?.on('data', (d: Buffer) => {
      this.err += d.toString()
    })
  }

  /** Starts `kadm exporter --listen 127.0.0.1:PORT ARGS` and waits until it says it serves. */
  static async start(port: number, args: string[]): Promise<RunningExporter> {
    const child = spawn(process.execPath, [BIN, 'exporter', '--listen', `127.0.0.1:${port}`, ...args], {env: kadmEnv(), stdio: ['ignore', 'ignore', 'pipe']})
    const exporter = new RunningExporter(child, `http://127.0.0.1:${port}/metrics`)
    const deadline = Date.now() + 60_000
    while (!exporter.err.includes('serving metrics on')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`kadm exporter did not start (exit ${child.exitCode}): ${exporter.err}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return exporter
  }

  get stderr(): string {
    return this.err
  }

  /** GET /metrics: the samples, `name{labels}` as written -> value. */
  async samples(): Promise<Map<string, number>> {
    const response = await fetch(this.url)
    if (response.status !== 200) throw new Error(`GET ${this.url}: ${response.status}`)
    const out = new Map<string, number>()
    for (const line of (await response.text()).split('\n')) {
      if (!line || line.startsWith('#')) continue
      const at = line.lastIndexOf(' ')
      out.set(line.slice(0, at), Number(line.slice(at + 1)))
    }
    return out
  }

  /** SIGTERM, and the exit code once it has exited. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)))
    this.child.kill('SIGTERM')
    return exited
  }
}
