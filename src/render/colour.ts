import {Chalk, type ChalkInstance} from 'chalk'

/**
 * Colour is decided once per process: only when stdout is a TTY, never with NO_COLOR
 * (any value, per no-color.org) or --no-color.
 */
export function colourEnabled(stream: NodeJS.WriteStream, noColorFlag: boolean, env = process.env): boolean {
  if (noColorFlag) return false
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return Boolean(stream.isTTY)
}

export function makeChalk(enabled: boolean): ChalkInstance {
  return new Chalk({level: enabled ? 1 : 0})
}
