#!/usr/bin/env node
// kadm as built by `npm run build`: dist/kadm.cjs, loaded with a V8 code cache (see src/bundle-loader.ts).
// CommonJS (bin/package.json): an ES module entry makes Node set up its ES module loader and build
// a namespace for every built-in it imports, which loads modules no kadm command needs to start.
'use strict'
const {join} = require('node:path')

const {loadBundle} = require('../dist/loader.cjs')

const bundle = join(__dirname, '..', 'dist', 'kadm.cjs')
const loaded = loadBundle(bundle)
loaded.exports.run(bundle).then((command) => {
  loaded.saveCache(command)
  process.exit()
})
