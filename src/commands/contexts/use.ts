import * as Args from '@oclif/core/args'

import {KadmCommand} from '../../base-command.js'
import {saveConfig} from '../../config/contexts.js'
import {configFileFlags, loadConfigFile} from '../../config/command.js'
import {KadmError} from '../../errors.js'

export default class ContextsUse extends KadmCommand {
  static summary = 'Make a context the current one (used when no -b, KADM_BOOTSTRAP_SERVER or --context is given).'
  static examples = ['<%= config.bin %> <%= command.id %> prod']
  static args = {name: Args.string({description: 'Context name.', required: true, ignoreStdin: true})}
  static flags = {...configFileFlags}

  async run(): Promise<{currentContext: string}> {
    const {args, flags} = await this.parse(ContextsUse)
    this.applyOutputFlags(flags)
    const {path, config} = await loadConfigFile(flags['config-file'])
    if (!config.contexts[args.name]) {
      throw new KadmError(`no context named "${args.name}"` + (Object.keys(config.contexts).length ? ` (known: ${Object.keys(config.contexts).join(', ')})` : ''))
    }
    config.currentContext = args.name
    await saveConfig(path, config)
    this.note(`current context is now "${args.name}"`)
    return this.emit({currentContext: args.name}, () => '')
  }
}
