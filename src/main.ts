/**
 * What bin/run.js runs: oclif, then a prompt exit. A finished command is done: kadm does not wait
 * for a client library's timers or half-open sockets (a broker that never answers would otherwise
 * keep the process alive). First stdout and stderr drain: writes to a full pipe are queued, and
 * exiting at once would cut the output short.
 */
import {execute} from '@oclif/core/execute'

await execute({dir: import.meta.url})
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => {
  stream.write('', () => resolve())
})))
process.exit()
