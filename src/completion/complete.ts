/**
 * `kadm __complete <shell> -- <words...>`: what the completion scripts (src/completion/scripts.ts)
 * run on a key press, with the words typed after `kadm`, the last being the one to complete. It
 * prints one candidate a line, `value<TAB>description`. bin/run.js hands it this module
 * (dist/complete.cjs) instead of oclif: commands, aliases, flags and flag options come from
 * oclif.manifest.json, live names from the cache of src/completion/names.ts, and nothing waits
 * for a cluster.
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {GLOBAL_FLAGS} from '../global-flags.js'
import {cacheFile, cacheTtl, type ClusterSelection, clusterOf, contextNames, type NameCache, readNames, startRefresh} from './names.js'

interface ManifestFlag {
  name: string
  char?: string
  type: 'boolean' | 'option'
  options?: string[]
  summary?: string
  description?: string
  hidden?: boolean
}

interface ManifestCommand {
  id: string
  aliases?: string[]
  hidden?: boolean
  /** false: the last argument takes any number of words. */
  strict?: boolean
  summary?: string
  description?: string
  args: Record<string, {name: string; options?: string[]; description?: string}>
  flags: Record<string, ManifestFlag>
}

export interface Manifest {
  commands: Record<string, ManifestCommand>
}

/** A kind of live name. */
export type NameKind = 'topic' | 'group' | 'context' | 'broker' | 'principal' | 'topic-config' | 'broker-config'

/** What the word being completed is. */
export type Slot =
  | {kind: 'command'; prefix: string[]}
  | {kind: 'flag'; command?: ManifestCommand}
  | {kind: 'value'; flag: ManifestFlag; command?: ManifestCommand; names?: NameKind; assign?: boolean}
  | {kind: 'arg'; command: ManifestCommand; index: number; names?: NameKind; options?: string[]}

export interface Candidate {
  value: string
  description?: string
}

/** What __complete prints, alone, where a file name goes: the script then completes paths the shell's own way. */
export const FILES_DIRECTIVE = ':files'

/** A flag or argument that takes a path (--from-file, --config-file, --data-dir, the FILE of reassign apply). */
function takesPath(name: string): boolean {
  return /(^|-)file$/.test(name) || name === 'data-dir'
}

/** Values of config keys that take one of a few. */
export const CONFIG_VALUES: Record<string, string[]> = {
  'compression.type': ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'],
  'cleanup.policy': ['delete', 'compact', 'compact,delete'],
  'message.timestamp.type': ['CreateTime', 'LogAppendTime'],
  'unclean.leader.election.enable': ['true', 'false'],
}

/** Every command id and alias (`groups:describe`) with its command. */
function commandIds(manifest: Manifest): Map<string, ManifestCommand> {
  const ids = new Map<string, ManifestCommand>()
  for (const command of Object.values(manifest.commands)) {
    if (command.hidden) continue
    ids.set(command.id, command)
    for (const alias of command.aliases ?? []) ids.set(alias, command)
  }
  return ids
}

/** The flags that may come before the command (global-flags.ts), with their one-letter forms. */
const GLOBAL_ONLY: ManifestFlag[] = Object.entries(GLOBAL_FLAGS).filter(([name]) => name.startsWith('--')).map(([name, takesValue]) => ({
  name: name.slice(2),
  type: takesValue ? 'option' : 'boolean',
  char: Object.keys(GLOBAL_FLAGS).find((short) => !short.startsWith('--') && name.slice(2).startsWith(short.slice(1)))?.slice(1),
}))

function findFlag(flags: ManifestFlag[], word: string): ManifestFlag | undefined {
  if (word.startsWith('--')) return flags.find((f) => f.name === word.slice(2).split('=', 1)[0])
  return flags.find((f) => f.char === word[1])
}

/** The live names a flag's value is, by the flag's name (and the command and `type` argument). */
function flagNames(flag: ManifestFlag, command: ManifestCommand | undefined, positional: string[]): {names?: NameKind; assign?: boolean} {
  const id = command?.id ?? ''
  switch (flag.name) {
    case 'topic': return {names: 'topic'}
    case 'group': case 'from-group': return {names: 'group'}
    case 'context': return {names: 'context'}
    case 'principal': case 'allow-principal': case 'deny-principal': return {names: 'principal'}
    case 'broker': return id.startsWith('local:') ? {} : {names: 'broker'}
    case 'config': return id.startsWith('topics:') ? {names: 'topic-config', assign: true} : {}
    case 'delete': return id === 'topics:alter' ? {names: 'topic-config'} : id === 'configs:set' ? configKeys(positional) : {}
    case 'set': case 'append': case 'subtract': return id === 'configs:set' ? {...configKeys(positional), assign: true} : {}
    case 'key': return id === 'configs:get' ? configKeys(positional) : {}
    default: return {}
  }
}

function configKeys(positional: string[]): {names: NameKind} {
  return {names: positional[0] === 'topic' ? 'topic-config' : 'broker-config'}
}

/** The n-th argument of a command (the last one again for a command that takes any number). */
function argAt(command: ManifestCommand, index: number): ManifestCommand['args'][string] | undefined {
  const args = Object.values(command.args)
  return args[index] ?? (command.strict === false ? args.at(-1) : undefined)
}

/** The live names of a command's n-th argument. */
function argNames(command: ManifestCommand, index: number, positional: string[]): NameKind | undefined {
  const name = argAt(command, index)?.name
  if (name === undefined) return undefined
  if (name === 'topic' || name === 'topics') return 'topic'
  if (name === 'group') return 'group'
  if (name === 'name' && command.id.startsWith('topics:') && command.id !== 'topics:create') return 'topic'
  if (name === 'name' && command.id.startsWith('contexts:') && command.id !== 'contexts:add') return 'context'
  if (name === 'name' && command.id.startsWith('configs:')) return positional[0] === 'topic' ? 'topic' : positional[0] === 'broker' ? 'broker' : undefined
  return undefined
}

/** The slot of the last word of `words` (the words after `kadm`), and the cluster the line names. */
export function analyse(manifest: Manifest, words: string[]): {slot: Slot; selection: ClusterSelection; current: string} {
  const ids = commandIds(manifest)
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  const selection: ClusterSelection = {}
  let command: ManifestCommand | undefined
  const path: string[] = []
  const positional: string[] = []
  let pending: ManifestFlag | undefined
  let afterDashes = false
  const flags = () => (command ? Object.values(command.flags) : GLOBAL_ONLY)
  const note = (flag: ManifestFlag, value: string) => {
    if (flag.name === 'bootstrap-server') selection.bootstrapServer = value
    else if (flag.name === 'context') selection.context = value
    else if (flag.name === 'config-file') selection.configFile = value
  }
  for (const word of before) {
    if (pending) {
      note(pending, word)
      pending = undefined
      continue
    }
    if (word === '--') {
      afterDashes = true
      continue
    }
    if (!afterDashes && word.startsWith('-') && word.length > 1) {
      const flag = findFlag(flags(), word) ?? findFlag(GLOBAL_ONLY, word)
      if (flag?.type !== 'option') continue
      if (word.startsWith('--') && word.includes('=')) note(flag, word.slice(word.indexOf('=') + 1))
      else if (!word.startsWith('--') && word.length > 2) note(flag, word.slice(2))
      else pending = flag
      continue
    }
    // A command can also be a topic (`cluster features`, `cluster features upgrade`): the longer id wins.
    const deeper = positional.length === 0 ? ids.get([...path, word].join(':')) : undefined
    if (!command || deeper) {
      path.push(word)
      const found = ids.get(path.join(':'))
      if (found) command = found
      continue
    }
    positional.push(word)
  }
  if (pending) return {slot: {kind: 'value', flag: pending, command, ...flagNames(pending, command, positional)}, selection, current}
  if (!afterDashes && current.startsWith('-')) {
    const attached = current.startsWith('--') && current.includes('=') ? findFlag(flags(), current) : undefined
    if (attached?.type === 'option') return {slot: {kind: 'value', flag: attached, command, ...flagNames(attached, command, positional)}, selection, current}
    return {slot: {kind: 'flag', command}, selection, current}
  }
  const index = positional.length
  const hasSubcommands = [...ids.keys()].some((id) => id.startsWith(`${path.join(':')}:`))
  if (!command || (index === 0 && hasSubcommands && !argAt(command, 0))) return {slot: {kind: 'command', prefix: path}, selection, current}
  const arg = argAt(command, index)
  return {slot: {kind: 'arg', command, index, names: argNames(command, index, positional), options: arg?.options}, selection, current}
}

/** The first line of a summary or documentation, without the HTML tags of Kafka's docs. */
function firstLine(text: string | undefined): string | undefined {
  const line = text?.split('\n', 1)[0].replace(/<[^>]+>/g, '').trim()
  return line ? line : undefined
}

/** The subcommands and topics one level below `prefix`. */
function commandCandidates(manifest: Manifest, prefix: string[], topics: Record<string, {description?: string}>): Candidate[] {
  const seen = new Map<string, Candidate>()
  const depth = prefix.length
  for (const [id, command] of commandIds(manifest)) {
    const parts = id.split(':')
    if (parts.length <= depth || parts.slice(0, depth).join(':') !== prefix.join(':')) continue
    const word = parts[depth]
    const isCommand = parts.length === depth + 1
    if (seen.has(word) && !isCommand) continue
    const summary = firstLine(command.summary ?? command.description)
    const description = !isCommand ? firstLine(topics[parts.slice(0, depth + 1).join(':')]?.description)
      : command.id === id ? summary : `alias of ${command.id.replaceAll(':', ' ')}${summary ? ': ' + summary : ''}`
    seen.set(word, {value: word, description})
  }
  return [...seen.values()]
}

function flagCandidates(command: ManifestCommand | undefined): Candidate[] {
  const flags = command ? Object.values(command.flags) : GLOBAL_ONLY
  return flags.filter((f) => !f.hidden).map((f) => ({value: `--${f.name}`, description: firstLine(f.summary ?? f.description)}))
}

/** Names of `kind` from the cache (starting a refresh when it is stale or missing); contexts from the config file. */
async function liveNames(kind: NameKind, selection: ClusterSelection, options: CompleteOptions): Promise<Candidate[]> {
  const env = options.env
  if (kind === 'context') {
    const {current, names} = await contextNames(selection, env)
    return names.map((name) => ({value: name, description: name === current ? 'current context' : undefined}))
  }
  const cluster = await clusterOf(selection, env)
  let cache = readNames(cluster, env)
  if (!cache || options.now() - cache.fetchedAt > cacheTtl(env)) {
    const started = startRefresh(options.bin, cluster, selection, env)
    // Cold: the refresh may still make it within the budget; else nothing now, names next time.
    if (!cache && started) cache = await waitForCache(cluster, options)
  }
  if (!cache) return []
  return pick(cache, kind)
}

function pick(cache: NameCache, kind: Exclude<NameKind, 'context'>): Candidate[] {
  switch (kind) {
    case 'topic': return cache.topics.map((value) => ({value}))
    case 'group': return cache.groups.map((value) => ({value}))
    case 'broker': return cache.brokers.map((value) => ({value}))
    case 'principal': return cache.principals.map((value) => ({value}))
    case 'topic-config': return cache.topicConfigs.map(([value, description]) => ({value, description: firstLine(description)}))
    case 'broker-config': return cache.brokerConfigs.map(([value, description]) => ({value, description: firstLine(description)}))
  }
}

async function waitForCache(cluster: string, options: CompleteOptions): Promise<NameCache | undefined> {
  const file = cacheFile(cluster, options.env)
  while (options.now() < options.deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    if (existsSync(file)) return readNames(cluster, options.env)
  }
  return undefined
}

export interface CompleteOptions {
  env: Record<string, string | undefined>
  /** bin/run.js, to start `kadm completion refresh` with. */
  bin: string
  now: () => number
  /** No waiting for a cold cache past this (Date.now() time). */
  deadline: number
  topics?: Record<string, {description?: string}>
}

/** The candidates for the last of `words`, filtered by what it starts with. */
export async function candidates(manifest: Manifest, words: string[], options: CompleteOptions): Promise<Candidate[]> {
  const {slot, selection, current} = analyse(manifest, words)
  let found: Candidate[] = []
  let typed = current
  let prefix = ''
  switch (slot.kind) {
    case 'command':
      found = commandCandidates(manifest, slot.prefix, options.topics ?? {})
      break
    case 'flag':
      found = flagCandidates(slot.command)
      break
    case 'value': {
      if (typed.startsWith('--') && typed.includes('=')) {
        prefix = typed.slice(0, typed.indexOf('=') + 1)
        typed = typed.slice(prefix.length)
      }
      if (takesPath(slot.flag.name)) return [{value: FILES_DIRECTIVE}]
      if (slot.flag.options) found = slot.flag.options.map((value) => ({value}))
      else if (slot.names) found = await configOrNames(slot.names, slot.assign, typed, selection, options)
      if (slot.assign && typed.includes('=')) {
        // key=value: the key is typed, the value is being completed.
        prefix += typed.slice(0, typed.indexOf('=') + 1)
        typed = typed.slice(typed.indexOf('=') + 1)
      }
      break
    }
    case 'arg':
      if (takesPath(argAt(slot.command, slot.index)?.name ?? '')) return [{value: FILES_DIRECTIVE}]
      if (slot.options) found = slot.options.map((value) => ({value}))
      else if (slot.names) found = await liveNames(slot.names, selection, options)
      break
  }
  return found.filter((c) => c.value.startsWith(typed)).map((c) => ({...c, value: prefix + c.value}))
}

/** Config keys as `key=` where a value follows, or the values of `key=` once the key is typed. */
async function configOrNames(kind: NameKind, assign: boolean | undefined, typed: string, selection: ClusterSelection, options: CompleteOptions): Promise<Candidate[]> {
  if (assign && typed.includes('=')) {
    const key = typed.slice(0, typed.indexOf('='))
    return (CONFIG_VALUES[key] ?? []).map((value) => ({value}))
  }
  const names = await liveNames(kind, selection, options)
  return assign ? names.map((c) => ({...c, value: `${c.value}=`})) : names
}

/** One candidate a line: `value<TAB>description` (bash drops the description). */
export function formatCandidates(found: Candidate[], shell: string): string {
  const clean = (text: string) => text.replace(/[\t\n\r]+/g, ' ')
  return found.map((c) => (c.description && shell !== 'bash' ? `${clean(c.value)}\t${clean(c.description)}` : clean(c.value)) + '\n').join('')
}

/** What bin/run.js calls for `kadm __complete <shell> -- <words...>`. Never throws: a failed completion offers nothing. */
export async function complete(root: string, argv: string[]): Promise<void> {
  try {
    const [shell = 'bash', dashes, ...words] = argv
    if (dashes !== '--') return
    const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as Manifest
    const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {oclif?: {topics?: Record<string, {description?: string}>}}
    // The budget counts from the key press, Node's own start included.
    const deadline = Date.now() - process.uptime() * 1000 + budgetMs(process.env)
    const found = await candidates(manifest, words.length > 0 ? words : [''], {
      env: process.env,
      bin: join(root, 'bin', 'run.js'),
      now: Date.now,
      deadline,
      topics: pjson.oclif?.topics,
    })
    process.stdout.write(formatCandidates(found, shell))
  } catch {
    // Nothing to offer.
  }
}

/** KADM_COMPLETION_BUDGET in ms (default 150): how long a key press may wait for a cold cache. */
function budgetMs(env: Record<string, string | undefined>): number {
  const ms = Number(env.KADM_COMPLETION_BUDGET)
  return Number.isFinite(ms) && ms >= 0 && env.KADM_COMPLETION_BUDGET ? ms : 150
}
