import {ClusterCommand} from '../../../cluster-command.js'
import {featureDowngradeFlags, featureLevelFlags} from '../../../flags/features.js'
import type {FeatureChangeResult} from '../../../kafka/features.js'
import {renderFeatureChangePlan, renderFeatureChanges} from '../../../render/cluster.js'

export default class ClusterFeaturesDowngrade extends ClusterCommand {
  static summary = 'Lower finalized feature levels, after confirmation, as kafka-features.sh downgrade.'
  static description = `The controller first checks the downgrade (UpdateFeatures validateOnly), so a refused one fails with its reason on one line (exit 1) before anything is asked. Then kadm prints the levels before and after and asks on a terminal; elsewhere it needs --yes. A safe downgrade (the default) is refused when the newer levels wrote metadata the older ones cannot read; --unsafe asks for it anyway, which may lose that metadata (Kafka 3.9 and 4.x controllers refuse unsafe metadata.version downgrades). --dry-run only checks.`
  static examples = [
    {description: 'Check whether metadata.version can go back to 3.8', command: '<%= config.bin %> <%= command.id %> --metadata 3.8 --dry-run'},
    {description: 'Do it, in a script', command: '<%= config.bin %> <%= command.id %> --metadata 3.8 --yes'},
    {description: 'One feature', command: '<%= config.bin %> <%= command.id %> --feature transaction.version=1'},
  ]
  static flags = {...featureLevelFlags, ...featureDowngradeFlags}

  async run(): Promise<FeatureChangeResult> {
    const {flags} = await this.parse(ClusterFeaturesDowngrade)
    this.applyOutputFlags(flags)
    const {requestedFeatureLevels} = await import('../../../domain/features.js')
    const levels = requestedFeatureLevels(flags)
    const connection = await this.connect(flags)
    const {changeFeatures} = await import('../../../kafka/features.js')
    const result = await changeFeatures(connection, levels, {
      upgradeType: flags.unsafe ? 'unsafe-downgrade' : 'safe-downgrade',
      dryRun: flags['dry-run'],
      confirm: async (changes) => {
        if (!flags.yes) process.stderr.write(`${renderFeatureChangePlan(changes, this.chalk)}\n`)
        const what = `downgrading ${changes.map((c) => c.feature).join(', ')}`
        await this.confirmUnlessYes(flags.yes, `${what} may not be undoable`, `Downgrade ${changes.map((c) => `${c.feature} to ${c.to}`).join(', ')}?`)
      },
    })
    return this.emit(result, renderFeatureChanges)
  }
}
