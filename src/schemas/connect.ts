import * as Flags from '@oclif/core/flags'

import {loadConfigFile} from '../config/command.js'
import type {SchemaRegistrySettings} from '../config/contexts.js'
import {UsageError} from '../errors.js'
import type {RegistryClient} from './registry.js'

export const registryUrlFlag = {
  'schema-registry-url': Flags.string({
    summary: 'Schema Registry URL (Confluent-compatible API). Overrides KADM_SCHEMA_REGISTRY_URL and the context\'s schema-registry url.',
    helpGroup: 'CONNECTION',
  }),
}

export interface RegistryFlags {
  'schema-registry-url'?: string
  context?: string
  'config-file'?: string
}

/**
 * The registry to use: --schema-registry-url > KADM_SCHEMA_REGISTRY_URL > the context's
 * schema-registry section (context from --context, KADM_CONTEXT or current-context). A URL given
 * by flag or environment keeps the context's credentials and CA, as -b keeps its TLS and SASL.
 */
export async function registrySettings(flags: RegistryFlags, env: Record<string, string | undefined> = process.env): Promise<SchemaRegistrySettings | undefined> {
  const {config} = await loadConfigFile(flags['config-file'])
  const name = flags.context ?? (env.KADM_CONTEXT || undefined) ?? config.currentContext
  if (name !== undefined && !config.contexts[name] && (flags.context ?? env.KADM_CONTEXT)) {
    throw new UsageError(`${flags.context ? '--context' : 'KADM_CONTEXT'}: no context named "${name}"`)
  }
  const fromContext = name === undefined ? undefined : config.contexts[name]?.schemaRegistry
  const url = flags['schema-registry-url'] ?? (env.KADM_SCHEMA_REGISTRY_URL || undefined)
  if (url !== undefined) return {...fromContext, url}
  return fromContext
}

/** The registry client for this run, or undefined when none is configured. */
export async function openRegistry(flags: RegistryFlags, timeoutMs: number): Promise<RegistryClient | undefined> {
  const settings = await registrySettings(flags)
  if (!settings) return undefined
  const {RegistryClient} = await import('./registry.js')
  return new RegistryClient(settings, timeoutMs)
}

/** As openRegistry, for commands that cannot do without one. */
export async function requireRegistry(flags: RegistryFlags, timeoutMs: number): Promise<RegistryClient> {
  const client = await openRegistry(flags, timeoutMs)
  if (!client) throw new UsageError('no schema registry configured: give --schema-registry-url, KADM_SCHEMA_REGISTRY_URL or a context with a schema-registry section')
  return client
}

/** The flags of `kadm schemas ...`: the registry, and the context that may name it. */
export const schemaCommandFlags = {
  ...registryUrlFlag,
  context: Flags.string({summary: 'Named context whose schema-registry section to use (or KADM_CONTEXT).', helpGroup: 'CONNECTION'}),
  timeout: Flags.string({summary: 'Request timeout, e.g. 5s, 500ms.', default: '10s', helpGroup: 'CONNECTION'}),
}
