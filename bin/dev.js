#!/usr/bin/env -S node --import tsx
// Development entry: runs the TypeScript sources (no build needed). package.json points oclif at
// the built bundle (dist/kadm.cjs); here its commands and hook come from src/ instead.
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {execute} from '@oclif/core/execute'

const root = fileURLToPath(new URL('..', import.meta.url))
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
pjson.oclif = {...pjson.oclif, commands: './src/commands', hooks: {command_not_found: './src/hooks/command-not-found.ts'}}
await execute({loadOptions: {root, pjson, ignoreManifest: true}})
