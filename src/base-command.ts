import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import type * as Interfaces from '@oclif/core/interfaces'
import type {ChalkInstance} from 'chalk'

import {CancelledError, ExitCode, KadmError, oneLine, UsageError} from './errors.js'
import {colourEnabled, makeChalk} from './render/colour.js'
import {OUTPUT_FORMATS, type OutputFormat, serialise} from './render/output.js'
import {forTerminal} from './render/table.js'
import {durationProblem, parseDuration} from './domain/duration.js'
import {habitProblem} from './domain/habits.js'
import {describeParseError} from './parse-errors.js'
import {runRecord} from './run-record.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof KadmCommand)['baseFlags'] & T['flags']>

/**
 * What every kadm command shares: -o table|json|yaml (and --json), colour rules, and errors as
 * one line on stderr with a documented exit code. Commands return their data from run(), so
 * tests and -o json see the very object the table is drawn from.
 */
export abstract class KadmCommand extends Command {
  static enableJsonFlag = true

  static baseFlags = {
    output: Flags.string({
      char: 'o',
      summary: 'Output format.',
      options: [...OUTPUT_FORMATS],
      default: 'table',
      helpGroup: 'OUTPUT',
    }),
    'no-color': Flags.boolean({summary: 'Never colour output (NO_COLOR in the environment does the same).', helpGroup: 'OUTPUT'}),
    verbose: Flags.boolean({summary: 'Print client logs and full error details on stderr.', helpGroup: 'OUTPUT'}),
  }

  protected chalk: ChalkInstance = makeChalk(false)
  protected format: OutputFormat = 'table'
  protected verbose = false

  /** kadm prints JSON itself (see emit), so oclif's own --json printing stays off. */
  override jsonEnabled(): boolean {
    return false
  }

  override async init(): Promise<void> {
    await super.init()
    runRecord.command = this.id ?? ''
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') return this.stdoutClosed()
      throw error
    })
    const argv = this.argv
    this.verbose = argv.includes('--verbose')
    this.chalk = makeChalk(colourEnabled(process.stdout, argv.includes('--no-color')))
  }

  /**
   * The reader of stdout has gone (`kadm ... | head` closes it early): that is success, not an
   * error, and kadm exits at once without a word. A command with something to end first (a group
   * to leave) overrides this.
   */
  protected stdoutClosed(): void {
    process.exit(process.exitCode ?? 0)
  }

  /** Call from run() after parsing: applies the output flags. */
  protected applyOutputFlags(flags: {output?: string; json?: boolean; verbose?: boolean}): void {
    this.format = flags.json ? 'json' : ((flags.output as OutputFormat | undefined) ?? 'table')
    this.verbose = Boolean(flags.verbose)
    if (this.format !== 'table') this.chalk = makeChalk(false)
  }

  /** Prints `data` as JSON/YAML, or as the table `render` draws, and returns it. */
  protected async emit<T>(data: T, render: (data: T, chalk: ChalkInstance) => string): Promise<T> {
    if (this.format === 'table') {
      // On a terminal, names too long for its width are cut with an ellipsis (see Column.shrink).
      const text = forTerminal(process.stdout.isTTY ? process.stdout.columns : undefined, () => render(data, this.chalk))
      if (text) process.stdout.write(text.endsWith('\n') ? text : text + '\n')
    } else {
      process.stdout.write(await serialise(data, this.format))
    }
    return data
  }

  /** A diagnostic line on stderr (never mixed into data on stdout). */
  protected note(message: string): void {
    process.stderr.write(`${message}\n`)
  }

  protected warning(message: string): void {
    process.stderr.write(`${this.stderrChalk().yellow('warning:')} ${message}\n`)
  }

  private stderrChalk(): ChalkInstance {
    return makeChalk(colourEnabled(process.stderr, this.argv.includes('--no-color')))
  }

  protected parseTimeout(text: string, flag = '--timeout'): number {
    const ms = parseDuration(text)
    if (ms === undefined || ms <= 0) throw new UsageError(durationProblem(flag, text))
    return ms
  }

  /**
   * kadm's one confirmation, for every command that risks data: nothing to do with --yes; else a
   * yes/no question (default no) on the terminal, written to stderr so that stdout holds only the
   * result (-o json > file). Without a terminal to ask on (stdin or stderr is not one) or with
   * --no-input (ClusterCommand), a usage
   * error that says what is at stake (`risk`) and that --yes confirms. "No" or Ctrl-C ends the
   * command with the line "cancelled" and exit 5, before anything changed.
   */
  protected async confirmUnlessYes(yes: boolean, risk: string, message: string): Promise<void> {
    if (yes) return
    if (!process.stdin.isTTY || !process.stderr.isTTY) throw new UsageError(`${risk}: pass --yes to confirm without a terminal`)
    if (this.argv.includes('--no-input')) throw new UsageError(`${risk}: pass --yes to confirm with --no-input`)
    const {confirm} = await import('./prompts.js')
    if (!(await confirm({message, default: false}, {output: process.stderr}))) throw new CancelledError()
  }

  override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}; code?: string}): Promise<void> {
    // this.exit() and oclif's own exits pass through untouched.
    if (error.code === 'EEXIT' || error.name === 'ExitError') throw error
    // Ctrl-C at any prompt (inquirer's ExitPromptError), "no" at a confirmation.
    if (error instanceof CancelledError || error.name === 'ExitPromptError') {
      process.stderr.write('cancelled\n')
      process.exitCode = ExitCode.cancelled
      return
    }
    const red = this.stderrChalk().red
    let exitCode: number
    let message: string
    let hint: string | undefined
    if (error instanceof KadmError) {
      exitCode = error.exitCode
      // Thrown from a flag's own parser, oclif wraps it as "Parsing --flag\n\t<message>".
      message = /^Parsing --/.test(error.message) ? describeParseError(error) : error.message
      hint = error.hint
    } else if (error.oclif?.exit !== undefined || error.name === 'CLIError' || /Parse|Flag|Arg/.test(error.constructor?.name ?? '')) {
      exitCode = ExitCode.usage
      message = habitProblem(this.id ?? '', this.argv) ?? describeParseError(error)
      hint = `see: ${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''} --help`.trimEnd()
    } else {
      exitCode = ExitCode.failure
      message = oneLine(error.message || String(error))
      if (!this.verbose) hint = 'run with --verbose for details'
    }
    process.stderr.write(`${red('error:')} ${oneLine(message)}\n`)
    if (hint) process.stderr.write(`${hint}\n`)
    if (this.verbose && error.stack && !(error instanceof KadmError)) process.stderr.write(`${error.stack}\n`)
    process.exitCode = exitCode
  }
}
