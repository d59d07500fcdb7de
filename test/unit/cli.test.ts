import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {describe, expect, it} from 'vitest'

import {ROOT} from '../helpers/kadm.js'

function commandFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? commandFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [])
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
  version: string
  commands: Record<string, {summary?: string; examples?: unknown[]; flags: Record<string, unknown>}>
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string; oclif: {topics: Record<string, {description: string}>}}

describe('oclif.manifest.json', () => {
  it('is not stale: it lists exactly the commands in src/commands (rebuild with npm run build)', () => {
    const fromSource = commandFiles(join(ROOT, 'src', 'commands'))
      .map((f) => relative(join(ROOT, 'src', 'commands'), f).replace(/\.ts$/, '').replace(/\/index$/, '').split('/').join(':'))
      .sort()
    expect(Object.keys(manifest.commands).sort()).toEqual(fromSource)
    expect(manifest.version).toBe(pkg.version)
  })

  it('is not older than any command source', async () => {
    const {statSync} = await import('node:fs')
    const built = statSync(join(ROOT, 'oclif.manifest.json')).mtimeMs
    const newest = Math.max(...commandFiles(join(ROOT, 'src')).map((f) => statSync(f).mtimeMs))
    expect(built, 'a source file changed after the last build: run npm run build').toBeGreaterThanOrEqual(newest)
  })
})

describe('help', () => {
  it('every command has a summary and at least one example', () => {
    for (const [id, command] of Object.entries(manifest.commands)) {
      expect(command.summary, id).toBeTruthy()
      expect(command.examples?.length ?? 0, id).toBeGreaterThan(0)
    }
  })

  it('every topic is described', () => {
    const topics = new Set(Object.keys(manifest.commands).filter((id) => id.includes(':')).map((id) => id.split(':')[0]))
    for (const topic of topics) expect(pkg.oclif.topics[topic]?.description, topic).toBeTruthy()
  })
})
