import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {brokerAddress, codeOnly, KAFKAJS_VERSION, KafkajsBrokers, loadKafkajs, PATCHED_SCHEDULE_SOURCE, patchRequestQueue} from '../../src/kafka/kafkajs.js'

const ROOT = join(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)

/** A fresh copy of kafkajs's RequestQueue module, so patching it here touches no other test. */
function freshRequestQueue() {
  const path = require.resolve('kafkajs/src/network/requestQueue/index.js')
  delete require.cache[path]
  return require(path) as {prototype: Record<string, unknown>; new (options: object): Record<string, unknown> & {scheduleCheckPendingRequests(): void; checkPendingRequests(): void; destroy(): void}}
}

/** The delays of the timers `work` arms (none of them runs). */
function timerDelays(work: () => void): number[] {
  const delays: number[] = []
  const original = globalThis.setTimeout
  globalThis.setTimeout = ((_: () => void, ms: number) => {
    delays.push(ms)
    return original(() => {}, 0)
  }) as typeof setTimeout
  try {
    work()
  } finally {
    globalThis.setTimeout = original
  }
  return delays
}

const logger = {debug() {}, info() {}, warn() {}, error() {}}
const queueOptions = {maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: 'b:1', logger}

describe('the kafkajs kadm is built on', () => {
  it('is the exact release pinned in package.json and installed', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    expect(manifest.dependencies.kafkajs).toBe(KAFKAJS_VERSION)
    expect(JSON.parse(readFileSync(require.resolve('kafkajs/package.json'), 'utf8')).version).toBe(KAFKAJS_VERSION)
  })

  it('still has the timer code kadm patches, word for word', () => {
    const RequestQueue = freshRequestQueue()
    expect(String(RequestQueue.prototype.scheduleCheckPendingRequests)).toBe(PATCHED_SCHEDULE_SOURCE)
  })

  it('recognises that code as the bundler prints it, and nothing else', () => {
    const bundled = `scheduleCheckPendingRequests() {
        let scheduleAt = this.throttledUntil - Date.now();
        if (!this.throttleCheckTimeoutId) {
          if (this.pending.length > 0) {
            scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL;
          }
          this.throttleCheckTimeoutId = setTimeout(() => {
            this.throttleCheckTimeoutId = null;
            this.checkPendingRequests();
          }, scheduleAt);
        }
      }`
    expect(codeOnly(bundled)).toBe(codeOnly(PATCHED_SCHEDULE_SOURCE))
    expect(codeOnly(bundled.replace('scheduleAt > 0', 'scheduleAt >= 0'))).not.toBe(codeOnly(PATCHED_SCHEDULE_SOURCE))
  })

  it('as shipped, arms a negative timer for an empty queue (the cause of Node 24\'s TimeoutNegativeWarning)', () => {
    const RequestQueue = freshRequestQueue()
    const queue = new RequestQueue(queueOptions)
    const delays = timerDelays(() => queue.checkPendingRequests())
    queue.destroy()
    expect(delays).toHaveLength(1)
    expect(delays[0]).toBeLessThan(0)
  })

  it('patched: no timer for an empty queue, the throttle\'s end or a short re-check when requests wait', () => {
    const RequestQueue = freshRequestQueue()
    expect(patchRequestQueue(RequestQueue as never)).toBe(true)
    // Patching twice (or another release) is refused: the source no longer matches.
    expect(patchRequestQueue(RequestQueue as never)).toBe(false)

    const queue = new RequestQueue(queueOptions)
    try {
      expect(timerDelays(() => queue.checkPendingRequests())).toEqual([])
      expect(queue.throttleCheckTimeoutId).toBeNull()

      queue.pending = [{}]
      queue.throttledUntil = Date.now() + 5000
      const throttled = timerDelays(() => {
        queue.scheduleCheckPendingRequests()
        // One timer at a time.
        queue.scheduleCheckPendingRequests()
      })
      expect(throttled).toHaveLength(1)
      expect(throttled[0]).toBeGreaterThan(4000)
      expect(throttled[0]).toBeLessThanOrEqual(5000)

      queue.destroy()
      queue.throttledUntil = -1
      expect(timerDelays(() => queue.scheduleCheckPendingRequests())).toEqual([10])
    } finally {
      queue.pending = []
      queue.destroy()
    }
  })

  it('still has the broker pool kadm drives: seeds round robin over the bootstrap servers, brokers added by id', async () => {
    const {Kafka} = await loadKafkajs()
    const brokers = KafkajsBrokers.of(new Kafka({brokers: ['127.0.0.1:1', '127.0.0.1:2'], logLevel: 0}))
    expect(brokers.seed).toBeUndefined()
    expect(await brokers.nextSeed()).toBeUndefined()
    const first = brokers.seed!
    expect(brokerAddress(first)).toBe('127.0.0.1:1')
    expect(await brokers.nextSeed()).toBe(first)
    expect(brokerAddress(brokers.seed!)).toBe('127.0.0.1:2')
    for (const method of ['connect', 'disconnect', 'isConnected'] as const) expect(typeof brokers.seed![method]).toBe('function')
    // The seed is recognised by its address and gets its id; another broker is created.
    await brokers.add({nodeId: 2, host: '127.0.0.1', port: 2, rack: null})
    await brokers.add({nodeId: 7, host: 'kafka-7', port: 9092, rack: 'r1'})
    expect(brokers.byId(2)).toBe(brokers.seed)
    expect(brokers.all().map((b) => [b.nodeId, brokerAddress(b)])).toEqual([[2, '127.0.0.1:2'], [7, 'kafka-7:9092']])
    await brokers.disconnect()
  })
})
