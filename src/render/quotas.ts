import type {ChalkInstance} from 'chalk'

import type {QuotaEntry, ResolvedQuota} from '../domain/quotas.js'
import {renderTable} from './table.js'

/** One line per entity and quota key, as kafka-configs lists "Quota configs for ... are key=value". */
export function renderQuotas(entries: QuotaEntry[], chalk: ChalkInstance): string {
  const rows = entries.flatMap((e) => Object.entries(e.quotas).map(([key, value]) => ({entity: e.name, key, value})))
  if (rows.length === 0) return ''
  return renderTable(rows, [
    {header: 'ENTITY', value: (r) => r.entity},
    {header: 'QUOTA', value: (r) => r.key},
    {header: 'VALUE', value: (r) => String(r.value), align: 'right'},
  ], chalk)
}

export function renderResolved(quotas: ResolvedQuota[], chalk: ChalkInstance): string {
  return renderTable(quotas, [
    {header: 'QUOTA', value: (q) => q.key},
    {header: 'VALUE', value: (q) => (q.value === null ? 'unlimited' : String(q.value)), align: 'right'},
    {header: 'FROM', value: (q) => q.from ?? '-'},
  ], chalk)
}
