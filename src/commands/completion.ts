import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {mkdir, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {homedir} from 'node:os'

import {KadmCommand} from '../base-command.js'
import {completionScript, type Shell, SHELLS} from '../completion/scripts.js'

/** Where each shell looks for completions of its own accord (zsh: once the folder is on $fpath). */
export function installPath(shell: Shell, env: Record<string, string | undefined> = process.env): string {
  const home = env.HOME || homedir()
  const data = env.XDG_DATA_HOME?.startsWith('/') ? env.XDG_DATA_HOME : join(home, '.local', 'share')
  const config = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config')
  switch (shell) {
    case 'bash': return join(data, 'bash-completion', 'completions', 'kadm')
    case 'zsh': return join(data, 'zsh', 'site-functions', '_kadm')
    case 'fish': return join(config, 'fish', 'completions', 'kadm.fish')
  }
}

export default class Completion extends KadmCommand {
  static summary = 'Print the completion script of bash, zsh or fish, or install it where the shell finds it.'
  static description = `Completes commands, aliases, flags, flag values and config keys (with their documentation in zsh and fish), and the live names of the cluster the command line names: topics, groups, broker ids and ACL principals, from a cache refreshed in the background (KADM_COMPLETION_TTL, default 60s), and contexts from the config file.

bash: eval "$(kadm completion bash)" in ~/.bashrc, or --install (bash-completion loads it from ~/.local/share/bash-completion/completions). zsh: --install writes _kadm to ~/.local/share/zsh/site-functions, which must be on $fpath before compinit. fish: --install writes ~/.config/fish/completions/kadm.fish.`
  static examples = [
    {description: 'Complete in this bash session', command: 'source <(<%= config.bin %> <%= command.id %> bash)'},
    {description: 'Install for zsh', command: '<%= config.bin %> <%= command.id %> zsh --install'},
  ]
  static args = {shell: Args.string({description: 'The shell.', options: [...SHELLS], required: true, ignoreStdin: true})}
  static flags = {
    install: Flags.boolean({summary: 'Write the script where the shell looks for completions (XDG_DATA_HOME / XDG_CONFIG_HOME) instead of printing it.'}),
  }

  async run(): Promise<{shell: Shell; installed?: string}> {
    const {args, flags} = await this.parse(Completion)
    this.applyOutputFlags(flags)
    const shell = args.shell as Shell
    const script = completionScript(shell)
    if (!flags.install) {
      process.stdout.write(script)
      return {shell}
    }
    const path = installPath(shell)
    await mkdir(dirname(path), {recursive: true})
    await writeFile(path, script)
    if (shell === 'zsh') this.note(`add to ~/.zshrc before compinit: fpath=(${dirname(path)} $fpath)`)
    if (shell === 'bash') this.note('bash-completion loads it in new shells (package bash-completion)')
    return this.emit({shell, installed: path}, (data) => `installed ${data.installed}`)
  }
}
