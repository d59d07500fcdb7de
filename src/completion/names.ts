/**
 * The live names shell completion offers (topics, groups, broker ids, ACL principals, config keys
 * with their documentation), cached per cluster in ~/.cache/kadm/completion/ for a short time
 * (KADM_COMPLETION_TTL, default 60s). A key press reads the cache only: a stale or missing cache
 * starts `kadm completion refresh` as a detached process, which asks the cluster and writes the
 * cache for the next key press. The cluster is named as the commands name it (-b, --context,
 * --config-file, KADM_BOOTSTRAP_SERVER, KADM_CONTEXT, current-context), and the cache is keyed by
 * its bootstrap servers.
 */
import {spawn} from 'node:child_process'
import {closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {pathTag} from '../bundle-loader.js'
import {cacheDir, configPath} from '../config/paths.js'
import {loadConfig} from '../config/contexts.js'

import {parseDuration} from '../domain/duration.js'

type Env = Record<string, string | undefined>

/** The flags that name the cluster, as typed on the command line being completed. */
export interface ClusterSelection {
  bootstrapServer?: string
  context?: string
  configFile?: string
}

export interface NameCache {
  /** What the cache is keyed by: the bootstrap servers, or how the cluster was named when no servers are known yet. */
  cluster: string
  fetchedAt: number
  topics: string[]
  groups: string[]
  brokers: string[]
  principals: string[]
  /** [key, documentation] of topic and broker configs. */
  topicConfigs: Array<[string, string]>
  brokerConfigs: Array<[string, string]>
}

export const DEFAULT_TTL_MS = 60_000
/** A refresh that has not finished in this time is taken for dead: another may start. */
const REFRESH_LOCK_MS = 30_000

/** ~/.cache/kadm/completion, readable by its owner only (it names the topics, groups and principals of clusters). */
export function namesDir(env: Env = process.env): string {
  return join(cacheDir(env), 'completion')
}

/** KADM_COMPLETION_TTL (a duration: 30s, 5m), else 60s. */
export function cacheTtl(env: Env = process.env): number {
  const ms = env.KADM_COMPLETION_TTL ? parseDuration(env.KADM_COMPLETION_TTL) : undefined
  return ms ?? DEFAULT_TTL_MS
}

/** The context's name (or undefined) and the config file read for it, or nothing when the file cannot be read. */
export async function contextNames(selection: ClusterSelection, env: Env = process.env): Promise<{current?: string; names: string[]}> {
  try {
    const config = await loadConfig(configPath(selection.configFile, env).path)
    return {current: config.currentContext, names: Object.keys(config.contexts)}
  } catch {
    return {names: []}
  }
}

/**
 * The cluster the command line names, as resolveConnection (config/resolve.ts) would pick it:
 * -b > KADM_BOOTSTRAP_SERVER > --context / KADM_CONTEXT / current-context > local or default. The
 * config file is read only when a context decides.
 */
export async function clusterOf(selection: ClusterSelection, env: Env = process.env): Promise<string> {
  const servers = selection.bootstrapServer || env.KADM_BOOTSTRAP_SERVER
  if (servers) return normaliseServers(servers)
  let name = selection.context ?? (env.KADM_CONTEXT || undefined)
  try {
    const config = await loadConfig(configPath(selection.configFile, env).path)
    name ??= config.currentContext
    const context = name === undefined ? undefined : config.contexts[name]
    if (context) return normaliseServers(context.bootstrapServers.join(','))
  } catch {
    // An unreadable config file: the command would fail too; key by the name.
  }
  return name === undefined ? 'local-or-default' : `context:${name}`
}

function normaliseServers(servers: string): string {
  return servers.split(',').map((s) => s.trim()).filter(Boolean).sort().join(',')
}

export function cacheFile(cluster: string, env: Env = process.env): string {
  return join(namesDir(env), `${pathTag(cluster)}.json`)
}

export function readNames(cluster: string, env: Env = process.env): NameCache | undefined {
  try {
    const cache = JSON.parse(readFileSync(cacheFile(cluster, env), 'utf8')) as NameCache
    return cache.cluster === cluster ? cache : undefined
  } catch {
    return undefined
  }
}

export function writeNames(cache: NameCache, env: Env = process.env): string {
  const file = cacheFile(cache.cluster, env)
  mkdirSync(namesDir(env), {recursive: true, mode: 0o700})
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify(cache))
  renameSync(temporary, file)
  return file
}

function lockFile(cluster: string, env: Env): string {
  return cacheFile(cluster, env).replace(/\.json$/, '.refreshing')
}

/** Takes the refresh lock of `cluster`: false when another refresh holds it (and is not older than REFRESH_LOCK_MS). */
export function takeRefreshLock(cluster: string, env: Env = process.env): boolean {
  const lock = lockFile(cluster, env)
  mkdirSync(namesDir(env), {recursive: true, mode: 0o700})
  try {
    closeSync(openSync(lock, 'wx'))
    return true
  } catch {
    try {
      if (Date.now() - statSync(lock).mtimeMs < REFRESH_LOCK_MS) return false
      writeFileSync(lock, '')
      return true
    } catch {
      return false
    }
  }
}

export function releaseRefreshLock(cluster: string, env: Env = process.env): void {
  rmSync(lockFile(cluster, env), {force: true})
}

/**
 * Starts `kadm completion refresh` for the cluster `selection` names, detached (it outlives the
 * key press and never holds the shell), unless a refresh of that cluster is already running.
 */
export function startRefresh(bin: string, cluster: string, selection: ClusterSelection, env: Env = process.env): boolean {
  if (!takeRefreshLock(cluster, env)) return false
  const args = [bin, 'completion', 'refresh', '--cache-key', cluster]
  if (selection.bootstrapServer) args.push('--bootstrap-server', selection.bootstrapServer)
  if (selection.context) args.push('--context', selection.context)
  if (selection.configFile) args.push('--config-file', selection.configFile)
  try {
    spawn(process.execPath, args, {detached: true, stdio: 'ignore', env: env as NodeJS.ProcessEnv}).unref()
    return true
  } catch {
    releaseRefreshLock(cluster, env)
    return false
  }
}
