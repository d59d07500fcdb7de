import {describe, expect, it} from 'vitest'

import {notRun} from '../flag-coverage.js'

const manifest = {
  commands: {
    'topics:list': {id: 'topics:list', aliases: ['topics:ls'], flags: {
      output: {name: 'output', char: 'o'}, regex: {name: 'regex', char: 'r'}, internal: {name: 'internal'},
    }},
    'consumer-groups:lag': {id: 'consumer-groups:lag', aliases: ['groups:lag'], flags: {
      'time-lag': {name: 'time-lag', allowNo: true}, watch: {name: 'watch', char: 'w'}, isolation: {name: 'isolation', aliases: ['isolation-level']},
    }},
  },
}

describe('the flag-coverage check', () => {
  it('counts commands and flags by long name, short char, alias, --no- form and command alias', () => {
    const lines = [
      ['--version'],
      ['--verbose', '--version'],
      ['topics', 'ls', '-o', 'json', '--help'],
      ['groups', 'lag', 'g1', '--no-time-lag', '-w', '2', '--isolation-level', 'read_committed'],
    ]
    expect(notRun(lines, manifest)).toEqual(['topics list --regex', 'topics list --internal'])
  })

  it('counts a flag every command shares once, whichever command ran it; a command\'s own flag of that name apart', () => {
    const shared = {output: {summary: 'Output format.'}}
    const withShared = {commands: {
      'topics:list': {id: 'topics:list', flags: {output: {name: 'output', char: 'o', summary: 'Output format.'}}},
      'cluster:describe': {id: 'cluster:describe', flags: {output: {name: 'output', char: 'o', summary: 'Output format.'}}},
      'console:consume': {id: 'console:consume', flags: {output: {name: 'output', char: 'o', summary: 'table or json.'}}},
    }}
    expect(notRun([['--version'], ['topics', 'list', '-o', 'json', '--help'], ['cluster', 'describe'], ['console', 'consume']], withShared, shared)).toEqual(['--version --verbose', 'console consume --output'])
    expect(notRun([['--version'], ['--version', '--verbose'], ['topics', 'list', '--help'], ['cluster', 'describe', '-o', 'yaml'], ['console', 'consume', '-o', 'json']], withShared, shared)).toEqual([])
  })

  it('names everything a run never used, and stops at --', () => {
    expect(notRun([['topics', 'list', '--', '--internal']], manifest)).toEqual([
      '--version', '--version --verbose', '--help', 'topics list --output', 'topics list --regex', 'topics list --internal',
      'consumer-groups lag', 'consumer-groups lag --time-lag', 'consumer-groups lag --watch', 'consumer-groups lag --isolation',
    ])
  })
})
