import * as Flags from '@oclif/core/flags'

import {KadmCommand} from '../../base-command.js'
import {KadmError} from '../../errors.js'
import {dataDirFlag} from '../../local/flags.js'

interface StopResult {
  stopped: number[]
  purged: boolean
  dataDir: string
}

export default class LocalStop extends KadmCommand {
  static summary = 'Stop the local Kafka started by `kadm local start`.'
  static description = 'Stops exactly the broker processes kadm started, by the PIDs it recorded (checking each PID still runs that broker). Data is kept for the next start unless --purge is given.'
  static examples = [
    {description: 'Stop every broker, keep the data', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Stop one broker of three (to see under-replicated partitions)', command: '<%= config.bin %> <%= command.id %> --broker 2'},
    {description: 'Stop and delete all data', command: '<%= config.bin %> <%= command.id %> --purge'},
  ]

  static flags = {
    broker: Flags.integer({summary: 'Stop only this broker id.', multiple: true, multipleNonGreedy: true}),
    purge: Flags.boolean({summary: 'Also delete the data directory (topics, logs, state).'}),
    'data-dir': dataDirFlag,
  }

  async run(): Promise<StopResult> {
    const {flags} = await this.parse(LocalStop)
    this.applyOutputFlags(flags)
    if (flags.purge && flags.broker) throw new KadmError('--purge removes the whole cluster: do not combine it with --broker', {exitCode: 2})
    const {readState, stopNodes, purge} = await import('../../local/cluster.js')
    const {localDataDir} = await import('../../config/paths.js')
    const dataDir = flags['data-dir'] ?? localDataDir()
    const state = await readState(dataDir)
    if (!state) {
      if (flags.purge) await purge(dataDir)
      this.note(`no local cluster in ${dataDir}`)
      return this.emit({stopped: [], purged: Boolean(flags.purge), dataDir}, () => '')
    }
    const unknown = (flags.broker ?? []).filter((id) => !state.nodes.some((n) => n.id === id))
    if (unknown.length > 0) throw new KadmError(`no broker ${unknown.join(', ')} in the local cluster (it has ${state.nodes.map((n) => n.id).join(', ')})`)
    const stopped = await stopNodes(state, flags.broker)
    if (flags.purge) await purge(dataDir)
    this.note(stopped.length ? `stopped broker(s) ${stopped.join(', ')}` : 'no broker was running')
    if (flags.purge) this.note(`deleted ${dataDir}`)
    return this.emit({stopped, purged: Boolean(flags.purge), dataDir}, () => '')
  }
}
