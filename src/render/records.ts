import type {ChalkInstance} from 'chalk'

import {type BinaryFormat, type ConsumedRecord, formatBytesForTerminal, formatHeaders} from '../domain/record-format.js'

const NULL = 'null'

/**
 * The default on a terminal: a dim line with where the record sits and when it was written,
 * then key (cyan), headers (magenta) and the value. JSON values are indented. Keys, values and
 * headers are shown as terminalSafeBytes does (a record cannot drive the terminal).
 *
 *   orders/2 @ 1041  2024-06-01T10:00:00.000Z  key: customer-7  h: trace=abc
 *   {"id": 1}
 */
export function renderRecordPretty(r: ConsumedRecord, chalk: ChalkInstance, keyFormat: BinaryFormat, valueFormat: BinaryFormat): string {
  const when = r.timestamp >= 0 ? new Date(r.timestamp).toISOString() : '-'
  let head = `${chalk.dim(`${r.topic}/${r.partition} @ ${r.offset}  ${when}`)}`
  head += `  ${chalk.dim('key:')} ${r.key === null ? chalk.dim(NULL) : chalk.cyan(formatBytesForTerminal(r.key, keyFormat))}`
  if (r.headers.length) head += `  ${chalk.dim('h:')} ${chalk.magenta(formatHeaders(r.headers, true))}`
  const value = r.value === null ? chalk.dim(NULL) : formatBytesForTerminal(r.value, valueFormat, true)
  return `${head}\n${value}\n`
}

/**
 * The closing line on stderr: count, bytes, time, and the rate once it means something (at least
 * 100 records over at least 100 ms: a handful of records, or a run too short to time, says
 * nothing about speed). Shared by consume and produce.
 */
export function renderConsumeSummary(s: {records: number; bytes: number; ms: number}, verb = 'consumed'): string {
  const took = s.ms < 1000 ? `${s.ms}ms` : `${(s.ms / 1000).toFixed(1)}s`
  const line = `${verb} ${s.records} record${s.records === 1 ? '' : 's'} (${formatSize(s.bytes)}) in ${took}`
  if (s.records < 100 || s.ms < 100) return line
  return `${line}, ${formatRate(s.records / (s.ms / 1000))} records/s`
}

/** Three significant digits at most below 100, whole numbers above: never "0 records/s". */
function formatRate(perSecond: number): string {
  return perSecond >= 100 ? String(Math.round(perSecond)) : String(Number(perSecond.toPrecision(3)))
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/**
 * Writes chunks to a stream, waiting for 'drain' when it is full so memory stays flat on slow
 * readers. `written` runs once, when the stream is done with the chunk.
 */
export async function writeChunk(stream: NodeJS.WritableStream, chunk: Buffer | string, written?: () => void): Promise<void> {
  // A stream that failed (its reader left) never drains: the chunk has nowhere to go.
  const writable = stream as NodeJS.WritableStream & {destroyed?: boolean; writableLength?: number}
  if (writable.destroyed) return
  let handedBack = false
  const once = written && (() => {
    if (handedBack) return
    handedBack = true
    written()
  })
  const room = stream.write(chunk, once)
  // Nothing left in the stream: the chunk went out already (pipes and files are written
  // synchronously on Linux), so its memory may serve again now. The callback waits for the event
  // loop, which a consume busy with responses that have already arrived does not reach for many
  // of them: each chunk printed meanwhile was a new buffer (90 MB reading 5M records).
  if (once && writable.writableLength === 0) once()
  if (room) return
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
