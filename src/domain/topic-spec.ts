/** Parsing and checking what the user asks of topics, before any request is sent. */

const LEGAL = /^[a-zA-Z0-9._-]+$/
const MAX_NAME_LENGTH = 249

/** Kafka's topic name rules (org.apache.kafka.common.internals.Topic.validate); undefined when valid. */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'topic name is empty'
  if (name === '.' || name === '..') return `topic name "${name}" is not allowed`
  if (name.length > MAX_NAME_LENGTH) return `topic name "${name.slice(0, 40)}..." is longer than ${MAX_NAME_LENGTH} characters`
  if (!LEGAL.test(name)) return `topic name "${name}" has characters other than ASCII letters, digits, '.', '_' and '-'`
  return undefined
}

/** Kafka warns that '.' and '_' collide in metric names; kadm passes the warning on. */
export function collidesInMetrics(a: string, b: string): boolean {
  return a !== b && a.replace(/\./g, '_') === b.replace(/\./g, '_')
}

/** "k=v" → [k, v]; the value may itself contain '='. */
export function parseKeyValue(text: string, flag: string): [string, string] {
  const at = text.indexOf('=')
  if (at <= 0) throw new Error(`${flag} "${text}" is not key=value`)
  return [text.slice(0, at).trim(), text.slice(at + 1)]
}

/** Repeated `k=v` flags into an ordered record; a key given twice is an error. */
export function parseConfigPairs(items: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of items) {
    const [k, v] = parseKeyValue(item, flag)
    if (k in out) throw new Error(`${flag} sets "${k}" twice`)
    out[k] = v
  }
  return out
}

/**
 * kafka-topics' `--replica-assignment 1:2:3,2:3:1`: one comma-separated entry per partition,
 * each a colon-separated broker list; every partition the same size, no broker twice.
 */
export function parseReplicaAssignment(text: string): number[][] {
  const partitions = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
  if (partitions.length === 0) throw new Error('--replica-assignment is empty')
  const assignment = partitions.map((entry, p) => {
    const ids = entry.split(':').map((s) => {
      if (!/^\d+$/.test(s.trim())) throw new Error(`--replica-assignment partition ${p}: "${s}" is not a broker id`)
      return Number(s)
    })
    if (new Set(ids).size !== ids.length) throw new Error(`--replica-assignment partition ${p} lists a broker twice (${entry})`)
    return ids
  })
  const size = assignment[0].length
  const odd = assignment.findIndex((r) => r.length !== size)
  if (odd !== -1) throw new Error(`--replica-assignment partition ${odd} has ${assignment[odd].length} replicas, partition 0 has ${size}`)
  return assignment
}
