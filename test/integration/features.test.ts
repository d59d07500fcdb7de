import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {majorOf} from '../../src/local/versions.js'
import {kadm, kadmJson, kadmOnTerminal} from '../helpers/kadm.js'
import {describeFeaturesWithTool, kafkaTool} from '../helpers/kafka-tools.js'

/**
 * Feature upgrades and downgrades change the whole cluster, for good: this file runs them on a
 * 1-broker cluster of its own, formatted by `kadm local start --release-version 3.7` at
 * metadata.version 3.7-IV4 (which both Kafka 3.9 and 4.x can run), started once and stopped by
 * `kadm local stop` (by PID). Every answer is compared with kafka-features.sh (FeatureCommand) on
 * the same cluster.
 */
const version = inject('kafkaVersion')
const port = Number(process.env.KADM_TEST_PORT ?? 19_092) + 60
const bootstrap = `127.0.0.1:${port}`
const B = ['-b', bootstrap]
let dir: string

interface ChangeResult {
  upgradeType: string
  dryRun: boolean
  changes: Array<{feature: string; fromLevel: number; toLevel: number; from: string; to: string}>
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kadm-features-'))
  const started = await kadm(['local', 'start', '--brokers', '1', '--kafka-version', version, '--port', String(port), '--release-version', '3.7', '--data-dir', dir], {timeoutMs: 240_000})
  expect(started.code, started.stderr).toBe(0)
}, 300_000)

afterAll(async () => {
  if (!dir) return
  const stopped = await kadm(['local', 'stop', '--purge', '--data-dir', dir])
  await rm(dir, {recursive: true, force: true})
  expect(stopped.code, stopped.stderr).toBe(0)
})

/** kafka-features.sh with `args` against the file's cluster. */
async function featureTool(args: string[]): Promise<{code: number | null; stdout: string}> {
  const result = await kafkaTool(version, 'FeatureCommand', ['--bootstrap-server', bootstrap, ...args])
  return {code: result.code, stdout: result.stdout}
}

/** What kafka-features.sh says the controller answered when it refused a change ("Can not upgrade X to N. REASON", "Could not" when not a dry run). */
async function refusalByTool(args: string[]): Promise<string> {
  const result = await featureTool(args)
  expect(result.code).toBe(1)
  const reason = /^(?:Can|Could) not \S+ \S+(?: to \d+)?\. (.+)$/m.exec(result.stdout)?.[1]
  if (!reason) throw new Error(`no refusal in kafka-features ${args.join(' ')}: ${result.stdout}`)
  return reason
}

async function finalizedByTool(feature: string): Promise<string | undefined> {
  return (await describeFeaturesWithTool(version, bootstrap)).get(feature)?.[2]
}

/** One line on stderr, exit `code`, nothing on stdout. */
async function expectFailure(args: string[], code: number, line: string): Promise<void> {
  const result = await kadm([...args, ...B])
  expect({code: result.code, stdout: result.stdout, last: result.stderr.trim().split('\n').at(-1)}).toEqual({code, stdout: '', last: `error: ${line}`})
}

describe('kadm cluster features on a cluster formatted at an older metadata.version', () => {
  it('shows the level the storage was formatted at, as kafka-features.sh describe does', async () => {
    const ours = await kadmJson<{features: Array<{name: string; supportedMin: string; supportedMax: string; finalized: string}>}>(['cluster', 'features', ...B])
    const tool = await describeFeaturesWithTool(version, bootstrap)
    expect(ours.features.map((f) => [f.name, f.supportedMin, f.supportedMax, f.finalized])).toEqual([...tool].map(([name, [min, max, finalized]]) => [name, min, max, finalized]))
    // --release-version 3.7 formats metadata.version at 3.7-IV4 and leaves every other feature off.
    expect(ours.features.map((f) => [f.name, f.finalized])).toEqual(ours.features.map((f) => [f.name, f.name === 'metadata.version' ? '3.7-IV4' : '0']))
  })

  it('upgrade --dry-run: the controller accepts what kafka-features.sh --dry-run accepts, and nothing changes', async () => {
    const ours = await kadmJson<ChangeResult>(['cluster', 'features', 'upgrade', '--metadata', '3.8', '--dry-run', ...B])
    expect(ours).toEqual({upgradeType: 'upgrade', dryRun: true, changes: [{feature: 'metadata.version', fromLevel: 19, toLevel: 20, from: '3.7-IV4', to: '3.8-IV0'}]})
    // (its --metadata prints a deprecation line on 4.x)
    const tool = await featureTool(['upgrade', '--feature', 'metadata.version=20', '--dry-run'])
    expect({code: tool.code, stdout: tool.stdout}).toEqual({code: 0, stdout: 'metadata.version can be upgraded to 20.\n'})
    const table = await kadm(['cluster', 'features', 'upgrade', '--feature', 'metadata.version=20', '--dry-run', ...B])
    expect({code: table.code, stdout: table.stdout}).toEqual({code: 0, stdout: 'FEATURE           FROM     TO\nmetadata.version  3.7-IV4  3.8-IV0\n\nDry run: the controller accepts this; nothing was changed.\n'})
    expect(await finalizedByTool('metadata.version')).toBe('3.7-IV4')
  })

  it('upgrade --release-version sets what Kafka sets for that release', async () => {
    const release = majorOf(version) >= 4 ? '4.1' : '3.9'
    const ours = await kadmJson<ChangeResult>(['cluster', 'features', 'upgrade', '--release-version', release, '--dry-run', ...B])
    const planned = ours.changes.map((c) => `${c.feature} can be upgraded to ${c.toLevel}.`).sort()
    if (majorOf(version) >= 4) {
      // kafka-features.sh 4.x has --release-version: it sends the same levels.
      const tool = await featureTool(['upgrade', '--release-version', release, '--dry-run'])
      expect(tool.code).toBe(0)
      expect(planned).toEqual(tool.stdout.trim().split('\n').sort())
    } else {
      // kafka-features.sh 3.9 has no --release-version; Kafka 3.9 formats a new cluster at 3.9-IV0 with kraft.version 1.
      expect(planned).toEqual(['kraft.version can be upgraded to 1.', 'metadata.version can be upgraded to 21.'])
      const tool = await featureTool(['upgrade', '--metadata', '3.9', '--feature', 'kraft.version=1', '--dry-run'])
      expect({code: tool.code, stdout: tool.stdout.split('\n').sort()}).toEqual({code: 0, stdout: ['', 'kraft.version can be upgraded to 1.', 'metadata.version can be upgraded to 21.']})
    }
    expect(await finalizedByTool('metadata.version')).toBe('3.7-IV4')
  })

  it('a level the controller refuses is one line with its reason, exit 1; bad flags are usage errors', async () => {
    await expectFailure(['cluster', 'features', 'upgrade', '--feature', 'metadata.version=99'], 1, `cannot upgrade metadata.version to level 99: INVALID_UPDATE_VERSION (${await refusalByTool(['upgrade', '--feature', 'metadata.version=99'])})`)
    await expectFailure(['cluster', 'features', 'upgrade', '--feature', 'no.such.feature=1'], 1, `cannot upgrade no.such.feature to 1: INVALID_UPDATE_VERSION (${await refusalByTool(['upgrade', '--feature', 'no.such.feature=1'])})`)
    await expectFailure(['cluster', 'features', 'upgrade'], 2, 'nothing to change: pass --release-version, --metadata or --feature NAME=LEVEL')
    await expectFailure(['cluster', 'features', 'upgrade', '--feature', 'group.version'], 2, '--feature "group.version": expected NAME=LEVEL, e.g. group.version=1')
    await expectFailure(['cluster', 'features', 'upgrade', '--metadata', '2.8'], 2, 'unknown release "2.8": kadm knows metadata.version 3.0-IV1 to 4.4-IV2 (e.g. 3.9 or 3.9-IV0)')
    await expectFailure(['cluster', 'features', 'upgrade', '--release-version', '3.9', '--metadata', '3.8'], 2, '--release-version sets every feature: leave out --metadata and --feature')
    await expectFailure(['cluster', 'features', 'upgrade', '--metadata', '3.8', '--feature', 'metadata.version=3.8-IV0'], 2, 'metadata.version is given twice')
    expect(await finalizedByTool('metadata.version')).toBe('3.7-IV4')
  })

  it('upgrade --metadata finalizes the level, as kafka-features.sh describe then shows', async () => {
    const ours = await kadmJson<ChangeResult>(['cluster', 'features', 'upgrade', '--metadata', '3.8', ...B])
    expect(ours).toEqual({upgradeType: 'upgrade', dryRun: false, changes: [{feature: 'metadata.version', fromLevel: 19, toLevel: 20, from: '3.7-IV4', to: '3.8-IV0'}]})
    expect(await finalizedByTool('metadata.version')).toBe('3.8-IV0')
    const described = await kadmJson<{features: Array<{name: string; finalized: string}>}>(['cluster', 'features', ...B])
    expect(described.features.find((f) => f.name === 'metadata.version')?.finalized).toBe('3.8-IV0')
  })

  it('downgrade: refused before asking when the controller refuses, safe unless --unsafe', async () => {
    // A newer level, and one the newer levels wrote metadata for (safe and unsafe): the controller's reasons.
    await expectFailure(['cluster', 'features', 'downgrade', '--metadata', '3.9'], 1, `cannot downgrade metadata.version to 3.9-IV0: INVALID_UPDATE_VERSION (${await refusalByTool(['downgrade', '--metadata', '3.9'])})`)
    await expectFailure(['cluster', 'features', 'downgrade', '--metadata', '3.5', '--yes'], 1, `cannot downgrade metadata.version to 3.5-IV2: INVALID_UPDATE_VERSION (${await refusalByTool(['downgrade', '--metadata', '3.5', '--dry-run'])})`)
    await expectFailure(['cluster', 'features', 'downgrade', '--metadata', '3.5', '--unsafe', '--yes'], 1, `cannot unsafely downgrade metadata.version to 3.5-IV2: INVALID_UPDATE_VERSION (${await refusalByTool(['downgrade', '--metadata', '3.5', '--unsafe', '--dry-run'])})`)
    expect(await finalizedByTool('metadata.version')).toBe('3.8-IV0')
  })

  it('downgrade: one the controller accepts needs --yes without a terminal, "n" on a terminal cancels, --dry-run only checks', async () => {
    await expectFailure(['cluster', 'features', 'downgrade', '--metadata', '3.7'], 2, 'downgrading metadata.version may not be undoable: pass --yes to confirm without a terminal')
    let answered = false
    const cancelled = await kadmOnTerminal(['cluster', 'features', 'downgrade', '--metadata', '3.7', ...B], {
      respond(output, type) {
        if (answered || !/\(y\/N\)/.test(output)) return
        answered = true
        type('n\r', true)
      },
    })
    expect(cancelled.output).toMatch(/FEATURE\s+FROM\s+TO\r?\nmetadata\.version\s+3\.8-IV0\s+3\.7-IV4\r?\n/)
    expect(cancelled.output).toContain('Downgrade metadata.version to 3.7-IV4?')
    expect({code: cancelled.code, last: cancelled.output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).at(-1)?.replace(/^\u001B\[\?25h/, '')}).toEqual({code: 5, last: 'cancelled'})
    const dryRun = await kadmJson<ChangeResult>(['cluster', 'features', 'downgrade', '--metadata', '3.7', '--dry-run', ...B])
    expect(dryRun).toEqual({upgradeType: 'safe-downgrade', dryRun: true, changes: [{feature: 'metadata.version', fromLevel: 20, toLevel: 19, from: '3.8-IV0', to: '3.7-IV4'}]})
    expect(await featureTool(['downgrade', '--feature', 'metadata.version=19', '--dry-run'])).toEqual({code: 0, stdout: 'metadata.version can be downgraded to 19.\n'})
    // Release 3.7 turns no other feature on: --release-version asks for the same.
    expect(await kadmJson<ChangeResult>(['cluster', 'features', 'downgrade', '--release-version', '3.7', '--dry-run', ...B])).toEqual(dryRun)
    expect(await finalizedByTool('metadata.version')).toBe('3.8-IV0')

    const done = await kadm(['cluster', 'features', 'downgrade', '--feature', 'metadata.version=19', '--yes', ...B])
    expect({code: done.code, stdout: done.stdout}).toEqual({code: 0, stdout: 'FEATURE           FROM     TO\nmetadata.version  3.8-IV0  3.7-IV4\n\nFinalized: downgraded.\n'})
    expect(await finalizedByTool('metadata.version')).toBe('3.7-IV4')
  })

  it('disable: level 0, checked and confirmed like a downgrade', async () => {
    await expectFailure(['cluster', 'features', 'disable', '--feature', 'metadata.version', '--unsafe', '--yes'], 1, `cannot unsafely disable metadata.version: INVALID_UPDATE_VERSION (${await refusalByTool(['disable', '--feature', 'metadata.version', '--unsafe', '--dry-run'])})`)
    const dryRun = await kadmJson<ChangeResult>(['cluster', 'features', 'disable', '--feature', 'kraft.version', '--dry-run', ...B])
    expect(dryRun).toEqual({upgradeType: 'safe-downgrade', dryRun: true, changes: [{feature: 'kraft.version', fromLevel: 0, toLevel: 0, from: '0', to: '0'}]})
    expect(await featureTool(['disable', '--feature', 'kraft.version', '--dry-run'])).toEqual({code: 0, stdout: 'kraft.version can be disabled.\n'})
    await expectFailure(['cluster', 'features', 'disable', '--feature', 'kraft.version'], 2, 'disabling kraft.version may not be undoable: pass --yes to confirm without a terminal')
    const done = await kadm(['cluster', 'features', 'disable', '--feature', 'kraft.version', '--yes', ...B])
    expect({code: done.code, stdout: done.stdout}).toEqual({code: 0, stdout: 'FEATURE        FROM  TO\nkraft.version  0     0 (disabled)\n\nFinalized: disabled.\n'})
    expect(await finalizedByTool('kraft.version')).toBe('0')
  })
})
