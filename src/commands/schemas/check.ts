import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {KadmCommand} from '../../base-command.js'
import {configFileFlags} from '../../config/command.js'
import {ExitCode, KadmError, UsageError} from '../../errors.js'
import {protoReferences, readSchemaFile} from '../../schemas/codec.js'
import {requireRegistry, schemaCommandFlags} from '../../schemas/connect.js'
import {RegistryError} from '../../schemas/registry.js'

export default class SchemasCheck extends KadmCommand {
  static summary = 'Is a schema file compatible with a subject (its compatibility rule, against the latest version or --version N)?'
  static description = 'Exit 0 when it is compatible, 3 when it is not. A subject that does not exist yet accepts any schema.'
  static examples = [
    {description: 'Before registering a new version', command: '<%= config.bin %> <%= command.id %> orders-value order-v2.avsc'},
  ]

  static args = {
    subject: Args.string({description: 'Subject name.', required: true, ignoreStdin: true}),
    file: Args.string({description: 'Schema file: .avsc (Avro), .proto (Protobuf) or .json (JSON Schema).', required: true, ignoreStdin: true}),
  }

  static flags = {
    version: Flags.string({summary: 'The version to check against, or latest.', default: 'latest'}),
    ...schemaCommandFlags,
    ...configFileFlags,
  }

  async run(): Promise<{subject: string; file: string; compatible: boolean}> {
    const {args, flags} = await this.parse(SchemasCheck)
    this.applyOutputFlags(flags)
    if (flags.version !== 'latest' && !/^\d+$/.test(flags.version)) throw new UsageError(`--version "${flags.version}" is not a number or latest`)
    const input = await readSchemaFile(args.file)
    const client = await requireRegistry(flags, this.parseTimeout(flags.timeout))
    if (input.schemaType === 'PROTOBUF') input.references = await protoReferences(client, args.file, false)
    let compatible: boolean
    try {
      compatible = await client.compatible(args.subject, input, flags.version === 'latest' ? 'latest' : Number(flags.version))
    } catch (error) {
      if (error instanceof RegistryError && error.notFound && flags.version !== 'latest') throw new KadmError(`subject "${args.subject}" has no version ${flags.version}`)
      throw error
    }
    const result = {subject: args.subject, file: args.file, compatible}
    await this.emit(result, (d, chalk) => (d.compatible ? chalk.green(`${d.file} is compatible with ${d.subject}`) : chalk.red(`${d.file} is NOT compatible with ${d.subject}`)))
    if (!compatible) process.exitCode = ExitCode.checkFailed
    return result
  }
}
