import {readFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {setTimeout as sleep} from 'node:timers/promises'

/** Running, and not a zombie waiting to be reaped by its parent. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

/** True when `pid` is a running Kafka broker started with this properties file (guards against PID reuse). */
export async function isOurBroker(pid: number, propertiesFile: string): Promise<boolean> {
  if (!isAlive(pid)) return false
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')
    return cmdline.includes('kafka.Kafka') && cmdline.includes(propertiesFile)
  } catch {
    // No /proc (macOS): trust the recorded PID.
    return true
  }
}

/** SIGTERM (Kafka shuts down cleanly), then SIGKILL if it is still there after `graceMs`. */
export async function terminate(pid: number, graceMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return
  }
  const until = Date.now() + graceMs
  while (Date.now() < until) {
    if (!isAlive(pid)) return
    await sleep(100)
  }
  try {
    process.kill(pid, 'SIGKILL')
  } catch {}
  while (isAlive(pid)) await sleep(50)
}
