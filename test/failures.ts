/**
 * `npm test`'s last words when a phase failed: each failed test (file, name, the first lines of
 * its failure) from the phases' vitest JSON reports, so that the end of a long log says what
 * failed. Usage: tsx test/failures.ts REPORT.json...
 */
import {existsSync, readFileSync} from 'node:fs'
import {relative} from 'node:path'

interface Report {
  testResults: Array<{name: string; status: string; message?: string; assertionResults: Array<{fullName: string; status: string; failureMessages?: string[]}>}>
}

const ESCAPES = /\u001B\[[0-9;]*m/g
/** The message's first lines and the first stack frame outside node_modules: where it failed. */
function lines(text: string, count: number): string[] {
  const all = text.replace(ESCAPES, '').split('\n').map((l) => l.trimEnd()).filter(Boolean)
  const frame = all.find((l) => /^\s*at /.test(l) && !l.includes('node_modules'))
  return [...all.filter((l) => !/^\s*at /.test(l)).slice(0, count), ...(frame ? [frame.trim()] : [])].map((l) => `      ${l}`)
}

for (const path of process.argv.slice(2)) {
  if (!existsSync(path)) {
    console.log(`${path}: no report (the phase did not get as far as its tests)`)
    continue
  }
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report
  const failed: string[] = []
  for (const file of report.testResults) {
    const name = relative(process.cwd(), file.name)
    const tests = file.assertionResults.filter((t) => t.status === 'failed')
    for (const test of tests) failed.push(`  ${name} > ${test.fullName}`, ...lines((test.failureMessages ?? []).join('\n'), 6))
    // A file that failed outside its tests (a hook, an import).
    if (file.status === 'failed' && !tests.length) failed.push(`  ${name}`, ...lines(file.message ?? 'failed', 6))
  }
  console.log(`${path}: ${failed.length ? 'failed tests:' : 'no failed test'}`)
  for (const line of failed) console.log(line)
}
