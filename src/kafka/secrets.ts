import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {KadmError} from '../errors.js'
import type {SecretSource} from '../config/contexts.js'

const run = promisify(execFile)

/** Reads a secret at connection time. The value is never logged or put in an error message. */
export async function readSecret(source: SecretSource, what: string): Promise<string> {
  if (source.value !== undefined) return source.value
  if (source.env !== undefined) {
    const value = process.env[source.env]
    if (value === undefined) throw new KadmError(`${what}: environment variable ${source.env} is not set`)
    return value
  }
  if (source.command !== undefined) {
    try {
      const {stdout} = await run('/bin/sh', ['-c', source.command], {timeout: 30_000})
      return stdout.replace(/\r?\n$/, '')
    } catch (error) {
      const code = (error as {code?: number | string}).code
      throw new KadmError(`${what}: the command configured to print it failed (exit ${code ?? 'unknown'})`)
    }
  }
  throw new KadmError(`${what}: no value configured`)
}
