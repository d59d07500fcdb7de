import type {ApiSpec} from './transport.js'

export interface DeleteTopicsRequest {
  names: string[]
  timeoutMs: number
}

export interface DeleteTopicsResult {
  name: string
  errorCode: number
  errorMessage: string | null
}

/**
 * DeleteTopics v1-5 (v4 flexible, v5 with error messages; v6 names topics by id too), to a
 * broker, which forwards it to the controller (KafkaConnection.sendToController). kadm speaks it itself: kafkajs's admin, once the
 * topics are deleted, refreshes its metadata from a broker it picks, and with that broker frozen
 * waited 30 s and reported a deletion that had happened as a timeout.
 */
export const DeleteTopics: ApiSpec<DeleteTopicsRequest, DeleteTopicsResult[]> = {
  name: 'DeleteTopics',
  apiKey: 20,
  minVersion: 1,
  maxVersion: 5,
  flexibleFrom: 4,
  encode(w, request, version) {
    const v = w.versioned(version >= 4)
    v.arr(request.names, (name) => v.str(name))
    w.int32(request.timeoutMs)
    v.tags()
  },
  decode(r, version) {
    const v = r.versioned(version >= 4)
    r.int32() // throttle_time_ms
    const out = v.structs((): DeleteTopicsResult => ({name: v.str() ?? '', errorCode: r.int16(), errorMessage: version >= 5 ? v.str() : null}))
    v.tags()
    return out
  },
}
