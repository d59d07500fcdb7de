import {mkdtemp, readFile, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {candidates, type CompleteOptions, type Manifest} from '../../src/completion/complete.js'
import {cacheFile, clusterOf, type NameCache, readNames, writeNames} from '../../src/completion/names.js'
import {fuzzyFilter} from '../../src/domain/fuzzy.js'

const ROOT = join(import.meta.dirname, '..', '..')

describe('shell completion candidates (oclif.manifest.json and a names cache)', () => {
  let manifest: Manifest
  let dir = ''
  let options: CompleteOptions
  const cluster = 'h1:9092,h2:9092'
  const cache: NameCache = {
    cluster,
    fetchedAt: 1_000_000,
    topics: ['orders', 'orders-v2', 'payments'],
    groups: ['billing', 'orders-app'],
    brokers: ['1', '2', '3'],
    principals: ['User:alice', 'User:bob'],
    topicConfigs: [['cleanup.policy', 'The retention policy.'], ['compression.type', 'Specify the final <code>compression</code> type.']],
    brokerConfigs: [['log.retention.ms', 'How long to keep a log.']],
  }
  const values = async (words: string[]) => (await candidates(manifest, words, options)).map((c) => c.value)

  beforeAll(async () => {
    manifest = JSON.parse(await readFile(join(ROOT, 'oclif.manifest.json'), 'utf8')) as Manifest
    dir = await mkdtemp(join(tmpdir(), 'kadm-completion-'))
    // A fresh cache (fetchedAt 1,000,000, now 1,000,500) whose bin is not run: nothing refreshes.
    const env = {XDG_CACHE_HOME: dir, XDG_CONFIG_HOME: dir, KADM_BOOTSTRAP_SERVER: 'h2:9092,h1:9092'}
    writeNames(cache, env)
    options = {env, bin: '/nonexistent', now: () => 1_000_500, deadline: 0}
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('keys the cache by the sorted bootstrap servers the line names, else by the context name', async () => {
    expect(await clusterOf({}, options.env)).toBe(cluster)
    expect(await clusterOf({bootstrapServer: 'b:1, a:2'}, options.env)).toBe('a:2,b:1')
    expect(await clusterOf({context: 'prod'}, {XDG_CONFIG_HOME: dir})).toBe('context:prod')
    expect(await clusterOf({}, {XDG_CONFIG_HOME: dir})).toBe('local-or-default')
    expect(readNames(cluster, options.env)).toEqual(cache)
    expect(cacheFile(cluster, options.env).startsWith(join(dir, 'kadm', 'completion'))).toBe(true)
    expect((await stat(join(dir, 'kadm', 'completion'))).mode & 0o777).toBe(0o700)
  })

  it('completes commands, topics of commands and aliases', async () => {
    expect(await values(['top'])).toEqual(['topics'])
    expect(await values(['co'])).toEqual(['completion', 'configs', 'console', 'consume', 'consumer-groups', 'contexts'])
    expect(await values(['topics', ''])).toEqual(['alter', 'create', 'delete', 'describe', 'list', 'ls'])
    expect(await values(['groups', 'd'])).toEqual(['delete', 'describe'])
    expect(await values(['partitions', 'reassign', 'p'])).toEqual(['plan'])
    const described = await candidates(manifest, ['topics', 'l'], options)
    expect(described.find((c) => c.value === 'ls')?.description).toBe('alias of topics list: List topics with partitions, replication factor and health.')
  })

  it('completes below a command that is also a topic, and that command\'s flags', async () => {
    expect(await values(['cluster', 'features', ''])).toEqual(['disable', 'downgrade', 'upgrade'])
    expect(await values(['cluster', 'features', 'upgrade', '--dry'])).toEqual(['--dry-run'])
    expect(await values(['cluster', 'features', 'downgrade', '--un'])).toEqual(['--unsafe'])
    expect(await values(['cluster', 'features', '--dry'])).toEqual([])
  })

  it('completes flags and their options, before and after the command', async () => {
    expect(await values(['topics', 'describe', '--reg'])).toEqual(['--regex'])
    expect(await values(['--cont'])).toEqual(['--context'])
    expect(await values(['topics', 'describe', '-o', ''])).toEqual(['table', 'json', 'yaml'])
    expect(await values(['topics', 'describe', '--output=j'])).toEqual(['--output=json'])
    expect(await values(['console', 'produce', '--compression', ''])).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd'])
    expect(await values(['configs', 'get', ''])).toEqual(['topic', 'broker', 'broker-default', 'broker-logger', 'client-metrics', 'group'])
    expect(await values(['completion', ''])).toEqual(['bash', 'zsh', 'fish'])
    // Hidden flags and commands are not offered.
    expect(await values(['topics', 'create', 'x', '--config-'])).toEqual(['--config-file'])
    expect(await values(['completion', 'r'])).toEqual([])
  })

  it('completes live names from the cache: topics, groups, brokers, principals, each after what names them', async () => {
    expect(await values(['topics', 'describe', 'or'])).toEqual(['orders', 'orders-v2'])
    expect(await values(['topics', 'describe', 'orders', 'p'])).toEqual(['payments'])
    expect(await values(['consume', '-b', 'h1:9092,h2:9092', ''])).toEqual(cache.topics)
    expect(await values(['groups', 'describe', ''])).toEqual(cache.groups)
    expect(await values(['offsets', 'reset', '--from-group', 'b'])).toEqual(['billing'])
    expect(await values(['partitions', 'list', '--broker', ''])).toEqual(['1', '2', '3'])
    expect(await values(['acls', 'list', '--principal', 'User:a'])).toEqual(['User:alice'])
    expect(await values(['configs', 'set', 'broker', ''])).toEqual(['1', '2', '3'])
    expect(await values(['configs', 'set', 'topic', ''])).toEqual(cache.topics)
  })

  it('completes config keys (key= where a value follows) with their documentation, and the values of known keys', async () => {
    expect(await candidates(manifest, ['topics', 'create', 'x', '--config', 'c'], options)).toEqual([
      {value: 'cleanup.policy=', description: 'The retention policy.'},
      {value: 'compression.type=', description: 'Specify the final compression type.'},
    ])
    expect(await values(['topics', 'create', 'x', '--config', 'compression.type=z'])).toEqual(['compression.type=zstd'])
    expect(await values(['topics', 'alter', 'x', '--delete', 'cl'])).toEqual(['cleanup.policy'])
    expect(await values(['configs', 'set', 'broker', '1', '--set', 'log'])).toEqual(['log.retention.ms='])
    expect(await values(['configs', 'get', 'topic', 'orders', '--key', 'co'])).toEqual(['compression.type'])
  })

  it('answers the files directive alone where a path goes', async () => {
    expect(await values(['partitions', 'reassign', 'apply', ''])).toEqual([':files'])
    expect(await values(['offsets', 'reset', '--from-file', 'x'])).toEqual([':files'])
    expect(await values(['topics', 'list', '--config-file='])).toEqual([':files'])
    expect(await values(['local', 'start', '--data-dir', ''])).toEqual([':files'])
  })

  it('offers no live names without a cache and does not wait past the deadline', async () => {
    const found = await candidates(manifest, ['-b', 'elsewhere:9092', 'topics', 'describe', ''], {...options, bin: join(dir, 'missing.js')})
    expect(found).toEqual([])
  })
})

describe('fuzzy filter of the picker', () => {
  it('keeps names holding the typed characters in order, best first', () => {
    const names = ['payments', 'orders-v2', 'audit-orders', 'orders', 'other']
    expect(fuzzyFilter(names, '')).toEqual(names)
    expect(fuzzyFilter(names, 'ord')).toEqual(['orders-v2', 'orders', 'audit-orders'])
    expect(fuzzyFilter(names, 'ORDV2')).toEqual(['orders-v2'])
    expect(fuzzyFilter(names, 'oes')).toEqual(['orders-v2', 'audit-orders', 'orders'])
    // Closer together first: d..s three apart in orders, nine in audit-orders.
    expect(fuzzyFilter(names, 'ds')).toEqual(['orders-v2', 'orders', 'audit-orders'])
    expect(fuzzyFilter(names, 'zz')).toEqual([])
  })
})
