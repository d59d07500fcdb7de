import * as Args from '@oclif/core/args'

import {KadmCommand} from '../../base-command.js'
import {redactContext} from '../../config/contexts.js'
import {configFileFlags, loadConfigFile} from '../../config/command.js'
import {KadmError} from '../../errors.js'

export default class ContextsShow extends KadmCommand {
  static summary = 'Show one context (the current one by default) with secrets redacted.'
  static description = 'Passwords and key passphrases written inline print as <redacted>; for secrets read from an environment variable or a command, the variable name or command is shown, never its value.'
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> prod -o json']
  static args = {name: Args.string({description: 'Context name (default: the current context).', ignoreStdin: true})}
  static flags = {...configFileFlags}

  async run(): Promise<Record<string, unknown>> {
    const {args, flags} = await this.parse(ContextsShow)
    this.applyOutputFlags(flags)
    const {config} = await loadConfigFile(flags['config-file'])
    const name = args.name ?? config.currentContext
    if (!name) throw new KadmError('no current context: name one, or set it with `kadm contexts use NAME`')
    const context = config.contexts[name]
    if (!context) throw new KadmError(`no context named "${name}"`)
    const data = {name, current: name === config.currentContext, ...redactContext(context)}
    if (this.format === 'table') this.format = 'yaml'
    return this.emit(data, () => '')
  }
}
