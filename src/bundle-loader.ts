import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire, Module} from 'node:module'
import {basename, dirname, join} from 'node:path'
import vm from 'node:vm'

import {codeCacheDir} from './config/paths.js'

/**
 * Loads kadm's bundles (dist/kadm.cjs, oclif and what every run needs to start; dist/commands.cjs,
 * the commands with kafkajs and the other dependencies, see esbuild.config.mjs) with a V8 code cache:
 * the bytecode of the functions earlier runs compiled is read back from disk instead of being
 * parsed and compiled again, which is most of what a short kadm run costs after Node itself.
 *
 * The cache file is named after the bundle's path, size, modification time and inode and the Node
 * version and architecture, so a rebuilt bundle or another Node never reads a stale cache (V8
 * itself rejects a cache from another V8 or with other flags; then it is written anew). Beside it,
 * a list of the commands whose functions it holds: after a command it does not cover, the cache is
 * written again with that command's functions added, so after a few runs every command kadm is
 * used for starts from compiled code. Writes are atomic (temporary file and rename) and older
 * caches of the bundle are removed; a failure to read or write only costs the speed-up.
 * KADM_NO_CODE_CACHE=1 turns it off.
 *
 * Node >= 22.1 has a supported cache of its own, module.enableCompileCache(); it stays unused
 * because it is slower here: it keeps the code compiled while a module loads, not the functions a
 * whole run compiled. kadm --version with a warm cache, median of 21 (wall / CPU): Node 22.23.3
 * 71.6 / 56.1 ms with this cache, 76.1 / 67.9 ms with enableCompileCache; Node 24.21.0 76.3 /
 * 60.4 ms against 85.0 / 77.8 ms (node -e 0: 28.9 and 29.4 ms; without any cache 123 and 133 ms).
 */
export interface LoadedBundle {
  exports: Record<string, unknown>
  /** After a run of `command`: writes the cache if it is missing, rejected or lacks the command. Never throws. */
  saveCache(command: string): void
}

/** The user's cache folder (config/paths.ts), never beside the bundles: an installed kadm may be read-only. */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return codeCacheDir(env)
}

/** FNV-1a of the bundle's path: installs in different places keep (and clean up) their own caches. */
export function pathTag(path: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/** Every cache of the bundle at this path starts with this. */
export function cachePrefix(bundle: string): string {
  return `${basename(bundle)}-${pathTag(bundle)}-`
}

/** Every cache of this build of the bundle (whichever Node wrote it) starts with this. */
function buildPrefix(bundle: string, stat: {size: number; mtimeMs: number; ino: number}): string {
  return `${cachePrefix(bundle)}${stat.size}-${Math.trunc(stat.mtimeMs)}-${stat.ino}-`
}

export function cacheFileName(bundle: string, stat: {size: number; mtimeMs: number; ino: number}, node = process.version, arch = process.arch): string {
  return `${buildPrefix(bundle, stat)}${node}-${arch}.v8`
}

function readCovered(file: string): string[] {
  try {
    const list: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

/** Writes `data` to `file` through a temporary file, so no reader ever sees half of it. */
function writeAtomically(file: string, data: string | Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, data)
  renameSync(temporary, file)
}

/** The bundles this process loaded (the last load of each path): saveCaches() writes the cache of each. */
const loadedBundles = new Map<string, LoadedBundle>()

/**
 * Runs `bundle` as a CommonJS module.
 * `shared` names modules the bundle gets from the bundle that loads it instead of its own copy:
 * dist/commands.cjs takes oclif and kadm's start-up modules from dist/kadm.cjs, so both use one
 * instance of each (one oclif, one record of the command run).
 */
export function loadBundle(bundle: string, env: NodeJS.ProcessEnv = process.env, shared: Record<string, () => unknown> = {}): LoadedBundle {
  // esbuild writes ASCII only (non-ASCII characters escaped): latin1 decodes it fastest.
  const source = readFileSync(bundle, 'latin1')
  const enabled = env.KADM_NO_CODE_CACHE !== '1'
  const directory = cacheDirectory(env)
  const stat = enabled ? statSync(bundle) : undefined
  const cacheFile = stat ? join(directory, cacheFileName(bundle, stat)) : ''
  const coverageFile = `${cacheFile}.commands.json`
  let cachedData: Buffer | undefined
  if (enabled) {
    try {
      cachedData = readFileSync(cacheFile)
    } catch {
      cachedData = undefined
    }
  }
  // No importModuleDynamically: nothing in the bundle imports an ES module at run time (kadm has
  // no oclif plugins), and Node 20 loses that option when a script comes from a code cache.
  const script = new vm.Script(Module.wrap(source), {filename: bundle, cachedData})
  const module = new Module(bundle)
  module.filename = bundle
  module.paths = (Module as unknown as {_nodeModulePaths(dir: string): string[]})._nodeModulePaths(dirname(bundle))
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void
  const ownRequire = createRequire(bundle)
  const bundleRequire = Object.assign((id: string) => (Object.hasOwn(shared, id) ? shared[id]() : ownRequire(id)), ownRequire)
  wrapper.call(module.exports, module.exports, bundleRequire, module, bundle, dirname(bundle))
  module.loaded = true
  // oclif require()s the bundle for its commands and hooks: it gets this very module.
  ;(Module as unknown as {_cache: Record<string, Module>})._cache[bundle] = module
  const usable = cachedData !== undefined && script.cachedDataRejected !== true
  const loaded: LoadedBundle = {
    exports: module.exports as Record<string, unknown>,
    saveCache(command) {
      if (!enabled) return
      try {
        const covered = usable ? readCovered(coverageFile) : []
        if (usable && covered.includes(command)) return
        mkdirSync(directory, {recursive: true})
        if (!usable && stat) {
          // Caches of earlier builds of the bundle will never be read again. Those of this build
          // for other Nodes stay: removing them made kadm run alternately on two Nodes (nvm, the
          // test suite on 20 and 24) rewrite its cache on every run and never start from it.
          const prefix = cachePrefix(bundle)
          const current = buildPrefix(bundle, stat)
          for (const f of readdirSync(directory)) if (f.startsWith(prefix) && !f.startsWith(current)) rmSync(join(directory, f), {force: true})
        }
        writeAtomically(cacheFile, script.createCachedData())
        writeAtomically(coverageFile, JSON.stringify([...covered, command]))
      } catch {
        // A read-only or full disk only costs the speed-up.
      }
    },
  }
  loadedBundles.set(bundle, loaded)
  return loaded
}

/** After a run of `command`: saveCache() of every bundle loaded, the start-up bundle and the commands' alike. */
export function saveCaches(command: string): void {
  for (const loaded of loadedBundles.values()) loaded.saveCache(command)
}
