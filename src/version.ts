/**
 * `kadm --version`: oclif prints kadm's name and version, the platform and the Node that runs it;
 * kadm adds the Kafka releases it is tested with. `kadm --version --verbose` adds what an install
 * has to work with: the Node, where kadm is installed, each codec and where it loaded from or why
 * it did not, and the folders kadm writes to (none of them beside its installed files).
 * Plain --version loads nothing of the codecs: it is what users time.
 */
import {TESTED_KAFKA_VERSIONS} from './local/versions.js'

/** `--version` or `--version --verbose` (either order) is what kadm was asked: oclif prints its version line for argv ['--version']. */
export function versionRequest(argv: readonly string[]): {verbose: boolean} | undefined {
  if (argv[0] === '--version') return {verbose: argv.slice(1).includes('--verbose')}
  if (argv[0] === '--verbose' && argv[1] === '--version') return {verbose: true}
  return undefined
}

/** What kadm prints after oclif's version line, newline-terminated. */
export async function versionDetails(root: string, verbose: boolean): Promise<string> {
  const lines = [`tested with Apache Kafka ${TESTED_KAFKA_VERSIONS.join(', ')}`]
  if (verbose) {
    const rows = await verboseRows(root)
    const width = Math.max(...rows.map(([name]) => name.length))
    lines.push(...rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`))
  }
  return lines.join('\n') + '\n'
}

async function verboseRows(root: string): Promise<Array<[string, string]>> {
  const {codecSources, loadCodec, loadNativeCrc32c, packageVersion} = await import('./kafka/compression.js')
  const {codeCacheDir, kafkaReleasesDir, localDataDir, stateDir} = await import('./config/paths.js')
  const from = (pkg: string) => `${pkg} ${packageVersion(pkg) ?? ''}`.trimEnd()
  const rows: Array<[string, string]> = [
    ['node', `${process.version} (${process.execPath})`],
    ['installed in', root],
  ]
  for (const {codec, package: pkg} of codecSources()) {
    const loaded = loadCodec(codec)
    rows.push([codec, loaded.ok ? `ok (${pkg ? from(pkg) : `Node's zlib`})` : `unavailable: ${loaded.problem}`])
  }
  const crc = loadNativeCrc32c()
  rows.push(['crc32c', crc.ok ? `ok (${from('@node-rs/crc32')})` : `JavaScript, slower (native: ${crc.problem})`])
  rows.push(
    ['code cache', process.env.KADM_NO_CODE_CACHE === '1' ? 'off (KADM_NO_CODE_CACHE=1)' : codeCacheDir()],
    ['kafka jars', kafkaReleasesDir()],
    ['state', stateDir()],
    ['local data', localDataDir()],
  )
  return rows
}
