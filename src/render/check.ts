import type {ChalkInstance} from 'chalk'

import type {CheckReport} from '../domain/cluster-check.js'

/** Objects listed per finding in the table (-o json lists them all). */
const LISTED_OBJECTS = 10

/**
 * `kadm cluster check`: one block per finding, errors first: severity, check and what it found,
 * the objects concerned, why it matters and the command that inspects or fixes it; then a summary.
 */
export function renderCheckReport(report: CheckReport, chalk: ChalkInstance): string {
  const blocks = report.findings.map((f) => {
    const label = f.severity === 'error' ? chalk.red('ERROR') : chalk.yellow('WARN ')
    const more = f.objects.length > LISTED_OBJECTS ? ` and ${f.objects.length - LISTED_OBJECTS} more` : ''
    return [
      `${label}  ${chalk.bold(f.check)}: ${f.message}`,
      `       ${f.objects.slice(0, LISTED_OBJECTS).join(', ')}${more}`,
      `       why: ${f.why}`,
      `       fix: ${f.fix}`,
    ].join('\n')
  })
  const c = report.checked
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`
  const scope = `${count(c.checks, 'check')} on ${count(c.brokers, 'broker')}, ${count(c.topics, 'topic')}, ${count(c.partitions, 'partition')}, ${count(c.groups, 'group')}`
  const errors = report.findings.filter((f) => f.severity === 'error').length
  const warnings = report.findings.length - errors
  const summary = report.findings.length === 0
    ? chalk.green(`No findings (${scope})`)
    : `${count(report.findings.length, 'finding')}: ${count(errors, 'error')}, ${count(warnings, 'warning')} (${scope})`
  return [...blocks, summary].join('\n\n')
}
