#!/usr/bin/env node
import {execute} from '@oclif/core/execute'

await execute({dir: import.meta.url})
// A finished command is done: do not wait for a client library's timers or half-open sockets
// (a broker that never answers would otherwise keep the process alive). First let stdout and
// stderr drain: writes to a full pipe are queued, and exiting would cut the output short.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => {
  stream.write('', () => resolve())
})))
process.exit()
