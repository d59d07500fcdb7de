#!/usr/bin/env node
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
// A finished command is done: do not wait for a client library's timers or half-open sockets
// (a broker that never answers would otherwise keep the process alive). But first let stdout and
// stderr drain: a pipe whose reader is slower than kadm holds what is not written yet, and exiting
// would cut a large output short (seen with a 3.6 MB `topics describe -o json` read by a parent
// process). A write's callback runs once it, and so everything before it, is flushed.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))))
process.exit()
