import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {type DeletionResult, renderDeletion, renderDeletionPlan} from '../../render/topics.js'
import {selectionFlags, topicPatterns} from '../../topic-flags.js'

export default class TopicsDelete extends ClusterCommand {
  static summary = 'Delete topics by name, glob or regex, after confirmation.'
  static description = `Prints the topics it would delete. On a terminal it asks for confirmation; elsewhere it needs --yes. A pattern never selects internal topics; naming one needs --force. Returns once the metadata no longer lists the topics.`
  static strict = false
  static args = {name: Args.string({description: 'Topic name(s) or patterns (one picked from a list on a terminal when left out).', ignoreStdin: true})}
  static examples = [
    {description: 'Delete one topic (asks first)', command: '<%= config.bin %> <%= command.id %> orders'},
    {description: 'Delete every topic matching a glob, in a script', command: '<%= config.bin %> <%= command.id %> "tmp-*" --yes'},
    {description: 'See what a regex would delete', command: '<%= config.bin %> <%= command.id %> --regex "test-[0-9]+" --dry-run'},
    {description: 'No error when it is already gone', command: '<%= config.bin %> <%= command.id %> orders --if-exists --yes'},
  ]
  static flags = {
    ...selectionFlags,
    yes: Flags.boolean({char: 'y', summary: 'Delete without asking (required when stdin or stdout is not a terminal).'}),
    'if-exists': Flags.boolean({summary: 'No error for names that do not exist.'}),
    force: Flags.boolean({summary: 'Allow deleting internal topics named explicitly.'}),
    'dry-run': Flags.boolean({summary: 'Only print what would be deleted.'}),
  }

  async run(): Promise<DeletionResult> {
    const {argv, flags} = await this.parse(TopicsDelete)
    this.applyOutputFlags(flags)
    const given = argv.map(String)
    // A picked name is a name, even with --regex.
    const regex = flags.regex && given.length > 0
    const patterns = topicPatterns(await this.requireOrPick('topic', given, flags, 'NAME'), regex)
    const connection = await this.connect(flags)
    const {deleteTopics, planTopicDeletion} = await import('../../kafka/topics.js')
    const plan = await planTopicDeletion(connection, {patterns, regex}, {ifExists: flags['if-exists'], force: flags.force})
    if (plan.length === 0 || flags['dry-run']) return this.emit({deleted: plan, dryRun: flags['dry-run']}, renderDeletion)
    const topics = `${plan.length} topic${plan.length > 1 ? 's' : ''}`
    if (!flags.yes) process.stderr.write(`${renderDeletionPlan(plan, this.chalk)}\n`)
    await this.confirmUnlessYes(flags.yes, `deleting ${topics} cannot be undone`, `Delete ${topics}? This cannot be undone.`)
    await deleteTopics(connection, plan.map((t) => t.name), this.parseTimeout(flags.timeout))
    return this.emit({deleted: plan, dryRun: false}, renderDeletion)
  }
}
