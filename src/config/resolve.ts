import {KadmError, UsageError} from '../errors.js'
import {type ConfigFile, type Context, splitServers} from './contexts.js'

export const DEFAULT_BOOTSTRAP = '127.0.0.1:9092'

export interface ConnectionSettings extends Context {
  /** Where the bootstrap servers came from, for error messages and --verbose. */
  source: 'flag' | 'env' | 'context' | 'local' | 'default'
  contextName?: string
}

export interface ResolveInput {
  bootstrapFlag?: string
  contextFlag?: string
  env: Record<string, string | undefined>
  config: ConfigFile
  /** Bootstrap string of a running `kadm local` cluster, looked up only when nothing else was given. */
  localBootstrap: () => Promise<string | undefined>
}

export function validateServers(servers: string[], origin: string): string[] {
  if (servers.length === 0) throw new UsageError(`${origin}: no bootstrap server given`)
  for (const server of servers) {
    const match = /^(\[[0-9a-fA-F:]+\]|[^\s:/]+):(\d{1,5})$/.exec(server)
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65_535) {
      throw new UsageError(`${origin}: "${server}" is not host:port`)
    }
  }
  return servers
}

function fromContext(config: ConfigFile, name: string, origin: string): ConnectionSettings {
  const context = config.contexts[name]
  if (!context) {
    const known = Object.keys(config.contexts)
    throw new KadmError(`${origin}: no context named "${name}"` + (known.length ? ` (known: ${known.join(', ')})` : ' (no contexts defined; see `kadm contexts add`)'))
  }
  return {...context, bootstrapServers: validateServers(context.bootstrapServers, `context "${name}"`), source: 'context', contextName: name}
}

/**
 * Precedence: --bootstrap-server > KADM_BOOTSTRAP_SERVER > --context / KADM_CONTEXT / current-context
 * > a running `kadm local` cluster > 127.0.0.1:9092.
 * A context's TLS and SASL settings still apply when only the servers are overridden by flag or env
 * and the context was named explicitly.
 */
export async function resolveConnection(input: ResolveInput): Promise<ConnectionSettings> {
  const {env, config} = input
  const explicitContext = input.contextFlag ?? (env.KADM_CONTEXT || undefined)
  const base: ConnectionSettings | undefined = explicitContext
    ? fromContext(config, explicitContext, input.contextFlag ? '--context' : 'KADM_CONTEXT')
    : undefined

  if (input.bootstrapFlag) {
    return {...base, bootstrapServers: validateServers(splitServers(input.bootstrapFlag), '--bootstrap-server'), source: 'flag'}
  }
  if (env.KADM_BOOTSTRAP_SERVER) {
    return {...base, bootstrapServers: validateServers(splitServers(env.KADM_BOOTSTRAP_SERVER), 'KADM_BOOTSTRAP_SERVER'), source: 'env'}
  }
  if (base) return base
  if (config.currentContext) return fromContext(config, config.currentContext, 'current-context')
  const local = await input.localBootstrap()
  if (local) return {bootstrapServers: splitServers(local), source: 'local'}
  return {bootstrapServers: [DEFAULT_BOOTSTRAP], source: 'default'}
}
