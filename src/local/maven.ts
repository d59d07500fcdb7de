import {execFile} from 'node:child_process'
import {mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {KadmError} from '../errors.js'
import {kafkaReleasesDir} from '../config/paths.js'
import {parseVersionSpec} from './versions.js'

const run = promisify(execFile)

/** A resolved range is reused for a day, so `kadm local start` does not ask Maven Central every time. */
const RANGE_TTL_MS = 24 * 60 * 60 * 1000

export interface KafkaDistribution {
  version: string
  libDir: string
  /** Which logging backend the jars bind SLF4J to: Kafka 4 uses log4j2, 3.x reload4j. */
  logging: 'log4j2' | 'reload4j'
}

function pom(artifactId: string, dependencies: string): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>kadm.local</groupId><artifactId>${artifactId}</artifactId><version>1</version><packaging>pom</packaging>
<dependencies>${dependencies}</dependencies></project>
`
}

function dependency(groupId: string, artifactId: string, version: string, noTransitive = false): string {
  const exclusions = noTransitive ? '<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>' : ''
  return `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version>${exclusions}</dependency>`
}

async function mvn(dir: string, args: string[], what: string): Promise<void> {
  try {
    await run('mvn', ['-B', '-q', ...args], {cwd: dir, maxBuffer: 64 * 1024 * 1024})
  } catch (error) {
    const e = error as NodeJS.ErrnoException & {stdout?: string; stderr?: string}
    if (e.code === 'ENOENT') {
      throw new KadmError('mvn was not found on PATH: kadm local fetches Apache Kafka with Maven (install it, e.g. apt-get install maven)')
    }
    const output = `${e.stdout ?? ''}\n${e.stderr ?? ''}`
    const found = /Could not find artifact (\S+)/.exec(output) ?? /artifacts? could not be resolved: (\S+?)(?:,|: |\s)/.exec(output)
    const missing = found?.[1]
    const reason = missing ? `${missing} is not there` : (/\[ERROR\][^\n]*/.exec(output)?.[0] ?? 'mvn failed').replace(/^\[ERROR\]\s*/, '').slice(0, 200)
    throw new KadmError(`${what}: ${reason}`)
  }
}

/** Turns "4.x" or "3.9.x" into the newest matching release (kafka-tools is published last, so it decides). */
export async function resolveKafkaVersion(spec: string): Promise<string> {
  const request = parseVersionSpec(spec)
  if (request.kind === 'exact') return request.version
  const dir = join(kafkaReleasesDir(), 'resolve')
  await mkdir(dir, {recursive: true})
  const memo = join(dir, 'resolved.json')
  let known: Record<string, {version: string; at: number}> = {}
  try {
    known = JSON.parse(await readFile(memo, 'utf8'))
  } catch {}
  const hit = known[request.range]
  if (hit && Date.now() - hit.at < RANGE_TTL_MS) return hit.version

  await writeFile(join(dir, 'pom.xml'), pom('resolve', dependency('org.apache.kafka', 'kafka-tools', request.range, true)))
  await mvn(dir, ['dependency:list', '-DoutputFile=resolved.txt'], `cannot find Apache Kafka ${request.label} on Maven Central`)
  const listing = await readFile(join(dir, 'resolved.txt'), 'utf8')
  const version = /org\.apache\.kafka:kafka-tools:jar:([^:\s]+)/.exec(listing)?.[1]
  if (!version) throw new KadmError(`cannot find Apache Kafka ${request.label} on Maven Central`)
  known[request.range] = {version, at: Date.now()}
  await writeFile(memo, JSON.stringify(known, null, 2))
  return version
}

function loggingOf(jars: string[]): KafkaDistribution['logging'] | undefined {
  if (jars.some((j) => j.startsWith('slf4j-reload4j-'))) return 'reload4j'
  if (jars.some((j) => /^log4j-slf4j2?-impl-/.test(j))) return 'log4j2'
  return undefined
}

/**
 * Downloads Kafka's broker and tool jars (and an SLF4J binding, without which Kafka logs nothing)
 * into ~/.cache/kadm/kafka/<version>/libs, once.
 */
export async function ensureKafkaJars(version: string): Promise<KafkaDistribution> {
  const home = join(kafkaReleasesDir(), version)
  const libDir = join(home, 'libs')
  const done = join(home, '.complete')
  const listJars = async () => (await readdir(libDir)).filter((f) => f.endsWith('.jar'))
  try {
    await readFile(done)
    const jars = await listJars()
    const logging = loggingOf(jars)
    if (logging) return {version, libDir, logging}
  } catch {}

  await rm(libDir, {recursive: true, force: true})
  await mkdir(home, {recursive: true})
  await writeFile(join(home, 'pom.xml'), pom('kafka', [
    dependency('org.apache.kafka', 'kafka_2.13', version),
    dependency('org.apache.kafka', 'kafka-tools', version),
  ].join('')))
  const copy = ['dependency:copy-dependencies', `-DoutputDirectory=${libDir}`, '-DincludeScope=runtime']
  await mvn(home, copy, `cannot fetch Apache Kafka ${version} from Maven Central`)

  let jars = await listJars()
  if (!loggingOf(jars)) {
    // Kafka 4 ships log4j-core but no SLF4J binding: add the one matching its log4j and slf4j versions.
    const log4j = /^log4j-core-(.+)\.jar$/.exec(jars.find((j) => j.startsWith('log4j-core-')) ?? '')?.[1]
    const slf4j = /^slf4j-api-(.+)\.jar$/.exec(jars.find((j) => j.startsWith('slf4j-api-')) ?? '')?.[1]
    if (!log4j || !slf4j) throw new KadmError(`Apache Kafka ${version}: cannot tell which logging binding its jars need`)
    const binding = slf4j.startsWith('1.') ? 'log4j-slf4j-impl' : 'log4j-slf4j2-impl'
    const bindingDir = join(home, 'binding')
    await mkdir(bindingDir, {recursive: true})
    await writeFile(join(bindingDir, 'pom.xml'), pom('binding', dependency('org.apache.logging.log4j', binding, log4j, true)))
    await mvn(bindingDir, [...copy], `cannot fetch the logging binding ${binding} ${log4j}`)
    jars = await listJars()
  }
  const logging = loggingOf(jars)
  if (!logging) throw new KadmError(`Apache Kafka ${version}: no SLF4J binding after download`)
  await writeFile(done, new Date().toISOString())
  return {version, libDir, logging}
}
