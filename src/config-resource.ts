import * as Args from '@oclif/core/args'

import {UsageError} from './errors.js'
import type {ConfigResource} from './kafka/configs.js'

/** `topic NAME | broker ID | broker-default`, the positional arguments of `configs get/set`. */
export const configResourceArgs = {
  type: Args.string({description: 'What to configure.', required: true, options: ['topic', 'broker', 'broker-default'], ignoreStdin: true}),
  name: Args.string({description: 'Topic name or broker id (none for broker-default).', ignoreStdin: true}),
}

export function configResource(args: {type: string; name?: string}): ConfigResource {
  if (args.type === 'broker-default') {
    if (args.name) throw new UsageError('broker-default takes no name')
    return {type: 'broker', name: ''}
  }
  if (!args.name) throw new UsageError(`${args.type} needs a ${args.type === 'topic' ? 'topic name' : 'broker id'}`)
  if (args.type === 'broker' && !/^\d+$/.test(args.name)) throw new UsageError(`broker id "${args.name}" is not a number`)
  return {type: args.type === 'topic' ? 'topic' : 'broker', name: args.name}
}
