import {describe, expect, inject, it} from 'vitest'

import {compareVersions} from '../../src/local/versions.js'
import {kadm, kadmJson, uniqueName} from '../helpers/kadm.js'
import {alterWithConfigCommand, describeWithConfigCommand} from '../helpers/kafka-tools.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const B = ['-b', bootstrap]

interface Entry {
  name: string
  value: string | null
  source: string
  sensitive: boolean
  readOnly: boolean
  synonyms: Array<{name: string; value: string | null; source: string}>
}

interface Got {
  type: string
  name: string
  configs: Entry[]
}

/** kafka-configs --describe on the suite's cluster. */
const configCommand = (args: string[]) => describeWithConfigCommand(version, bootstrap, args)
const alterWithTool = (args: string[]) => alterWithConfigCommand(version, bootstrap, args)

/** name -> value, and name -> synonyms, as kafka-configs prints them. */
const values = (entries: Iterable<[string, {value: string | null}]>) => Object.fromEntries([...entries].map(([k, v]) => [k, v.value ?? 'null']))
const ourEntries = (got: Got) => got.configs.map((c) => [c.name, c] as [string, Entry])
const ourSynonyms = (got: Got) => Object.fromEntries(got.configs.map((c) => [c.name, c.synonyms.map((s) => ({source: s.source, name: s.name, value: s.value ?? 'null'}))]))
const toolSynonyms = (tool: Map<string, {synonyms: unknown[]}>) => Object.fromEntries([...tool].map(([k, v]) => [k, v.synonyms]))

/**
 * The broker configs Kafka declares as passwords (ConfigDef.Type.PASSWORD), which DescribeConfigs
 * marks sensitive, in Kafka `version`: 4.0 removed the ZooKeeper-era ones, KIP-1139 (4.1) added
 * two for OAuth client credentials.
 */
function sensitiveBrokerConfigs(version: string): string[] {
  const names = ['delegation.token.secret.key', 'sasl.jaas.config', 'ssl.key.password', 'ssl.keystore.certificate.chain', 'ssl.keystore.key', 'ssl.keystore.password', 'ssl.truststore.certificates', 'ssl.truststore.password']
  if (compareVersions(version, '4.0.0') < 0) names.push('delegation.token.master.key', 'password.encoder.old.secret', 'password.encoder.secret', 'zookeeper.ssl.keystore.password', 'zookeeper.ssl.truststore.password')
  if (compareVersions(version, '4.1.0') >= 0) names.push('sasl.oauthbearer.assertion.private.key.passphrase', 'sasl.oauthbearer.client.credentials.client.secret')
  return names.sort()
}

const get = (args: string[]) => kadmJson<Got>(['configs', 'get', ...args, ...B])

describe('kadm configs', () => {
  it('sets and deletes topic configs incrementally, as kafka-configs reads them back', async () => {
    const topic = uniqueName('configs-topic')
    await kadmJson(['topics', 'create', topic, '-p', '1', '-r', '1', '--config', 'max.message.bytes=300000', ...B])

    const dry = await kadmJson<{dryRun: boolean}>(['configs', 'set', 'topic', topic, '--set', 'retention.ms=1000000', '--dry-run', ...B])
    expect(dry.dryRun).toBe(true)
    expect((await get(['topic', topic])).configs.map((c) => c.name)).toEqual(['max.message.bytes'])

    await kadmJson(['configs', 'set', 'topic', topic, '--set', 'retention.ms=1000000', '--set', 'cleanup.policy=delete', ...B])
    await kadmJson(['configs', 'set', 'topic', topic, '--append', 'cleanup.policy=compact', '--delete', 'retention.ms', ...B])
    const ours = await get(['topic', topic])
    const theirs = await configCommand(['--entity-type', 'topics', '--entity-name', topic])
    // Keys not named (max.message.bytes) are untouched; the deleted one is gone.
    expect(Object.fromEntries(ours.configs.map((c) => [c.name, c.value]))).toEqual({'cleanup.policy': 'delete,compact', 'max.message.bytes': '300000'})
    expect(Object.fromEntries([...theirs].map(([k, v]) => [k, v.value]))).toEqual({'cleanup.policy': 'delete,compact', 'max.message.bytes': '300000'})
    expect(ours.configs.every((c) => c.source === 'DYNAMIC_TOPIC_CONFIG')).toBe(true)
    // Synonyms show what the value falls back to.
    expect(ours.configs.find((c) => c.name === 'max.message.bytes')?.synonyms.map((s) => s.source)).toContain('DYNAMIC_TOPIC_CONFIG')

    const table = await kadm(['configs', 'get', 'topic', topic, ...B])
    expect(table.stdout).toMatch(/^NAME\s+VALUE\s+SOURCE\s+SENSITIVE\s+READ-ONLY\ncleanup\.policy\s+delete,compact\s+dynamic-topic\s+no\s+no\nmax\.message\.bytes\s+300000\s+dynamic-topic/)

    // --subtract takes one value out of a list config; kafka-configs reads what is left.
    await kadmJson(['configs', 'set', 'topic', topic, '--subtract', 'cleanup.policy=delete', ...B])
    const afterSubtract = await configCommand(['--entity-type', 'topics', '--entity-name', topic])
    expect(afterSubtract.get('cleanup.policy')?.value).toBe('compact')

    const unknown = await kadm(['configs', 'set', 'topic', topic, '--set', 'no.such.key=1', ...B])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/^error: config change refused: topic .*: Unknown topic config name: no\.such\.key \(INVALID_CONFIG\)\n$/)
  })

  it('reads every config of a broker with sources and synonyms as kafka-configs --all does, never printing sensitive values', async () => {
    const [ours, theirs] = await Promise.all([get(['broker', '2', '--all']), configCommand(['--entity-type', 'brokers', '--entity-name', '2', '--all'])])
    expect(ours.configs.map((c) => c.name).sort()).toEqual([...theirs.keys()].sort())
    for (const c of ours.configs) {
      const tool = theirs.get(c.name)!
      expect(c.sensitive, c.name).toBe(tool.sensitive)
      if (c.sensitive) expect(c.value, c.name).toBeNull()
      else expect(c.value ?? 'null', c.name).toBe(tool.value)
      // ConfigCommand prints no source of its own: the first synonym is where the value comes from.
      expect(c.synonyms.map((s) => ({source: s.source, name: s.name, value: s.value ?? 'null'})), c.name).toEqual(tool.synonyms)
      if (tool.synonyms.length > 0) expect(c.source, c.name).toBe(tool.synonyms[0].source)
    }
    expect(ours.configs.find((c) => c.name === 'node.id')?.value).toBe('2')
    expect(ours.configs.find((c) => c.name === 'advertised.listeners')?.source).toBe('STATIC_BROKER_CONFIG')

    // Kafka's password-type broker configs (ConfigDef.Type.PASSWORD) are the sensitive ones:
    // each is reported without its value, and shown as [sensitive].
    const sensitive = ours.configs.filter((c) => c.sensitive).map((c) => c.name).sort()
    expect(sensitive).toEqual([...theirs].filter(([, c]) => c.sensitive).map(([name]) => name).sort())
    expect(sensitive).toEqual(sensitiveBrokerConfigs(version))
    const table = await kadm(['configs', 'get', 'broker', '2', '--all', ...B])
    for (const name of sensitive) expect(table.stdout).toMatch(new RegExp(`^${name.replaceAll('.', '\\.')}\\s+\\[sensitive\\]\\s`, 'm'))
  })

  it('validates broker and broker-default changes with --dry-run, sent to the right broker', async () => {
    const ok = await kadmJson<{dryRun: boolean; name: string}>(['configs', 'set', 'broker', '3', '--set', 'log.cleaner.threads=2', '--dry-run', ...B])
    expect(ok).toMatchObject({dryRun: true, name: '3'})
    expect((await get(['broker', '3'])).configs.find((c) => c.name === 'log.cleaner.threads')).toBeUndefined()

    const readOnly = await kadm(['configs', 'set', 'broker', '3', '--set', 'node.id=9', '--dry-run', ...B])
    expect(readOnly.code).toBe(1)
    expect(readOnly.stderr).toMatch(/^error: config change refused: broker 3: .*node\.id/)

    const badValue = await kadm(['configs', 'set', 'broker-default', '--set', 'log.retention.ms=soon', '--dry-run', ...B])
    expect(badValue.code).toBe(1)
    expect(badValue.stderr).toContain('broker default: Invalid value soon for configuration log.retention.ms')

    const defaults = await get(['broker-default'])
    expect(defaults).toMatchObject({type: 'broker', name: ''})
    expect(defaults.configs.every((c) => c.source === 'DYNAMIC_DEFAULT_BROKER_CONFIG')).toBe(true)
  })

  it('names a missing topic or broker in one line', async () => {
    const topic = uniqueName('configs-missing')
    const missingTopic = await kadm(['configs', 'get', 'topic', topic, ...B])
    expect([missingTopic.code, missingTopic.stderr]).toEqual([1, `error: topic ${topic} does not exist\n`])
    const missingBroker = await kadm(['configs', 'set', 'broker', '99', '--set', 'log.cleaner.threads=2', ...B])
    expect(missingBroker.code).toBe(1)
    expect(missingBroker.stderr).toMatch(/^error: broker 99 is not in the cluster \(brokers: 1, 2, 3\)\n$/)
  })

  it('reads and changes the log levels of one broker as kafka-configs --entity-type broker-loggers does', async () => {
    const logger = 'kafka.log.LogCleaner'
    const tool = () => configCommand(['--entity-type', 'broker-loggers', '--entity-name', '2'])
    // Every logger is reported as dynamic, so without --all kadm lists them all, as kafka-configs.
    const [ours, theirs] = await Promise.all([get(['broker-logger', '2']), tool()])
    expect(values(ourEntries(ours))).toEqual(values(theirs))
    expect(ours.configs.length).toBeGreaterThan(10)
    expect(ours.configs.every((c) => c.source === 'DYNAMIC_BROKER_LOGGER_CONFIG')).toBe(true)
    const before = theirs.get(logger)!.value

    const dry = await kadmJson<{dryRun: boolean; type: string}>(['configs', 'set', 'broker-logger', '2', '--set', `${logger}=DEBUG`, '--dry-run', ...B])
    expect(dry).toMatchObject({dryRun: true, type: 'broker-logger'})
    expect((await get(['broker-logger', '2', '-k', logger])).configs.map((c) => c.value)).toEqual([before])

    await kadmJson(['configs', 'set', 'broker-logger', '2', '--set', `${logger}=DEBUG`, ...B])
    expect((await tool()).get(logger)?.value).toBe('DEBUG')
    // The other brokers keep their own level.
    expect((await get(['broker-logger', '1', '-k', logger])).configs.map((c) => c.value)).toEqual([before])

    await alterWithTool(['--entity-type', 'broker-loggers', '--entity-name', '2', '--add-config', `${logger}=TRACE`])
    const table = await kadm(['configs', 'get', 'broker-logger', '2', '-k', logger, ...B])
    expect(table.stdout).toMatch(/^NAME\s+VALUE\s+SOURCE\s+SENSITIVE\s+READ-ONLY\nkafka\.log\.LogCleaner\s+TRACE\s+dynamic-broker-logger\s+no\s+no\n$/)

    // After a delete the logger still reports the same source: set returns at once, not after a timeout.
    const deleted = await kadm(['configs', 'set', 'broker-logger', '2', '--delete', logger, '-o', 'yaml', ...B])
    expect([deleted.code, deleted.stdout]).toEqual([0, `type: broker-logger\nname: "2"\nops:\n  - op: delete\n    name: ${logger}\n`])
    expect((await tool()).get(logger)?.value).toBe(before)

    const bad = await kadm(['configs', 'set', 'broker-logger', '2', '--set', `${logger}=LOUD`, ...B])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^error: config change refused: loggers of broker 2: .*LOUD.* \(INVALID_CONFIG\)\n$/)
  })

  it('sets client-metrics subscriptions (KIP-714) as kafka-configs --entity-type client-metrics reads and writes them', async () => {
    const sub = uniqueName('configs-sub')
    const tool = () => configCommand(['--entity-type', 'client-metrics', '--entity-name', sub])
    const set = ['--set', 'metrics=org.apache.kafka.producer.', '--set', 'interval.ms=5000', '--set', 'match=client_id=app-.*']
    const dry = await kadmJson<{dryRun: boolean}>(['configs', 'set', 'client-metrics', sub, ...set, '--dry-run', ...B])
    expect(dry.dryRun).toBe(true)
    expect(await kadm(['configs', 'get', 'client-metrics', sub, ...B])).toMatchObject({code: 0, stdout: `client-metrics subscription ${sub}: no dynamic configs (--all shows every value and its source)\n`})

    await kadmJson(['configs', 'set', 'client-metrics', sub, ...set, ...B])
    const [ours, theirs] = await Promise.all([get(['client-metrics', sub]), tool()])
    expect(values(ourEntries(ours))).toEqual({'interval.ms': '5000', match: 'client_id=app-.*', metrics: 'org.apache.kafka.producer.'})
    expect(values(theirs)).toEqual(values(ourEntries(ours)))
    expect(ourSynonyms(ours)).toEqual(toolSynonyms(theirs))
    expect(ours.configs.every((c) => c.source === 'DYNAMIC_CLIENT_METRICS_CONFIG')).toBe(true)

    await alterWithTool(['--entity-type', 'client-metrics', '--entity-name', sub, '--add-config', 'interval.ms=60000'])
    await kadmJson(['configs', 'set', 'client-metrics', sub, '--delete', 'match', ...B])
    expect(values(ourEntries(await get(['client-metrics', sub])))).toEqual({'interval.ms': '60000', metrics: 'org.apache.kafka.producer.'})
    expect(values(await tool())).toEqual({'interval.ms': '60000', metrics: 'org.apache.kafka.producer.'})

    const bad = await kadm(['configs', 'set', 'client-metrics', sub, '--set', 'interval.ms=5', '--dry-run', ...B])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^error: config change refused: client-metrics subscription .*: Invalid value 5 for interval\.ms.* \(INVALID_REQUEST\)\n$/)
  })

  it('sets group configs (KIP-848) as kafka-configs --entity-type groups does, or says they need Kafka 4.0', async () => {
    const group = uniqueName('configs-group')
    if (compareVersions(version, '4.0.0') < 0) {
      for (const args of [['get', 'group', group], ['set', 'group', group, '--set', 'consumer.session.timeout.ms=50000', '--dry-run']]) {
        expect(await kadm(['configs', ...args, ...B])).toMatchObject({code: 1, stderr: 'error: group configs need Kafka 4.0 or newer\n'})
      }
      return
    }
    const tool = () => configCommand(['--entity-type', 'groups', '--entity-name', group])
    await kadmJson(['configs', 'set', 'group', group, '--set', 'consumer.session.timeout.ms=50000', '--dry-run', ...B])
    expect((await get(['group', group])).configs).toEqual([])

    await kadmJson(['configs', 'set', 'group', group, '--set', 'consumer.session.timeout.ms=50000', ...B])
    await alterWithTool(['--entity-type', 'groups', '--entity-name', group, '--add-config', 'consumer.heartbeat.interval.ms=6000'])
    const [ours, theirs] = await Promise.all([get(['group', group]), tool()])
    expect(values(ourEntries(ours))).toEqual({'consumer.heartbeat.interval.ms': '6000', 'consumer.session.timeout.ms': '50000'})
    expect(values(theirs)).toEqual(values(ourEntries(ours)))
    // The synonyms name the broker-wide default each value would fall back to.
    expect(ourSynonyms(ours)).toEqual(toolSynonyms(theirs))
    expect(ours.configs.every((c) => c.source === 'DYNAMIC_GROUP_CONFIG')).toBe(true)

    await kadmJson(['configs', 'set', 'group', group, '--delete', 'consumer.heartbeat.interval.ms', ...B])
    expect(values(await tool())).toEqual({'consumer.session.timeout.ms': '50000'})
    const all = await get(['group', group, '--all'])
    expect(all.configs.find((c) => c.name === 'consumer.heartbeat.interval.ms')).toMatchObject({value: '5000', source: 'DEFAULT_CONFIG'})
  })

  it('usage errors exit 2', async () => {
    for (const args of [['get', 'broker', 'one'], ['get', 'topic'], ['get', 'broker-default', 'x'], ['set', 'topic', 't'], ['set', 'topic', 't', '--delete', 'a=b'], ['get', 'group'], ['get', 'broker-logger', 'x'], ['get', 'client-metrics'], ['get', 'consumer', 'g']]) {
      const result = await kadm(['configs', ...args, ...B])
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toMatch(/^error: /)
    }
  })
})
