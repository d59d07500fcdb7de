#!/usr/bin/env node
// kadm as built by `npm run build`: dist/kadm.cjs (and dist/commands.cjs when a command runs), loaded
// with a V8 code cache (see src/bundle-loader.ts).
// CommonJS (bin/package.json): an ES module entry makes Node set up its ES module loader and build
// a namespace for every built-in it imports, which loads modules no kadm command needs to start.
'use strict'
const {join} = require('node:path')

const {loadBundle, saveCaches} = require('../dist/loader.cjs')

// A key press of shell completion: dist/complete.cjs answers from oclif.manifest.json and the
// cache of live names, without oclif (src/completion/complete.ts).
if (process.argv[2] === '__complete') {
  loadBundle(join(__dirname, '..', 'dist', 'complete.cjs')).exports.complete(join(__dirname, '..'), process.argv.slice(3)).then(() => {
    saveCaches('__complete')
    process.exit()
  })
  return
}

const bundle = join(__dirname, '..', 'dist', 'kadm.cjs')
loadBundle(bundle).exports.run(bundle).then((command) => {
  saveCaches(command)
  process.exit()
})
