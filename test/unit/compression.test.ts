import {describe, expect, it} from 'vitest'

import {codecFor, codecSources, COMPRESSION_TYPES, loadCodec, loadNativeCrc32c, loadPackage, packageVersion} from '../../src/kafka/compression.js'

// A codec that cannot load in a real install (its platform package deleted) is covered by
// test/integration/package.test.ts; here, packages this checkout really has or really lacks.
describe('codecs, each from its own package', () => {
  it('names every codec with its package, and each loads here', () => {
    expect(codecSources()).toEqual([
      {codec: 'gzip'},
      {codec: 'snappy', package: 'kafkajs-snappy'},
      {codec: 'lz4', package: 'lz4-napi'},
      {codec: 'zstd', package: '@mongodb-js/zstd'},
    ])
    for (const {codec} of codecSources()) expect(loadCodec(codec).ok, codec).toBe(true)
    expect(loadNativeCrc32c().ok).toBe(true)
    expect(packageVersion('lz4-napi')).toMatch(/^2\.\d+\.\d+$/)
  })

  it('a package that is not installed: why, in one line, with the command that installs it', () => {
    const missing = loadPackage('kadm-test-no-such-package', (m) => m)
    expect(missing).toEqual({ok: false, problem: 'package kadm-test-no-such-package is not installed (npm install -g kadm-test-no-such-package installs it beside a global kadm)'})
    // Asked once: the answer is kept.
    expect(loadPackage('kadm-test-no-such-package', (m) => m)).toBe(missing)
  })

  it('a package that is there but fails to load: its first line, quoted', () => {
    const failed = loadPackage('snappyjs', () => {
      throw new Error('bad ELF header\n  at dlopen')
    })
    expect(failed).toEqual({ok: false, problem: 'snappyjs did not load: bad ELF header'})
  })

  it('codecFor: the codec of a batch type; none and unknown types are errors of the batch', () => {
    expect(codecFor(COMPRESSION_TYPES.zstd)).toBe(codecFor(COMPRESSION_TYPES.zstd))
    expect(() => codecFor(COMPRESSION_TYPES.none)).toThrow('unknown compression type 0 in record batch')
    expect(() => codecFor(7)).toThrow('unknown compression type 7 in record batch')
  })
})
