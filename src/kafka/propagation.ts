import {setTimeout as sleep} from 'node:timers/promises'

import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {BrokerUnreachable} from './connection-errors.js'

/**
 * A change the controller took reaches each broker through the metadata log, each on its own
 * time. Asks each of `brokers` (default: every broker in the metadata) with `shows` until all
 * show it, backing off from 25 to 400 ms, for --timeout but at least 10 s. A broker that does not
 * answer cannot be asked: it is noted as a gap (partial result, exit 4), not waited for. Brokers
 * still behind at the end fail the command in one line, which says the change is made.
 */
export async function untilBrokersShow(
  connection: KafkaConnection,
  what: string,
  shows: (broker: number) => Promise<boolean>,
  brokers?: number[],
): Promise<void> {
  let pending = brokers ?? (await connection.metadata([])).brokers.map((b) => b.nodeId)
  const waitMs = Math.max(10_000, connection.options.timeoutMs)
  const deadline = Date.now() + waitMs
  for (let delay = 25; ; delay = Math.min(delay * 2, 400)) {
    const behind = await Promise.all(pending.map(async (id) => {
      try {
        return (await shows(id)) ? undefined : id
      } catch (error) {
        if (!(error instanceof BrokerUnreachable)) throw error
        connection.noteGap(error, 'confirmation that it shows the change')
        return undefined
      }
    }))
    pending = behind.filter((id): id is number => id !== undefined).sort((a, b) => a - b)
    if (pending.length === 0) return
    if (Date.now() + delay > deadline) throw new KadmError(`${what}, but broker${pending.length > 1 ? 's' : ''} ${pending.join(', ')} did not show it within ${waitMs / 1000}s`)
    await sleep(delay)
  }
}
