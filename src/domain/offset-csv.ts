/**
 * Kafka's reset-plan CSV (ConsumerGroupCommand --export / --from-file): no header; one line per
 * partition, `topic,partition,offset` for a single group or `group,topic,partition,offset`.
 */
export interface CsvOffset {
  group: string
  topic: string
  partition: number
  offset: number
}

export class CsvError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CsvError'
  }
}

/** Splits one CSV line, honouring "quoted, fields" with "" escapes (Jackson quotes group ids that need it). */
function splitLine(line: string): string[] {
  const fields: string[] = []
  let i = 0
  for (;;) {
    if (line[i] === '"') {
      let value = ''
      i++
      for (;;) {
        if (i >= line.length) throw new CsvError(`unterminated quote in "${line}"`)
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"'
            i += 2
            continue
          }
          i++
          break
        }
        value += line[i++]
      }
      fields.push(value)
      if (i >= line.length) return fields
      if (line[i] !== ',') throw new CsvError(`unexpected text after a quoted field in "${line}"`)
      i++
    } else {
      const comma = line.indexOf(',', i)
      if (comma < 0) {
        fields.push(line.slice(i))
        return fields
      }
      fields.push(line.slice(i, comma))
      i = comma + 1
    }
  }
}

const INTEGER = /^-?\d+$/

function toRecord(fields: string[], group: string | undefined, lineNo: number): CsvOffset {
  const [g, topic, partition, offset] = group === undefined ? fields : [group, ...fields]
  const where = `line ${lineNo}`
  if (!topic) throw new CsvError(`${where}: empty topic`)
  if (!INTEGER.test(partition.trim()) || Number(partition) < 0) throw new CsvError(`${where}: partition "${partition}" is not a non-negative integer`)
  if (!INTEGER.test(offset.trim()) || !Number.isSafeInteger(Number(offset))) throw new CsvError(`${where}: offset "${offset}" is not an integer`)
  return {group: g, topic, partition: Number(partition), offset: Number(offset)}
}

/**
 * Reads a plan the way Kafka does: with exactly one group selected and a first line of three
 * fields, every line is `topic,partition,offset` for that group; otherwise every line must be
 * `group,topic,partition,offset`. Blank lines are skipped; CRLF is accepted.
 */
export function parseOffsetCsv(text: string, selectedGroups: string[]): CsvOffset[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).map((l, i) => ({line: l, no: i + 1})).filter(({line}) => line.trim() !== '')
  if (lines.length === 0) throw new CsvError('the file has no offsets')
  const first = splitLine(lines[0].line)
  const singleGroup = selectedGroups.length === 1 && first.length === 3
  return lines.map(({line, no}) => {
    const fields = splitLine(line)
    const expected = singleGroup ? 3 : 4
    if (fields.length !== expected) {
      throw new CsvError(`line ${no}: expected ${singleGroup ? 'topic,partition,offset' : 'group,topic,partition,offset'}, got ${fields.length} field(s)`)
    }
    return toRecord(fields, singleGroup ? selectedGroups[0] : undefined, no)
  })
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) || field !== field.trim() ? `"${field.replaceAll('"', '""')}"` : field
}

/** Writes the CSV Kafka's --from-file reads: without the group column when `withGroup` is false. */
export function formatOffsetCsv(rows: readonly CsvOffset[], withGroup: boolean): string {
  return rows.map((r) => [...(withGroup ? [quote(r.group)] : []), quote(r.topic), r.partition, r.offset].join(',') + '\n').join('')
}
