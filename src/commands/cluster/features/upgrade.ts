import {ClusterCommand} from '../../../cluster-command.js'
import {featureLevelFlags} from '../../../flags/features.js'
import type {FeatureChangeResult} from '../../../kafka/features.js'
import {renderFeatureChanges} from '../../../render/cluster.js'

export default class ClusterFeaturesUpgrade extends ClusterCommand {
  static summary = 'Raise finalized feature levels (metadata.version, group.version, ...), as kafka-features.sh upgrade.'
  static description = `Asks the controller (UpdateFeatures, through any broker) to finalize the levels given; it refuses a level some broker or controller does not support, a lower level (use downgrade) and a level whose dependencies are not met, and kadm prints its reason on one line (exit 1). --dry-run asks it to check without changing anything. Raising metadata.version cannot always be undone: upgrade once every broker runs the new release. Prints each feature's level before and after; the table of \`kadm cluster features\` shows the new levels.`
  static examples = [
    {description: 'Check first, then move metadata.version to the last level of 3.9', command: '<%= config.bin %> <%= command.id %> --metadata 3.9 --dry-run\n<%= config.bin %> <%= command.id %> --metadata 3.9'},
    {description: 'Everything a release turns on, as after a fresh install of it (metadata.version, kraft.version, group.version, ...)', command: '<%= config.bin %> <%= command.id %> --release-version 4.1'},
    {description: 'One feature', command: '<%= config.bin %> <%= command.id %> --feature group.version=1'},
  ]
  static flags = featureLevelFlags

  async run(): Promise<FeatureChangeResult> {
    const {flags} = await this.parse(ClusterFeaturesUpgrade)
    this.applyOutputFlags(flags)
    const {requestedFeatureLevels} = await import('../../../domain/features.js')
    const levels = requestedFeatureLevels(flags)
    const connection = await this.connect(flags)
    const {changeFeatures} = await import('../../../kafka/features.js')
    return this.emit(await changeFeatures(connection, levels, {upgradeType: 'upgrade', dryRun: flags['dry-run']}), renderFeatureChanges)
  }
}
