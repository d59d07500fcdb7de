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

  it("is not stale: each command's flags, their summaries, its arguments and aliases are the class's (rebuild with npm run build)", async () => {
    // The content, not file times: a fresh clone gives every file the same modification time.
    type Entry = {flags: Record<string, {summary?: string}>; args?: Record<string, unknown>; aliases?: string[]; summary?: string}
    const shape = (flags: Record<string, {summary?: string}>, args: Record<string, unknown>, aliases: string[], summary: string | undefined) => ({
      flags: Object.fromEntries(Object.entries(flags).map(([name, f]) => [name, f.summary ?? null]).sort(([a], [b]) => String(a).localeCompare(String(b)))),
      args: Object.keys(args),
      aliases,
      summary,
    })
    for (const file of commandFiles(join(ROOT, 'src', 'commands'))) {
      const id = relative(join(ROOT, 'src', 'commands'), file).replace(/\.ts$/, '').split('/').join(':')
      const command = (await import(file)).default as {baseFlags?: Entry['flags']; flags?: Entry['flags']; args?: Record<string, unknown>; aliases?: string[]; summary?: string; enableJsonFlag?: boolean}
      const flags = {...command.baseFlags, ...command.flags, ...(command.enableJsonFlag ? {json: {}} : {})}
      const entry = manifest.commands[id] as unknown as Entry
      expect({id, ...shape(entry.flags, entry.args ?? {}, entry.aliases ?? [], entry.summary)}).toEqual({id, ...shape(flags, command.args ?? {}, command.aliases ?? [], command.summary)})
    }
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
