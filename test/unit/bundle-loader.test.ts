import {mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {cacheDirectory, cacheFileName, cachePrefix, loadBundle, saveCaches} from '../../src/bundle-loader.js'

function bundle(body: string): {dir: string; file: string; env: NodeJS.ProcessEnv} {
  const dir = mkdtempSync(join(tmpdir(), 'kadm-loader-'))
  const file = join(dir, 'b.cjs')
  writeFileSync(file, body)
  return {dir, file, env: {XDG_CACHE_HOME: join(dir, 'cache')}}
}

describe('bundle loader', () => {
  it('names the cache after the bundle file and the Node that runs it, under the XDG cache home', () => {
    expect(cacheDirectory({XDG_CACHE_HOME: '/c'})).toBe('/c/kadm/v8')
    const name = cacheFileName('/x/dist/kadm.cjs', {size: 10, mtimeMs: 1234.5, ino: 7}, 'v20.1.0', 'x64')
    expect(name).toMatch(/^kadm\.cjs-[0-9a-f]{8}-10-1234-7-v20\.1\.0-x64\.v8$/)
    expect(name.startsWith(cachePrefix('/x/dist/kadm.cjs'))).toBe(true)
    // Another install of the same bundle keeps its own caches.
    expect(cachePrefix('/y/dist/kadm.cjs')).not.toBe(cachePrefix('/x/dist/kadm.cjs'))
  })

  it('runs the bundle as a CommonJS module, registers it for require(), and writes a cache the next run accepts', () => {
    const {file, env} = bundle('exports.answer = require("node:path").basename(__filename) + ":" + (40 + 2)\nexports.self = module')
    const first = loadBundle(file, env)
    expect(first.exports.answer).toBe('b.cjs:42')
    expect(createRequire(file)(file)).toBe(first.exports)
    first.saveCache('a')
    const cacheFile = join(cacheDirectory(env), cacheFileName(file, statSync(file)))
    expect(readFileSync(cacheFile).length).toBeGreaterThan(0)
    const writtenAs = statSync(cacheFile).ino

    const second = loadBundle(file, env)
    expect(second.exports.answer).toBe('b.cjs:42')
    second.saveCache('a')
    // Accepted and covering the command: not written again (a rewrite renames a new file in).
    expect(statSync(cacheFile).ino).toBe(writtenAs)
  })

  it('adds the functions of each command it does not cover yet, and drops the caches of older builds but not those of other Nodes', () => {
    const {file, env} = bundle('exports.f = () => 1')
    const cacheDir = cacheDirectory(env)
    mkdirSync(cacheDir, {recursive: true})
    const older = `${cachePrefix(file)}1-2-3-v0-x.v8`
    const elsewhere = `${cachePrefix('/elsewhere/b.cjs')}1-2-3-v0-x.v8`
    writeFileSync(join(cacheDir, older), 'an older build of this bundle')
    writeFileSync(join(cacheDir, elsewhere), 'the same bundle installed elsewhere')
    const otherNode = cacheFileName(file, statSync(file), 'v0.0.1', process.arch)
    writeFileSync(join(cacheDir, otherNode), 'this build run by another Node')
    loadBundle(file, env).saveCache('topics:list')
    const name = cacheFileName(file, statSync(file))
    expect(readdirSync(cacheDir).sort()).toEqual([name, `${name}.commands.json`, elsewhere, otherNode].sort())
    const covered = () => JSON.parse(readFileSync(join(cacheDir, `${name}.commands.json`), 'utf8'))
    expect(covered()).toEqual(['topics:list'])
    loadBundle(file, env).saveCache('topics:list')
    expect(covered()).toEqual(['topics:list'])
    loadBundle(file, env).saveCache('')
    expect(covered()).toEqual(['topics:list', ''])
  })

  it('replaces a cache V8 rejects, and writes nothing with KADM_NO_CODE_CACHE=1', () => {
    const {file, env} = bundle('exports.n = "rejected-cache-test"')
    const cacheDir = cacheDirectory(env)
    loadBundle(file, {...env, KADM_NO_CODE_CACHE: '1'}).saveCache('a')
    expect(() => readdirSync(cacheDir)).toThrow()
    // A cache file with the right name but no valid content (another V8, corruption): V8 rejects it.
    const other = bundle('exports.n = "a bundle this process has not compiled yet"')
    const cacheFile = join(cacheDirectory(other.env), cacheFileName(other.file, statSync(other.file)))
    mkdirSync(dirname(cacheFile), {recursive: true})
    writeFileSync(cacheFile, 'not a code cache')
    const loaded = loadBundle(other.file, other.env)
    expect(loaded.exports.n).toBe('a bundle this process has not compiled yet')
    loaded.saveCache('a')
    expect(readFileSync(cacheFile, 'utf8')).not.toBe('not a code cache')
  })

  it('hands a bundle the modules its loader shares instead of requiring them, and saveCaches() writes the cache of every bundle loaded', () => {
    const {dir, env} = bundle('')
    const commands = join(dir, 'commands.cjs')
    writeFileSync(commands, 'exports.record = require("kadm-startup:record"); exports.path = require("node:path").sep')
    const record = {command: ''}
    const loaded = loadBundle(commands, env, {'kadm-startup:record': () => record})
    // The very object the loading bundle has, not a copy; other modules are required as usual.
    expect(loaded.exports.record).toBe(record)
    expect(loaded.exports.path).toBe('/')
    const startup = join(dir, 'startup.cjs')
    writeFileSync(startup, 'exports.ok = true')
    loadBundle(startup, env)
    saveCaches('topics:list')
    for (const file of [commands, startup]) {
      const name = cacheFileName(file, statSync(file))
      expect(JSON.parse(readFileSync(join(cacheDirectory(env), `${name}.commands.json`), 'utf8'))).toEqual(['topics:list'])
    }
  })
})
