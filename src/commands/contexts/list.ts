import {KadmCommand} from '../../base-command.js'
import {configFileFlags, loadConfigFile} from '../../config/command.js'
import {renderTable} from '../../render/table.js'

interface ContextRow {
  name: string
  current: boolean
  bootstrapServers: string[]
  tls: boolean
  sasl: string | null
}

export default class ContextsList extends KadmCommand {
  static summary = 'List the named connection contexts; the current one is marked with *.'
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -o yaml']
  static flags = {...configFileFlags}

  async run(): Promise<{contexts: ContextRow[]}> {
    const {flags} = await this.parse(ContextsList)
    this.applyOutputFlags(flags)
    const {path, config} = await loadConfigFile(flags['config-file'])
    const rows = Object.entries(config.contexts).map(([name, c]) => ({
      name,
      current: name === config.currentContext,
      bootstrapServers: c.bootstrapServers,
      tls: Boolean(c.tls && c.tls.enabled !== false),
      sasl: c.sasl?.mechanism ?? null,
    }))
    if (rows.length === 0 && this.format === 'table') {
      this.note(`no contexts in ${path} (add one with \`kadm contexts add NAME -b host:port\`)`)
      return {contexts: rows}
    }
    return this.emit({contexts: rows}, (data, chalk) => renderTable(data.contexts, [
      {header: 'CURRENT', value: (x) => (x.current ? '*' : '')},
      {header: 'NAME', value: (x) => x.name, colour: (t, x) => (x.current ? chalk.bold(t) : t)},
      {header: 'BOOTSTRAP SERVERS', value: (x) => x.bootstrapServers.join(',')},
      {header: 'TLS', value: (x) => (x.tls ? 'yes' : 'no')},
      {header: 'SASL', value: (x) => x.sasl ?? 'no'},
    ], chalk))
  }
}
