import * as Flags from '@oclif/core/flags'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'

import {ClusterCommand} from '../cluster-command.js'
import {checkReport, resolveThresholds} from '../domain/cluster-check.js'
import {durationProblem, parseDuration} from '../domain/duration.js'
import {KadmError, UsageError} from '../errors.js'
import type {BrokerUp} from '../render/exporter-metrics.js'

const DEFAULT_LISTEN = '127.0.0.1:9308'
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export default class Exporter extends ClusterCommand {
  static summary = 'Serve consumer lag, partition health, log-dir usage and cluster check results as Prometheus metrics on /metrics.'
  static description = `A long-running HTTP endpoint for Prometheus: each scrape of /metrics reads the cluster in one batched pass (as kadm cluster check does), unless the last read is younger than --min-interval, so scrapes cannot overload the cluster. A broker that is down has kafka_broker_up 0 and its series (log dirs) are left out, as are groups and topics that are gone. Thresholds of the checks come from the context's "checks:" mapping. Stops on Ctrl-C or SIGTERM.`
  static examples = [
    {description: 'Serve on kafka_exporter\'s port', command: '<%= config.bin %> <%= command.id %> --listen 127.0.0.1:9308'},
    {description: 'Read the cluster at most every 30 seconds', command: '<%= config.bin %> <%= command.id %> --min-interval 30s'},
  ]

  static flags = {
    listen: Flags.string({summary: `Address to serve on, host:port (default ${DEFAULT_LISTEN}).`, default: DEFAULT_LISTEN}),
    'min-interval': Flags.string({summary: 'Scrapes closer together than this get the last answer again (default 10s).', default: '10s'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Exporter)
    const match = /^(\[[0-9a-fA-F:]+\]|[^\s:/]+):(\d{1,5})$/.exec(flags.listen)
    if (!match || Number(match[2]) > 65_535) throw new UsageError(`--listen "${flags.listen}" is not host:port`)
    const minInterval = parseDuration(flags['min-interval'])
    if (minInterval === undefined) throw new UsageError(durationProblem('--min-interval', flags['min-interval']))
    const timeoutMs = this.parseTimeout(flags.timeout)
    const settings = await this.resolveSettings(flags)
    let thresholds
    try {
      thresholds = resolveThresholds({}, settings.checks)
    } catch (error) {
      throw new KadmError(`context "${settings.contextName}": ${(error as Error).message}`)
    }
    const {KafkaConnection} = await import('../kafka/client.js')
    const {loadCheckSnapshot} = await import('../kafka/cluster-check.js')
    const {renderExporterMetrics, renderUnreachable} = await import('../render/exporter-metrics.js')

    // Every broker seen since start: one that leaves the metadata (fenced, down) stays listed, up 0.
    const seen = new Map<number, string>()
    const read = async (): Promise<string> => {
      const started = Date.now()
      let connection
      try {
        connection = await KafkaConnection.open(settings, {timeoutMs, verbose: Boolean(flags.verbose)})
        const metadata = await connection.metadata([])
        for (const b of metadata.brokers) seen.set(b.nodeId, `${b.host}:${b.port}`)
        const snapshot = await loadCheckSnapshot(connection, {topics: [], regex: false, groupIds: null, emptyGroupAges: true, compactKeys: true})
        const silent = new Set(connection.gaps.map((g) => g.nodeId))
        const brokers: BrokerUp[] = [...seen].sort(([a], [b]) => a - b).map(([broker, address]) => ({broker, address, up: snapshot.brokers.includes(broker) && !silent.has(broker)}))
        return renderExporterMetrics(snapshot, checkReport(snapshot, thresholds), brokers, Date.now() - started)
      } catch (error) {
        this.warning(`cannot read the cluster: ${(error as Error).message}`)
        return renderUnreachable([...seen].sort(([a], [b]) => a - b).map(([broker, address]) => ({broker, address, up: false})))
      } finally {
        await connection?.close().catch(() => {})
      }
    }

    let last: {at: number; body: Promise<string>} | undefined
    const metrics = (): Promise<string> => {
      // One read at a time; a scrape within --min-interval of the last read's start gets its answer.
      if (!last || Date.now() - last.at >= minInterval) last = {at: Date.now(), body: read()}
      return last.body
    }
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const path = (request.url ?? '/').split('?')[0]
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, {'content-type': 'text/plain'}).end('method not allowed\n')
      } else if (path === '/metrics') {
        metrics().then((body) => response.writeHead(200, {'content-type': CONTENT_TYPE}).end(request.method === 'HEAD' ? undefined : body))
      } else if (path === '/') {
        response.writeHead(200, {'content-type': 'text/html'}).end('<html><body><a href="/metrics">/metrics</a></body></html>\n')
      } else response.writeHead(404, {'content-type': 'text/plain'}).end('not found\n')
    })
    const host = match[1].replace(/^\[|\]$/g, '')
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(new KadmError(`cannot listen on ${flags.listen}: ${error.code ?? error.message}`)))
      server.listen(Number(match[2]), host, () => resolve())
    })
    this.note(`serving metrics on http://${flags.listen}/metrics`)
    await new Promise<void>((resolve) => {
      const stop = () => {
        server.close(() => resolve())
        // Prometheus keeps its connection open between scrapes.
        server.closeAllConnections()
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
  }
}
