/**
 * `npm run build` bundles kadm with esbuild after tsc has type-checked it: one ES module per
 * command and hook (the paths oclif's manifest points at), plus dist/main.js, which bin/run.js
 * imports. Code shared by several of them (oclif, kafkajs, kadm's own layers) goes to
 * dist/chunks, loaded once and only when a command needs it.
 *
 * Why: every kadm run pays for loading its modules. Unbundled, Node resolved and read about 130
 * of kadm's files and 200 of oclif's and kafkajs's CommonJS files one by one: `kadm --version`
 * took 92 ms against 40 ms for `node -e 0`; bundled it takes about 72 ms (`npm run bench -- startup`).
 */
import {build} from 'esbuild'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'

async function sources(dir) {
  const entries = await readdir(dir, {withFileTypes: true, recursive: true})
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath ?? e.path, e.name))
}

/**
 * oclif sorts its commands with localeCompare on every start, and the first localeCompare of a
 * process builds an ICU collator: 4.5 ms of each kadm run. The ids are ASCII, so plain comparison
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

await build({
  entryPoints: ['src/main.ts', ...(await sources('src/commands')), ...(await sources('src/hooks'))],
  outdir: 'dist',
  outbase: 'src',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Not bundled: native addons and their loaders, the help plugin oclif loads from
  // node_modules by itself, and what oclif requires only to run TypeScript sources in development.
  external: ['lz4-napi', '@mongodb-js/zstd', 'kafkajs-snappy', '@oclif/plugin-help', 'typescript', 'ts-node'],
  // CommonJS code bundled into ES modules (oclif, kafkajs) still calls require() for Node's modules.
  banner: {js: "import {createRequire as __kadmCreateRequire} from 'node:module'; const require = __kadmCreateRequire(import.meta.url);"},
  plugins: [oclifCommandSort],
  logLevel: 'warning',
})
