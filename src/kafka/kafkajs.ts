import {commonjsExports} from '../commonjs.js'
import {KadmError} from '../errors.js'

export type Kafkajs = typeof import('kafkajs')
type RequestQueueClass = typeof import('kafkajs/src/network/requestQueue/index.js')

/**
 * The kafkajs release kadm is built on, pinned exactly in package.json: kadm reaches into its
 * internals (here, and its broker connections in client.ts and protocol/transport.ts), which no
 * other release promises to keep. test/unit/kafkajs.test.ts fails when either changes.
 */
export const KAFKAJS_VERSION = '2.2.4'

/**
 * kafkajs 2.2.4's RequestQueue.scheduleCheckPendingRequests, word for word: the code that
 * patchRequestQueue replaces. Compared (as code, see codeOnly) before patching, so a different kafkajs is never patched blind.
 */
export const PATCHED_SCHEDULE_SOURCE = `scheduleCheckPendingRequests() {
    // If we're throttled: Schedule checkPendingRequests when the throttle
    // should be resolved. If there is already something scheduled we assume that that
    // will be fine, and potentially fix up a new timeout if needed at that time.
    // Note that if we're merely "overloaded" by having too many inflight requests
    // we will anyways check the queue when one of them gets fulfilled.
    let scheduleAt = this.throttledUntil - Date.now()
    if (!this.throttleCheckTimeoutId) {
      if (this.pending.length > 0) {
        scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL
      }
      this.throttleCheckTimeoutId = setTimeout(() => {
        this.throttleCheckTimeoutId = null
        this.checkPendingRequests()
      }, scheduleAt)
    }
  }`

/** Source without comments, semicolons and white space: the bundler reformats kafkajs's code, not its tokens. */
export function codeOnly(source: string): string {
  return source.replace(/\/\/[^\n]*/g, '').replace(/[\s;]+/g, '')
}

/** How soon kafkajs looks again at requests waiting for an in-flight slot (its CHECK_PENDING_REQUESTS_INTERVAL). */
const CHECK_PENDING_MS = 10

/**
 * kafkajs checks its queue of waiting requests after every response, and then always arms a timer
 * to check again, even with nothing waiting: `throttledUntil` starts at -1, so the delay is about
 * minus Date.now(). Node clamps it to 1 ms, so every connection re-checks an empty queue every
 * millisecond for as long as it is open, and Node 24 warns about it on stderr
 * (TimeoutNegativeWarning). A timer is only needed when requests wait: at the end of a broker's
 * throttle, or shortly for an in-flight slot (a response also checks).
 */
export function patchRequestQueue(RequestQueue: RequestQueueClass): boolean {
  const proto = RequestQueue.prototype
  if (codeOnly(proto.scheduleCheckPendingRequests.toString()) !== codeOnly(PATCHED_SCHEDULE_SOURCE)) return false
  proto.scheduleCheckPendingRequests = function scheduleCheckPendingRequests() {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return
    const untilThrottleEnds = this.throttledUntil - Date.now()
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null
      this.checkPendingRequests()
    }, untilThrottleEnds > 0 ? untilThrottleEnds : CHECK_PENDING_MS)
  }
  return true
}

/**
 * kafkajs's internal Cluster of a client: its broker pool, with connections that are already
 * authenticated and have negotiated versions, is what kadm sends its own requests over. kafkajs
 * builds it behind a private symbol; there is no public way.
 */
export function kafkajsCluster(kafka: InstanceType<Kafkajs['Kafka']>): unknown {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster')
  if (!symbol) throw new KadmError(`unsupported kafkajs version: cannot reach its cluster object (kadm is built on kafkajs ${KAFKAJS_VERSION})`)
  const create = (kafka as unknown as Record<symbol, (options: object) => unknown>)[symbol]
  return create({allowAutoTopicCreation: false})
}

let loaded: Promise<Kafkajs> | undefined

/** kafkajs (CommonJS), loaded once, patched, and only by the commands that connect. */
export function loadKafkajs(): Promise<Kafkajs> {
  loaded ??= Promise.all([import('kafkajs'), import('kafkajs/src/network/requestQueue/index.js')]).then(([kafkajs, requestQueue]) => {
    patchRequestQueue(commonjsExports(requestQueue) as RequestQueueClass)
    return commonjsExports(kafkajs)
  })
  return loaded
}
