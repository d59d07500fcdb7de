import {KadmCommand} from '../../base-command.js'
import {configFileFlags} from '../../config/command.js'
import {requireRegistry, schemaCommandFlags} from '../../schemas/connect.js'

export default class SchemasList extends KadmCommand {
  static summary = 'List the subjects of the schema registry.'
  static examples = [
    {description: 'Subjects, one per line', command: '<%= config.bin %> <%= command.id %> --schema-registry-url http://registry:8081'},
    {description: 'As JSON', command: '<%= config.bin %> <%= command.id %> -o json'},
  ]

  static flags = {...schemaCommandFlags, ...configFileFlags}

  async run(): Promise<{subjects: string[]}> {
    const {flags} = await this.parse(SchemasList)
    this.applyOutputFlags(flags)
    const client = await requireRegistry(flags, this.parseTimeout(flags.timeout))
    const subjects = (await client.subjects()).sort()
    return this.emit({subjects}, (d) => d.subjects.join('\n'))
  }
}
