import {readFile} from 'node:fs/promises'

import {UsageError} from '../errors.js'
import {parsePlan, type ReassignmentPlan} from './reassignment.js'

/** "1,2,3" -> [1,2,3] */
export function parseBrokerList(text: string, flag: string): number[] {
  const ids = text.split(',').map((s) => s.trim())
  if (ids.some((s) => !/^\d+$/.test(s))) throw new UsageError(`${flag} "${text}": expected broker ids like 1,2,3`)
  return [...new Set(ids.map(Number))]
}

/** Kafka's LeaderElectionCommand file: {"partitions":[{"topic":"t","partition":0}]}. */
export function parseElectionFile(text: string, path: string): Array<{topic: string; partition: number}> {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`)
  }
  const partitions = (data as {partitions?: unknown})?.partitions
  if (!Array.isArray(partitions) || !partitions.every((p) => typeof p?.topic === 'string' && Number.isInteger(p?.partition))) {
    throw new UsageError(`${path}: expected {"partitions":[{"topic":"name","partition":0}, ...]}`)
  }
  return partitions.map((p) => ({topic: p.topic as string, partition: p.partition as number}))
}

/** "--before end" (or -1) means the high watermark, as DeleteRecords offset -1 does. */
export function parseTruncateOffset(text: string, flag: string): number {
  if (text === 'end' || text === '-1') return -1
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} "${text}": expected an offset >= 0 or "end"`)
  return Number(text)
}

/** Reads a reassignment plan file, every problem as one usage line. */
export async function readPlanFile(path: string): Promise<ReassignmentPlan> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  try {
    return parsePlan(text)
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`)
  }
}
