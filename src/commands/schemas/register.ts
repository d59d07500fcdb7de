import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {KadmCommand} from '../../base-command.js'
import {configFileFlags} from '../../config/command.js'
import {ExitCode, KadmError} from '../../errors.js'
import {protoReferences, readSchemaFile} from '../../schemas/codec.js'
import {requireRegistry, schemaCommandFlags} from '../../schemas/connect.js'

export interface RegisterResult {
  subject: string
  file: string
  schemaType: string
  /** The id: the existing one when the subject holds the schema already; null in a dry run of a new schema. */
  id: number | null
  version: number | null
  /** registered, exists (already under the subject), or would-register (--dry-run). */
  status: 'registered' | 'exists' | 'would-register'
}

export default class SchemasRegister extends KadmCommand {
  static summary = 'Register a schema file under a subject (a new version when it differs from what is there).'
  static description = 'The file is checked locally first (an Avro, Protobuf or JSON Schema must parse). The imports of a .proto file (read from its directory) are registered first, each under its import name as subject, and referenced. --dry-run registers nothing: it says whether the subject holds the schema already and, if not, whether the registry would accept it (compatibility); exit 3 when it would not.'
  static examples = [
    {description: 'Register', command: '<%= config.bin %> <%= command.id %> orders-value order.avsc'},
    {description: 'What would happen', command: '<%= config.bin %> <%= command.id %> orders-value order-v2.avsc --dry-run'},
  ]

  static args = {
    subject: Args.string({description: 'Subject name.', required: true, ignoreStdin: true}),
    file: Args.string({description: 'Schema file: .avsc (Avro), .proto (Protobuf) or .json (JSON Schema).', required: true, ignoreStdin: true}),
  }

  static flags = {
    'dry-run': Flags.boolean({summary: 'Register nothing; say what would happen.'}),
    ...schemaCommandFlags,
    ...configFileFlags,
  }

  async run(): Promise<RegisterResult> {
    const {args, flags} = await this.parse(SchemasRegister)
    this.applyOutputFlags(flags)
    const input = await readSchemaFile(args.file)
    const client = await requireRegistry(flags, this.parseTimeout(flags.timeout))
    // A .proto file's imports are referenced by their subjects (registered first, unless a dry run).
    if (input.schemaType === 'PROTOBUF') input.references = await protoReferences(client, args.file, !flags['dry-run'])
    const base = {subject: args.subject, file: args.file, schemaType: input.schemaType}
    const existing = await client.lookup(args.subject, input)
    let result: RegisterResult
    if (existing) result = {...base, id: existing.id, version: existing.version, status: 'exists'}
    else if (flags['dry-run']) {
      const compatible = await client.compatible(args.subject, input)
      if (!compatible) {
        await this.emit({...base, id: null, version: null, status: 'would-register' as const}, () => '')
        throw new KadmError(`${args.file} is not compatible with subject "${args.subject}": the registry would refuse it`, {exitCode: ExitCode.checkFailed})
      }
      result = {...base, id: null, version: null, status: 'would-register'}
    } else {
      const id = await client.register(args.subject, input)
      const found = await client.lookup(args.subject, input)
      result = {...base, id, version: found?.version ?? null, status: 'registered'}
    }
    return this.emit(result, (d) => {
      if (d.status === 'exists') return `${d.subject} already holds ${d.file} (version ${d.version}, id ${d.id})`
      if (d.status === 'would-register') return `would register ${d.file} under ${d.subject} (dry run: nothing registered)`
      return `registered ${d.file} under ${d.subject}: version ${d.version}, id ${d.id}`
    })
  }
}
