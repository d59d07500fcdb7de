import type {ChalkInstance} from 'chalk'

import type {ScramUser} from '../domain/scram.js'
import {renderTable} from './table.js'

export interface CredentialRow {
  user: string
  mechanism: string
  iterations: number
  /** What a change did or would do to the credential (set-password, delete). */
  action?: 'create' | 'replace' | 'delete'
}

export function credentialRows(users: ScramUser[]): CredentialRow[] {
  return users.flatMap((u) => u.credentials.map((c) => ({user: u.user, mechanism: c.mechanism, iterations: c.iterations})))
}

/** One line per user and mechanism: what kafka-configs prints as "SCRAM-SHA-256=iterations=4096". */
export function renderCredentials(rows: CredentialRow[], chalk: ChalkInstance): string {
  if (rows.length === 0) return ''
  return renderTable(rows, [
    {header: 'USER', value: (r) => r.user},
    {header: 'MECHANISM', value: (r) => r.mechanism},
    {header: 'ITERATIONS', value: (r) => String(r.iterations)},
    ...(rows.some((r) => r.action) ? [{header: 'ACTION', value: (r: CredentialRow) => r.action}] : []),
  ], chalk)
}
