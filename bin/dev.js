#!/usr/bin/env -S node --import tsx
// Development entry: runs the TypeScript sources (no build needed). package.json points oclif at
// the built bundle (dist/kadm.cjs); here its commands and hook come from src/ instead.
// CommonJS, as bin/run.js (bin/package.json).
'use strict'
const {readFileSync} = require('node:fs')
const {join} = require('node:path')
const {execute} = require('@oclif/core/execute')

const root = join(__dirname, '..')
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
pjson.oclif = {...pjson.oclif, commands: './src/commands', hooks: {command_not_found: './src/hooks/command-not-found.ts'}}
execute({loadOptions: {root, pjson, ignoreManifest: true}})
