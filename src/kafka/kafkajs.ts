/**
 * kafkajs is CommonJS. Node's own loader exposes its exports both as named exports and as
 * `default`; a bundler's chunk for a CommonJS module has only `default`. Reading `default` works
 * for both, and loading it here keeps every command from importing kafkajs at start-up.
 */
export type Kafkajs = typeof import('kafkajs')

let loaded: Promise<Kafkajs> | undefined

export function loadKafkajs(): Promise<Kafkajs> {
  loaded ??= import('kafkajs').then((m) => ((m as unknown as {default?: Kafkajs}).default ?? m))
  return loaded
}
