/**
 * Every command and every flag of kadm is run by some integration test (issue #16). The test
 * command (test/run-all.sh) points KADM_RECORD_ARGV at a file for its integration phases; kadm
 * appends to it each command line it is given (src/main.ts). This reads them back against
 * oclif.manifest.json and fails, naming them, when a command or flag was never run, or when an
 * entry of the allow-list below was run after all (the list only ever shrinks).
 *
 *   npx tsx test/flag-coverage.ts FILE
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {versionRequest} from '../src/version.js'

interface ManifestFlag {
  name: string
  char?: string
  aliases?: string[]
  allowNo?: boolean
}

interface ManifestCommand {
  id: string
  aliases?: string[]
  flags: Record<string, ManifestFlag>
}

/**
 * What no integration test runs, and why. `command` alone is the command; `command --flag` one
 * of its flags. Entries that are not there yet but will be: say so, with the issue.
 */
export const NOT_RUN: Record<string, string> = {}

/** The command id a recorded command line names (its leading words, an alias resolved), or undefined. */
export function commandOf(argv: readonly string[], commands: ReadonlyMap<string, ManifestCommand>): {command: ManifestCommand; rest: string[]} | undefined {
  for (let n = Math.min(3, argv.length); n > 0; n--) {
    const words = argv.slice(0, n)
    if (words.some((w) => w.startsWith('-'))) continue
    const command = commands.get(words.join(':'))
    if (command) return {command, rest: argv.slice(n)}
  }
  return undefined
}

/** The flags (their manifest names) a command line gives, by long name, alias, --no- form or short char. */
export function flagsOf(rest: readonly string[], command: ManifestCommand): string[] {
  const byName = new Map<string, string>()
  const byChar = new Map<string, string>()
  for (const flag of Object.values(command.flags)) {
    byName.set(flag.name, flag.name)
    for (const alias of flag.aliases ?? []) byName.set(alias, flag.name)
    if (flag.allowNo) byName.set(`no-${flag.name}`, flag.name)
    if (flag.char) byChar.set(flag.char, flag.name)
  }
  const used: string[] = []
  for (const token of rest) {
    if (token === '--') break
    const long = /^--([^=]+)/.exec(token)
    if (long) {
      const name = byName.get(long[1])
      if (name) used.push(name)
      continue
    }
    const short = /^-([^-\d])/.exec(token)
    if (short) {
      const name = byChar.get(short[1])
      if (name) used.push(name)
    }
  }
  return used
}

/**
 * What was never run: `command` or `command --flag` entries, in manifest order. The flags every
 * command shares (`shared`: kadm's base flags, one implementation, e.g. --verbose, --context) are
 * one entry each, `* --flag`, run when any command ran them; a command's own flag of the same
 * name (consume's --output) counts as its own.
 */
export function notRun(lines: ReadonlyArray<readonly string[]>, manifest: {commands: Record<string, ManifestCommand>}, shared: Readonly<Record<string, {summary?: string}>> = {}): string[] {
  const isShared = (command: ManifestCommand, flag: string) => flag in shared && (command.flags[flag] as {summary?: string}).summary === shared[flag].summary
  const entry = (command: ManifestCommand, flag: string) => (isShared(command, flag) ? `* --${flag}` : `${command.id.replaceAll(':', ' ')} --${flag}`)
  const commands = new Map<string, ManifestCommand>()
  for (const command of Object.values(manifest.commands)) {
    commands.set(command.id, command)
    for (const alias of command.aliases ?? []) commands.set(alias, command)
  }
  const ran = new Set<string>()
  for (const argv of lines) {
    const version = versionRequest(argv)
    if (version) ran.add(version.verbose ? '--version --verbose' : '--version')
    const found = commandOf(argv, commands)
    if (!found) continue
    const id = found.command.id.replaceAll(':', ' ')
    ran.add(id)
    for (const flag of flagsOf(found.rest, found.command)) ran.add(entry(found.command, flag))
    if (found.rest.includes('--help') || found.rest.includes('-h')) ran.add('--help')
  }
  const expected = new Set(['--version', '--version --verbose', '--help'])
  for (const command of Object.values(manifest.commands)) {
    expected.add(command.id.replaceAll(':', ' '))
    for (const flag of Object.keys(command.flags)) expected.add(entry(command, flag))
  }
  return [...expected].filter((e) => !ran.has(e))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2]
  if (!file) throw new Error('usage: tsx test/flag-coverage.ts FILE')
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[])
  const {KadmCommand} = await import('../src/base-command.js')
  const {ClusterCommand} = await import('../src/cluster-command.js')
  const json = {summary: undefined} // oclif's --json, which every kadm command has
  const missing = notRun(lines, manifest, {...KadmCommand.baseFlags, ...ClusterCommand.baseFlags, json})
  const unexplained = missing.filter((entry) => !(entry in NOT_RUN))
  const stale = Object.keys(NOT_RUN).filter((entry) => !missing.includes(entry))
  process.stdout.write(`${lines.length} kadm command lines recorded; ${missing.length} command(s)/flag(s) not run, ${missing.length - unexplained.length} of them on the allow-list\n`)
  for (const entry of unexplained) process.stdout.write(`not run by any integration test: ${entry}\n`)
  for (const entry of stale) process.stdout.write(`on the allow-list but run after all (remove it from NOT_RUN): ${entry}\n`)
  process.exitCode = unexplained.length > 0 || stale.length > 0 ? 1 : 0
}
