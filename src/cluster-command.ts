import * as Flags from '@oclif/core/flags'
import {stat} from 'node:fs/promises'

import {KadmCommand} from './base-command.js'
import {configFileFlags, loadConfigFile} from './config/command.js'
import {hasInlineSecrets} from './config/contexts.js'
import {resolveConnection, type ConnectionSettings} from './config/resolve.js'
import {ExitCode, KadmError, UsageError} from './errors.js'
import type {BrokerGap, KafkaConnection} from './kafka/client.js'
import type {GroupSelection} from './kafka/groups.js'
import type {DeleteResult} from './render/groups.js'
import type {TopicScope} from './domain/offset-reset.js'
import {noMatchWarning} from './topic-flags.js'

export interface ConnectionFlags {
  'no-input'?: boolean
  'bootstrap-server'?: string
  context?: string
  'config-file'?: string
  timeout: string
  insecure?: boolean
  verbose?: boolean
}

/** A command that talks to a cluster: connection flags, one connection per run, always closed. */
export abstract class ClusterCommand extends KadmCommand {
  static baseFlags = {
    ...KadmCommand.baseFlags,
    'bootstrap-server': Flags.string({
      char: 'b',
      summary: 'Bootstrap servers, host:port[,host:port]. Overrides KADM_BOOTSTRAP_SERVER and contexts.',
      helpGroup: 'CONNECTION',
    }),
    context: Flags.string({summary: 'Named context from the config file (or KADM_CONTEXT).', helpGroup: 'CONNECTION'}),
    ...configFileFlags,
    timeout: Flags.string({summary: 'Connection and request timeout, e.g. 5s, 500ms.', default: '5s', helpGroup: 'CONNECTION'}),
    insecure: Flags.boolean({
      summary: 'Use TLS without verifying the server certificate or host name (testing only; prints a warning).',
      helpGroup: 'CONNECTION',
    }),
    'no-input': Flags.boolean({summary: 'Never ask on the terminal: no topic or group picker, no confirmation (pass --yes).', helpGroup: 'OUTPUT'}),
  }

  private connection?: KafkaConnection
  /** What connect() resolved: the context's other settings (e.g. `checks:`) are read from it. */
  protected settings?: ConnectionSettings

  protected async resolveSettings(flags: ConnectionFlags): Promise<ConnectionSettings> {
    const {path, config} = await loadConfigFile(flags['config-file'])
    if (hasInlineSecrets(config)) {
      const mode = (await stat(path)).mode
      if (mode & 0o077) this.warning(`${path} holds secrets and is readable by others: chmod 600 ${path}`)
    }
    const settings = await resolveConnection({
      bootstrapFlag: flags['bootstrap-server'],
      contextFlag: flags.context,
      env: process.env,
      config,
      localBootstrap: async () => {
        const {runningBootstrap} = await import('./local/cluster.js')
        return runningBootstrap()
      },
    })
    if (flags.insecure) settings.tls = {...settings.tls, enabled: true, insecureSkipVerify: true}
    if (settings.tls && settings.tls.enabled !== false && settings.tls.insecureSkipVerify) {
      const why = flags.insecure ? '--insecure' : `insecure-skip-verify in context "${settings.contextName}"`
      this.warning(`TLS certificate and host name verification is OFF (${why}): anyone on the network path can impersonate the brokers`)
    }
    if (settings.source === 'local') this.note(`using the local cluster started by \`kadm local start\` (${settings.bootstrapServers.join(',')})`)
    return settings
  }

  /** Opens the connection for this run (once: a picker may have opened it); it is closed in finally() whatever happens. */
  protected async connect(flags: ConnectionFlags): Promise<KafkaConnection> {
    if (this.connection) return this.connection
    const settings = await this.resolveSettings(flags)
    this.settings = settings
    const {KafkaConnection} = await import('./kafka/client.js')
    this.connection = await KafkaConnection.open(settings, {timeoutMs: this.parseTimeout(flags.timeout), verbose: Boolean(flags.verbose)})
    return this.connection
  }

  /**
   * `names` as given, or, when none was given, the one a person picks on the terminal from the
   * cluster's topics or groups (a fuzzy search, @inquirer/search, on stderr). Only with a terminal
   * on stdin and stderr, table output and no --no-input; otherwise, or when the cluster has none,
   * `names` stays empty and the command says what is missing as before.
   */
  protected async pickWhenMissing(kind: 'topic' | 'group', names: string[], flags: ConnectionFlags): Promise<string[]> {
    if (names.length > 0 || !this.mayAsk()) return names
    const connection = await this.connect(flags)
    const choices = kind === 'topic'
      ? (await connection.metadata(null)).topics.filter((t) => !t.isInternal).map((t) => t.name).sort()
      : (await (await import('./kafka/groups.js')).listGroups(connection)).map((g) => g.groupId).sort()
    if (choices.length === 0) return names
    const [{search}, {fuzzyFilter}] = await Promise.all([import('./prompts.js'), import('./domain/fuzzy.js')])
    const picked = await search<string>({
      message: `${kind === 'topic' ? 'Topic' : 'Group'} (type to search)`,
      source: (typed) => fuzzyFilter(choices, typed ?? '').map((name) => ({value: name, name})),
      pageSize: 12,
    }, {output: process.stderr})
    return [picked]
  }

  /**
   * For a command whose `argument` is required: `names` as given, else the one picked on the
   * terminal (pickWhenMissing), else the usage error that the argument is missing.
   */
  protected async requireOrPick(kind: 'topic' | 'group', names: string[], flags: ConnectionFlags, argument: string): Promise<string[]> {
    const given = await this.pickWhenMissing(kind, names, flags)
    if (given.length === 0) throw new UsageError(`missing argument ${argument}`)
    return given
  }

  /** A prompt may be shown: terminals on stdin and stderr, table output, no --no-input. */
  protected mayAsk(): boolean {
    return Boolean(process.stdin.isTTY && process.stderr.isTTY) && this.format === 'table' && !this.argv.includes('--no-input')
  }

  /** `--topic t[:p,p]` scopes with their globs expanded (see expandScopes); a glob that matches nothing is a warning. */
  protected async expandTopicScopes(connection: KafkaConnection, scopes: readonly TopicScope[]): Promise<TopicScope[]> {
    const {expandScopes} = await import('./kafka/group-offsets.js')
    const expanded = await expandScopes(connection, scopes)
    if (expanded.unmatched.length > 0) this.warning(noMatchWarning(expanded.unmatched))
    return expanded.scopes
  }

  /** Groups named or matched as every command selects them (see selectGroups); a pattern that matches none is a warning. */
  protected async selectGroups(connection: KafkaConnection, names: readonly string[], regex = false): Promise<GroupSelection> {
    const {selectGroups} = await import('./kafka/groups.js')
    const selection = await selectGroups(connection, names, {regex})
    if (selection.unmatched.length > 0) this.warning(noMatchWarning(selection.unmatched, 'group'))
    return selection
  }

  /**
   * The end of consumer-groups delete and share-groups delete, once the groups are checked: the
   * dry run's answer, or the confirmation, DeleteGroups and its result (a group not deleted is an
   * error naming it and why).
   */
  protected async deleteCheckedGroups(connection: KafkaConnection, names: string[], options: {kind: 'consumer' | 'share'; dryRun: boolean; yes: boolean}): Promise<DeleteResult> {
    const {renderDeleteResult} = await import('./render/groups.js')
    const plural = names.length > 1 ? 's' : ''
    if (options.dryRun) {
      this.note(`dry run: would delete ${names.length} ${options.kind === 'share' ? 'share ' : ''}group${plural}`)
      return this.emit({dryRun: true, groups: names.map((groupId) => ({groupId, deleted: false, error: null}))}, renderDeleteResult)
    }
    const what = `${options.kind} group${plural} ${names.join(', ')} and ${plural ? 'their' : 'its'} ${options.kind === 'consumer' ? 'committed ' : ''}offsets`
    await this.confirmUnlessYes(options.yes, `deleting ${what} cannot be undone`, `Delete ${what}?`)
    const {deleteGroups} = await import('./kafka/groups.js')
    const results = await deleteGroups(connection, names)
    const result: DeleteResult = {dryRun: false, groups: results.map((r) => ({groupId: r.groupId, deleted: r.error === null, error: r.error}))}
    await this.emit(result, renderDeleteResult)
    const failed = result.groups.filter((g) => !g.deleted)
    if (failed.length > 0) throw new KadmError(`could not delete ${failed.map((g) => `${g.groupId} (${g.error})`).join(', ')}`)
    return result
  }

  override async finally(error: Error | undefined): Promise<void> {
    const gaps = this.connection?.gaps ?? []
    await this.connection?.close()
    if (!error && gaps.length > 0) {
      this.warning(`partial result: ${describeGaps(gaps)}`)
      if (!process.exitCode) process.exitCode = ExitCode.partial
    }
    await super.finally(error)
  }
}

/** Every broker that did not answer, once, with its cause and what is missing because of it. */
export function describeGaps(gaps: readonly BrokerGap[]): string {
  const byBroker = new Map<string, BrokerGap[]>()
  for (const g of gaps) byBroker.set(g.address, [...(byBroker.get(g.address) ?? []), g])
  return [...byBroker.values()].map((list) => {
    const first = list[0]
    const name = first.nodeId === null ? first.address : `broker ${first.nodeId} (${first.address})`
    return `${name} did not answer, ${first.reason}; missing ${list.map((g) => g.what).join(', ')}`
  }).join('; ')
}
