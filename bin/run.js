#!/usr/bin/env node
// kadm as built by `npm run build`: dist/kadm.cjs, loaded with a V8 code cache (see src/bundle-loader.ts).
import {fileURLToPath} from 'node:url'

import {loadBundle} from '../dist/loader.js'

const bundle = fileURLToPath(new URL('../dist/kadm.cjs', import.meta.url))
const loaded = loadBundle(bundle)
const command = await loaded.exports.run(bundle)
loaded.saveCache(command)
process.exit()
