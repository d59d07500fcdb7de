import {spawn} from 'node:child_process'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, inject, it} from 'vitest'

import {BIN, createTopic, kadm, kadmEnv, type RunResult, uniqueName} from '../helpers/kadm.js'
import {kafkaTool} from '../helpers/kafka-tools.js'
import {runProcess} from '../helpers/process.js'

const bootstrap = inject('bootstrap')
const version = inject('kafkaVersion')
const b = ['-b', bootstrap]
const CHILD_ENV = kadmEnv({NO_COLOR: undefined})
const KADM = `node ${BIN}`

function sh(script: string, input?: string | Buffer, timeoutMs = 60_000): Promise<RunResult> {
  return runProcess('bash', ['-c', script], {env: CHILD_ENV, input, timeoutMs})
}

/** Runs a kadm command line on a terminal (util-linux script gives it a pty); returns what the terminal got. */
function onTerminal(args: string): Promise<RunResult> {
  return sh(`script -qfec ${JSON.stringify(`${KADM} ${args}`)} /dev/null`)
}

async function ok(args: string[], options: {input?: string} = {}): Promise<RunResult> {
  const result = await kadm([...args, ...b], options)
  if (result.code !== 0) throw new Error(`kadm ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return result
}

/**
 * The closing line of a run with a rate: count and size exact, and the rate the count over the time
 * printed (exact for a time in ms; a time in tenths of a second bounds it both ways).
 */
function expectRateLine(stderr: string, verb: string, records: number, size: string): void {
  const line = new RegExp(`^${verb} ${records} records \\(${size.replace('.', '\\.')}\\) in (?:(\\d+)ms|(\\d+\\.\\d)s), (\\d+) records/s\\n$`).exec(stderr)
  expect(line, stderr).not.toBeNull()
  const [, ms, seconds, rate] = line!
  if (ms !== undefined) {
    expect(Number(rate), stderr).toBe(Math.round(records / (Number(ms) / 1000)))
  } else {
    expect(Number(rate), stderr).toBeGreaterThanOrEqual(Math.floor(records / (Number(seconds) + 0.05)))
    expect(Number(rate), stderr).toBeLessThanOrEqual(Math.ceil(records / (Number(seconds) - 0.05)))
  }
}

/** kadm running in the background with its stdout and stderr collected. */
function background(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args, ...b], {stdio: ['ignore', 'pipe', 'pipe'], env: CHILD_ENV})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve))
  const printed = async (lines: number) => {
    const until = Date.now() + 30_000
    while (stdout.split('\n').length <= lines) {
      if (Date.now() > until) throw new Error(`kadm printed ${JSON.stringify(stdout)}; stderr ${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  return {child, exited, printed, stdout: () => stdout, stderr: () => stderr}
}

// The records, written by kcat: a key, a TAB, the value (kcat -K '\t'); one header on each.
const RECORDS: Array<[string, Buffer]> = [
  ['k1', Buffer.from('red \u001B[31mRED\u001B[0m end')],
  ['k2', Buffer.from('cr\rover')],
  ['k3', Buffer.concat([Buffer.from('bad '), Buffer.from([0xFF, 0xFE]), Buffer.from(' bytes')])],
  ['k4', Buffer.from('bidi \u202E evil \u009B c1 del\u007F')],
  ['\u001B]0;owned\u0007', Buffer.from([0x00, 0x01, 0x1B, 0x9B, 0xC3, 0xA9])],
]
const HEADER = '-H $\'h\\x1b=v\\x1b[2J\''
// What a terminal shows for each (key|value|headers).
const SHOWN = [
  'k1|red \\x1b[31mRED\\x1b[0m end|h\\x1b=v\\x1b[2J',
  'k2|cr\\x0dover|h\\x1b=v\\x1b[2J',
  'k3|bad \\xff\\xfe bytes|h\\x1b=v\\x1b[2J',
  'k4|bidi \\u202e evil \\u009b c1 del\\x7f|h\\x1b=v\\x1b[2J',
  '\\x1b]0;owned\\x07|\\x00\\x01\\x1b\\x9bé|h\\x1b=v\\x1b[2J',
]

async function topicWithHostileRecords(): Promise<string> {
  const t = await createTopic(bootstrap, uniqueName('out-hostile'), {partitions: 1, replicationFactor: 3})
  const input = Buffer.concat(RECORDS.flatMap(([k, v]) => [Buffer.from(k), Buffer.from('\t'), v, Buffer.from('\n')]))
  const produced = await sh(`kcat -b ${bootstrap} -P -t ${t} -K $'\\t' ${HEADER}`, input)
  expect(produced.code, produced.stderr).toBe(0)
  return t
}

describe('console consume: what reaches a terminal', () => {
  it('shows control characters, invalid UTF-8, C1 and bidi characters escaped, on a terminal only', async () => {
    const t = await topicWithHostileRecords()
    const template = await onTerminal(`console consume ${t} -b ${bootstrap} --from-beginning -e -q -f '%k|%v|%h\\n'`)
    expect(template.code).toBe(0)
    // The terminal turns each \n into \r\n.
    expect(template.stdout).toBe(SHOWN.map((line) => `${line}\r\n`).join(''))

    const pretty = await onTerminal(`console consume ${t} -b ${bootstrap} --from-beginning -e --no-color`)
    expect(pretty.code).toBe(0)
    expect(pretty.stdout).not.toContain('\u001B')
    expect(pretty.stdout).not.toContain('\u009B')
    expect(pretty.stdout).not.toContain('\u202E')
    const lines = pretty.stdout.split('\r\n')
    expect(lines[1]).toBe('red \\x1b[31mRED\\x1b[0m end')
    expect(lines[0]).toMatch(new RegExp(`^${t}/0 @ 0  \\S+  key: k1  h: h\\\\x1b=v\\\\x1b\\[2J$`))
    expect(lines[9]).toBe('\\x00\\x01\\x1b\\x9bé')
    expect(lines[8]).toContain('key: \\x1b]0;owned\\x07  h:')
    expect(lines[10]).toMatch(/^consumed 5 records \(\d+ B\) in \d+ms$/)

    // JSON on a terminal: the same JSON, with no raw C1 or bidi character in it.
    const json = await onTerminal(`console consume ${t} -b ${bootstrap} --from-beginning -e -q -o json`)
    expect(json.stdout).not.toMatch(/[\u001B\u009B\u202E]/)
    expect(json.stdout).toContain(String.raw`"value":"bidi \u202e evil \u009b c1 del\u007f"`)
  })

  it('writes the same records byte for byte to a pipe: --format as kcat reads them, -o json exactly', async () => {
    const t = await topicWithHostileRecords()
    const kcat = await sh(`kcat -b ${bootstrap} -C -e -q -t ${t} -f '%k|%s\\n' | base64 -w0`)
    const format = await sh(`${KADM} console consume ${t} -b ${bootstrap} --from-beginning -e -q -f '%k|%v\\n' | base64 -w0`)
    const expected = Buffer.concat(RECORDS.flatMap(([k, v]) => [Buffer.from(k), Buffer.from('|'), v, Buffer.from('\n')]))
    expect(Buffer.from(format.stdout, 'base64')).toEqual(expected)
    expect(format.stdout).toBe(kcat.stdout)

    const json = await ok(['console', 'consume', t, '--from-beginning', '-e', '-q', '-o', 'json'])
    const records = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as {key: string; keyEncoding?: string; value: string; valueEncoding?: string; headers: unknown})
    const bytes = (text: string, encoding?: string) => Buffer.from(text, encoding === 'base64' ? 'base64' : 'utf8')
    expect(records.map((r) => [bytes(r.key, r.keyEncoding).toString(), bytes(r.value, r.valueEncoding)])).toEqual(RECORDS)
    expect(records[2]).toMatchObject({valueEncoding: 'base64'})
    expect(records[0].headers).toEqual([{key: 'h\u001B', value: 'v\u001B[2J'}])
    // Raw in JSON text (JSON.stringify escapes C0 only): exactly what a script gets.
    expect(json.stdout).toContain('"value":"bidi \u202E evil \u009B c1 del\u007F"')
  })
})

describe('console consume: when the reader of stdout goes away', () => {
  async function oneRecordTopic(): Promise<string> {
    const t = await createTopic(bootstrap, uniqueName('out-head'), {partitions: 1, replicationFactor: 3})
    await ok(['console', 'produce', t, '-q'], {input: 'only\n'})
    return t
  }

  for (const group of [false, true]) {
    it(`follow mode | head -1 ${group ? 'with --group ' : ''}exits within 1 s of head, with no new record arriving`, async () => {
      const t = await oneRecordTopic()
      const g = uniqueName('out-head')
      const dir = await mkdtemp(join(tmpdir(), 'kadm-head-'))
      try {
        // Killed after 10 s (exit 137) should it hang: the pipeline ends either way.
        const consume = `timeout -s KILL 10 ${KADM} console consume ${t} -b ${bootstrap} --from-beginning${group ? ` -g ${g}` : ''}`
        // kadm's PID, head's end and the pipeline's end, as the shell sees them.
        const result = await sh(`{ ${consume} & echo $! > ${dir}/pid; wait $!; echo "kadm=$?" >&2; } | { head -1; date +%s%N > ${dir}/head; }; date +%s%N > ${dir}/end`, undefined, 30_000)
        const pid = Number(await readFile(join(dir, 'pid'), 'utf8'))
        const alive = () => {
          try {
            process.kill(pid, 0)
            return true
          } catch {
            return false
          }
        }
        try {
          expect(result.stdout).toBe('only\n')
          expect(result.stderr).toBe('kadm=0\n')
          expect(alive()).toBe(false)
          const ms = (Number(await readFile(join(dir, 'end'), 'utf8')) - Number(await readFile(join(dir, 'head'), 'utf8'))) / 1e6
          expect(ms).toBeLessThan(1000)
        } finally {
          if (alive()) process.kill(pid, 'SIGKILL')
        }
        if (group) expect(await groupState(g)).toBe('Empty')
      } finally {
        await rm(dir, {recursive: true, force: true})
      }
    })
  }

  it('follow mode whose stdout is a socket (a Node parent) exits when the parent closes its end', async () => {
    const t = await oneRecordTopic()
    const run = background(['console', 'consume', t, '--from-beginning'])
    await run.printed(1)
    const closed = Date.now()
    run.child.stdout.destroy()
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 5000)
    expect(await run.exited).toBe(0)
    clearTimeout(timer)
    expect(Date.now() - closed).toBeLessThan(1000)
    expect(run.stderr()).toBe('')
  })
})

/** The group's state as Kafka's kafka-consumer-groups --describe --state prints it. */
async function groupState(group: string): Promise<string> {
  const described = await kafkaTool(version, 'ConsumerGroupCommand', ['--bootstrap-server', bootstrap, '--describe', '--group', group, '--state'])
  expect(described.code, described.stderr).toBe(0)
  const row = described.stdout.split('\n').find((line) => line.startsWith(`${group} `))
  return row?.trim().split(/\s+/).at(-2) ?? `no row for ${group} in ${described.stdout}`
}

describe('console consume: Ctrl-C', () => {
  for (const group of [false, true]) {
    it(`in follow mode${group ? ' with --group' : ''}: prints what it read, says interrupted, exits 130${group ? ', leaves the group' : ''}`, async () => {
      const t = await createTopic(bootstrap, uniqueName('out-int'), {partitions: 2, replicationFactor: 3})
      await ok(['console', 'produce', t, '-q'], {input: 'a\nb\nc\n'})
      const g = uniqueName('out-int')
      const run = background(['console', 'consume', t, '--from-beginning', ...(group ? ['-g', g] : [])])
      await run.printed(3)
      run.child.kill('SIGINT')
      const timer = setTimeout(() => run.child.kill('SIGKILL'), 15_000)
      expect(await run.exited).toBe(130)
      clearTimeout(timer)
      expect(run.stdout().split('\n').sort()).toEqual(['', 'a', 'b', 'c'])
      expect(run.stderr()).toMatch(/^consumed 3 records \(3 B\) in [\d.]+m?s \(interrupted\)\n$/)
      if (group) expect(await groupState(g)).toBe('Empty')
    })
  }
})

describe('console consume: -o and the summary', () => {
  it('offers and takes -o table|json, not yaml', async () => {
    const help = await kadm(['console', 'consume', '--help'])
    expect(help.stdout).toContain('<options: table|json>')
    const t = await createTopic(bootstrap, uniqueName('out-yaml'), {partitions: 1, replicationFactor: 3})
    const yaml = await kadm(['console', 'consume', t, '-e', '-o', 'yaml', ...b])
    expect(yaml.code).toBe(2)
    expect(yaml.stderr).toContain('Expected --output=yaml to be one of: table, json')
  })

  it('gives a rate only for runs long and large enough to have one', async () => {
    const t = await createTopic(bootstrap, uniqueName('out-rate'), {partitions: 1, replicationFactor: 3})
    const small = await ok(['console', 'produce', t], {input: 'x\ny\nz\n'})
    // No rate under 100 records; the time is in ms under 1 s (a first produce to a new topic on 3.9 can take longer).
    expect(small.stderr).toMatch(/^produced 3 records \(3 B\) in (\d+ms|\d+\.\ds)\n$/)
    const read = await ok(['console', 'consume', t, '--from-beginning', '-e'])
    expect(read.stderr).toMatch(/^consumed 3 records \(3 B\) in (\d+ms|\d+\.\ds)\n$/)
    // 200,000 records over more than 100 ms: a rate, and not 0. kadm may read or write them in
    // less (a CI run consumed them in 78 ms), so the input pauses 300 ms halfway, and the reader
    // of the consumer's output starts 300 ms late (1.2 MiB cannot wait in a pipe).
    const dir = await mkdtemp(join(tmpdir(), 'kadm-rate-'))
    try {
      const file = join(dir, 'lines.txt')
      await writeFile(file, Array.from({length: 200_000}, (_, i) => `r${i}`).join('\n'))
      const large = await sh(`(head -n 100000 ${file}; sleep 0.3; tail -n +100001 ${file}) | ${KADM} console produce ${t} -b ${bootstrap}`)
      expect(large.code, large.stderr).toBe(0)
      // r0 ... r199999: 1,288,890 bytes of values.
      expectRateLine(large.stderr, 'produced', 200_000, '1.2 MiB')
      const all = await sh(`set -o pipefail; ${KADM} console consume ${t} --from-beginning -e -f '%v\\n' -b ${bootstrap} | (sleep 0.3; wc -l)`)
      expect(all.code, all.stderr).toBe(0)
      expect(all.stdout.trim()).toBe('200003')
      expectRateLine(all.stderr, 'consumed', 200_003, '1.2 MiB')
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
