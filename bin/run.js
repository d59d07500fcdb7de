#!/usr/bin/env node
import {execute} from '@oclif/core/execute'

await execute({dir: import.meta.url})
// A finished command is done: do not wait for a client library's timers or half-open sockets
// (a broker that never answers would otherwise keep the process alive). stdout and stderr are
// synchronous for files and pipes on Linux, so nothing written is lost.
process.exit()
