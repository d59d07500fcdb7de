import {createRequire} from 'node:module'
import {promisify} from 'node:util'
import {gzip as gzipCb, unzip as unzipCb} from 'node:zlib'

import {loadKafkajs} from './kafkajs.js'

/** A kafkajs compression codec: compress gets kafkajs's Encoder, decompress a Buffer. */
export interface Codec {
  compress(encoder: {buffer: Buffer}): Promise<Buffer>
  decompress(buffer: Buffer): Promise<Buffer>
}

/** Kafka's compression type ids (record batch attributes, bits 0-2). */
export const COMPRESSION_TYPES = {none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4} as const
export type CompressionName = keyof typeof COMPRESSION_TYPES

const require = createRequire(import.meta.url)
const gzip = promisify(gzipCb)
const unzip = promisify(unzipCb)

/**
 * The codecs kadm ships, all from the npm registry with no download at install time:
 * gzip from Node's zlib; snappy from kafkajs-snappy (pure JS, reads the xerial framing Java's
 * producer writes); lz4 from lz4-napi (LZ4 frame format, as Kafka uses); zstd from
 * @mongodb-js/zstd 1.x (its binaries are npm packages, and it decodes streaming frames without a
 * content size, which Java's zstd-jni writes).
 */
function loadCodecs(): Record<number, Codec> {
  const snappy = (require('kafkajs-snappy') as () => Codec)()
  const lz4 = require('lz4-napi') as {compressFrame(b: Buffer): Promise<Buffer>; decompressFrame(b: Buffer): Promise<Buffer>}
  const zstd = require('@mongodb-js/zstd') as {compress(b: Buffer, level?: number): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer>}
  return {
    [COMPRESSION_TYPES.gzip]: {compress: (e) => gzip(e.buffer), decompress: (b) => unzip(b)},
    [COMPRESSION_TYPES.snappy]: snappy,
    [COMPRESSION_TYPES.lz4]: {compress: (e) => lz4.compressFrame(e.buffer), decompress: (b) => lz4.decompressFrame(b)},
    [COMPRESSION_TYPES.zstd]: {compress: (e) => zstd.compress(e.buffer, 3), decompress: (b) => zstd.decompress(b)},
  }
}

let codecs: Record<number, Codec> | undefined

export function codecFor(type: number): Codec {
  codecs ??= loadCodecs()
  const codec = codecs[type]
  if (!codec) throw new Error(`unknown compression type ${type} in record batch`)
  return codec
}

/** Makes kafkajs (the group consumer) able to read every codec (it ships gzip only). */
export async function registerKafkajsCodecs(): Promise<void> {
  const {CompressionCodecs} = await loadKafkajs()
  codecs ??= loadCodecs()
  for (const [type, codec] of Object.entries(codecs)) {
    (CompressionCodecs as unknown as Record<number, () => Codec>)[Number(type)] = () => codec
  }
}
