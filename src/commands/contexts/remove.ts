import * as Args from '@oclif/core/args'

import {KadmCommand} from '../../base-command.js'
import {saveConfig} from '../../config/contexts.js'
import {configFileFlags, loadConfigFile} from '../../config/command.js'
import {KadmError} from '../../errors.js'

export default class ContextsRemove extends KadmCommand {
  static summary = 'Remove a context from the config file.'
  static examples = ['<%= config.bin %> <%= command.id %> staging']
  static aliases = ['contexts:delete']
  static args = {name: Args.string({description: 'Context name.', required: true, ignoreStdin: true})}
  static flags = {...configFileFlags}

  async run(): Promise<{removed: string}> {
    const {args, flags} = await this.parse(ContextsRemove)
    this.applyOutputFlags(flags)
    const {path, config} = await loadConfigFile(flags['config-file'])
    if (!config.contexts[args.name]) throw new KadmError(`no context named "${args.name}"`)
    delete config.contexts[args.name]
    if (config.currentContext === args.name) {
      config.currentContext = undefined
      this.note(`"${args.name}" was the current context; there is none now`)
    }
    await saveConfig(path, config)
    this.note(`removed context "${args.name}"`)
    return this.emit({removed: args.name}, () => '')
  }
}
