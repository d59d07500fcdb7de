import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {KadmCommand} from '../../base-command.js'
import {configFileFlags} from '../../config/command.js'
import {KadmError, UsageError} from '../../errors.js'
import {requireRegistry, schemaCommandFlags} from '../../schemas/connect.js'
import {RegistryError, type SubjectVersion} from '../../schemas/registry.js'

export default class SchemasGet extends KadmCommand {
  static summary = 'Show a subject\'s schema: the latest version, or --version N.'
  static examples = [
    {description: 'The latest schema of orders-value', command: '<%= config.bin %> <%= command.id %> orders-value'},
    {description: 'Version 2, as JSON (subject, version, id, schemaType, schema, references)', command: '<%= config.bin %> <%= command.id %> orders-value --version 2 -o json'},
  ]

  static args = {subject: Args.string({description: 'Subject name.', required: true, ignoreStdin: true})}
  static flags = {
    version: Flags.string({summary: 'A version number, or latest.', default: 'latest'}),
    ...schemaCommandFlags,
    ...configFileFlags,
  }

  async run(): Promise<SubjectVersion> {
    const {args, flags} = await this.parse(SchemasGet)
    this.applyOutputFlags(flags)
    if (flags.version !== 'latest' && !/^\d+$/.test(flags.version)) throw new UsageError(`--version "${flags.version}" is not a number or latest`)
    const version = flags.version === 'latest' ? 'latest' : Number(flags.version)
    const client = await requireRegistry(flags, this.parseTimeout(flags.timeout))
    let found: SubjectVersion
    try {
      found = await client.version(args.subject, version)
    } catch (error) {
      if (error instanceof RegistryError && error.notFound) {
        throw new KadmError(version === 'latest' ? `no subject "${args.subject}" in the registry` : `subject "${args.subject}" has no version ${version}`)
      }
      throw error
    }
    const shown = {subject: found.subject, version: found.version, id: found.id, schemaType: found.schemaType, schema: found.schema, references: found.references}
    return this.emit(shown, (d, chalk) => {
      let schema = d.schema
      if (d.schemaType !== 'PROTOBUF') {
        try {
          schema = JSON.stringify(JSON.parse(d.schema), null, 2)
        } catch {}
      }
      const refs = d.references.map((r) => `${r.name} -> ${r.subject} v${r.version}`).join(', ')
      return `${chalk.dim(`${d.subject} v${d.version}  id ${d.id}  ${d.schemaType}${refs ? `  references: ${refs}` : ''}`)}\n${schema}`
    })
  }
}
