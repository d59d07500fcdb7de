import {execFileSync} from 'node:child_process'
import {join} from 'node:path'

import {type BenchResult, interleavedMedians, KADM, ROOT} from './lib.js'

/** Start-up needs no cluster: the runner starts none for this module alone. */
export const needsCluster = false

/** The machine's Node, then the Node 22 and 24 builds the test command runs (test/setup/node.sh fetches them once). */
function nodes(): string[] {
  const fetched = ['22', '24'].map((major) => join(execFileSync('bash', [join(ROOT, 'test', 'setup', 'node.sh'), major], {encoding: 'utf8'}).trim(), 'node'))
  return [process.execPath, ...fetched]
}

/** Issue 2 and "Current platforms": kadm --version against `node -e 0` on every tested Node. Target: within 1.6x. */
export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  for (const node of nodes()) {
    const version = execFileSync(node, ['--version'], {encoding: 'utf8'}).trim()
    const name = `start-up (print version), Node ${version}`
    const [bare, kadm, cold] = await interleavedMedians([
      {argv: [node, '-e', '0']},
      {argv: [node, KADM, '--version']},
      {argv: [node, KADM, '--version'], env: {...process.env, KADM_NO_CODE_CACHE: '1'}},
    ], 21)
    results.push(
      {name, tool: 'kadm', ms: kadm, note: `${(kadm / bare).toFixed(2)}x node -e 0, target <= 1.6x; with its code cache, as every run after the first`},
      {name, tool: 'kadm, no code cache', ms: cold, note: `${(cold / bare).toFixed(2)}x node -e 0; KADM_NO_CODE_CACHE=1: what the first run after an install or upgrade costs`},
      {name, tool: 'node -e 0', ms: bare},
    )
  }
  return results
}
