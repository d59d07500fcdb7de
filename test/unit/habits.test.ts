import {describe, expect, it} from 'vitest'

import {habitProblem} from '../../src/domain/habits.js'

describe("other tools' flags in console consume", () => {
  it("names kadm's flag for kcat's -o, -c and -G", () => {
    expect(habitProblem('console:consume', ['t', '-o', 'beginning'])).toBe("-o beginning: -o is kadm's output format (table, json); for kcat's -o beginning use --offset beginning")
    expect(habitProblem('consume', ['t', '-o-10'])).toBe("-o -10: -o is kadm's output format (table, json); for kcat's -o -10 use --offset -10")
    expect(habitProblem('console:consume', ['t', '-o', 's@1700000000000'])).toBe("-o s@1700000000000: -o is kadm's output format (table, json); for kcat's -o s@1700000000000 use --offset @1700000000000")
    expect(habitProblem('console:consume', ['t', '-o', 'e@1700000000000'])).toBe("-o e@1700000000000: -o is kadm's output format (table, json); for kcat's -o e@1700000000000 use --until 1700000000000")
    expect(habitProblem('console:consume', ['t', '-c', '10'])).toBe("-c: to stop after N records use -n, --max-messages (kcat's -c)")
    expect(habitProblem('console:consume', ['-G', 'g', 't'])).toBe("-G: to consume as a group member use -g, --group GROUP (kcat's -G)")
  })

  it('says nothing of what kadm means itself, or of other commands', () => {
    expect(habitProblem('console:consume', ['t', '-o', 'yaml'])).toBeUndefined()
    expect(habitProblem('console:consume', ['t', '--', '-c'])).toBeUndefined()
    expect(habitProblem('topics:list', ['-o', 'beginning'])).toBeUndefined()
  })
})
