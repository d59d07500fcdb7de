import * as Flags from '@oclif/core/flags'
import {createReadStream} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import {setTimeout as sleep} from 'node:timers/promises'

import {KadmCommand} from '../../base-command.js'
import {KadmError} from '../../errors.js'
import {dataDirFlag} from '../../local/flags.js'

export default class LocalLogs extends KadmCommand {
  static summary = "Print a local broker's log (the last lines, or follow it)."
  static examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --broker 2 -n 200',
    '<%= config.bin %> <%= command.id %> -f',
  ]

  static flags = {
    broker: Flags.integer({summary: 'Broker id.', default: 1}),
    lines: Flags.integer({char: 'n', summary: 'Number of lines from the end.', default: 50, min: 0}),
    follow: Flags.boolean({char: 'f', summary: 'Keep printing new lines until interrupted.'}),
    'data-dir': dataDirFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(LocalLogs)
    this.applyOutputFlags(flags)
    const {readState} = await import('../../local/cluster.js')
    const {localDataDir} = await import('../../config/paths.js')
    const dataDir = flags['data-dir'] ?? localDataDir()
    const state = await readState(dataDir)
    if (!state) throw new KadmError(`no local cluster in ${dataDir}`)
    const node = state.nodes.find((n) => n.id === flags.broker)
    if (!node) throw new KadmError(`no broker ${flags.broker} in the local cluster (it has ${state.nodes.map((n) => n.id).join(', ')})`)
    let text: string
    try {
      text = await readFile(node.logFile, 'utf8')
    } catch {
      throw new KadmError(`broker ${node.id} has no log yet (${node.logFile})`)
    }
    const lines = text.split('\n')
    if (lines.at(-1) === '') lines.pop()
    if (flags.lines > 0) process.stdout.write(lines.slice(-flags.lines).join('\n') + '\n')
    if (!flags.follow) return
    let position = Buffer.byteLength(text)
    for (;;) {
      await sleep(500)
      const size = (await stat(node.logFile)).size
      if (size < position) position = 0
      if (size > position) {
        await new Promise<void>((resolve, reject) => {
          createReadStream(node.logFile, {start: position, end: size - 1}).on('end', resolve).on('error', reject).pipe(process.stdout, {end: false})
        })
        position = size
      }
    }
  }
}
