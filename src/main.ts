/**
 * kadm's entry inside the bundle (dist/kadm.cjs, see esbuild.config.mjs): oclif's execute(), then
 * stdout and stderr drained. bin/run.js exits right after: a finished command is done, and kadm
 * does not wait for a client library's timers or half-open sockets (a broker that never answers
 * would otherwise keep the process alive). Writes to a full pipe are queued: exiting before they
 * drain would cut the output short.
 */
import {execute} from '@oclif/core/execute'

import {runRecord} from './run-record.js'

/** Runs kadm; returns the id of the command it ran ("" for none). */
export async function run(root: string): Promise<string> {
  await execute({dir: root})
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => {
    stream.write('', () => resolve())
  })))
  return runRecord.command
}
