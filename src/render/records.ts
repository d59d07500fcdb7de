import type {ChalkInstance} from 'chalk'

import {type BinaryFormat, type ConsumedRecord, formatBytes} from '../domain/record-format.js'

const NULL = 'null'

/**
 * The default on a terminal: a dim line with where the record sits and when it was written,
 * then key (cyan), headers (magenta) and the value. JSON values are indented.
 *
 *   orders/2 @ 1041  2024-06-01T10:00:00.000Z  key: customer-7  h: trace=abc
 *   {"id": 1}
 */
export function renderRecordPretty(r: ConsumedRecord, chalk: ChalkInstance, keyFormat: BinaryFormat, valueFormat: BinaryFormat): string {
  const when = r.timestamp >= 0 ? new Date(r.timestamp).toISOString() : '-'
  let head = `${chalk.dim(`${r.topic}/${r.partition} @ ${r.offset}  ${when}`)}`
  head += `  ${chalk.dim('key:')} ${r.key === null ? chalk.dim(NULL) : chalk.cyan(formatBytes(r.key, keyFormat))}`
  if (r.headers.length) {
    head += `  ${chalk.dim('h:')} ${chalk.magenta(r.headers.map(([k, v]) => `${k}=${v === null ? '' : v.toString('utf8')}`).join(','))}`
  }
  const value = r.value === null ? chalk.dim(NULL) : formatBytes(r.value, valueFormat, true)
  return `${head}\n${value}\n`
}

/** The closing line on stderr: count, bytes and rate. */
export function renderConsumeSummary(s: {records: number; bytes: number; ms: number}, verb = 'consumed'): string {
  const seconds = Math.max(s.ms, 1) / 1000
  const rate = Math.round(s.records / seconds)
  return `${verb} ${s.records} record${s.records === 1 ? '' : 's'} (${formatSize(s.bytes)}) in ${seconds.toFixed(1)}s, ${rate} records/s`
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/** Writes chunks to a stream, waiting for 'drain' when it is full so memory stays flat on slow readers. */
export async function writeChunk(stream: NodeJS.WritableStream, chunk: Buffer | string, written?: () => void): Promise<void> {
  if (stream.write(chunk, written)) return
  await new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      stream.off('drain', onDrain)
      stream.off('error', onError)
      stream.off('close', onDrain)
    }
    const onDrain = () => {
      cleanup()
      resolve()
    }
    const onError = (error: Error) => {
      cleanup()
      reject(error)
    }
    stream.on('drain', onDrain)
    stream.on('error', onError)
    stream.on('close', onDrain)
  })
}
