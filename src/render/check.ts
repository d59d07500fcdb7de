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
  const scope = `${c.checks} checks on ${c.brokers} brokers, ${c.topics} topics, ${c.partitions} partitions, ${c.groups} groups`
  const errors = report.findings.filter((f) => f.severity === 'error').length
  const warnings = report.findings.length - errors
  const summary = report.findings.length === 0
    ? chalk.green(`No findings (${scope})`)
    : `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} (${scope})`
  return [...blocks, summary].join('\n\n')
}
