import type {ChalkInstance} from 'chalk'

import {formatDuration} from '../domain/duration.js'
import type {AbortSpec, OpenTransaction} from '../domain/transactions.js'
import type {PartitionProducerStates, TransactionDescription, TransactionListing} from '../kafka/transactions.js'
import {renderKeyValues, renderTable} from './table.js'

export interface TransactionList {
  transactions: TransactionListing[]
}

export type ProducersResult = PartitionProducerStates

export interface HangingResult {
  /** The search's bound: open transactions whose producer wrote last longer ago than this. */
  maxTransactionTimeoutMs: number
  transactions: Array<OpenTransaction & {durationMs: number}>
}

export interface AbortResult {
  dryRun: boolean
  aborted: boolean
  transaction: AbortSpec
}

const stateColour = (chalk: ChalkInstance) => (text: string) =>
  text === 'Ongoing' ? chalk.yellow(text) : /^Prepare/.test(text) ? chalk.yellow(text) : /^Complete|Empty/.test(text) ? chalk.green(text) : text

export function renderTransactionList(data: TransactionList, chalk: ChalkInstance): string {
  if (data.transactions.length === 0) return 'No transactions.'
  return renderTable(data.transactions, [
    {header: 'TRANSACTIONAL ID', value: (t) => t.transactionalId, shrink: true},
    {header: 'COORDINATOR', value: (t) => t.coordinator, align: 'right'},
    {header: 'PRODUCER ID', value: (t) => t.producerId, align: 'right'},
    {header: 'STATE', value: (t) => t.state, colour: stateColour(chalk)},
  ], chalk)
}

/** `now` (epoch ms) gives the open transaction's age. */
export function renderTransactionDescription(data: TransactionDescription, chalk: ChalkInstance, now = Date.now()): string {
  return renderKeyValues([
    ['Transactional ID', data.transactionalId],
    ['Coordinator', `broker ${data.coordinator}`],
    ['Producer', `id ${data.producerId}, epoch ${data.producerEpoch}`],
    ['State', stateColour(chalk)(data.state)],
    ['Timeout', formatDuration(data.timeoutMs)],
    ['Started', data.startTimeMs === null ? 'no open transaction' : `${new Date(data.startTimeMs).toISOString()} (${formatDuration(now - data.startTimeMs)} ago)`],
    ['Partitions', data.partitions.length === 0 ? '(none)' : data.partitions.map((p) => `${p.topic}:${p.partition}`).join(', ')],
  ], chalk)
}

const timestamp = (ms: number) => (ms < 0 ? null : new Date(ms).toISOString())

export function renderProducers(data: ProducersResult, chalk: ChalkInstance): string {
  const title = `${data.topic}:${data.partition} on broker ${data.broker}`
  if (data.producers.length === 0) return `${title}: no active producers.`
  return `${title}\n\n` + renderTable(data.producers, [
    {header: 'PRODUCER ID', value: (p) => p.producerId, align: 'right'},
    {header: 'EPOCH', value: (p) => p.producerEpoch, align: 'right'},
    {header: 'COORDINATOR EPOCH', value: (p) => p.coordinatorEpoch, align: 'right'},
    {header: 'LAST SEQUENCE', value: (p) => p.lastSequence, align: 'right'},
    {header: 'LAST TIMESTAMP', value: (p) => timestamp(p.lastTimestamp)},
    {header: 'OPEN TRANSACTION AT', value: (p) => p.currentTransactionStartOffset, align: 'right', colour: (t, p) => (p.currentTransactionStartOffset === null ? t : chalk.yellow(t))},
  ], chalk)
}

export function renderHanging(data: HangingResult, chalk: ChalkInstance): string {
  if (data.transactions.length === 0) return `No hanging transactions (open transactions older than ${formatDuration(data.maxTransactionTimeoutMs)} that no coordinator will complete).`
  return renderTable(data.transactions, [
    {header: 'TOPIC', value: (t) => t.topic, shrink: true},
    {header: 'PARTITION', value: (t) => t.partition, align: 'right'},
    {header: 'PRODUCER ID', value: (t) => t.producer.producerId, align: 'right'},
    {header: 'EPOCH', value: (t) => t.producer.producerEpoch, align: 'right'},
    {header: 'COORDINATOR EPOCH', value: (t) => t.producer.coordinatorEpoch, align: 'right'},
    {header: 'START OFFSET', value: (t) => t.producer.currentTransactionStartOffset, align: 'right', colour: (t) => chalk.red(t)},
    {header: 'LAST TIMESTAMP', value: (t) => timestamp(t.producer.lastTimestamp)},
    {header: 'AGE', value: (t) => formatDuration(t.durationMs), align: 'right'},
  ], chalk)
}

export function renderAbort(data: AbortResult): string {
  const t = data.transaction
  const what = `the transaction of producer ${t.producerId} (epoch ${t.producerEpoch}, coordinator epoch ${t.coordinatorEpoch}) on ${t.topic}:${t.partition}`
  return data.dryRun ? `Would abort ${what}.` : `Aborted ${what}.`
}
