/**
 * What a reader says on stderr when partitions lose their leader and find one again, and how
 * long it waits between look-ups. Pure, so the wording and the backoff are unit-tested.
 */

export interface TopicPartitionRef {
  topic: string
  partition: number
}

/** `orders:0,2,5 payments:1`: partitions grouped by topic, each list sorted. */
export function partitionList(tps: TopicPartitionRef[]): string {
  const byTopic = new Map<string, number[]>()
  for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition])
  return [...byTopic].map(([topic, ps]) => `${topic}:${[...new Set(ps)].sort((a, b) => a - b).join(',')}`).join(' ')
}

/** One line per event: the partitions that were reading from `broker` and cannot any more. */
export function lostLine(tps: TopicPartitionRef[], broker: number, cause: string): string {
  return `${partitionList(tps)}: leader broker ${broker} unreachable (${cause}), waiting for a new leader`
}

/** One line per event: the partitions reading again from `broker`, each from its next offset. */
export function regainedLine(tps: Array<TopicPartitionRef & {offset: number}>, broker: number): string {
  const sorted = [...tps].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
  const offsets = sorted.map((tp) => tp.offset)
  return `${partitionList(sorted)}: reading again from broker ${broker} at offset${offsets.length > 1 ? 's' : ''} ${offsets.join(',')}`
}

export interface UnreadPartition extends TopicPartitionRef {
  /** The next offset that was not read. */
  offset: number | null
  /** The leader that could not be reached, -1 when there was none. */
  broker: number
  cause: string
}

/** The one error line of a partial result (-e with partitions whose leader never came back). */
export function partialResultLine(unread: UnreadPartition[]): string {
  const byBroker = new Map<number, UnreadPartition[]>()
  for (const u of unread) byBroker.set(u.broker, [...(byBroker.get(u.broker) ?? []), u])
  const parts = [...byBroker].map(([broker, us]) =>
    `${partitionList(us)} (${broker >= 0 ? `leader broker ${broker} unreachable: ` : ''}${us[0].cause})`)
  return `partial result: not read to the end: ${parts.join('; ')}`
}

/**
 * The cause part of a lost line, from kadm's one-line error: a timeout says how long nothing came
 * back; "cannot connect to host:port: cause" keeps the cause (the line names the broker already).
 */
export function failureCause(error: unknown, timeoutMs: number): string {
  const message = error instanceof Error ? error.message : String(error)
  if (/timed out|no answer within/i.test(message)) return `no answer within ${timeoutMs / 1000}s`
  return message.replace(/^(cannot connect to|request to) \S+: /, '').replace(/^broker \d+ \(\S+\) did not answer: /, '')
}

/** Wait before the n-th look-up (0-based) for a new leader: 100 ms doubling, at most 1.5 s. */
export function leaderRetryDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.max(0, attempt), 1500)
}
