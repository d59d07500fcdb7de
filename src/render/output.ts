import {loadYaml} from '../commonjs.js'

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** Serialises command results for scripts. JSON and YAML carry exactly the same fields. */
export async function serialise(data: unknown, format: 'json' | 'yaml'): Promise<string> {
  if (format === 'json') return JSON.stringify(data, null, 2) + '\n'
  const {stringify} = await loadYaml()
  return stringify(data, {lineWidth: 0})
}
