import {homedir} from 'node:os'
import {join} from 'node:path'

type Env = Record<string, string | undefined>

function xdg(env: Env, variable: string, fallback: string[]): string {
  const value = env[variable]
  return value && value.startsWith('/') ? value : join(env.HOME || homedir(), ...fallback)
}

/** ~/.config/kadm/config.yaml unless KADM_CONFIG or --config says otherwise. */
export function defaultConfigPath(env: Env = process.env): string {
  return join(xdg(env, 'XDG_CONFIG_HOME', ['.config']), 'kadm', 'config.yaml')
}

/** Where the config file is, and whether the user named it (--config-file or KADM_CONFIG). */
export function configPath(flag: string | undefined, env: Env = process.env): {path: string; namedBy?: string} {
  if (flag !== undefined) return {path: flag, namedBy: '--config-file'}
  if (env.KADM_CONFIG) return {path: env.KADM_CONFIG, namedBy: 'KADM_CONFIG'}
  return {path: defaultConfigPath(env)}
}

/** Where `kadm local` keeps its Kafka jars (re-downloadable, so cache). */
export function cacheDir(env: Env = process.env): string {
  return join(xdg(env, 'XDG_CACHE_HOME', ['.cache']), 'kadm')
}

/** The V8 code cache of kadm's bundles (src/bundle-loader.ts): ~/.cache/kadm/v8. */
export function codeCacheDir(env: Env = process.env): string {
  return join(cacheDir(env), 'v8')
}

/** The Kafka releases `kadm local` fetched from Maven Central: ~/.cache/kadm/kafka. */
export function kafkaReleasesDir(env: Env = process.env): string {
  return join(cacheDir(env), 'kafka')
}

/** kadm's own state worth keeping but not config (undo files of `offsets reset`): ~/.local/state/kadm. */
export function stateDir(env: Env = process.env): string {
  return join(xdg(env, 'XDG_STATE_HOME', ['.local', 'state']), 'kadm')
}

/** Where `kadm local` keeps broker data, logs and its state file. */
export function localDataDir(env: Env = process.env): string {
  return env.KADM_LOCAL_DIR || join(xdg(env, 'XDG_DATA_HOME', ['.local', 'share']), 'kadm', 'local')
}
