/**
 * `npm run bench -- schemas` (issue #17): consume 1M Avro records of 10 fields to JSON lines
 * (--value-format avro, through a real Apicurio Registry started here) against consuming the
 * same count of plain-text records, side by side. The target: at least half the plain rate.
 * Both topics have 6 partitions, replication factor 3; both are written by kadm first. Wall times
 * and CPU times (user + system, /usr/bin/time) are medians of KADM_BENCH_RUNS runs (3), in turns.
 * Registry port: KADM_BENCH_REGISTRY_PORT (default 25_180).
 */
import {createWriteStream} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {startRegistry} from '../helpers/schema-registry.js'
import {type BenchContext, type BenchResult, KADM, timeCommand} from './lib.js'

const RECORDS = Number(process.env.KADM_BENCH_SCHEMA_RECORDS ?? 1_000_000)
const RUNS = Number(process.env.KADM_BENCH_RUNS ?? 3)

const SCHEMA = {
  type: 'record', name: 'Reading', namespace: 'bench',
  fields: [
    {name: 'id', type: 'long'}, {name: 'sensor', type: 'string'}, {name: 'site', type: 'string'}, {name: 'value', type: 'double'},
    {name: 'unit', type: {type: 'enum', name: 'Unit', symbols: ['C', 'F', 'K']}}, {name: 'ok', type: 'boolean'}, {name: 'at', type: 'long'},
    {name: 'seq', type: 'int'}, {name: 'note', type: ['null', 'string'], default: null}, {name: 'tags', type: {type: 'array', items: 'string'}},
  ],
}

async function writeJsonLines(path: string): Promise<void> {
  const out = createWriteStream(path)
  let chunk = ''
  for (let i = 0; i < RECORDS; i++) {
    chunk += JSON.stringify({id: i, sensor: `s-${i % 1000}`, site: 'plant-7', value: i / 7, unit: 'C', ok: i % 3 !== 0, at: 1_700_000_000_000 + i, seq: i % 65_536, note: i % 2 ? null : {string: 'checked'}, tags: ['a', 'b']}) + '\n'
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
      chunk = ''
    }
  }
  out.end(chunk)
  await new Promise<void>((r) => out.once('finish', () => r()))
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

export async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-schemas-'))
  const registry = await startRegistry(Number(process.env.KADM_BENCH_REGISTRY_PORT ?? 25_180))
  const kadm = async (args: string[], options: {stdoutTo?: 'pipe' | 'ignore'; prefix?: string[]} = {}) => {
    const t = await timeCommand([...options.prefix ?? [], process.execPath, KADM, ...args, '-b', ctx.bootstrap], {stdoutTo: options.stdoutTo, env: {...process.env, NODE_ENV: undefined}})
    if (t.code !== 0) throw new Error(`kadm ${args.join(' ')} exited ${t.code}: ${t.stderr.slice(0, 500)}`)
    return t
  }
  const tag = Math.random().toString(16).slice(2, 8)
  const avroTopic = `bench-schemas-avro-${tag}`
  const textTopic = `bench-schemas-text-${tag}`
  try {
    for (const t of [avroTopic, textTopic]) await kadm(['topics', 'create', t, '-p', '6', '-r', '3'])
    const lines = join(dir, 'readings.jsonl')
    await writeJsonLines(lines)
    await writeFile(join(dir, 'reading.avsc'), JSON.stringify(SCHEMA))
    const sr = ['--schema-registry-url', registry.url]
    await kadm(['console', 'produce', avroTopic, '--file', lines, '--value-schema', join(dir, 'reading.avsc'), '--register', '-q', ...sr])
    // The same count of plain records, each the JSON text consume prints for the Avro ones.
    await kadm(['console', 'produce', textTopic, '--file', lines, '-q'])
    // Wall time, and the CPU time (user + system, from /usr/bin/time) that a shared machine
    // disturbs less.
    const cpuFile = join(dir, 'cpu')
    const consume = async (topic: string, extra: string[]) => {
      const {ms} = await kadm(['console', 'consume', topic, '--from-beginning', '-e', '-q', ...extra], {stdoutTo: 'ignore', prefix: ['/usr/bin/time', '-f', '%U %S', '-o', cpuFile]})
      const [user, system] = (await readFile(cpuFile, 'utf8')).trim().split('\n').at(-1)!.split(' ').map(Number)
      return {ms, cpuMs: (user + system) * 1000}
    }
    const times = {avro: [] as number[], text: [] as number[], avroCpu: [] as number[], textCpu: [] as number[]}
    for (let i = 0; i < RUNS; i++) {
      const t = await consume(textTopic, [])
      const a = await consume(avroTopic, ['--value-format', 'avro', ...sr])
      times.text.push(t.ms)
      times.textCpu.push(t.cpuMs)
      times.avro.push(a.ms)
      times.avroCpu.push(a.cpuMs)
    }
    const text = median(times.text)
    const avro = median(times.avro)
    const textCpu = median(times.textCpu)
    const avroCpu = median(times.avroCpu)
    const rate = (ms: number) => `${Math.round(RECORDS / (ms / 1000))} records/s`
    const name = `consume ${RECORDS} records to lines: plain text vs Avro (10 fields) to JSON`
    return [
      {name, tool: 'kadm', ms: text, note: `plain text, ${rate(text)}; CPU ${textCpu.toFixed(0)} ms`},
      {name, tool: 'kadm --value-format avro', ms: avro, note: `${rate(avro)}, ${(text / avro * 100).toFixed(0)}% of the plain rate (target: 50%); CPU ${avroCpu.toFixed(0)} ms, ${(textCpu / avroCpu * 100).toFixed(0)}% of the plain rate by CPU`},
    ]
  } finally {
    await registry.stop()
    await kadm(['topics', 'delete', avroTopic, textTopic, '--yes']).catch(() => undefined)
    await rm(dir, {recursive: true, force: true})
  }
}
