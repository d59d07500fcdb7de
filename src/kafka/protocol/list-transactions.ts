import type {ApiSpec} from './transport.js'

export interface ListTransactionsRequest {
  /** Only transactions in these states (Ongoing, PrepareCommit, ...); empty = all. */
  stateFilters: string[]
  /** Only transactions of these producer ids; empty = all. */
  producerIdFilters: bigint[]
  /** v1+ (KIP-994, Kafka 3.8): only transactions running longer than this many ms; -1 = all. */
  durationFilterMs: number
  /** v2+ (KIP-1152, Kafka 4.1): only transactional ids matching this regular expression; null = all. */
  transactionalIdPattern: string | null
}

export interface ListedTransaction {
  transactionalId: string
  producerId: bigint
  state: string
}

export interface ListTransactionsResponse {
  errorCode: number
  unknownStateFilters: string[]
  transactions: ListedTransaction[]
}

/**
 * ListTransactions v0-2 (KIP-664, Kafka 3.0; flexible in every version). Each broker lists the
 * transactional ids whose coordinator it is: kadm asks every broker, as kafka-transactions.sh list does.
 */
export const ListTransactions: ApiSpec<ListTransactionsRequest, ListTransactionsResponse> = {
  name: 'ListTransactions',
  apiKey: 66,
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 0,
  encode(w, request, version) {
    w.compactArray(request.stateFilters, (w, s) => w.compactString(s))
    w.compactArray(request.producerIdFilters, (w, id) => w.int64(id))
    if (version >= 1) w.int64(request.durationFilterMs)
    if (version >= 2) w.compactString(request.transactionalIdPattern)
    w.tags()
  },
  decode(r) {
    r.int32() // throttle_time_ms
    const errorCode = r.int16()
    const unknownStateFilters = r.compactArray((r) => r.compactString() ?? '')
    const transactions = r.compactArray((r) => {
      const t: ListedTransaction = {transactionalId: r.compactString() ?? '', producerId: r.int64(), state: r.compactString() ?? ''}
      r.tags()
      return t
    })
    r.tags()
    return {errorCode, unknownStateFilters, transactions}
  },
}
