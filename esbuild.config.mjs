/**
 * `npm run build` bundles kadm with esbuild after tsc has type-checked it:
 *
 * - dist/kadm.cjs, what every run loads: oclif, kadm's entry and its command-not-found hook. It
 *   lists the commands (COMMANDS, oclif's "explicit" command discovery) and loads dist/commands.cjs
 *   the first time oclif asks for one.
 * - dist/commands.cjs: kadm's commands with kafkajs and the other dependencies. Each command's
 *   module is evaluated only when oclif asks for it, and modules imported with import() only when
 *   imported. What dist/kadm.cjs already has (oclif, kadm's error codes and record of the command
 *   run) it takes from there: one instance of each in a process.
 * - dist/loader.cjs: what bin/run.js uses to load the bundle with a V8 code cache
 *   (src/bundle-loader.ts).
 * - dist/complete.cjs: a key press of shell completion (src/completion/complete.ts), without oclif.
 * - dist/yaml.cjs, dist/avsc.cjs, dist/protobuf.cjs, dist/ajv.cjs, dist/ajv-formats.cjs: dependencies in bundles of their own, loaded
 *   the first time they are used (see OWN_BUNDLES).
 *
 * Why: every kadm run pays for loading its code. Unbundled, Node resolved and read about 330 files
 * one by one (`kadm --version` 92 ms against 40 ms for `node -e 0`); a single file can be loaded
 * with a code cache, so what earlier runs compiled is not parsed and compiled again. Two files
 * rather than one: a run that starts no command (--version, help, an unknown command) reads and
 * deserialises the code of oclif only, not of kafkajs and every command (kadm --version, Node 22,
 * medians of 21: 77.7 -> 65.0 ms; contexts list 86.5 -> 85.9 ms, topics list 116 -> 117 ms).
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
 * Dependencies' code that costs every kadm run at start-up, rewritten at bundle time. Each rewrite
 * names the exact text it replaces: the build fails if a dependency no longer has it, rather than
 * silently keeping the cost (or changing what the code does). Figures: kadm --version, medians of
 * 41 runs, CPU time (user + sys), 2026-11.
 */
const startupRewrites = [
  {
    // oclif sorts its commands with localeCompare on every start, and the first localeCompare of a
    // process builds an ICU collator: 6-8 ms of CPU of each kadm run on Node 20 and 24 alike
    // (medians of 31, --version and contexts list). The ids are ASCII, so plain comparison gives
    // them the same order.
    file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    replace: '.sort((a, b) => a.id.localeCompare(b.id))',
    with: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))',
  },
  {
    // oclif's loggers: `debug` loads supports-color and tty; src/startup/debug.ts loads it only
    // when a logger is called with DEBUG set. oclif only ever calls debug(namespace).
    file: /@oclif[\\/]core[\\/]lib[\\/]logger\.js$/,
    replace: 'const debug_1 = __importDefault(require("debug"));',
    with: `const debug_1 = __importDefault(require(${JSON.stringify(join(import.meta.dirname, 'src', 'startup', 'debug.ts'))}));`,
    check(source, path) {
      if (source.split('debug_1').length !== 3 || !source.includes('(0, debug_1.default)(namespace)')) throw new Error(`${path} uses debug other than as debug(namespace): update startupRewrites`)
    },
  },
  {
    // oclif's colour check: supports-color loads tty and looks at the terminal when loaded; oclif
    // asks it only when it colours help or errors.
    file: /@oclif[\\/]core[\\/]lib[\\/]ux[\\/]supports-color\.js$/,
    ...lazyRequire('supports_color_1', 'supports-color'),
  },
  {
    // What only oclif's help, its templates, spinners and plugin discovery use (about 45 of the
    // 100 modules oclif evaluated before it parsed the command line): loaded when first used.
    // kadm's commands are listed explicitly (no glob), it has no plugins and reads its own
    // package.json (no root search, no .oclifrc): some are never loaded.
    file: /@oclif[\\/]core[\\/]lib[\\/]help[\\/]index\.js$/,
    ...lazyRequire('command_1', './command'),
  },
  {file: /@oclif[\\/]core[\\/]lib[\\/]help[\\/]index\.js$/, ...lazyRequire('command_2', './command', 'var')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]help[\\/]index\.js$/, ...lazyRequire('formatter_1', './formatter')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]help[\\/]index\.js$/, ...lazyRequire('formatter_2', './formatter', 'var')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]help[\\/]index\.js$/, ...lazyRequire('root_1', '__importDefault(require("./root"))')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]help[\\/]index\.js$/, ...lazyRequire('module_loader_1', '../module-loader')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]help[\\/]index\.js$/, ...lazyRequire('ts_path_1', '../config/ts-path')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]help[\\/]util\.js$/, ...lazyRequire('ejs_1', '__importDefault(require("ejs"))')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]config\.js$/, ...lazyRequire('ejs_1', '__importDefault(require("ejs"))')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]ux[\\/]index\.js$/, ...lazyRequire('spinner_1', '__importDefault(require("./action/spinner"))')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin-loader\.js$/, ...lazyRequire('minimatch_1', 'minimatch')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/, ...lazyRequire('tinyglobby_1', 'tinyglobby')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/, ...lazyRequire('find_root_1', '../util/find-root')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/, ...lazyRequire('read_pjson_1', '../util/read-pjson')},
  {
    // oclif reads its JSON files (the manifest, a user's theme.json) with fs/promises: open, stat,
    // read and close, each a round trip through libuv's thread pool, which the first of them also
    // starts. These are small local files read before anything else can happen: read at once.
    file: /@oclif[\\/]core[\\/]lib[\\/]util[\\/]fs\.js$/,
    replace: "const contents = await (0, promises_1.readFile)(path, 'utf8');",
    with: "const contents = (0, node_fs_1.readFileSync)(path, 'utf8');",
    check(source, path) {
      if (!source.includes('const node_fs_1 = require("node:fs");') || !/^async function readJson\(/m.test(source)) throw new Error(`${path} no longer has readJson as an async function beside node:fs: update startupRewrites`)
    },
  },
  // fs/promises (which on Node 22 and 24 loads readline and fs watchers with it) is then used by
  // oclif only to run TypeScript sources and check path flags.
  {file: /@oclif[\\/]core[\\/]lib[\\/]util[\\/]fs\.js$/, ...lazyRequire('promises_1', 'node:fs/promises')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]ts-path\.js$/, ...lazyRequire('promises_1', 'node:fs/promises')},
  {file: /@oclif[\\/]core[\\/]lib[\\/]util[\\/]read-tsconfig\.js$/, ...lazyRequire('promises_1', 'node:fs/promises')},
  {
    // perf_hooks (and its histogram and timing modules) is used only when OCLIF_PERFORMANCE is on.
    file: /@oclif[\\/]core[\\/]lib[\\/]performance\.js$/,
    ...lazyRequire('node_perf_hooks_1', 'node:perf_hooks'),
  },
  {
    // child_process (with net, dgram and the socket list) is used only to ask Windows for its shell.
    file: /@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/,
    ...lazyRequire('node_child_process_1', 'node:child_process'),
  },
  {
    // oclif asks wsl-utils only for isWsl, which wsl-utils re-exports from is-wsl; importing
    // wsl-utils loads child_process, fs/promises and powershell-utils too.
    file: /@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/,
    replace: "return (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();",
    with: "return (await import('is-wsl')).default ? 'wsl' : (0, node_os_1.platform)();",
    async check(_source, path) {
      const wslUtils = await readFile(join(import.meta.dirname, 'node_modules', 'wsl-utils', 'index.js'), 'utf8')
      if (!wslUtils.includes("export {default as isWsl} from 'is-wsl';")) throw new Error(`wsl-utils no longer re-exports isWsl from is-wsl (${path}): update startupRewrites`)
    },
  },
]

/**
 * `const NAME = EXPRESSION;` (a require; or `var`) -> the module is required the first time a property of
 * NAME is read. `module` is a module name, or the exact expression when it is not plain
 * `require("module")` (e.g. `__importDefault(require("ejs"))`).
 */
function lazyRequire(name, module, keyword = 'const') {
  const expression = module.includes('(') ? module : `require(${JSON.stringify(module)})`
  return {
    replace: `${keyword} ${name} = ${expression};`,
    with: `let ${name}_loaded; ${keyword} ${name} = new Proxy({}, {get: (_, key) => (${name}_loaded ??= ${expression})[key]});`,
    // A proxy stands in for the module only where the file does nothing with it but read its
    // properties (and never assigns to them).
    check(source, path) {
      const uses = source.split(new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`)).slice(1)
      const ok = (rest) => rest.startsWith('_loaded') || rest.startsWith(' = new Proxy') || /^\.[A-Za-z_$][\w$]*(?!\s*=[^=>])/.test(rest)
      if (!uses.every(ok)) throw new Error(`${path} uses ${name} other than by reading its properties: update startupRewrites`)
    },
  }
}

const rewrite = {
  name: 'startup-rewrites',
  setup(b) {
    for (const {file, rewrites} of groupByFile(startupRewrites)) {
      b.onLoad({filter: file}, async (args) => {
        let source = await readFile(args.path, 'utf8')
        for (const r of rewrites) {
          if (!source.includes(r.replace)) throw new Error(`${args.path} no longer contains ${JSON.stringify(r.replace)}: update startupRewrites in esbuild.config.mjs`)
          source = source.replace(r.replace, r.with)
          await r.check?.(source, args.path)
        }
        return {contents: source, loader: 'js'}
      })
    }
  },
}

function groupByFile(rewrites) {
  const groups = new Map()
  for (const r of rewrites) {
    const key = String(r.file)
    if (!groups.has(key)) groups.set(key, {file: r.file, rewrites: []})
    groups.get(key).rewrites.push(r)
  }
  return [...groups.values()]
}

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Not bundled: native addons and their loaders, and what oclif requires only to run TypeScript
  // sources in development.
  external: ['lz4-napi', '@mongodb-js/zstd', '@node-rs/crc32', 'kafkajs-snappy', 'typescript', 'ts-node'],
  define: {'import.meta.url': '__kadmImportMetaUrl'},
  banner: {js: "var __kadmImportMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
  logLevel: 'warning',
}

/**
 * Dependencies in bundles of their own, loaded (with a code cache, through the loader bin/run.js
 * required) the first time they are imported: yaml (the config file's parser, a quarter of a
 * megabyte), which the commands' bundle and the completion bundle would otherwise each hold a copy
 * of; avsc, protobufjs and ajv (the schema codecs, 0.6 MB together), which only runs that read or
 * write Avro, Protobuf or JSON Schema use and which would otherwise be read with the commands' bundle on every run.
 * ajv-formats' format checks (its formats module alone: plain functions and regular expressions,
 * nothing of ajv's code generator, so no second copy of ajv's internals) go with JSON Schema.
 */
const OWN_BUNDLES = {yaml: 'yaml.cjs', avsc: 'avsc.cjs', protobufjs: 'protobuf.cjs', ajv: 'ajv.cjs', 'ajv-formats/dist/formats.js': 'ajv-formats.cjs'}
const ownBundles = {
  name: 'own-bundles',
  setup(b) {
    const names = Object.keys(OWN_BUNDLES).map((n) => n.replace(/[.\/]/g, '\\$&')).join('|')
    b.onResolve({filter: new RegExp(`^(${names})$`)}, (args) => ({path: args.path, namespace: 'kadm-own-bundle'}))
    b.onLoad({filter: /.*/, namespace: 'kadm-own-bundle'}, (args) => ({
      contents: `const {join} = require('node:path'); module.exports = require(join(__dirname, 'loader.cjs')).loadBundle(join(__dirname, ${JSON.stringify(OWN_BUNDLES[args.path])})).exports`,
      loader: 'js',
    }))
  },
}

const files = await commandFiles()
/** The start-up bundle's entry; `shared` is what it hands the commands' bundle (see below). */
function startupEntry(shared) {
  return [
    "export {run} from './src/main.ts'",
    "export {default as commandNotFound} from './src/hooks/command-not-found.ts'",
    "const {join} = require('node:path')",
    'const SHARED = {',
    ...shared.map((path) => `  ${JSON.stringify(SHARED_PREFIX + path)}: () => require(${JSON.stringify('./' + path)}),`),
    '}',
    'let commands',
    // The loader is the one bin/run.js required (same file, same module): saveCaches() covers both bundles.
    "const command = (id) => (commands ??= require(join(__dirname, 'loader.cjs')).loadBundle(join(__dirname, 'commands.cjs'), process.env, SHARED).exports)[id]",
    'export const COMMANDS = {}',
    ...files.map((file) => `Object.defineProperty(COMMANDS, ${JSON.stringify(commandId(file))}, {enumerable: true, get: () => command(${JSON.stringify(commandId(file))})})`),
  ].join('\n')
}
const SHARED_PREFIX = 'kadm-startup:'
const startupBuild = (shared, write) => build({
  ...common,
  stdin: {contents: startupEntry(shared), resolveDir: '.', sourcefile: 'kadm-entry.js', loader: 'js'},
  outfile: 'dist/kadm.cjs',
  plugins: [rewrite],
  metafile: true,
  write,
})

/**
 * A module the start-up bundle has is not bundled again with the commands: the commands' bundle
 * requires it from the start-up bundle by its path (oclif, kadm's record of the command run, its
 * error codes), so there is one instance of each in a process.
 */
function fromStartup(startupInputs, shared) {
  return {
    name: 'from-startup-bundle',
    setup(b) {
      b.onResolve({filter: /.*/}, async (args) => {
        if (args.pluginData?.resolving || args.kind === 'entry-point') return undefined
        if (args.path.startsWith(SHARED_PREFIX)) return {path: args.path, external: true}
        const resolved = await b.resolve(args.path, {kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: {resolving: true}})
        if (resolved.errors.length > 0 || resolved.external) return resolved
        const path = relative('.', resolved.path)
        if (!startupInputs.has(path)) return resolved
        shared.add(path)
        // import() of an external module would stay a real import(), which a script run from a
        // code cache cannot make (src/bundle-loader.ts): it imports a module that requires it.
        if (args.kind === 'dynamic-import') return {path, namespace: 'from-startup-dynamic'}
        return {path: SHARED_PREFIX + path, external: true}
      })
      b.onLoad({filter: /.*/, namespace: 'from-startup-dynamic'}, (args) => ({
        contents: `module.exports = require(${JSON.stringify(SHARED_PREFIX + args.path)})`,
        loader: 'js',
      }))
    },
  }
}

// 1. What the start-up bundle holds. 2. The commands' bundle without it. 3. The start-up bundle
// handing over what the commands use of it.
const startupInputs = new Set(Object.keys(Object.values((await startupBuild([], false)).metafile.outputs)[0].inputs))
const shared = new Set()
await build({
  ...common,
  stdin: {
    contents: files.map((file) => `Object.defineProperty(exports, ${JSON.stringify(commandId(file))}, {enumerable: true, get: () => require(${JSON.stringify('./' + file)}).default})`).join('\n'),
    resolveDir: '.',
    sourcefile: 'kadm-commands.js',
    loader: 'js',
  },
  outfile: 'dist/commands.cjs',
  plugins: [ownBundles, fromStartup(startupInputs, shared)],
})
await startupBuild([...shared].sort(), true)

// esbuild escapes non-ASCII characters, except in a few regular expressions and comments of
// dependencies. Escaping those too makes the bundles pure ASCII: src/bundle-loader.ts reads them
// as latin1 into a one-byte string, half the memory of the two-byte string one such character
// forces, and faster to hash and compile (kadm --version: 68 -> 59 ms).
// dist/complete.cjs: what a key press of shell completion runs (bin/run.js, src/completion/complete.ts),
// without oclif or kafkajs.
await build({...common, entryPoints: ['src/completion/complete.ts'], outfile: 'dist/complete.cjs', plugins: [ownBundles]})
for (const [name, file] of Object.entries(OWN_BUNDLES)) {
  await build({...common, stdin: {contents: `module.exports = require(${JSON.stringify(name)})`, resolveDir: '.', sourcefile: `kadm-${name}.js`, loader: 'js'}, outfile: `dist/${file}`})
}

for (const file of ['dist/kadm.cjs', 'dist/commands.cjs', 'dist/complete.cjs', ...Object.values(OWN_BUNDLES).map((f) => `dist/${f}`)]) {
  const bundled = await readFile(file, 'utf8')
  await writeFile(file, bundled.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
}

await build({
  entryPoints: ['src/bundle-loader.ts'],
  outfile: 'dist/loader.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
})
