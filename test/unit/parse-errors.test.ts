import {describe, expect, it} from 'vitest'

import {describeParseError} from '../../src/parse-errors.js'

// The messages as oclif 4's parser builds them (src/parser/errors.ts, parse.ts), colours included.
describe('describeParseError', () => {
  it('names the missing argument', () => {
    const error = {message: 'Missing 1 required arg:\ntopic  Topic name(s).\nSee more help with --help', args: [{name: 'topic'}]}
    expect(describeParseError(error)).toBe('missing argument TOPIC')
  })

  it('names every missing argument, from the message when oclif gives no list', () => {
    const error = {message: 'Missing 2 required args:\ngroup  Group.\ntopic  Topic.\nSee more help with --help'}
    expect(describeParseError(error)).toBe('missing arguments GROUP, TOPIC')
  })

  it('gives the reasons of a failed flag validation, not its heading', () => {
    const error = {message: 'The following error occurred:\n  \u001B[2mMissing required flag topic\u001B[22m\nSee more help with --help'}
    expect(describeParseError(error)).toBe('missing required flag --topic')
    const two = {message: 'The following errors occurred:\n  \u001B[2mExactly one of the following must be provided: --a, --b\n  --c cannot also be provided when using --d\u001B[22m\nSee more help with --help'}
    expect(describeParseError(two)).toBe('Exactly one of the following must be provided: --a, --b; --c cannot also be provided when using --d')
  })

  it('names the flag and why its value was refused', () => {
    const error = {message: 'Parsing --partitions \n\tExpected an integer greater than or equal to 1 but received: 0\nSee more help with --help'}
    expect(describeParseError(error)).toBe('--partitions: Expected an integer greater than or equal to 1 but received: 0')
  })

  it('keeps a one-line message as it is', () => {
    expect(describeParseError({message: 'Nonexistent flag: --nope\nSee more help with --help'})).toBe('Nonexistent flag: --nope')
  })
})

describe('describeParseError, a reason that names its flag', () => {
  it('does not name the flag twice', () => {
    const error = {message: 'Parsing --config \n\t--config is not the kadm config file\nSee more help with --help'}
    expect(describeParseError(error)).toBe('--config is not the kadm config file')
  })
})
