import {describe, expect, inject, it} from 'vitest'

import {kadm, kadmJson, uniqueName} from '../helpers/kadm.js'
import {describeQuotasWithConfigCommand} from '../helpers/kafka-tools.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const B = ['-b', bootstrap]

interface Entry {
  entity: Record<string, string | null>
  name: string
  quotas: Record<string, number>
}

const list = async (args: string[] = []) => (await kadmJson<{quotas: Entry[]}>(['quotas', 'list', ...args, ...B])).quotas
const set = async (args: string[]) => {
  const result = await kadm(['quotas', 'set', ...args, ...B])
  expect(result.code, result.stderr).toBe(0)
}

/** Every quota kafka-configs describes: each entity type alone, users with client ids, and IPs. */
async function toolQuotas(): Promise<Array<{name: string; quotas: Record<string, number>}>> {
  const runs = await Promise.all([['users'], ['clients'], ['users', 'clients'], ['ips']].map((types) =>
    describeQuotasWithConfigCommand(version, bootstrap, types.flatMap((t) => ['--entity-type', t]))))
  return runs.flat().sort((a, b) => (a.name < b.name ? -1 : 1))
}

describe(`quotas (Kafka ${version})`, () => {
  const user = uniqueName('quser')
  const client = uniqueName('qclient')

  it('set, list and delete quotas of users, client ids, IPs and their defaults, as kafka-configs describes them; resolve follows Kafka\'s precedence', async () => {
    await set(['--user', user, '--set', 'producer_byte_rate=1048576', '--set', 'request_percentage=50'])
    await set(['--user', user, '--client-id-default', '--set', 'consumer_byte_rate=2048'])
    await set(['--user', user, '--client-id', client, '-s', 'consumer_byte_rate=4096'])
    await set(['--user-default', '--set', 'consumer_byte_rate=1000', '--set', 'controller_mutation_rate=10'])
    await set(['--user-default', '--client-id', client, '--set', 'producer_byte_rate=777'])
    await set(['--client-id', client, '--set', 'producer_byte_rate=3000'])
    await set(['--client-id-default', '--set', 'request_percentage=200'])
    await set(['--ip', '10.0.0.7', '--set', 'connection_creation_rate=10'])
    await set(['--ip-default', '--set', 'connection_creation_rate=100'])

    const ours = await list()
    expect(ours.map((e) => ({name: e.name, quotas: e.quotas}))).toEqual(await toolQuotas())
    expect(ours.find((e) => e.name === `user=${user}, client-id=<default>`)?.entity).toEqual({user, 'client-id': null})

    // One entity, exactly.
    expect(await list(['--user', user, '--client-id', client])).toEqual([{entity: {user, 'client-id': client}, name: `user=${user}, client-id=${client}`, quotas: {consumer_byte_rate: 4096}}])
    expect((await list(['--user-default'])).map((e) => e.quotas)).toEqual([{consumer_byte_rate: 1000, controller_mutation_rate: 10}])
    expect((await list(['--user-default', '--client-id', client])).map((e) => e.quotas)).toEqual([{producer_byte_rate: 777}])
    expect((await list(['--client-id-default'])).map((e) => e.quotas)).toEqual([{request_percentage: 200}])
    expect((await list(['--ip', '10.0.0.7'])).map((e) => e.quotas)).toEqual([{connection_creation_rate: 10}])
    expect((await list(['--ip-default'])).map((e) => e.quotas)).toEqual([{connection_creation_rate: 100}])
    expect(await list(['--user', uniqueName('nobody')])).toEqual([])

    // Per key, the first entity in Kafka's order that sets it.
    const resolve = (u: string, c: string) => kadmJson<{quotas: Array<{key: string; value: number | null; from: string | null}>}>(['quotas', 'resolve', '--user', u, '--client-id', c, ...B])
    expect((await resolve(user, client)).quotas).toEqual([
      {key: 'producer_byte_rate', value: 1048576, from: `user=${user}`},
      {key: 'consumer_byte_rate', value: 4096, from: `user=${user}, client-id=${client}`},
      {key: 'request_percentage', value: 50, from: `user=${user}`},
      {key: 'controller_mutation_rate', value: 10, from: 'user=<default>'},
    ])
    expect((await resolve(user, 'other')).quotas.find((q) => q.key === 'consumer_byte_rate')).toEqual({key: 'consumer_byte_rate', value: 2048, from: `user=${user}, client-id=<default>`})
    expect((await resolve('someone', client)).quotas).toEqual([
      {key: 'producer_byte_rate', value: 777, from: `user=<default>, client-id=${client}`},
      {key: 'consumer_byte_rate', value: 1000, from: 'user=<default>'},
      {key: 'request_percentage', value: 200, from: 'client-id=<default>'},
      {key: 'controller_mutation_rate', value: 10, from: 'user=<default>'},
    ])
    const table = await kadm(['quotas', 'resolve', '--user', 'someone', '--client-id', client, ...B])
    expect(table.stdout.split('\n')[1].trim().split(/\s+/)).toEqual(['producer_byte_rate', '777', `user=<default>,`, `client-id=${client}`])

    // Refusals: by kadm before sending, and by the broker on --dry-run (validate only).
    const wrongKey = await kadm(['quotas', 'set', '--ip', '10.0.0.8', '--set', 'producer_byte_rate=1', ...B])
    expect([wrongKey.code, wrongKey.stderr.trim()]).toEqual([2, 'error: "producer_byte_rate" is not a quota of an IP: use connection_creation_rate'])
    const badIp = await kadm(['quotas', 'set', '--ip', 'not-an-ip', '--set', 'connection_creation_rate=1', '--dry-run', ...B])
    expect(badIp.code).toBe(1)
    expect(badIp.stderr.trim()).toMatch(/^error: cannot change the quotas of ip=not-an-ip: INVALID_REQUEST \(.+\)$/)
    const dry = await kadm(['quotas', 'set', '--user', user, '--set', 'producer_byte_rate=1', '--dry-run', '-o', 'json', ...B])
    expect(JSON.parse(dry.stdout)).toEqual({dryRun: true, quotas: [{entity: {user}, name: `user=${user}`, quotas: {producer_byte_rate: 1}}]})
    expect((await list(['--user', user]))[0].quotas.producer_byte_rate).toBe(1048576)

    // Delete: one key, then the rest; a dry run and a missing --yes change nothing.
    const noYes = await kadm(['quotas', 'delete', '--user', user, ...B])
    expect([noYes.code, noYes.stderr.trim().split('\n').at(-1)]).toEqual([2, `error: removing 2 quotas of user=${user} lifts its limits: pass --yes to confirm without a terminal`])
    const dryDelete = await kadm(['quotas', 'delete', '--user', user, '--key', 'request_percentage', '--dry-run', '-o', 'yaml', ...B])
    expect(dryDelete.stdout).toBe(`dryRun: true\nquotas:\n  - entity:\n      user: ${user}\n    name: user=${user}\n    quotas:\n      request_percentage: 50\n`)
    const one = await kadm(['quotas', 'delete', '--user', user, '-k', 'request_percentage', '--yes', ...B])
    expect(one.code, one.stderr).toBe(0)
    expect((await list(['--user', user]))[0].quotas).toEqual({producer_byte_rate: 1048576})
    const lacking = await kadm(['quotas', 'delete', '--user', user, '--key', 'request_percentage', '--yes', ...B])
    expect([lacking.code, lacking.stderr.trim()]).toEqual([1, `error: user=${user} has no request_percentage quota`])
    for (const entity of [['--user', user], ['--user', user, '--client-id-default'], ['--user', user, '--client-id', client], ['--user-default'], ['--user-default', '--client-id', client], ['--client-id', client], ['--client-id-default'], ['--ip', '10.0.0.7'], ['--ip-default']]) {
      const deleted = await kadm(['quotas', 'delete', ...entity, '--yes', ...B])
      expect(deleted.code, deleted.stderr).toBe(0)
    }
    expect(await list()).toEqual([])
    expect(await toolQuotas()).toEqual([])
    const none = await kadm(['quotas', 'delete', '--user', user, '--yes', ...B])
    expect([none.code, none.stderr.trim()]).toEqual([1, `error: user=${user} has no quotas`])
  })
})
