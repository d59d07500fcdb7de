import {describe, expect, it} from 'vitest'

import {hoistGlobalFlags} from '../../src/global-flags.js'

describe('global flags before the command', () => {
  it('moves them after the command, values and all', () => {
    expect(hoistGlobalFlags(['-b', 'h:9092', 'topics', 'list'])).toEqual(['topics', 'list', '-b', 'h:9092'])
    expect(hoistGlobalFlags(['--context', 'prod', '-o', 'json', 'groups', 'lag', 'g1'])).toEqual(['groups', 'lag', 'g1', '--context', 'prod', '-o', 'json'])
    expect(hoistGlobalFlags(['--bootstrap-server=h:9092', '-ojson', '--verbose', 'cluster', 'describe'])).toEqual(['cluster', 'describe', '--bootstrap-server=h:9092', '-ojson', '--verbose'])
    expect(hoistGlobalFlags(['-b', 'h', 'console', 'consume', 't', '--', '-x'])).toEqual(['console', 'consume', 't', '-b', 'h', '--', '-x'])
  })

  it('leaves anything else as typed', () => {
    expect(hoistGlobalFlags(['topics', 'list', '-b', 'h'])).toEqual(['topics', 'list', '-b', 'h'])
    expect(hoistGlobalFlags(['--version'])).toEqual(['--version'])
    expect(hoistGlobalFlags(['-b', 'h', '--help'])).toEqual(['-b', 'h', '--help'])
    expect(hoistGlobalFlags(['--nope', 'topics', 'list'])).toEqual(['--nope', 'topics', 'list'])
    expect(hoistGlobalFlags(['-b', 'h'])).toEqual(['-b', 'h'])
  })
})
