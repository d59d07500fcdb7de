import {execFileSync} from 'node:child_process'
import {chmod, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {kadm, kadmJson} from '../helpers/kadm.js'

const bootstrap = inject('bootstrap')

describe('kadm contexts', () => {
  let dir = ''
  let config = ''

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kadm-contexts-'))
    config = join(dir, 'config.yaml')
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('adds, lists, uses, shows (redacted) and removes contexts; commands connect through them', async () => {
    const env = {KADM_CONFIG: config}
    const added = await kadm(['contexts', 'add', 'test', '-b', bootstrap, '--client-id', 'kadm-test'], {env})
    expect(added.code, added.stderr).toBe(0)
    expect(added.stderr).toContain(`saved context "test" to ${config} (current)`)
    expect((await stat(config)).mode & 0o777).toBe(0o600)

    const secret = 'pa55-w0rd-never-printed'
    const secured = await kadm(['contexts', 'add', 'secured', '-b', 'kafka-1:9093,kafka-2:9093', '--tls-ca', '/etc/ca.pem',
      '--sasl-mechanism', 'scram-sha-512', '--sasl-username', 'admin', '--sasl-password', secret], {env})
    expect(secured.code, secured.stderr).toBe(0)

    const list = await kadmJson<{contexts: Array<{name: string; current: boolean; tls: boolean; sasl: string | null}>}>(['contexts', 'list'], {env})
    expect(list.contexts).toEqual([
      {name: 'test', current: true, bootstrapServers: bootstrap.split(','), tls: false, sasl: null},
      {name: 'secured', current: false, bootstrapServers: ['kafka-1:9093', 'kafka-2:9093'], tls: true, sasl: 'scram-sha-512'},
    ])

    // The current context is used when nothing else is given.
    const described = await kadmJson<{brokers: unknown[]}>(['cluster', 'describe'], {env})
    expect(described.brokers).toHaveLength(bootstrap.split(',').length)

    const shown = await kadm(['contexts', 'show', 'secured'], {env})
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('password: <redacted>')
    expect(shown.stdout).toContain('mechanism: scram-sha-512')
    expect(shown.stdout + shown.stderr).not.toContain(secret)
    const shownJson = await kadm(['contexts', 'show', 'secured', '-o', 'json', '--verbose'], {env})
    expect(shownJson.stdout + shownJson.stderr).not.toContain(secret)

    // A file holding an inline secret that others can read earns a warning on stderr.
    await chmod(config, 0o644)
    const warned = await kadm(['cluster', 'describe', '--context', 'test', '-o', 'json'], {env})
    expect(warned.code).toBe(0)
    expect(warned.stderr).toContain(`${config} holds secrets and is readable by others: chmod 600 ${config}`)
    await chmod(config, 0o600)

    const used = await kadm(['contexts', 'use', 'secured'], {env})
    expect(used.code).toBe(0)
    expect(await readFile(config, 'utf8')).toContain('current-context: secured')
    // -b still wins over the current context.
    const overridden = await kadmJson<{brokers: Array<{host: string; port: number}>}>(['cluster', 'describe', '-b', bootstrap], {env})
    // The brokers of the -b cluster, as kcat's metadata names them (the current context's are kafka-1/2:9093).
    const kcat = JSON.parse(execFileSync('kcat', ['-L', '-J', '-b', bootstrap], {encoding: 'utf8', timeout: 30_000})) as {brokers: Array<{name: string}>}
    expect(overridden.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual(kcat.brokers.map((b) => b.name).sort())

    expect((await kadm(['contexts', 'remove', 'secured'], {env})).code).toBe(0)
    expect((await kadm(['contexts', 'remove', 'secured'], {env})).stderr.trim()).toBe('error: no context named "secured"')
    expect((await kadmJson<{contexts: unknown[]}>(['contexts', 'list'], {env})).contexts.length).toBe(1)
  })

  it('refuses a duplicate, a bad address, and prompting without a terminal', async () => {
    const env = {KADM_CONFIG: config}
    const dup = await kadm(['contexts', 'add', 'test', '-b', bootstrap], {env})
    expect(dup.code).toBe(1)
    expect(dup.stderr.trim()).toBe('error: context "test" already exists (use --force to replace it)')
    const bad = await kadm(['contexts', 'add', 'bad', '-b', 'nohost'], {env})
    expect(bad.code).toBe(2)
    const noTty = await kadm(['contexts', 'add', 'prompted'], {env})
    expect(noTty.code).toBe(2)
    expect(noTty.stderr.trim()).toBe('error: --bootstrap-server is required when not on a terminal')
  })

  it('reports an unknown context and a broken config file in one line', async () => {
    const unknown = await kadm(['cluster', 'describe', '--context', 'nope'], {env: {KADM_CONFIG: config}})
    expect(unknown.code).toBe(1)
    expect(unknown.stderr.trim()).toBe('error: --context: no context named "nope" (known: test)')
    const broken = join(dir, 'broken.yaml')
    await writeFile(broken, 'contexts: [unclosed')
    const result = await kadm(['cluster', 'describe', '--config-file', broken])
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain(`cannot parse ${broken}`)
  })
})
