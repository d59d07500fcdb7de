import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../cluster-command.js'
import {KadmError} from '../../errors.js'
import {kafkaNameFlag, namesGiven, selectionFlags, topicPatterns} from '../../topic-flags.js'
import {type DeleteResult, renderDeleteResult} from '../../render/groups.js'

export default class ConsumerGroupsDelete extends ClusterCommand {
  static aliases = ['groups:delete']
  static summary = 'Delete consumer groups and their committed offsets (only groups without active members).'
  static description = `Refuses, in one line naming them, groups that still have members: stop those consumers first. Asks for confirmation on a terminal; without one, pass --yes. --dry-run shows what would be deleted.`
  static examples = [
    {description: 'Delete one group (asks first on a terminal)', command: '<%= config.bin %> <%= command.id %> old-reporting'},
    {description: 'Delete several groups from a script', command: '<%= config.bin %> <%= command.id %> old-reporting old-billing --yes'},
    {description: 'See what would be deleted', command: '<%= config.bin %> <%= command.id %> old-reporting --dry-run'},
  ]

  static strict = false
  static args = {
    group: Args.string({description: 'Groups: names or globs (orders-*), full-match regular expressions with --regex.', ignoreStdin: true}),
  }

  static flags = {
    ...selectionFlags,
    group: kafkaNameFlag('group', 'g'),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation (needed without a terminal).'}),
    'dry-run': Flags.boolean({summary: 'Check the groups and show what would be deleted, without deleting.'}),
  }

  async run(): Promise<DeleteResult> {
    const {flags, argv} = await this.parse(ConsumerGroupsDelete)
    this.applyOutputFlags(flags)
    const given = await this.pickWhenMissing('group', namesGiven(argv, flags.group), flags)
    const patterns = topicPatterns(namesGiven(given, undefined, 'GROUP'), flags.regex)
    const connection = await this.connect(flags)
    const {loadGroupLags, missingConsumerGroupsError} = await import('../../kafka/groups.js')
    const selection = await this.selectGroups(connection, patterns, flags.regex)
    const names = selection.ids ?? []
    const loaded = await loadGroupLags(connection, {groupIds: names, offsets: false})
    if (loaded.missing.length > 0) throw await missingConsumerGroupsError(connection, loaded.missing)
    if (names.length === 0) return this.emit({dryRun: flags['dry-run'], groups: []}, renderDeleteResult)
    const active = loaded.groups.filter((g) => g.members.length > 0)
    if (active.length > 0) {
      const list = active.map((g) => `${g.groupId} (${g.state}, ${g.members.length} member${g.members.length > 1 ? 's' : ''}: ${g.members.map((m) => `${m.clientId}@${m.host}`).join(', ')})`)
      throw new KadmError(`refusing to delete groups with active members: ${list.join('; ')}`, {hint: 'stop their consumers first'})
    }
    return this.deleteCheckedGroups(connection, names, {kind: 'consumer', dryRun: flags['dry-run'], yes: flags.yes})
  }
}
