#!/usr/bin/env node
import {createRequire} from "node:module"
createRequire(import.meta.url)("v8-compile-cache")
const {execute} = await import("@oclif/core")
await execute({dir: import.meta.url})
process.exit()
