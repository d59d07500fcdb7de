import * as Args from '@oclif/core/args'
import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import {loadHelpClass} from '@oclif/core/help'

import {runRecord} from '../run-record.js'

/** `kadm help [COMMAND]`: the same help as `--help`, for people who type it first. */
export default class Help extends Command {
  static summary = 'Show help for kadm, a topic or a command.'
  static strict = false
  static args = {command: Args.string({description: 'A topic or command, e.g. "topics" or "topics describe".', required: false})}
  static flags = {
    'nested-commands': Flags.boolean({char: 'n', summary: 'List the commands of every topic, not only the topics.'}),
  }

  static examples = [
    {description: 'Every topic', command: '<%= config.bin %> help'},
    {description: 'One command, the same as --help', command: '<%= config.bin %> help topics describe'},
  ]

  async run(): Promise<void> {
    runRecord.command = 'help'
    const {argv, flags} = await this.parse(Help)
    const HelpClass = await loadHelpClass(this.config)
    await new HelpClass(this.config, {all: flags['nested-commands']}).showHelp(argv as string[])
  }
}
