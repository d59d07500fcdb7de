import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {brokerAddress, codeOnly, CREATE_REQUEST_LINES, IN_PLACE, KAFKAJS_VERSION, KafkajsBrokers, loadKafkajs, PATCHED_SCHEDULE_SOURCE, PATCHED_WRITE_ENCODER_SOURCE, patchConnection, patchEncoder, patchRequestQueue, PROCESS_DATA_LINES} from '../../src/kafka/kafkajs.js'
import {BatchBuilder, inPlacePayload, Produce, produceRoom} from '../../src/kafka/protocol/produce.js'
import {Writer} from '../../src/kafka/protocol/codec.js'
import {producedRecord} from '../../src/domain/record-format.js'
import {FrameAssembler, releaseFrame} from '../../src/kafka/framed-socket.js'

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
    expect(manifest.devDependencies.kafkajs).toBe(KAFKAJS_VERSION)
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

/** A fresh copy of kafkajs's Connection module. */
function freshConnection() {
  const path = require.resolve('kafkajs/src/network/connection.js')
  delete require.cache[path]
  return require(path) as {prototype: {processData(rawData: Buffer): void}}
}

/** A kafkajs response frame: size, correlation id, payload. */
function frame(correlationId: number, payload: string): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from(payload)])
  body.writeInt32BE(correlationId)
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length)
  // Its own ArrayBuffer (small Buffers share a pool), so the test can tell a view from a copy.
  const own = Buffer.allocUnsafeSlow(4 + body.length)
  Buffer.concat([size, body]).copy(own)
  return own
}

describe('kafkajs connections fed whole responses', () => {
  it('still collect responses with the code kadm patches', () => {
    const source = codeOnly(String(freshConnection().prototype.processData))
    for (const line of PROCESS_DATA_LINES) expect(source).toContain(codeOnly(line))
  })

  for (const patched of [false, true]) {
    it(`${patched ? 'patched: take a whole response without copying it' : 'as shipped: copy every response after the first'}, and hand over the same payloads either way`, () => {
      const Connection = freshConnection()
      if (patched) {
        expect(patchConnection(Connection as never)).toBe(true)
        expect(patchConnection(Connection as never)).toBe(false)
      }
      const fulfilled: Array<{correlationId: number; payload: Buffer}> = []
      const connection = Object.assign(Object.create(Connection.prototype), {
        chunks: [], bytesBuffered: 0, bytesNeeded: 4, authHandlers: null,
        requestQueue: {fulfillRequest: (r: {correlationId: number; payload: Buffer}) => fulfilled.push(r)},
      }) as {processData(rawData: Buffer): void}
      const frames = [frame(1, 'one'), frame(2, 'two'), frame(3, 'three')]
      for (const f of frames) connection.processData(f)
      // A response split across reads is put together either way.
      const split = frame(4, 'four')
      connection.processData(split.subarray(0, 6))
      connection.processData(split.subarray(6))
      expect(fulfilled.map((r) => [r.correlationId, r.payload.toString()])).toEqual([[1, 'one'], [2, 'two'], [3, 'three'], [4, 'four']])
      // Without the patch the second and third responses are copies; with it, views of the frames.
      expect(fulfilled.slice(1, 3).map((r, i) => r.payload.buffer === frames[i + 1].buffer)).toEqual([patched, patched])
    })
  }
})

/** Fresh copies of kafkajs's Encoder and of the request framing that uses it. */
function freshFraming() {
  const encoderPath = require.resolve('kafkajs/src/protocol/encoder.js')
  const requestPath = require.resolve('kafkajs/src/protocol/request.js')
  delete require.cache[encoderPath]
  delete require.cache[requestPath]
  const Encoder = require(encoderPath) as {prototype: {writeEncoder(value: unknown): unknown}}
  const createRequest = require(requestPath) as (options: object) => Promise<{buffer: Buffer}>
  return {Encoder, createRequest}
}

describe('requests framed in place', () => {
  it('still frame requests with the code kadm patches', () => {
    const {Encoder, createRequest} = freshFraming()
    expect(String(Encoder.prototype.writeEncoder)).toBe(PATCHED_WRITE_ENCODER_SOURCE)
    for (const line of CREATE_REQUEST_LINES) expect(codeOnly(String(createRequest))).toContain(codeOnly(line))
  })

  it('frame a Produce request in the room before its batch, byte for byte as kafkajs frames a copy, and copy anything else', async () => {
    const builder = new BatchBuilder(produceRoom('orders'))
    for (let i = 0; i < 50; i++) builder.add(producedRecord(Buffer.from(`k${i}`), Buffer.from(`value ${i}`), [['h', Buffer.from('x')]]), 1_700_000_000_000 + i)
    const batch = await builder.finish({compressionType: 0, producerId: 7n, producerEpoch: 1, baseSequence: 0})
    const request = {acks: -1, timeoutMs: 30_000, topics: [{topic: 'orders', partitions: [{partition: 3, batch}]}]}
    const copied = new Writer()
    Produce.encode(copied, request, 8)
    const body = copied.toBuffer()
    const frameOf = async (createRequest: (options: object) => Promise<{buffer: Buffer}>, payload: object) =>
      (await createRequest({correlationId: 42, clientId: 'kadm', request: {apiKey: 0, apiVersion: 8, encode: async () => payload}})).buffer

    const shipped = freshFraming()
    const expected = await frameOf(shipped.createRequest, {buf: body, buffer: body})
    const patched = freshFraming()
    expect(patchEncoder(patched.Encoder as never, patched.createRequest as never)).toBe(true)
    expect(patchEncoder(patched.Encoder as never, patched.createRequest as never)).toBe(false)

    const inPlace = inPlacePayload(request)!
    expect(inPlace[IN_PLACE].frame.buffer).toBe(batch.buffer)
    const framed = await frameOf(patched.createRequest, inPlace)
    expect(framed.equals(expected)).toBe(true)
    expect(framed.buffer).toBe(batch.buffer)
    // Once only: a second send of the same batch (a retry) is copied.
    expect(inPlacePayload(request)).toBeUndefined()
    // A payload without the mark, or without room for the header, is copied as before.
    const plain = await frameOf(patched.createRequest, {buf: body, buffer: body})
    expect(plain.equals(expected)).toBe(true)
    expect(plain.buffer).not.toBe(body.buffer)
    const tight = Buffer.concat([Buffer.alloc(4), body])
    const cramped = await frameOf(patched.createRequest, {buf: tight.subarray(4), buffer: tight.subarray(4), [IN_PLACE]: {frame: tight, start: 4}})
    expect(cramped.equals(expected)).toBe(true)
  })
})

describe('FrameAssembler', () => {
  it('emits each size-prefixed frame whole, however the bytes are split, from a reused read buffer', () => {
    const frames = [frame(1, 'a'), frame(2, ''), frame(3, 'x'.repeat(300))]
    const stream = Buffer.concat(frames)
    for (const step of [1, 3, 4, 5, 7, 64, stream.length]) {
      const out: Buffer[] = []
      const assembler = new FrameAssembler((f) => out.push(Buffer.from(f)))
      const readBuffer = Buffer.alloc(step)
      for (let at = 0; at < stream.length; at += step) {
        const n = stream.copy(readBuffer, 0, at, Math.min(at + step, stream.length))
        assembler.push(readBuffer, n)
        readBuffer.fill(0xee)
      }
      expect(out).toEqual(frames)
    }
  })

  it('reads a large response into a buffer handed back by the reader of an earlier one, and never into one still in use', () => {
    const frames: Buffer[] = []
    const assembler = new FrameAssembler((f) => frames.push(f))
    const large = Buffer.alloc(300 * 1024, 1)
    large.writeInt32BE(large.length - 4)
    assembler.push(large)
    assembler.push(large)
    // Both in use: two buffers.
    expect(frames[1].buffer).not.toBe(frames[0].buffer)
    releaseFrame(frames[0].buffer)
    releaseFrame(Buffer.alloc(300 * 1024).buffer) // not from the pool: ignored
    assembler.push(large)
    expect(frames[2].buffer).toBe(frames[0].buffer)
    expect(frames[2]).toEqual(large)
    assembler.push(large)
    expect([frames[0].buffer, frames[1].buffer]).not.toContain(frames[3].buffer)
  })

  it('refuses a negative frame size', () => {
    expect(() => new FrameAssembler(() => {}).push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(/malformed response/)
  })
})
