// kafkajs's own modules that kadm reaches into (only from src/kafka/kafkajs.ts, for the version pinned there).
declare module 'kafkajs/src/network/requestQueue/index.js' {
  interface RequestQueueInternals {
    pending: unknown[]
    throttledUntil: number
    throttleCheckTimeoutId: NodeJS.Timeout | null
    checkPendingRequests(): void
    scheduleCheckPendingRequests(): void
  }
  const RequestQueue: {prototype: RequestQueueInternals}
  export = RequestQueue
}

declare module 'kafkajs/src/network/connection.js' {
  interface ConnectionInternals {
    chunks: Buffer[]
    bytesBuffered: number
    processData(rawData: Buffer): void
  }
  const Connection: {prototype: ConnectionInternals}
  export = Connection
}

declare module 'kafkajs/src/protocol/encoder.js' {
  interface EncoderInternals {
    buf: Buffer
    offset: number
    writeEncoder(value: {buf: Buffer; buffer: Buffer}): EncoderInternals
  }
  const Encoder: {prototype: EncoderInternals}
  export = Encoder
}

declare module 'kafkajs/src/protocol/request.js' {
  const createRequest: (options: object) => Promise<unknown>
  export = createRequest
}
