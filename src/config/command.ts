import * as Flags from '@oclif/core/flags'
import {access} from 'node:fs/promises'

import {UsageError} from '../errors.js'
import {type ConfigFile, loadConfig} from './contexts.js'
import {configPath} from './paths.js'

export {configPath} from './paths.js'

/**
 * The kadm config file's flag, for every command that reads it, and `--config` kept out: that
 * name is a topic config (topics create, topics alter, as in kafka-topics), and a path given to it
 * elsewhere must not quietly mean the config file or be dropped.
 */
export const configFileFlags = {
  'config-file': Flags.string({summary: 'kadm config file (or KADM_CONFIG). Default: ~/.config/kadm/config.yaml.', helpGroup: 'CONNECTION'}),
  config: Flags.string({
    hidden: true,
    async parse(value: string): Promise<string> {
      throw new UsageError(`--config ${value}: --config is a topic config (topics create, topics alter); name kadm's config file with --config-file`)
    },
  }),
}

/**
 * Reads the config file. The default file may be missing (no contexts yet); a file the user named
 * must exist, since a mistyped path would otherwise send commands to another cluster. `mayBeNew`
 * is for the command that creates it (contexts add).
 */
export async function loadConfigFile(flag: string | undefined, options: {mayBeNew?: boolean} = {}): Promise<{path: string; config: ConfigFile}> {
  const {path, namedBy} = configPath(flag)
  if (namedBy && !options.mayBeNew) {
    try {
      await access(path)
    } catch {
      throw new UsageError(`${namedBy} ${path}: no such file`)
    }
  }
  return {path, config: await loadConfig(path)}
}
