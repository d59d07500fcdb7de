import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {promisify} from 'node:util'
import {gzip as gzipCb, unzip as unzipCb} from 'node:zlib'

import {KadmError, oneLine} from '../errors.js'

/** A kafkajs compression codec: compress gets kafkajs's Encoder, decompress a Buffer. */
export interface Codec {
  compress(encoder: {buffer: Buffer}): Promise<Buffer>
  decompress(buffer: Buffer): Promise<Buffer>
}

/** Kafka's compression type ids (record batch attributes, bits 0-2). */
export const COMPRESSION_TYPES = {none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4} as const
export type CompressionName = keyof typeof COMPRESSION_TYPES
export type CodecName = Exclude<CompressionName, 'none'>

const require = createRequire(import.meta.url)
const gzip = promisify(gzipCb)
const unzip = promisify(unzipCb)

interface Lz4 {
  compressFrame(b: Buffer): Promise<Buffer>
  decompressFrame(b: Buffer): Promise<Buffer>
}
interface Zstd {
  compress(b: Buffer, level?: number): Promise<Buffer>
  decompress(b: Buffer): Promise<Buffer>
}

/**
 * The codecs kadm ships, all from the npm registry with no download or compiler at install time:
 * gzip from Node's zlib; snappy from kafkajs-snappy (pure JS, on snappyjs; reads the xerial
 * framing Java's producer writes); lz4 from lz4-napi (LZ4 frame format, as Kafka uses); zstd from
 * @mongodb-js/zstd 1.x (it decodes streaming frames without a content size, which Java's zstd-jni
 * writes). lz4-napi and @mongodb-js/zstd load a prebuilt binary from a package per platform
 * (e.g. @antoniomuso/lz4-napi-linux-x64-gnu), which npm installs as an optional dependency.
 *
 * Each is loaded the first time a batch needs it, on its own: where one cannot load (a platform
 * package npm left out, a platform with no binary), kadm still runs and reads and writes every
 * other codec; only that codec fails, with one line naming the package to install.
 */
const PACKAGED_CODECS = {
  snappy: {package: 'kafkajs-snappy', adapt: (m: unknown): Codec => (m as () => Codec)()},
  lz4: {
    package: 'lz4-napi',
    adapt: (m: unknown): Codec => ({compress: (e) => (m as Lz4).compressFrame(e.buffer), decompress: (b) => (m as Lz4).decompressFrame(b)}),
  },
  zstd: {
    package: '@mongodb-js/zstd',
    adapt: (m: unknown): Codec => ({compress: (e) => (m as Zstd).compress(e.buffer, 3), decompress: (b) => (m as Zstd).decompress(b)}),
  },
} as const

const GZIP: Codec = {compress: (e) => gzip(e.buffer), decompress: (b) => unzip(b)}

/** A package kadm loads at run time: what it exports, or why it did not load (a sentence). */
export type Loaded<T> = {ok: true; value: T} | {ok: false; problem: string}

const loaded = new Map<string, Loaded<unknown>>()

/**
 * `name`'s exports, passed through `adapt`, loaded once. Never throws: a package that cannot load
 * gives the reason, as a user can act on it (see whyNotLoaded).
 */
export function loadPackage<T>(name: string, adapt: (exports: unknown) => T): Loaded<T> {
  let result = loaded.get(name) as Loaded<T> | undefined
  if (!result) {
    try {
      result = {ok: true, value: adapt(require(name))}
    } catch (error) {
      result = {ok: false, problem: whyNotLoaded(name, error)}
    }
    loaded.set(name, result)
  }
  return result
}

/** The version of installed package `name`, as its package.json says. */
export function packageVersion(name: string): string | undefined {
  return packageJson(name)?.version
}

/** The package.json of installed package `name` (found from its entry point: some packages do not export ./package.json). */
function packageJson(name: string): {version?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>} | undefined {
  try {
    let dir = dirname(require.resolve(name))
    for (;;) {
      try {
        const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
        if (json.name === name) return json
      } catch {
        // Not this directory: a package's subfolder may have no package.json.
      }
      if (dirname(dir) === dir) return undefined
      dir = dirname(dir)
    }
  } catch {
    return undefined
  }
}

/** The errors in `error`'s chain of causes (napi-rs loaders chain one per place they looked). */
function causes(error: unknown): Error[] {
  const chain: Error[] = []
  for (let e = error; e instanceof Error && !chain.includes(e) && chain.length < 20; e = e.cause) chain.push(e)
  return chain
}

/** The package a "Cannot find module 'NAME'" error names; undefined for a file path ('./x.node') or another error. */
function missingPackage(error: Error): string | undefined {
  const name = /^Cannot find module '([^']+)'/.exec(error.message)?.[1]
  return name && !name.startsWith('.') && !name.startsWith('/') ? name : undefined
}

/** An npm package spec as a shell takes it (a range such as ^0.6.0 quoted). */
function shellSpec(name: string, version: string | undefined): string {
  const spec = version ? `${name}@${version}` : name
  return /^[\w@/.-]+$/.test(spec) ? spec : `'${spec}'`
}

/**
 * Why `name` did not load, as one sentence that names what to install. A package that is missing
 * (the codec's own, or one it needs: the binary of this platform, snappyjs) is named with the
 * version its dependent asks for, and the npm command that installs it beside a global kadm; any
 * other failure (a binary built for another libc, a platform with none) is quoted.
 */
function whyNotLoaded(name: string, error: unknown): string {
  const chain = causes(error)
  const missing = chain.map(missingPackage).filter((m) => m !== undefined)
  if (missing.includes(name)) return `package ${name} is not installed (${installHint(name, undefined)})`
  // napi-rs loaders wrap what went wrong at each place they looked in a generic error ("Cannot
  // find native binding. npm has a bug..."), with the local files they tried first ('./x.node').
  // A binary that is there but fails to load (another libc, a file cut short) is the news.
  const failed = chain.find((e) => !/^Cannot find native binding|^Cannot find module '\./.test(e.message) && !missingPackage(e))
  if (failed) return `${name} did not load: ${oneLine(failed.message.split('\n')[0])}`
  // Else the binary of this platform (e.g. @antoniomuso/lz4-napi-linux-x64-gnu) is missing; the
  // WebAssembly one napi-rs loaders look for next is not installed by npm by default.
  const platform = `${process.platform}-${process.arch}`
  const needed = missing.find((m) => m.includes(platform)) ?? missing[0]
  if (!needed) return `${name} did not load: ${oneLine(chain[0]?.message.split('\n')[0] ?? String(error))}`
  const dependent = packageJson(name)
  const binary = dependent?.optionalDependencies?.[needed]
  const version = binary ?? dependent?.dependencies?.[needed]
  const what = binary ? `${name}'s binary for ${platform}` : `needed by ${name}`
  return `package ${needed}${version ? `@${version}` : ''} (${what}) is not installed (${installHint(needed, version)})`
}

function installHint(name: string, version: string | undefined): string {
  return `npm install -g ${shellSpec(name, version)} installs it beside a global kadm`
}

/** Every codec kadm knows by Kafka's name, with the package it comes from (gzip: Node's zlib). */
export function codecSources(): Array<{codec: CodecName; package?: string}> {
  return [{codec: 'gzip'}, ...Object.entries(PACKAGED_CODECS).map(([codec, spec]) => ({codec: codec as CodecName, package: spec.package}))]
}

/** Codec `name` loaded, or why it cannot be (for `kadm --version --verbose`). */
export function loadCodec(name: CodecName): Loaded<Codec> {
  if (name === 'gzip') return {ok: true, value: GZIP}
  const spec = PACKAGED_CODECS[name]
  return loadPackage(spec.package, spec.adapt)
}

const NAMES = Object.fromEntries(Object.entries(COMPRESSION_TYPES).map(([name, type]) => [type, name])) as Record<number, CompressionName>

/** The codec of Kafka compression type `type`; a KadmError naming the package to install when it cannot load. */
export function codecFor(type: number): Codec {
  const name = NAMES[type]
  if (!name || name === 'none') throw new Error(`unknown compression type ${type} in record batch`)
  const codec = loadCodec(name)
  if (!codec.ok) throw new KadmError(`${name} compression is unavailable: ${codec.problem}`)
  return codec.value
}

export type Crc32c = (input: Buffer, initial?: number) => number

/**
 * The native CRC-32C of @node-rs/crc32, the checksum of record batches v2 (prebuilt binaries from
 * the npm registry, as the codecs'). Where it cannot load, src/kafka/protocol/produce.ts computes
 * the same sums in JavaScript at a third of the speed.
 */
export function loadNativeCrc32c(): Loaded<Crc32c> {
  return loadPackage('@node-rs/crc32', (m) => (m as {crc32c: Crc32c}).crc32c)
}
