import {execFileSync} from 'node:child_process'
import {join} from 'node:path'

import {ROOT} from './kadm.js'

export interface NodeBinary {
  /** As `node --version` prints it, e.g. "v24.21.0". */
  version: string
  path: string
}

/** The node binary of a pinned major: from test/run-all.sh's KADM_TEST_NODE<major>, else fetched once by test/setup/node.sh. */
function pinnedNode(major: '22' | '24', env: NodeJS.ProcessEnv): string {
  const given = env[`KADM_TEST_NODE${major}`]
  if (given) return given
  return join(execFileSync('bash', [join(ROOT, 'test', 'setup', 'node.sh'), major], {encoding: 'utf8'}).trim(), 'node')
}

/**
 * Every Node kadm is tested on: the one running the tests (process.execPath), then the pinned
 * Node 22 and 24 builds (test/setup/node-versions). Each appears once, also when the tests
 * themselves run on Node 24.
 */
export function testedNodes(env: NodeJS.ProcessEnv = process.env): NodeBinary[] {
  const binaries: NodeBinary[] = [{version: process.version, path: process.execPath}]
  for (const major of ['22', '24'] as const) {
    const path = pinnedNode(major, env)
    // Asked, not read from the path: a variable pointing at the wrong build should show as such.
    const version = execFileSync(path, ['--version'], {encoding: 'utf8'}).trim()
    if (!version.startsWith(`v${major}.`)) throw new Error(`${path} is Node ${version}, not ${major}.x`)
    if (!binaries.some((b) => b.version === version)) binaries.push({version, path})
  }
  return binaries
}
