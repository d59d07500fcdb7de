import * as Args from '@oclif/core/args'

import {UsageError} from './errors.js'
import type {ConfigResource} from './kafka/configs.js'

/**
 * `topic NAME | broker ID | broker-default | broker-logger ID | client-metrics NAME | group NAME`,
 * the positional arguments of `configs get/set`.
 */
export const configResourceArgs = {
  type: Args.string({
    description: 'What to configure: a topic, a broker, the broker default, the loggers of a broker, a client-metrics subscription (Kafka 3.7+) or a group (Kafka 4.0+).',
    required: true,
    options: ['topic', 'broker', 'broker-default', 'broker-logger', 'client-metrics', 'group'],
    ignoreStdin: true,
  }),
  name: Args.string({description: 'Topic name, broker id, subscription name or group id (none for broker-default).', ignoreStdin: true}),
}

const NAME_OF: Record<string, string> = {topic: 'topic name', broker: 'broker id', 'broker-logger': 'broker id', 'client-metrics': 'subscription name', group: 'group id'}

export function configResource(args: {type: string; name?: string}): ConfigResource {
  if (args.type === 'broker-default') {
    if (args.name) throw new UsageError('broker-default takes no name')
    return {type: 'broker', name: ''}
  }
  if (!args.name) throw new UsageError(`${args.type} needs a ${NAME_OF[args.type]}`)
  if ((args.type === 'broker' || args.type === 'broker-logger') && !/^\d+$/.test(args.name)) throw new UsageError(`broker id "${args.name}" is not a number`)
  return {type: args.type as ConfigResource['type'], name: args.name}
}
