import {spawn} from 'node:child_process'
import {existsSync, openSync, readdirSync, readFileSync} from 'node:fs'
import {mkdir, rename, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {REAL_CACHE, ROOT} from './kadm.js'
import {runProcess} from './process.js'

/** Apicurio Registry 3.3.3 needs Java 21+; 3.0.9 is the last that runs on Java 17. */
const NEW = '3.3.3'
const OLD = '3.0.9'

/** A Java of 21 or later: JAVA_HOME, else one of /usr/lib/jvm; undefined when there is none. */
function java21(): string | undefined {
  const candidates = [process.env.JAVA_HOME, ...(existsSync('/usr/lib/jvm') ? readdirSync('/usr/lib/jvm').map((d) => join('/usr/lib/jvm', d)) : [])]
  for (const home of candidates) {
    if (!home) continue
    const java = join(home, 'bin', 'java')
    const release = join(home, 'release')
    if (!existsSync(java) || !existsSync(release)) continue
    const text = readFileSync(release, 'utf8')
    const major = Number(/JAVA_VERSION="(\d+)/.exec(text)?.[1] ?? 0)
    if (major >= 21) return java
  }
  return undefined
}

async function mvn(args: string[], cwd: string): Promise<void> {
  const result = await runProcess('mvn', ['-B', '-q', ...args], {cwd, timeoutMs: 15 * 60_000})
  if (result.code !== 0) throw new Error(`mvn ${args.join(' ')} exited ${result.code}: ${result.stdout.slice(-2000)} ${result.stderr.slice(-2000)}`)
}

/**
 * Apicurio Registry's app from Maven Central, unpacked once into ~/.cache/kadm/apicurio/VERSION
 * (like Kafka's jars): the jar to run, and the java to run it with.
 */
export async function ensureApicurio(): Promise<{java: string; jar: string; version: string}> {
  const modern = java21()
  const version = modern ? NEW : OLD
  const java = modern ?? 'java'
  const dir = join(REAL_CACHE, 'kadm', 'apicurio', version)
  const jar = join(dir, version === NEW ? 'quarkus-run.jar' : `apicurio-registry-app-${version}-runner.jar`)
  if (existsSync(jar)) return {java, jar, version}
  const download = `${dir}.download-${process.pid}`
  await rm(download, {recursive: true, force: true})
  await mkdir(download, {recursive: true})
  if (version === NEW) {
    await mvn(['org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy', `-Dartifact=io.apicurio:apicurio-registry-app:${version}:tar.gz:all`, `-DoutputDirectory=${download}`], download)
  } else {
    // 3.0.9's parent POM is missing on Maven Central: fetch the one file.
    await mvn(['org.codehaus.mojo:wagon-maven-plugin:2.0.2:download-single', '-Durl=https://repo1.maven.org/maven2', `-DfromFile=io/apicurio/apicurio-registry-app/${version}/apicurio-registry-app-${version}-all.tar.gz`, `-DtoDir=${download}`], download)
  }
  const tarball = readdirSync(download).find((f) => f.endsWith('.tar.gz'))!
  const unpacked = join(download, 'app')
  await mkdir(unpacked)
  const untar = await runProcess('tar', ['xzf', join(download, tarball), '-C', unpacked], {timeoutMs: 5 * 60_000})
  if (untar.code !== 0) throw new Error(`untar ${tarball}: ${untar.stderr}`)
  await rename(unpacked, dir).catch((error: NodeJS.ErrnoException) => {
    // Another test process unpacked it meanwhile.
    if (!existsSync(jar)) throw error
  })
  await rm(download, {recursive: true, force: true})
  return {java, jar, version}
}

export interface RunningRegistry {
  /** The Confluent-compatible API. */
  url: string
  /** The same API over HTTPS, when started with `tls`. */
  httpsUrl?: string
  pid: number
  stop(): Promise<void>
}

export interface RegistryOptions {
  /** Also serve HTTPS on port + 2 (the same process), with this PEM certificate and key. */
  tls?: {cert: string; key: string}
  /**
   * HTTP basic auth with these users (Quarkus's embedded users): reads stay open to anyone, a
   * write needs a user, and wrong credentials are refused on any request.
   */
  users?: Record<string, string>
  /**
   * Also bearer tokens (Quarkus OIDC, as Apicurio is deployed with an OIDC server): a JWT is
   * accepted when this RSA public key (base64 DER, SPKI) verifies its signature and it has not
   * expired. Quarkus checks it locally, without an OIDC server to ask.
   */
  bearerPublicKey?: string
}

/**
 * Starts Apicurio Registry with in-memory H2 storage on 127.0.0.1:port (management on port + 1),
 * waits until GET /subjects answers, and stops it by its PID.
 */
export async function startRegistry(port: number, options: RegistryOptions = {}): Promise<RunningRegistry> {
  const {java, jar, version} = await ensureApicurio()
  const logDir = join(ROOT, '.kadm-test', 'registry')
  await mkdir(logDir, {recursive: true})
  const log = openSync(join(logDir, `apicurio-${port}.log`), 'w')
  const props = [
    '-Dquarkus.http.host=127.0.0.1', `-Dquarkus.http.port=${port}`,
    '-Dquarkus.management.host=127.0.0.1', `-Dquarkus.management.port=${port + 1}`,
    '-Dapicurio.storage.kind=sql', '-Dapicurio.storage.sql.kind=h2', `-Dapicurio.datasource.url=jdbc:h2:mem:registry${port}`,
  ]
  if (options.tls) {
    props.push(`-Dquarkus.http.ssl-port=${port + 2}`, `-Dquarkus.http.ssl.certificate.files=${options.tls.cert}`, `-Dquarkus.http.ssl.certificate.key-files=${options.tls.key}`, '-Dquarkus.http.insecure-requests=enabled')
  }
  if (options.users) {
    props.push('-Dquarkus.http.auth.basic=true', '-Dquarkus.security.users.embedded.enabled=true', '-Dquarkus.security.users.embedded.plain-text=true', '-Dapicurio.auth.anonymous-read-access.enabled=true')
    for (const [user, password] of Object.entries(options.users)) props.push(`-Dquarkus.security.users.embedded.users.${user}=${password}`)
  }
  if (options.bearerPublicKey) {
    props.push('-Dquarkus.oidc.tenant-enabled=true', '-Dquarkus.oidc.application-type=service', `-Dquarkus.oidc.public-key=${options.bearerPublicKey}`)
  }
  const child = spawn(java, ['-Xmx512m', ...props, '-jar', jar], {cwd: join(jar, '..'), stdio: ['ignore', log, log], detached: false})
  const pid = child.pid!
  let exited = false
  child.once('exit', () => {
    exited = true
  })
  const url = `http://127.0.0.1:${port}/apis/ccompat/v7`
  const stop = async () => {
    if (exited) return
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    process.kill(pid, 'SIGTERM')
    const timer = setTimeout(() => !exited && process.kill(pid, 'SIGKILL'), 20_000)
    await gone
    clearTimeout(timer)
  }
  const deadline = Date.now() + 180_000
  for (;;) {
    if (exited) throw new Error(`Apicurio Registry ${version} exited before it was ready: see .kadm-test/registry/apicurio-${port}.log`)
    try {
      const answer = await fetch(`${url}/subjects`)
      if (answer.status === 200) break
    } catch {}
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`Apicurio Registry ${version} did not answer on ${port} within 180 s`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return {url, httpsUrl: options.tls ? `https://127.0.0.1:${port + 2}/apis/ccompat/v7` : undefined, pid, stop}
}

/** org.apache.avro:avro-tools from Maven Central (cached in ~/.cache/kadm/avro-tools): an independent Avro decoder. */
export async function avroToolsJar(): Promise<string> {
  const version = '1.12.0'
  const dir = join(REAL_CACHE, 'kadm', 'avro-tools')
  const jar = join(dir, `avro-tools-${version}.jar`)
  if (existsSync(jar)) return jar
  await mkdir(dir, {recursive: true})
  await mvn(['org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy', `-Dartifact=org.apache.avro:avro-tools:${version}`, `-DoutputDirectory=${dir}`], dir)
  return jar
}
