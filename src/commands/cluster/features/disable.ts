import * as Flags from '@oclif/core/flags'

import {ClusterCommand} from '../../../cluster-command.js'
import {featureDowngradeFlags} from '../../../flags/features.js'
import type {FeatureChangeResult} from '../../../kafka/features.js'
import {renderFeatureChangePlan, renderFeatureChanges} from '../../../render/cluster.js'

export default class ClusterFeaturesDisable extends ClusterCommand {
  static summary = 'Turn features off (finalized level 0), after confirmation, as kafka-features.sh disable.'
  static description = `A downgrade to level 0: checked by the controller first (a refusal is one line, exit 1), then confirmed on a terminal or with --yes. metadata.version cannot be disabled.`
  static examples = [
    {description: 'Check, then turn group.version off in a script', command: '<%= config.bin %> <%= command.id %> --feature group.version --dry-run\n<%= config.bin %> <%= command.id %> --feature group.version --yes'},
  ]
  static flags = {
    feature: Flags.string({summary: 'Feature name, e.g. group.version; repeatable.', multiple: true, multipleNonGreedy: true, required: true}),
    'dry-run': Flags.boolean({summary: 'Only ask the controller whether it would accept the change; nothing is changed.', default: false}),
    ...featureDowngradeFlags,
  }

  async run(): Promise<FeatureChangeResult> {
    const {flags} = await this.parse(ClusterFeaturesDisable)
    this.applyOutputFlags(flags)
    const {requestedFeatureLevels} = await import('../../../domain/features.js')
    const levels = requestedFeatureLevels({feature: flags.feature.map((name) => `${name}=0`)})
    const connection = await this.connect(flags)
    const {changeFeatures} = await import('../../../kafka/features.js')
    const result = await changeFeatures(connection, levels, {
      upgradeType: flags.unsafe ? 'unsafe-downgrade' : 'safe-downgrade',
      dryRun: flags['dry-run'],
      confirm: async (changes) => {
        if (!flags.yes) process.stderr.write(`${renderFeatureChangePlan(changes, this.chalk)}\n`)
        const names = changes.map((c) => c.feature).join(', ')
        await this.confirmUnlessYes(flags.yes, `disabling ${names} may not be undoable`, `Disable ${names}?`)
      },
    })
    return this.emit(result, renderFeatureChanges)
  }
}
