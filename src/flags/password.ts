import * as Flags from '@oclif/core/flags'

import {KadmError, UsageError} from '../errors.js'

/**
 * Where a new password comes from. Never argv by default: a command line is readable by every
 * user of the machine (ps, /proc) and lands in shell history.
 */
export const newPasswordFlags = {
  'password-stdin': Flags.boolean({summary: 'Read the password from stdin (one trailing newline is dropped).', exclusive: ['password-env', 'password'], helpGroup: 'PASSWORD'}),
  'password-env': Flags.string({summary: 'Read the password from this environment variable.', exclusive: ['password'], helpGroup: 'PASSWORD'}),
  password: Flags.string({summary: 'The password itself: refused unless --insecure-password-argv is given too (others can read a command line).', helpGroup: 'PASSWORD'}),
  'insecure-password-argv': Flags.boolean({summary: 'Accept --password on the command line anyway.', dependsOn: ['password'], helpGroup: 'PASSWORD'}),
}

export interface NewPasswordFlags {
  'password-stdin'?: boolean
  'password-env'?: string
  password?: string
  'insecure-password-argv'?: boolean
}

/** Refusals that need no input: done before anything is asked or sent. */
export function checkPasswordSource(flags: NewPasswordFlags): void {
  if (flags.password !== undefined && !flags['insecure-password-argv']) {
    throw new UsageError('refusing a password on the command line, where other users and shell history can read it', 'use --password-stdin, --password-env VAR or the prompt; or add --insecure-password-argv')
  }
  if (!flags['password-stdin'] && flags['password-env'] === undefined && flags.password === undefined && !(process.stdin.isTTY && process.stderr.isTTY)) {
    throw new UsageError('no password given and no terminal to ask on', 'use --password-stdin or --password-env VAR')
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
}

/** The new password, from the one source the flags name, or asked twice on a terminal. It is never printed. */
export async function readNewPassword(flags: NewPasswordFlags, user: string): Promise<string> {
  checkPasswordSource(flags)
  let value: string
  if (flags['password-stdin']) value = await readStdin()
  else if (flags['password-env'] !== undefined) {
    const env = process.env[flags['password-env']]
    if (env === undefined) throw new KadmError(`environment variable ${flags['password-env']} is not set`)
    value = env
  } else if (flags.password !== undefined) value = flags.password
  else {
    const {password} = await import('../prompts.js')
    value = await password({message: `New password for ${user}`, mask: true}, {output: process.stderr})
    const again = await password({message: 'Again', mask: true}, {output: process.stderr})
    if (again !== value) throw new KadmError('the two passwords differ: nothing changed')
  }
  if (value === '') throw new KadmError('the password is empty: nothing changed')
  return value
}
