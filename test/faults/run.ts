/**
 * `npm run faults`: the degraded-cluster scenarios for kadm and kcat side by side, each on a
 * 3-broker cluster of its own that it breaks for real (kill -9, SIGSTOP, restart by PID). Prints
 * records lost, duplicated and commands failed per tool: figures, not timings.
 * `npm run faults -- consume` runs only the scenarios named.
 */
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {DEFAULT_KAFKA_VERSION} from '../../src/local/versions.js'
import type {FaultResult, FaultScenario} from './lib.js'

const only = process.argv.slice(2)
const kafkaVersion = process.env.KADM_FAULTS_KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION
const modules = (await readdir(import.meta.dirname))
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'lib.ts'].includes(f))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort()

const rows: FaultResult[] = []
let port = Number(process.env.KADM_FAULTS_PORT ?? 27_092)
for (const file of modules) {
  process.stderr.write(`running ${file} on Kafka ${kafkaVersion} ...\n`)
  const scenario = (await import(join(import.meta.dirname, file))).run as FaultScenario
  rows.push(...(await scenario({kafkaVersion, port})))
  port += 20
}

const header = ['scenario', 'tool', 'records', 'lost', 'duplicated', 'failed commands', 'note']
const table = [header, ...rows.map((r) => [r.scenario, r.tool, String(r.records), String(r.lost), String(r.duplicated), String(r.failedCommands), r.note ?? ''])]
const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)))
for (const row of table) process.stdout.write(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd() + '\n')
