#!/usr/bin/env -S node --import tsx
// Development entry: runs the TypeScript sources. oclif still prefers dist/ while
// oclif.manifest.json exists, so run `npm run build` after adding commands.
import {execute} from '@oclif/core/execute'

await execute({development: true, dir: import.meta.url})
