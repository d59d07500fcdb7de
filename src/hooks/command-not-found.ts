import type {Hook} from '@oclif/core/hooks'

import {ExitCode} from '../errors.js'
import {suggestCommand} from '../domain/suggest.js'

/**
 * An unknown command is a usage error: one line, a suggestion when the input looks like a typo,
 * exit 2. (Replaces @oclif/plugin-not-found, which cost every kadm start-up about 9 ms.)
 */
const hook: Hook.CommandNotFound = async function (options) {
  const typed = options.id.replaceAll(':', ' ')
  const ids = options.config.commandIDs.map((id) => id.replaceAll(':', ' '))
  const known = [...new Set([...ids, ...ids.map((id) => id.split(' ')[0])])]
  const suggestion = suggestCommand(typed.split(' '), known)
  process.stderr.write(`error: unknown command "${typed}"${suggestion ? `; did you mean "${suggestion}"?` : ''}\n`)
  process.stderr.write(`see: ${options.config.bin} --help\n`)
  process.exitCode = ExitCode.usage
}

export default hook
