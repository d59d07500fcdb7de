import type {ApiSpec} from './transport.js'

export interface CreatableTopic {
  name: string
  /** -1: the broker default (num.partitions), or given by `assignments`. */
  numPartitions: number
  /** -1: the broker default (default.replication.factor), or given by `assignments`. */
  replicationFactor: number
  assignments: Array<{partition: number; brokers: number[]}>
  configs: Array<{name: string; value: string}>
}

export interface CreateTopicsRequest {
  topics: CreatableTopic[]
  timeoutMs: number
  validateOnly: boolean
}

export interface CreateTopicsResult {
  name: string
  errorCode: number
  errorMessage: string | null
}

/**
 * CreateTopics v2-4 (the versions before the flexible v5 that Kafka 3.9 and 4.x all take), to a
 * broker, which forwards it to the controller (KafkaConnection.sendToController). kadm speaks it itself: kafkajs's admin sends it to
 * the broker the metadata names as controller, in KRaft any live broker, and with that broker
 * frozen the request only timed out; kafkajs also drops the broker's error message.
 */
export const CreateTopics: ApiSpec<CreateTopicsRequest, CreateTopicsResult[]> = {
  name: 'CreateTopics',
  apiKey: 19,
  minVersion: 2,
  maxVersion: 4,
  flexibleFrom: 5,
  encode(w, request) {
    w.array(request.topics, (w, t) => {
      w.string(t.name).int32(t.numPartitions).int16(t.replicationFactor)
      w.array(t.assignments, (w, a) => w.int32(a.partition).array(a.brokers, (w, b) => w.int32(b)))
      w.array(t.configs, (w, c) => w.string(c.name).string(c.value))
    })
    w.int32(request.timeoutMs).boolean(request.validateOnly)
  },
  decode(r) {
    r.int32() // throttle_time_ms
    return r.array((r): CreateTopicsResult => ({name: r.string() ?? '', errorCode: r.int16(), errorMessage: r.string()}))
  },
}
