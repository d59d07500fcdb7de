/**
 * The exports of a CommonJS package loaded with import(). Node's own loader exposes them both as
 * named exports and as `default` (module.exports); in the esbuild bundle a dynamically imported
 * CommonJS package is a chunk whose only export is `default`. Reading `default` works for both.
 * (Static imports need none of this: esbuild maps their names itself.)
 */
export function commonjsExports<T extends object>(namespace: T): T {
  return (namespace as {default?: T}).default ?? namespace
}

/** yaml (CommonJS on Node), loaded on first use: most runs print tables or JSON. */
export async function loadYaml(): Promise<typeof import('yaml')> {
  return commonjsExports(await import('yaml'))
}
