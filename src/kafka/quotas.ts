import {entityName, type QuotaEntity, type QuotaEntityType, type QuotaEntry, sortQuotaEntries} from '../domain/quotas.js'
import {KadmError} from '../errors.js'
import type {KafkaConnection} from './client.js'
import {AlterClientQuotas} from './protocol/alter-client-quotas.js'
import {DescribeClientQuotas, QUOTA_MATCH, type QuotaEntityPart} from './protocol/describe-client-quotas.js'
import {errorName, KafkaProtocolError} from './protocol/errors.js'
import {untilBrokersShow} from './propagation.js'

const parts = (entity: QuotaEntity): QuotaEntityPart[] => Object.entries(entity).map(([type, name]) => ({type, name: name ?? null}))

function fromParts(entity: QuotaEntityPart[]): QuotaEntity {
  return Object.fromEntries(entity.map((p) => [p.type as QuotaEntityType, p.name]))
}

function request(entity: QuotaEntity | undefined) {
  // No entity: every quota (no component, not strict). One entity: exactly it (strict).
  if (!entity) return {components: [], strict: false}
  return {components: parts(entity).map((p) => ({type: p.type, match: p.name === null ? QUOTA_MATCH.default : QUOTA_MATCH.exact, name: p.name})), strict: true}
}

function entries(response: {errorCode: number; errorMessage: string | null; entries: Array<{entity: QuotaEntityPart[]; values: Array<{key: string; value: number}>}>}): QuotaEntry[] {
  if (response.errorCode !== 0) throw new KafkaProtocolError(response.errorCode, response.errorMessage, 'DescribeClientQuotas')
  return sortQuotaEntries(response.entries.map((e) => {
    const entity = fromParts(e.entity)
    return {entity, name: entityName(entity), quotas: Object.fromEntries(e.values.map((v) => [v.key, v.value]).sort())}
  }))
}

/** The quotas of one entity, or every quota set in the cluster; any broker answers (the metadata is on each). */
export async function describeQuotas(connection: KafkaConnection, entity?: QuotaEntity): Promise<QuotaEntry[]> {
  return entries(await connection.sendAny(DescribeClientQuotas, request(entity)))
}

/**
 * Sets and removes quota keys of one entity (validated only with `validateOnly`), then waits
 * until every broker shows the change (untilBrokersShow): each learns it from the metadata log.
 */
export async function alterQuotas(connection: KafkaConnection, entity: QuotaEntity, change: {set: Record<string, number>; remove: string[]}, validateOnly: boolean): Promise<void> {
  const ops = [...Object.entries(change.set).map(([key, value]) => ({key, value, remove: false})), ...change.remove.map((key) => ({key, value: 0, remove: true}))]
  const [result] = await connection.sendToController(AlterClientQuotas, {entries: [{entity: parts(entity), ops}], validateOnly}, Math.max(connection.options.timeoutMs, 30_000))
  if (result && result.errorCode !== 0) throw new KadmError(`cannot change the quotas of ${entityName(entity)}: ${errorName(result.errorCode)}${result.errorMessage ? ` (${result.errorMessage})` : ''}`)
  if (validateOnly) return
  const shows = (e: QuotaEntry[]) => {
    const quotas = e[0]?.quotas ?? {}
    return Object.entries(change.set).every(([k, v]) => quotas[k] === v) && change.remove.every((k) => !(k in quotas))
  }
  await untilBrokersShow(connection, 'changed', async (id) => shows(entries(await connection.send(await connection.broker(id), DescribeClientQuotas, request(entity)))))
}
