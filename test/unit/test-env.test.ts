import {realpathSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {cacheDirectory} from '../../src/bundle-loader.js'
import {codeCachesWritten, kadmEnv, REAL_CACHE, ROOT, SCRATCH_HOME} from '../helpers/kadm.js'

/** The environment the tests run kadm with keeps the developer's real caches clean (issue #16). */
describe('kadmEnv', () => {
  it('points every XDG dir into the scratch home, so kadm code caches go there and not into the real cache', () => {
    const env = kadmEnv()
    expect(SCRATCH_HOME).toBe(join(ROOT, '.kadm-test', 'home'))
    expect([env.XDG_CONFIG_HOME, env.XDG_DATA_HOME, env.XDG_STATE_HOME, env.XDG_CACHE_HOME]).toEqual(['config', 'data', 'state', 'cache'].map((d) => join(SCRATCH_HOME, d)))
    expect(cacheDirectory(env)).toBe(join(SCRATCH_HOME, 'cache', 'kadm', 'v8'))
    expect(cacheDirectory(env)).not.toBe(cacheDirectory({XDG_CACHE_HOME: REAL_CACHE}))
    expect([env.NODE_ENV, env.KADM_BOOTSTRAP_SERVER, env.KADM_CONTEXT, env.KADM_CONFIG, env.KADM_LOCAL_DIR]).toEqual([undefined, undefined, undefined, undefined, undefined])
  })

  it("shares the real cache's Kafka jars and Node builds, so nothing is fetched twice", () => {
    const cache = kadmEnv().XDG_CACHE_HOME!
    for (const shared of ['kafka', 'node']) expect(realpathSync(join(cache, 'kadm', shared))).toBe(realpathSync(join(REAL_CACHE, 'kadm', shared)))
  })

  it('lets a test set its own variables, a cache of its own included', () => {
    expect(kadmEnv({XDG_CACHE_HOME: '/elsewhere', NO_COLOR: undefined}).XDG_CACHE_HOME).toBe('/elsewhere')
  })
})

describe('codeCachesWritten', () => {
  it('names the caches that appeared, changed or went between two readings', () => {
    const before = new Map([['kept', 1], ['rewritten', 2], ['removed', 3]])
    const after = new Map([['kept', 1], ['rewritten', 5], ['new', 4]])
    expect(codeCachesWritten(before, after)).toEqual(['new', 'removed', 'rewritten'])
    expect(codeCachesWritten(before, new Map(before))).toEqual([])
  })
})
