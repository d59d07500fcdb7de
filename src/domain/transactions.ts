/**
 * What kafka-transactions.sh decides about transactions (KIP-664), without Kafka: which open
 * transactions are hanging, and which producer an abort by start offset means.
 */

/** One producer's state on one partition, as DescribeProducers reports it. */
export interface ProducerState {
  producerId: number
  producerEpoch: number
  lastSequence: number
  /** -1 when unknown. */
  lastTimestamp: number
  /** -1 when no transaction of this producer has been completed by a coordinator yet. */
  coordinatorEpoch: number
  /** The first offset of its open transaction; null when none is open. */
  currentTransactionStartOffset: number | null
}

export interface OpenTransaction {
  topic: string
  partition: number
  producer: ProducerState
}

/**
 * Open transactions whose producer last wrote more than `maxTimeoutMs` ago (the largest
 * transaction timeout a producer may have): no coordinator would still let such a transaction
 * run, so each is either being completed right now or hanging.
 */
export function staleOpenTransactions(partitions: ReadonlyArray<{topic: string; partition: number; producers: readonly ProducerState[]}>, nowMs: number, maxTimeoutMs: number): OpenTransaction[] {
  return partitions.flatMap((p) => p.producers
    .filter((producer) => producer.currentTransactionStartOffset !== null && nowMs - producer.lastTimestamp > maxTimeoutMs)
    .map((producer) => ({topic: p.topic, partition: p.partition, producer})))
}

/**
 * The stale open transactions no coordinator will complete: their producer id belongs to no
 * transactional id a coordinator lists, or the coordinator's current transaction of that id
 * (null: it no longer knows the id) does not include the partition. A partition it still lists
 * gets its marker from the coordinator.
 */
export function hangingTransactions(
  candidates: readonly OpenTransaction[],
  transactionalIds: ReadonlyMap<number, string>,
  described: ReadonlyMap<string, {partitions: ReadonlyArray<{topic: string; partition: number}>} | null>,
): OpenTransaction[] {
  return candidates.filter((c) => {
    const id = transactionalIds.get(c.producer.producerId)
    if (id === undefined) return true
    const current = described.get(id)
    if (!current) return true
    return !current.partitions.some((p) => p.topic === c.topic && p.partition === c.partition)
  })
}

export interface AbortSpec {
  topic: string
  partition: number
  producerId: number
  producerEpoch: number
  coordinatorEpoch: number
}

/**
 * The marker that aborts the open transaction starting at `startOffset` (brokers 3.0+ report start
 * offsets); undefined when no producer has an open transaction starting there. A producer no
 * coordinator has finished a transaction for reports coordinator epoch -1: 0 is used, which no
 * coordinator epoch the partition saw is below (as Kafka's tool does).
 */
export function abortSpecAt(topic: string, partition: number, producers: readonly ProducerState[], startOffset: number): AbortSpec | undefined {
  const found = producers.find((p) => p.currentTransactionStartOffset === startOffset)
  if (!found) return undefined
  return {topic, partition, producerId: found.producerId, producerEpoch: found.producerEpoch, coordinatorEpoch: Math.max(0, found.coordinatorEpoch)}
}

/** "orders:3" → {topic: "orders", partition: 3} (topic names may hold no colon, so the last one splits). */
export function parseTopicPartition(text: string): {topic: string; partition: number} | undefined {
  const at = text.lastIndexOf(':')
  if (at <= 0 || !/^\d+$/.test(text.slice(at + 1))) return undefined
  return {topic: text.slice(0, at), partition: Number(text.slice(at + 1))}
}
