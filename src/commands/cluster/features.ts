import {ClusterCommand} from '../../cluster-command.js'
import type {FeaturesDescription} from '../../kafka/cluster.js'
import {renderFeatures} from '../../render/cluster.js'

export default class ClusterFeatures extends ClusterCommand {
  static summary = 'Show the cluster\'s feature levels (metadata.version, kraft.version, group.version, ...): supported and finalized.'
  static description = `What kafka-features.sh describe shows: for each feature, the levels every broker can run (asked of each broker with ApiVersions; a broker that does not answer is named and left out, exit 4) and the level the cluster runs (finalized). metadata.version levels are shown by name (4.4-IV2), as Kafka's tool shows them; a level newer than kadm knows as "level N". A finalized level below the supported maximum (yellow on a terminal) is one the cluster can be upgraded to, after every broker runs the new release: \`cluster features upgrade\` (and \`downgrade\`, \`disable\`) change them.`
  static examples = [
    {description: 'Feature levels of the cluster kadm is pointed at', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'As JSON: levels as numbers and by name', command: '<%= config.bin %> <%= command.id %> -o json'},
  ]

  async run(): Promise<FeaturesDescription> {
    const {flags} = await this.parse(ClusterFeatures)
    this.applyOutputFlags(flags)
    const connection = await this.connect(flags)
    const {describeFeatures} = await import('../../kafka/cluster.js')
    return this.emit(await describeFeatures(connection), renderFeatures)
  }
}
