/**
 * kadm's entry inside the bundle (dist/kadm.cjs, see esbuild.config.mjs): oclif's execute(), then
 * stdout and stderr drained. bin/run.js exits right after: a finished command is done, and kadm
 * does not wait for a client library's timers or half-open sockets (a broker that never answers
 * would otherwise keep the process alive). Writes to a full pipe are queued: exiting before they
 * drain would cut the output short.
 */
import {appendFileSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {execute} from '@oclif/core/execute'

import {hoistGlobalFlags} from './global-flags.js'
import {runRecord} from './run-record.js'
import {versionDetails, versionRequest} from './version.js'

/** Runs kadm from the bundle at `bundle` (in dist/ of the package); returns the id of the command it ran ("" for none). */
export async function run(bundle: string): Promise<string> {
  // Given the package's root and package.json, oclif does not look for them itself (a walk up the
  // directories with asynchronous reads); kadm's package.json has its oclif settings, so oclif
  // would not look for other configuration files either. kadm has no plugins: oclif need not read
  // its data directory for user-installed ones.
  const root = dirname(dirname(bundle))
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const args = hoistGlobalFlags(process.argv.slice(2))
  // The test command records every command line the integration tests run, to check that each
  // command and flag is run by some test (test/flag-coverage.ts).
  if (process.env.KADM_RECORD_ARGV) appendFileSync(process.env.KADM_RECORD_ARGV, JSON.stringify(args) + '\n')
  const version = versionRequest(args)
  await execute({args: version ? ['--version'] : args, loadOptions: {pjson, root, userPlugins: false}})
  if (version) process.stdout.write(await versionDetails(root, version.verbose))
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => {
    stream.write('', () => resolve())
  })))
  return runRecord.command
}
