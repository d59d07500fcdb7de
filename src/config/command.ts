import * as Flags from '@oclif/core/flags'

import {defaultConfigPath} from './paths.js'

export const configFlag = Flags.string({summary: 'Config file (or KADM_CONFIG). Default: ~/.config/kadm/config.yaml.'})

export function configPath(flag: string | undefined): string {
  return flag ?? process.env.KADM_CONFIG ?? defaultConfigPath()
}
