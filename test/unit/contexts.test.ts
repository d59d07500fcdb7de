import {parse} from 'yaml'
import {describe, expect, it} from 'vitest'

import {hasInlineSecrets, parseConfig, redactContext} from '../../src/config/contexts.js'
import {resolveConnection} from '../../src/config/resolve.js'

const FILE = `
current-context: prod
contexts:
  prod:
    bootstrap-servers: [kafka-1:9093, kafka-2:9093]
    client-id: ops
    tls: {ca: /etc/ca.pem, cert: /etc/c.pem, key: /etc/k.pem, key-passphrase: hunter2}
    sasl: {mechanism: SCRAM-SHA-512, username: admin, password-env: KAFKA_PASSWORD}
  dev:
    bootstrap-servers: "127.0.0.1:9092, 127.0.0.1:9093"
  plain:
    bootstrap-servers: [k:9092]
    sasl: {mechanism: plain, username: u, password: s3cret}
  sso:
    bootstrap-servers: [k:9093]
    tls: true
    sasl: {mechanism: OAUTHBEARER, token-command: get-token kafka}
  sso-inline:
    bootstrap-servers: [k:9093]
    sasl: {mechanism: oauthbearer, token: eyJhbGciOiJub25lIn0.e30.}
`

describe('config file', () => {
  const config = parseConfig(FILE, parse, 'config.yaml')

  it('reads contexts with TLS and SASL', () => {
    expect(config.currentContext).toBe('prod')
    expect(config.contexts.prod).toEqual({
      bootstrapServers: ['kafka-1:9093', 'kafka-2:9093'],
      clientId: 'ops',
      tls: {enabled: true, ca: '/etc/ca.pem', cert: '/etc/c.pem', key: '/etc/k.pem', keyPassphrase: {value: 'hunter2', env: undefined, command: undefined}, insecureSkipVerify: false},
      sasl: {mechanism: 'scram-sha-512', username: 'admin', password: {value: undefined, env: 'KAFKA_PASSWORD', command: undefined}},
    })
    expect(config.contexts.dev.bootstrapServers).toEqual(['127.0.0.1:9092', '127.0.0.1:9093'])
  })

  it('redacts inline secrets and shows where the others come from', () => {
    const shown = JSON.stringify(redactContext(config.contexts.plain)) + JSON.stringify(redactContext(config.contexts.prod))
    expect(shown).not.toContain('s3cret')
    expect(shown).not.toContain('hunter2')
    expect(shown).toContain('<redacted>')
    expect(shown).toContain('KAFKA_PASSWORD')
    expect(hasInlineSecrets(config)).toBe(true)
    expect(hasInlineSecrets({contexts: {dev: config.contexts.dev}})).toBe(false)
  })

  it('reads OAUTHBEARER contexts with a token command and redacts inline tokens', () => {
    expect(config.contexts.sso.sasl).toEqual({mechanism: 'oauthbearer', token: {value: undefined, env: undefined, command: 'get-token kafka'}})
    expect(redactContext(config.contexts.sso).sasl).toEqual({mechanism: 'oauthbearer', 'token-command': 'get-token kafka'})
    expect(JSON.stringify(redactContext(config.contexts['sso-inline']))).not.toContain('eyJ')
    expect(hasInlineSecrets({contexts: {s: config.contexts['sso-inline']}})).toBe(true)
    expect(hasInlineSecrets({contexts: {s: config.contexts.sso}})).toBe(false)
    expect(() => parseConfig('contexts: {x: {bootstrap-servers: a:1, sasl: {mechanism: oauthbearer}}}', parse, 'c.yaml')).toThrow(/needs token-command/)
  })

  it('rejects bad contexts with a line naming the context', () => {
    expect(() => parseConfig('contexts: {x: {}}', parse, 'c.yaml')).toThrow('context "x" has no bootstrap-servers')
    expect(() => parseConfig('contexts: {x: {bootstrap-servers: a:1, sasl: {mechanism: gssapi, username: u, password: p}}}', parse, 'c.yaml')).toThrow(/sasl mechanism must be one of/)
    expect(() => parseConfig('contexts: {x: {bootstrap-servers: a:1, sasl: {mechanism: plain, username: u}}}', parse, 'c.yaml')).toThrow(/needs password/)
    expect(() => parseConfig('contexts: {x: {bootstrap-servers: a:1, sasl: {mechanism: plain, username: u, password: p, password-env: E}}}', parse, 'c.yaml')).toThrow(/only one of/)
    expect(() => parseConfig('[1, 2', parse, 'c.yaml')).toThrow(/cannot parse c.yaml/)
  })
})

describe('connection precedence', () => {
  const config = parseConfig(FILE, parse, 'config.yaml')
  const noLocal = async () => undefined

  it('flag beats env beats context', async () => {
    const env = {KADM_BOOTSTRAP_SERVER: 'env:1'}
    expect((await resolveConnection({bootstrapFlag: 'flag:1', env, config, localBootstrap: noLocal})).bootstrapServers).toEqual(['flag:1'])
    expect((await resolveConnection({env, config, localBootstrap: noLocal})).bootstrapServers).toEqual(['env:1'])
    const fromContext = await resolveConnection({env: {}, config, localBootstrap: noLocal})
    expect(fromContext).toMatchObject({bootstrapServers: ['kafka-1:9093', 'kafka-2:9093'], source: 'context', contextName: 'prod'})
  })

  it('--context and KADM_CONTEXT pick a context; its TLS/SASL apply under a -b override', async () => {
    expect((await resolveConnection({contextFlag: 'dev', env: {}, config, localBootstrap: noLocal})).contextName).toBe('dev')
    expect((await resolveConnection({env: {KADM_CONTEXT: 'dev'}, config, localBootstrap: noLocal})).contextName).toBe('dev')
    const overridden = await resolveConnection({bootstrapFlag: 'other:9093', contextFlag: 'prod', env: {}, config, localBootstrap: noLocal})
    expect(overridden.bootstrapServers).toEqual(['other:9093'])
    expect(overridden.sasl?.username).toBe('admin')
    await expect(resolveConnection({contextFlag: 'nope', env: {}, config, localBootstrap: noLocal})).rejects.toThrow('--context: no context named "nope" (known: prod, dev, plain, sso, sso-inline)')
  })

  it('uses a running local cluster only when nothing else is given, else the default', async () => {
    const empty = {contexts: {}}
    expect(await resolveConnection({env: {}, config: empty, localBootstrap: async () => '127.0.0.1:9092,127.0.0.1:9093'}))
      .toMatchObject({bootstrapServers: ['127.0.0.1:9092', '127.0.0.1:9093'], source: 'local'})
    expect(await resolveConnection({env: {}, config: empty, localBootstrap: noLocal})).toMatchObject({bootstrapServers: ['127.0.0.1:9092'], source: 'default'})
    expect((await resolveConnection({env: {}, config, localBootstrap: async () => 'local:1'})).source).toBe('context')
  })

  it('validates host:port', async () => {
    await expect(resolveConnection({bootstrapFlag: 'nohost', env: {}, config, localBootstrap: noLocal})).rejects.toThrow('--bootstrap-server: "nohost" is not host:port')
    await expect(resolveConnection({bootstrapFlag: 'h:99999', env: {}, config, localBootstrap: noLocal})).rejects.toThrow(/not host:port/)
    expect((await resolveConnection({bootstrapFlag: '[::1]:9092', env: {}, config, localBootstrap: noLocal})).bootstrapServers).toEqual(['[::1]:9092'])
  })
})

describe('schema-registry section', () => {
  const text = `
contexts:
  basic:
    bootstrap-servers: [k:9092]
    schema-registry: {url: "https://registry:8081", username: svc, password-command: pass show registry, ca: /etc/ca.pem}
  token:
    bootstrap-servers: [k:9092]
    schema-registry: {url: "https://svc:pw@registry:8081", token: abc.def}
  short:
    bootstrap-servers: [k:9092]
    schema-registry: http://registry:8081
`
  const config = parseConfig(text, parse, 'config.yaml')

  it('reads URL, basic auth or token (inline, env, command) and CA; a bare URL is a section with only a url', () => {
    expect(config.contexts.basic.schemaRegistry).toEqual({url: 'https://registry:8081', username: 'svc', password: {command: 'pass show registry'}, ca: '/etc/ca.pem'})
    expect(config.contexts.token.schemaRegistry).toEqual({url: 'https://svc:pw@registry:8081', token: {value: 'abc.def'}})
    expect(config.contexts.short.schemaRegistry).toEqual({url: 'http://registry:8081'})
    expect(hasInlineSecrets({contexts: {t: config.contexts.token}})).toBe(true)
    expect(hasInlineSecrets({contexts: {b: config.contexts.basic}})).toBe(false)
  })

  it('redacts inline tokens and passwords in the URL', () => {
    expect(redactContext(config.contexts.token)['schema-registry']).toEqual({url: 'https://svc:<redacted>@registry:8081/', token: '<redacted>'})
    expect(redactContext(config.contexts.basic)['schema-registry']).toEqual({url: 'https://registry:8081', username: 'svc', 'password-command': 'pass show registry', ca: '/etc/ca.pem'})
  })

  it('rejects half of basic auth, and basic auth with a token', () => {
    const bad = (section: string) => () => parseConfig(`contexts:\n  x:\n    bootstrap-servers: [k:9092]\n    schema-registry: ${section}\n`, parse, 'c.yaml')
    expect(bad('{url: "http://r", username: u}')).toThrow('context "x" schema-registry: basic auth needs both username and password (or password-env, password-command)')
    expect(bad('{url: "http://r", username: u, password: p, token-env: T}')).toThrow('context "x" schema-registry: give either username and password or a token, not both')
    expect(bad('{username: u}')).toThrow('context "x" schema-registry needs a url')
  })
})
