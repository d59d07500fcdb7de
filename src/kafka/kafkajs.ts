import {commonjsExports} from '../commonjs.js'

export type Kafkajs = typeof import('kafkajs')

let loaded: Promise<Kafkajs> | undefined

/** kafkajs (CommonJS), loaded once and only by the commands that connect. */
export function loadKafkajs(): Promise<Kafkajs> {
  loaded ??= import('kafkajs').then(commonjsExports)
  return loaded
}
