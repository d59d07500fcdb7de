/**
 * `npm run build` bundles kadm with esbuild after tsc has type-checked it:
 *
 * - dist/kadm.cjs: all of kadm with oclif, kafkajs and the other dependencies, one CommonJS file.
 *   Commands are in COMMANDS (oclif's "explicit" command discovery); each command's module is
 *   evaluated only when oclif asks for it, and modules imported with import() only when imported.
 * - dist/loader.cjs: what bin/run.js uses to load the bundle with a V8 code cache
 *   (src/bundle-loader.ts).
 *
 * Why: every kadm run pays for loading its code. Unbundled, Node resolved and read about 330 files
 * one by one (`kadm --version` 92 ms against 40 ms for `node -e 0`); a single file can be loaded
 * with a code cache, so what earlier runs compiled is not parsed and compiled again.
 */
import {build} from 'esbuild'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import {join, relative} from 'node:path'

async function commandFiles() {
  const entries = await readdir('src/commands', {withFileTypes: true, recursive: true})
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath ?? e.path, e.name)).sort()
}

/** src/commands/topics/list.ts -> topics:list (index.ts names its directory), as oclif does. */
function commandId(file) {
  return relative('src/commands', file).replace(/\.ts$/, '').replace(/\/index$/, '').split('/').join(':')
}

/**
 * oclif sorts its commands with localeCompare on every start, and the first localeCompare of a
 * process builds an ICU collator: 6-8 ms of CPU of each kadm run on Node 20 and 24 alike (medians
 * of 31, --version and contexts list, 2026-11). The ids are ASCII, so plain comparison
 * gives them the same order. The build fails if oclif's code no longer matches, rather than
 * silently keeping the cost.
 */
const oclifCommandSort = {
  name: 'oclif-command-sort',
  setup(b) {
    b.onLoad({filter: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/}, async (args) => {
      const source = await readFile(args.path, 'utf8')
      const slow = '.sort((a, b) => a.id.localeCompare(b.id))'
      if (!source.includes(slow)) throw new Error(`${args.path} no longer sorts commands as esbuild.config.mjs expects: update oclifCommandSort`)
      return {contents: source.replace(slow, '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'), loader: 'js'}
    })
  },
}

const commands = (await commandFiles()).map((file) =>
  `Object.defineProperty(COMMANDS, ${JSON.stringify(commandId(file))}, {enumerable: true, get: () => require(${JSON.stringify('./' + file)}).default})`)
const entry = [
  "export {run} from './src/main.ts'",
  "export {default as commandNotFound} from './src/hooks/command-not-found.ts'",
  'export const COMMANDS = {}',
  ...commands,
].join('\n')

await build({
  stdin: {contents: entry, resolveDir: '.', sourcefile: 'kadm-entry.js', loader: 'js'},
  outfile: 'dist/kadm.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Not bundled: native addons and their loaders, and what oclif requires only to run TypeScript
  // sources in development.
  external: ['lz4-napi', '@mongodb-js/zstd', 'kafkajs-snappy', 'typescript', 'ts-node'],
  define: {'import.meta.url': '__kadmImportMetaUrl'},
  banner: {js: "var __kadmImportMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
  plugins: [oclifCommandSort],
  logLevel: 'warning',
})

// esbuild escapes non-ASCII characters, except in a few regular expressions and comments of
// dependencies. Escaping those too makes the bundle pure ASCII: src/bundle-loader.ts reads it as
// latin1 into a one-byte string, half the memory of the two-byte string one such character
// forces, and faster to hash and compile (kadm --version: 68 -> 59 ms).
const bundled = await readFile('dist/kadm.cjs', 'utf8')
await writeFile('dist/kadm.cjs', bundled.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))

await build({
  entryPoints: ['src/bundle-loader.ts'],
  outfile: 'dist/loader.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
})
