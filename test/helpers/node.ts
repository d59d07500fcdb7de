import {execFileSync} from 'node:child_process'

export interface NodeBinary {
  /** As `node --version` prints it, e.g. "v24.21.0". */
  version: string
  path: string
}

/**
 * Every Node the tests can run kadm under: the one running the tests (process.execPath), then
 * the Node 22 and 24 builds `npm test` fetches (test/run-all.sh exports KADM_TEST_NODE22 and
 * KADM_TEST_NODE24; unset when vitest is run by hand, so these tests then cover one Node only).
 * Each Node appears once, also when the tests themselves run on Node 24.
 */
export function nodeBinaries(env: NodeJS.ProcessEnv = process.env): NodeBinary[] {
  const binaries: NodeBinary[] = [{version: process.version, path: process.execPath}]
  for (const path of [env.KADM_TEST_NODE22, env.KADM_TEST_NODE24]) {
    if (!path) continue
    // Asked, not read from the path: a variable pointing at the wrong build should show as such.
    const version = execFileSync(path, ['--version'], {encoding: 'utf8'}).trim()
    if (!binaries.some((b) => b.version === version)) binaries.push({version, path})
  }
  return binaries
}
