#!/usr/bin/env node
// kadm as built by `npm run build` (dist/ is an esbuild bundle; see esbuild.config.mjs).
import '../dist/main.js'
