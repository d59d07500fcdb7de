import {execFileSync} from 'node:child_process'
import {chmod, copyFile, mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {TESTED_KAFKA_VERSIONS} from '../../src/local/versions.js'
import {ROOT, uniqueName} from '../helpers/kadm.js'
import {kcatRead, kcatTopicNames} from '../helpers/kcat.js'
import {kafkaTool} from '../helpers/kafka-tools.js'
import {type NodeBinary, testedNodes} from '../helpers/node.js'
import {runProcess, type RunResult} from '../helpers/process.js'

const bootstrap = inject('bootstrap')
const clusterDir = inject('clusterDir')
const kafkaVersion = inject('kafkaVersion')
const B = ['-b', bootstrap]
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const

/**
 * kadm as users install it (issue #21): `npm pack` of a clean clone, `npm install -g` of the
 * tarball into a prefix of its own, the installed folder made read-only, and kadm run through the
 * installed binary as a user's shell runs it, on every tested Node, with its cache, state, config
 * and data folders and HOME all in a scratch folder. Kafka's own DumpLogSegments and kcat check
 * what it wrote and read.
 */
let work: string
let tarball: string
let prefix: string
let installed: string
let bin: string
let home: string
let npmCache: string
const xdg = (name: string) => join(home, 'xdg', name)

/** An npm command; npm's cache is a folder of the test's own (as on a machine with nothing installed yet). */
async function npm(args: string[], cwd: string): Promise<RunResult> {
  const result = await runProcess('npm', [...args, '--no-audit', '--no-fund'], {env: {...process.env, NODE_ENV: undefined, npm_config_cache: npmCache}, cwd, timeoutMs: 600_000})
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return result
}

/** The environment of a user whose shell finds `node` first on PATH. */
function userEnv(node: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: undefined,
    PATH: `${dirname(node)}:${process.env.PATH}`,
    HOME: join(home, 'home'),
    XDG_CACHE_HOME: xdg('cache'),
    XDG_STATE_HOME: xdg('state'),
    XDG_CONFIG_HOME: xdg('config'),
    XDG_DATA_HOME: xdg('data'),
    KADM_BOOTSTRAP_SERVER: undefined,
    KADM_CONTEXT: undefined,
    KADM_CONFIG: undefined,
    KADM_LOCAL_DIR: undefined,
    KADM_NO_CODE_CACHE: undefined,
    FORCE_COLOR: undefined,
  }
}

/** The installed kadm, run as `kadm ARGS` with `node` first on PATH (bin/run.js starts with #!/usr/bin/env node). */
function installedKadm(node: string, args: string[], options: {input?: string; env?: NodeJS.ProcessEnv} = {}): Promise<RunResult> {
  return runProcess(bin, args, {env: {...userEnv(node), ...options.env}, input: options.input, cwd: work, timeoutMs: 120_000})
}

/** Every file and folder under `dir` with its size, modification time and mode. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {}
  for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
    const path = join(entry.parentPath, entry.name)
    const s = await stat(path)
    entries[path] = `${entry.isDirectory() ? 'dir' : s.size} ${s.mtimeMs} ${s.mode.toString(8)}`
  }
  return entries
}

/** The version of package `name` installed beside kadm, as its package.json says. */
async function installedPackage(name: string): Promise<{version: string; optionalDependencies?: Record<string, string>}> {
  return JSON.parse(await readFile(join(installed, 'node_modules', name, 'package.json'), 'utf8'))
}

let pkg: {name: string; version: string}
let before: Record<string, string>

beforeAll(async () => {
  expect(clusterDir, 'this test reads the brokers\' log files: run it on the suite\'s own cluster (KADM_TEST_BOOTSTRAP unset)').not.toBe('')
  work = await mkdtemp(join(tmpdir(), 'kadm-package-'))
  home = join(work, 'user')
  npmCache = join(work, 'npm-cache')
  await mkdir(join(home, 'home'), {recursive: true})

  // A clean clone of this checkout as it is now, uncommitted work included: the files git tracks
  // or would track (not ignored), without dist/ or anything else a build left behind. Packing
  // there runs `npm run build` (prepack) in that copy: a test run beside it keeps the checkout's
  // own dist/. node_modules is this checkout's, as `npm ci` would have made it.
  const source = join(work, 'source')
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {cwd: ROOT, encoding: 'utf8'}).split('\0').filter(Boolean)
  for (const file of files) {
    const from = join(ROOT, file)
    const mode = (await stat(from).catch(() => undefined))?.mode
    if (mode === undefined) continue // deleted, not yet committed
    await mkdir(dirname(join(source, file)), {recursive: true})
    await copyFile(from, join(source, file))
    await chmod(join(source, file), mode)
  }
  await symlink(await realpath(join(ROOT, 'node_modules')), join(source, 'node_modules'))
  pkg = JSON.parse(await readFile(join(source, 'package.json'), 'utf8'))
  await npm(['pack', '--pack-destination', work], source)
  tarball = join(work, `${pkg.name}-${pkg.version}.tgz`)

  prefix = join(work, 'prefix')
  await npm(['install', '-g', '--prefix', prefix, tarball], work)
  installed = join(prefix, 'lib', 'node_modules', pkg.name)
  bin = join(prefix, 'bin', 'kadm')
  // A user without write access to the installed files. root ignores the modes: the snapshot,
  // compared at the end, is what shows that nothing was written there.
  execFileSync('chmod', ['-R', 'a-w', installed])
  before = await snapshot(prefix)
}, 900_000)

afterAll(async () => {
  if (!work) return
  execFileSync('chmod', ['-R', 'u+w', work])
  await rm(work, {recursive: true, force: true})
})

describe('npm pack and npm install -g', () => {
  it('the package holds the bundles, the manifest and the entry point, and nothing else', async () => {
    // -rw-r--r-- 0/0   86225 1985-10-26 08:15 package/README.md
    const listing = execFileSync('tar', ['-tvzf', tarball], {encoding: 'utf8'}).trim().split('\n').map((l) => l.trim().split(/\s+/))
    const entries = listing.map((fields) => fields[5]).sort()
    expect(entries).toEqual([
      'package/README.md',
      'package/bin/package.json',
      'package/bin/run.js',
      'package/dist/ajv-formats.cjs',
      'package/dist/ajv.cjs',
      'package/dist/avsc.cjs',
      'package/dist/commands.cjs',
      'package/dist/complete.cjs',
      'package/dist/kadm.cjs',
      'package/dist/loader.cjs',
      'package/dist/protobuf.cjs',
      'package/dist/yaml.cjs',
      'package/oclif.manifest.json',
      'package/package.json',
    ])
    // 0.77 MB packed and 4.0 MB unpacked (2026-11-27, with the schema codecs avsc and protobufjs:
    // 0.48 MB; the commands of features, log dirs and share groups: the bundle 1.66 -> 1.8 MB, the
    // manifest 350 -> 396 kB, the README 136 -> 159 kB). A source map (about twice its bundle) or a
    // dependency bundled twice (oclif alone: 0.6 MB) crosses these.
    expect((await stat(tarball)).size).toBeLessThan(900_000)
    expect(listing.reduce((sum, fields) => sum + Number(fields[2]), 0)).toBeLessThan(4_500_000)
  })

  it('the README\'s install commands name the package npm pack makes', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
    const file = `${pkg.name}-${pkg.version}.tgz`
    expect(readme).toContain(`npm ci && npm pack && npm install -g ./${file} && kadm local start --brokers 3`)
    expect(readme).toContain(`npm install -g --prefix ~/.local ./${file} `)
    expect(readme).toContain(`npx ./${file} topics list`)
  })

  it('installs the codec packages, with their binaries for this platform, and nothing the bundles hold', async () => {
    const top = await readdir(join(installed, 'node_modules'))
    const packages = (await Promise.all(top.map(async (name) => (name.startsWith('@') ? (await readdir(join(installed, 'node_modules', name))).map((n) => `${name}/${n}`) : [name])))).flat()
    const platform = `${process.platform}-${process.arch}-gnu` // the Node builds kadm is tested on are linux-x64 glibc ones
    expect(packages.filter((p) => !p.startsWith('.')).sort()).toEqual([
      `@antoniomuso/lz4-napi-${platform}`,
      '@mongodb-js/zstd',
      `@mongodb-js/zstd-${platform}`,
      '@node-rs/crc32',
      `@node-rs/crc32-${platform}`,
      'kafkajs-snappy',
      'lz4-napi',
      'snappyjs',
    ])
  })
})

const nodes = testedNodes()

describe.each(nodes)('the installed kadm on Node $version', (node: NodeBinary) => {
  const expectedVersion = () => [
    `kadm/${pkg.version} ${process.platform}-${process.arch} node-${node.version}`,
    `tested with Apache Kafka ${TESTED_KAFKA_VERSIONS.join(', ')}`,
  ].join('\n') + '\n'

  it('--version; --version --verbose names this Node, the installed folder, each codec loaded and the cache in XDG_CACHE_HOME', async () => {
    const plain = await installedKadm(node.path, ['--version'])
    expect([plain.code, plain.stderr]).toEqual([0, ''])
    expect(plain.stdout).toBe(expectedVersion())
    const verbose = await installedKadm(node.path, ['--version', '--verbose'])
    expect([verbose.code, verbose.stderr]).toEqual([0, ''])
    expect(verbose.stdout).toBe(expectedVersion() + [
      `node          ${node.version} (${await realpath(node.path)})`,
      `installed in  ${await realpath(installed)}`,
      `gzip          ok (Node's zlib)`,
      `snappy        ok (kafkajs-snappy ${(await installedPackage('kafkajs-snappy')).version})`,
      `lz4           ok (lz4-napi ${(await installedPackage('lz4-napi')).version})`,
      `zstd          ok (@mongodb-js/zstd ${(await installedPackage('@mongodb-js/zstd')).version})`,
      `crc32c        ok (@node-rs/crc32 ${(await installedPackage('@node-rs/crc32')).version})`,
      `code cache    ${xdg('cache')}/kadm/v8`,
      `kafka jars    ${xdg('cache')}/kadm/kafka`,
      `state         ${xdg('state')}/kadm`,
      `local data    ${xdg('data')}/kadm/local`,
    ].join('\n') + '\n')
  })

  it('topics list, and a produce/consume round trip with every codec: kcat reads the records, DumpLogSegments shows the codec', async () => {
    const topics = Object.fromEntries(CODECS.map((codec) => [codec, uniqueName(`package-${codec}`)]))
    for (const codec of CODECS) {
      // One partition on broker 1, whose log DumpLogSegments reads.
      const created = await installedKadm(node.path, ['topics', 'create', topics[codec], '--replica-assignment', '1', ...B])
      expect(created.code, created.stderr).toBe(0)
      const input = Array.from({length: 200}, (_, i) => `k${i}\t${codec} record ${i} ${'x'.repeat(i % 50)}`).join('\n') + '\n'
      const produced = await installedKadm(node.path, ['console', 'produce', topics[codec], '-z', codec, '--key-separator', '\t', '-q', ...B], {input})
      expect([produced.code, produced.stderr]).toEqual([0, ''])
      expect(kcatRead(bootstrap, topics[codec], '%k\\t%s\\n'), codec).toBe(input)
      const consumed = await installedKadm(node.path, ['console', 'consume', topics[codec], '--from-beginning', '-e', '-q', '-f', '%k\\t%v\\n', ...B])
      expect([consumed.code, consumed.stderr]).toEqual([0, ''])
      expect(consumed.stdout, codec).toBe(input)
    }

    const listed = await installedKadm(node.path, ['topics', 'list', '-o', 'json', ...B])
    expect([listed.code, listed.stderr]).toEqual([0, ''])
    const names = (JSON.parse(listed.stdout) as {topics: Array<{name: string}>}).topics.map((t) => t.name).sort()
    expect(names).toEqual(kcatTopicNames(bootstrap).filter((name) => !name.startsWith('__')))
    for (const codec of CODECS) expect(names).toContain(topics[codec])

    const logs = CODECS.map((codec) => join(clusterDir, 'broker-1', 'data', `${topics[codec]}-0`, '00000000000000000000.log'))
    const dump = await kafkaTool(kafkaVersion, 'DumpLogSegments', ['--files', logs.join(',')])
    expect(dump.code, dump.stderr).toBe(0)
    const seen: Record<string, {records: number; codecs: string[]}> = {}
    let current = ''
    for (const line of dump.stdout.split('\n')) {
      const file = /^Dumping (\S+)/.exec(line)?.[1]
      if (file) current = CODECS[logs.indexOf(file)]
      const batch = / count: (\d+) .* compresscodec: (\w+) /.exec(line)
      if (!batch) continue
      seen[current] ??= {records: 0, codecs: []}
      seen[current].records += Number(batch[1])
      if (!seen[current].codecs.includes(batch[2])) seen[current].codecs.push(batch[2])
    }
    expect(seen).toEqual(Object.fromEntries(CODECS.map((codec) => [codec, {records: 200, codecs: [codec]}])))
  })
})

describe('nothing beside the installed files', () => {
  it('no file under the prefix changed, HOME stayed empty, and each Node\'s code cache is in XDG_CACHE_HOME', async () => {
    expect(await snapshot(prefix)).toEqual(before)
    expect(await readdir(join(home, 'home'))).toEqual([])
    const caches = await readdir(join(xdg('cache'), 'kadm', 'v8'))
    for (const node of nodes) {
      for (const bundle of ['kadm.cjs', 'commands.cjs']) {
        expect(caches.filter((f) => f.startsWith(`${bundle}-`) && f.endsWith(`-${node.version}-${process.arch}.v8`)), `${bundle} ${node.version}`).toHaveLength(1)
      }
    }
  })

  it('a cache folder that cannot be made costs only the cache: kadm runs and says nothing of it', async () => {
    const notADirectory = join(work, 'cache-is-a-file')
    await writeFile(notADirectory, '')
    const env = {XDG_CACHE_HOME: notADirectory}
    const version = await installedKadm(process.execPath, ['--version'], {env})
    expect([version.code, version.stderr]).toEqual([0, ''])
    const listed = await installedKadm(process.execPath, ['topics', 'list', '-o', 'json', ...B], {env})
    expect([listed.code, listed.stderr]).toEqual([0, ''])
    expect((JSON.parse(listed.stdout) as {topics: Array<{name: string}>}).topics.map((t) => t.name).sort()).toEqual(kcatTopicNames(bootstrap).filter((name) => !name.startsWith('__')))
    expect((await stat(notADirectory)).size).toBe(0)
  })

  it('npx ./kadm-VERSION.tgz runs the same kadm', async () => {
    const ran = await runProcess('npx', ['--yes', `./${pkg.name}-${pkg.version}.tgz`, '--version'], {
      env: {...userEnv(process.execPath), HOME: process.env.HOME, npm_config_cache: npmCache},
      cwd: work,
      timeoutMs: 600_000,
    })
    expect([ran.code, ran.stdout]).toEqual([0, [
      `kadm/${pkg.version} ${process.platform}-${process.arch} node-${process.version}`,
      `tested with Apache Kafka ${TESTED_KAFKA_VERSIONS.join(', ')}`,
    ].join('\n') + '\n'])
  })
})

describe('kadm --version', () => {
  it('loads no package beside its bundles; --verbose loads each codec\'s', async () => {
    // Node's module cache at exit: every module the run required, the bundles' own requires included.
    const hook = join(work, 'modules-at-exit.cjs')
    await writeFile(hook, "process.on('exit', () => require('node:fs').writeFileSync(process.env.KADM_TEST_MODULES, JSON.stringify(Object.keys(require.cache))))\n")
    const modules = async (args: string[]) => {
      const out = join(work, 'modules.json')
      const ran = await installedKadm(process.execPath, args, {env: {NODE_OPTIONS: `--require ${hook}`, KADM_TEST_MODULES: out}})
      expect([ran.code, ran.stderr]).toEqual([0, ''])
      const loaded = JSON.parse(await readFile(out, 'utf8')) as string[]
      // The package of each file: the name after its last node_modules/ (kadm's own files: kadm).
      const packages = loaded.map((path) => /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1]).filter((name) => name !== undefined && name !== pkg.name)
      return [...new Set(packages)].sort()
    }
    expect(await modules(['--version'])).toEqual([])
    const platform = `${process.platform}-${process.arch}-gnu`
    expect(await modules(['--version', '--verbose'])).toEqual([
      `@antoniomuso/lz4-napi-${platform}`, '@mongodb-js/zstd', `@mongodb-js/zstd-${platform}`, '@node-rs/crc32', `@node-rs/crc32-${platform}`, 'kafkajs-snappy', 'lz4-napi', 'snappyjs',
    ])
  })
})

describe('a codec whose package is missing', () => {
  it('only that codec fails, with one line that names the package; installing it as the line says brings the codec back', async () => {
    const lz4 = await installedPackage('lz4-napi')
    const binary = `@antoniomuso/lz4-napi-${process.platform}-${process.arch}-gnu`
    const spec = `${binary}@${lz4.optionalDependencies?.[binary]}`
    // What a user has when npm leaves an optional dependency out (npm/cli#4828, --omit=optional).
    execFileSync('chmod', ['-R', 'u+w', installed])
    await rm(join(installed, 'node_modules', ...binary.split('/')), {recursive: true})
    const line = `lz4 compression is unavailable: package ${spec} (lz4-napi's binary for ${process.platform}-${process.arch}) is not installed (npm install -g ${spec} installs it beside a global kadm)`
    const node = process.execPath
    expect(await readFile(join(ROOT, 'README.md'), 'utf8')).toContain(`\nerror: ${line}\n`)

    const version = await installedKadm(node, ['--version'])
    expect([version.code, version.stderr]).toEqual([0, ''])
    const verbose = await installedKadm(node, ['--version', '--verbose'])
    expect(verbose.stdout.split('\n').filter((l) => /^(gzip|snappy|lz4|zstd|crc32c) /.test(l)).map((l) => l.replace(/ \(.*/, ''))).toEqual([
      'gzip          ok', 'snappy        ok', `lz4           unavailable: package ${spec}`, 'zstd          ok', 'crc32c        ok',
    ])
    expect(verbose.stdout).toContain(`lz4           ${line.slice('lz4 compression is '.length)}\n`)

    const t = uniqueName('package-missing-lz4')
    expect((await installedKadm(node, ['topics', 'create', t, '-p', '1', '-r', '1', ...B])).code).toBe(0)
    const refused = await installedKadm(node, ['console', 'produce', t, '-z', 'lz4', ...B], {input: 'one\n'})
    expect([refused.code, refused.stderr]).toEqual([1, `error: ${line}\n`])
    expect(kcatRead(bootstrap, t, '%s\n')).toBe('')
    const zstd = await installedKadm(node, ['console', 'produce', t, '-z', 'zstd', '-q', ...B], {input: 'two\n'})
    expect([zstd.code, zstd.stderr]).toEqual([0, ''])
    expect(kcatRead(bootstrap, t, '%s\n')).toBe('two\n')

    // Reading lz4 batches another client wrote: kcat writes them (records that compress: librdkafka
    // sends a batch that does not shrink uncompressed), DumpLogSegments shows they are lz4.
    const lz4Topic = uniqueName('package-kcat-lz4')
    expect((await installedKadm(node, ['topics', 'create', lz4Topic, '--replica-assignment', '1', ...B])).code).toBe(0)
    const records = Array.from({length: 100}, (_, i) => `record ${i} ${'x'.repeat(100)}`).join('\n') + '\n'
    execFileSync('kcat', ['-P', '-b', bootstrap, '-t', lz4Topic, '-z', 'lz4'], {input: records})
    const dump = await kafkaTool(kafkaVersion, 'DumpLogSegments', ['--files', join(clusterDir, 'broker-1', 'data', `${lz4Topic}-0`, '00000000000000000000.log')])
    expect([...new Set([...dump.stdout.matchAll(/ compresscodec: (\w+) /g)].map((m) => m[1]))]).toEqual(['lz4'])
    for (const group of [[], ['--group', uniqueName('package-group')]]) {
      const read = await installedKadm(node, ['console', 'consume', lz4Topic, '--from-beginning', '-e', ...group, ...B])
      expect([read.code, read.stdout, read.stderr], group.join(' ')).toEqual([1, '', `error: ${line}\n`])
    }

    await npm(['install', '-g', '--prefix', prefix, spec], work)
    const back = await installedKadm(node, ['console', 'consume', lz4Topic, '--from-beginning', '-e', '-q', ...B])
    expect([back.code, back.stdout, back.stderr]).toEqual([0, records, ''])
  })
})
