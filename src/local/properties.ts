import {randomBytes} from 'node:crypto'

export interface NodeLayout {
  id: number
  port: number
  controllerPort: number
  /** The first log dir: it holds meta.properties and the KRaft metadata log. */
  logDir: string
  /** Every log dir of the node (log.dirs), the first one being `logDir`. Absent in state files of older kadm: `[logDir]`. */
  logDirs?: string[]
}

/**
 * Broker ports are port, port+1, ...; controller ports start 100 above. With several log dirs
 * per node, the first is dataDirOf(id) and the others add -2, -3, ... to it.
 */
export function layoutNodes(count: number, basePort: number, dataDirOf: (id: number) => string, logDirCount = 1): NodeLayout[] {
  return Array.from({length: count}, (_, i) => {
    const first = dataDirOf(i + 1)
    return {
      id: i + 1,
      port: basePort + i,
      controllerPort: basePort + 100 + i,
      logDir: first,
      logDirs: Array.from({length: logDirCount}, (_, k) => (k === 0 ? first : `${first}-${k + 1}`)),
    }
  })
}

export function logDirsOf(node: NodeLayout): string[] {
  return node.logDirs ?? [node.logDir]
}

/**
 * A combined broker+controller KRaft node on loopback. Internal topics are sized to the node
 * count, the offsets topic has 12 partitions (not 50) so the first group on a small machine is
 * quick, and topics are never created by accident (auto.create.topics.enable=false).
 */
export function serverProperties(node: NodeLayout, all: NodeLayout[], kafkaMajor: number, overrides: Record<string, string> = {}): string {
  const n = all.length
  const minIsr = Math.min(2, n)
  const props: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': node.id,
    'controller.quorum.voters': all.map((x) => `${x.id}@127.0.0.1:${x.controllerPort}`).join(','),
    listeners: `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': logDirsOf(node).join(','),
    'num.partitions': 1,
    'default.replication.factor': Math.min(3, n),
    'offsets.topic.replication.factor': Math.min(3, n),
    'offsets.topic.num.partitions': 12,
    'transaction.state.log.replication.factor': Math.min(3, n),
    'transaction.state.log.min.isr': minIsr,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': 'false',
    'log.cleaner.dedupe.buffer.size': 16_777_216,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'log.retention.check.interval.ms': 300_000,
  }
  if (kafkaMajor >= 4) {
    props['share.coordinator.state.topic.replication.factor'] = Math.min(3, n)
    props['share.coordinator.state.topic.min.isr'] = minIsr
  }
  return Object.entries({...props, ...overrides}).map(([k, v]) => `${k}=${v}`).join('\n') + '\n'
}

/** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding, not starting with "-". */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    if (!id.startsWith('-')) return id
  }
}
