import {connect, type Socket} from 'node:net'

import type {ISocketFactory} from 'kafkajs'

/** Bytes per socket read: one buffer per connection, reused for every read. */
const READ_BUFFER_BYTES = 64 * 1024
/** As kafkajs's own socket factory. */
const KEEP_ALIVE_DELAY_MS = 60_000

/** Frames at least this large come from (and go back to) the pool below. */
const POOLED_FRAME_BYTES = 256 * 1024
/** Pooled buffers are sized in these steps, so a buffer serves responses of similar sizes. */
const POOL_STEP_BYTES = 256 * 1024
const POOL_MAX_BUFFERS = 8
const freeFrames: ArrayBuffer[] = []
const poolFrames = new WeakSet<ArrayBufferLike>()

/**
 * A buffer for a response of `size` bytes. Large ones are reused once their reader hands them
 * back (releaseFrame): reading a topic at full speed otherwise leaves every response for V8 to
 * free, which it does only after tens of MB of them (peak RSS reading 5M records: 180 MB).
 */
function frameBuffer(size: number): Buffer {
  if (size < POOLED_FRAME_BYTES) return Buffer.allocUnsafe(size)
  const at = freeFrames.findIndex((b) => b.byteLength >= size)
  const buffer = at >= 0 ? freeFrames.splice(at, 1)[0] : new ArrayBuffer(Math.ceil(size / POOL_STEP_BYTES) * POOL_STEP_BYTES)
  poolFrames.add(buffer)
  return Buffer.from(buffer, 0, size)
}

/**
 * Hands a response's memory back for the next response: `buffer` is the ArrayBuffer of any Buffer
 * taken from the response, and nothing may read that response afterwards. Buffers that did not
 * come from the pool are left alone.
 */
export function releaseFrame(buffer: ArrayBufferLike): void {
  if (!poolFrames.has(buffer) || freeFrames.length >= POOL_MAX_BUFFERS || freeFrames.includes(buffer as ArrayBuffer)) return
  freeFrames.push(buffer as ArrayBuffer)
}

/**
 * Collects the bytes a broker sends into whole frames (a 4-byte size, then that many bytes): one
 * Buffer per response, allocated once at its exact size.
 */
export class FrameAssembler {
  private readonly header = Buffer.alloc(4)
  private headerFill = 0
  private frame: Buffer | undefined
  private fill = 0

  constructor(private readonly emit: (frame: Buffer) => void) {}

  /** Takes the first `length` bytes of `chunk` (which is reused afterwards); emits every frame they complete. */
  push(chunk: Buffer, length = chunk.length): void {
    let pos = 0
    while (pos < length) {
      if (!this.frame) {
        const n = Math.min(4 - this.headerFill, length - pos)
        chunk.copy(this.header, this.headerFill, pos, pos + n)
        this.headerFill += n
        pos += n
        if (this.headerFill < 4) return
        const size = this.header.readInt32BE(0)
        if (size < 0) throw new Error(`malformed response from the broker (size ${size})`)
        this.frame = frameBuffer(4 + size)
        this.header.copy(this.frame)
        this.fill = 4
        this.headerFill = 0
      }
      const n = Math.min(this.frame.length - this.fill, length - pos)
      chunk.copy(this.frame, this.fill, pos, pos + n)
      this.fill += n
      pos += n
      if (this.fill === this.frame.length) {
        const frame = this.frame
        this.frame = undefined
        this.emit(frame)
      }
    }
  }
}

/**
 * kafkajs's sockets for plaintext connections (its `socketFactory` option). A default socket
 * hands over every read in a newly allocated buffer, which kafkajs collects and concatenates into
 * the response: reading a topic at full speed left two dead copies of every response for V8 to
 * collect, tens of MB at a time (peak RSS consuming 5M records: 180 MB). Here each connection
 * reads into one reused buffer (Node's `onread`) and kafkajs gets each response whole, in one
 * 'data' event, which it uses without copying. TLS connections keep kafkajs's factory: Node reads
 * them in its own buffers either way.
 */
export const framedSocketFactory: ISocketFactory = ({host, port, onConnect}) => {
  let socket: Socket | undefined
  const assembler = new FrameAssembler((frame) => socket!.emit('data', frame))
  const readBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES)
  socket = connect({
    host,
    port,
    onread: {
      buffer: readBuffer,
      callback(bytes) {
        try {
          assembler.push(readBuffer, bytes)
        } catch (error) {
          socket!.destroy(error as Error)
        }
        return true
      },
    },
  }, onConnect)
  socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS)
  return socket
}
