import {KadmCommand} from '../../base-command.js'
import {dataDirFlag} from '../../local/flags.js'
import {renderKeyValues, renderTable} from '../../render/table.js'

interface StatusResult {
  running: boolean
  version?: string
  clusterId?: string
  dataDir: string
  bootstrap?: string
  brokers: Array<{id: number; pid: number | null; running: boolean; port: number; controllerPort: number; logFile: string}>
}

export default class LocalStatus extends KadmCommand {
  static summary = 'Show the local Kafka: version, bootstrap, and each broker with its PID, ports and log.'
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -o json']
  static flags = {'data-dir': dataDirFlag}

  async run(): Promise<StatusResult> {
    const {flags} = await this.parse(LocalStatus)
    this.applyOutputFlags(flags)
    const {readState, nodeStatuses} = await import('../../local/cluster.js')
    const {localDataDir} = await import('../../config/paths.js')
    const dataDir = flags['data-dir'] ?? localDataDir()
    const state = await readState(dataDir)
    if (!state) {
      return this.emit({running: false, dataDir, brokers: []}, () => `no local cluster in ${dataDir} (start one with \`kadm local start\`)`)
    }
    const statuses = await nodeStatuses(state)
    const result: StatusResult = {
      running: statuses.some((s) => s.running),
      version: state.version,
      clusterId: state.clusterId,
      dataDir,
      bootstrap: state.bootstrap,
      brokers: statuses.map((s) => ({id: s.id, pid: s.running ? s.pid : null, running: s.running, port: s.port, controllerPort: s.controllerPort, logFile: s.logFile})),
    }
    return this.emit(result, (r, chalk) => [
      renderKeyValues([['Kafka', r.version], ['Cluster ID', r.clusterId], ['Bootstrap', r.bootstrap], ['Data dir', r.dataDir]], chalk),
      '',
      renderTable(r.brokers, [
        {header: 'ID', value: (b) => b.id, align: 'right'},
        {header: 'STATE', value: (b) => (b.running ? 'running' : 'stopped'), colour: (t) => (t === 'running' ? chalk.green(t) : chalk.red(t))},
        {header: 'PID', value: (b) => b.pid, align: 'right'},
        {header: 'PORT', value: (b) => b.port, align: 'right'},
        {header: 'CONTROLLER PORT', value: (b) => b.controllerPort, align: 'right'},
        {header: 'LOG', value: (b) => b.logFile},
      ], chalk),
    ].join('\n'))
  }
}
