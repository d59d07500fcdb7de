import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {KadmError} from '../../errors.js'
import {type DeleteResult, renderDeleteResult} from '../../render/groups.js'
import {kafkaNameFlag, namesGiven, noMatchWarning, selectionFlags, topicPatterns} from '../../topic-flags.js'

export default class ShareGroupsDelete extends ClusterCommand {
  static summary = 'Delete share groups and their start offsets (only groups without members), as kafka-share-groups.sh --delete.'
  static description = `DeleteGroups at each group's coordinator (Kafka 4.1+). Refuses, in one line naming them, groups that do not exist or still have members: stop those share consumers first. Asks for confirmation on a terminal; without one, pass --yes. --dry-run shows what would be deleted. On brokers older than 4.1, one line says share groups need Kafka 4.1.`
  static examples = [
    {description: 'Delete one share group (asks first on a terminal)', command: '<%= config.bin %> <%= command.id %> order-workers'},
    {description: 'Delete every share group whose name starts with "test-", from a script', command: "<%= config.bin %> <%= command.id %> 'test-*' --yes"},
    {description: 'See what would be deleted', command: '<%= config.bin %> <%= command.id %> order-workers --dry-run'},
  ]

  static strict = false
  static args = {
    group: Args.string({description: 'Share groups: names or globs (workers-*), full-match regular expressions with --regex.', ignoreStdin: true}),
  }

  static flags = {
    ...selectionFlags,
    group: kafkaNameFlag('group', 'g'),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation (needed without a terminal).'}),
    'dry-run': Flags.boolean({summary: 'Check the groups and show what would be deleted, without deleting.'}),
  }

  async run(): Promise<DeleteResult> {
    const {flags, argv} = await this.parse(ShareGroupsDelete)
    this.applyOutputFlags(flags)
    const patterns = topicPatterns(namesGiven(argv, flags.group, 'GROUP'), flags.regex)
    const connection = await this.connect(flags)
    const {activeShareGroupMessage, describeShareGroups, selectShareGroups} = await import('../../kafka/share-groups.js')
    const selection = await selectShareGroups(connection, patterns, {regex: flags.regex})
    if (selection.unmatched.length > 0) this.warning(noMatchWarning(selection.unmatched, 'share group'))
    const names = selection.ids
    if (names.length === 0) return this.emit({dryRun: flags['dry-run'], groups: []}, renderDeleteResult)
    const described = await describeShareGroups(connection, names)
    const missing = names.filter((id) => described.get(id) === null)
    if (missing.length > 0) throw new KadmError(`share group${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist`)
    const unreachable = names.filter((id) => described.get(id) === undefined)
    if (unreachable.length > 0) throw new KadmError(`the coordinator of share group${unreachable.length > 1 ? 's' : ''} ${unreachable.join(', ')} did not answer; nothing was deleted`)
    const active = names.map((id) => described.get(id)!).filter((g) => g.members.length > 0)
    if (active.length > 0) throw new KadmError(`refusing to delete: ${active.map(activeShareGroupMessage).join('; ')}`)
    return this.deleteCheckedGroups(connection, names, {kind: 'share', dryRun: flags['dry-run'], yes: flags.yes})
  }
}
