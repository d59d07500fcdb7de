import {KadmError} from '../errors.js'

/** A schema kadm cannot use (it does not parse, or its type is not supported): one line, exit 1. */
export class BadSchemaError extends KadmError {
  constructor(message: string) {
    super(message)
    this.name = 'BadSchemaError'
  }
}
