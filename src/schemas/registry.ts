import {readFile} from 'node:fs/promises'
import {request as httpRequest} from 'node:http'
import {request as httpsRequest} from 'node:https'

import type {SchemaRegistrySettings} from '../config/contexts.js'
import {redactUrl} from '../config/contexts.js'
import {KadmError, oneLine} from '../errors.js'
import {type TlsPeer, tlsFailure} from '../kafka/connection-errors.js'
import {readSecret} from '../kafka/secrets.js'

export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON'

export interface SchemaReference {
  name: string
  subject: string
  version: number
}

/** A schema as the registry returns it (schemaType AVRO when the registry leaves it out, as Confluent's does). */
export interface RegisteredSchema {
  id: number
  schemaType: SchemaType
  schema: string
  references: SchemaReference[]
}

export interface SubjectVersion extends RegisteredSchema {
  subject: string
  version: number
}

/** What kadm sends to register or look up a schema. */
export interface SchemaInput {
  schema: string
  schemaType: SchemaType
  references?: SchemaReference[]
}

/** Registry error codes (Confluent's) that mean "not there". */
const NOT_FOUND = new Set([40401, 40402, 40403, 40404, 40405, 40406])

export class RegistryError extends KadmError {
  constructor(message: string, readonly status?: number, readonly errorCode?: number) {
    super(message)
    this.name = 'RegistryError'
  }

  get notFound(): boolean {
    return this.status === 404 || (this.errorCode !== undefined && NOT_FOUND.has(this.errorCode))
  }
}

/**
 * A client of the Confluent Schema Registry REST API (v7; Apicurio serves it too), on node:http
 * and node:https: TLS with a CA file, basic auth or a bearer token. Schemas by id and subject
 * versions are cached for the run. Credentials never appear in a message: the URL is shown
 * without its password, and secrets are read once, when the first request is made.
 */
export class RegistryClient {
  private readonly base: URL
  private authorization?: Promise<string | undefined>
  private ca?: Promise<Buffer | undefined>
  private readonly byId = new Map<number, Promise<RegisteredSchema>>()
  private readonly byVersion = new Map<string, Promise<SubjectVersion>>()

  constructor(readonly settings: SchemaRegistrySettings, private readonly timeoutMs = 10_000) {
    let url: URL
    try {
      url = new URL(settings.url)
    } catch {
      throw new KadmError(`schema registry URL "${redactUrl(settings.url)}" is not a URL`, {exitCode: 2})
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new KadmError(`schema registry URL "${redactUrl(settings.url)}" must be http:// or https://`, {exitCode: 2})
    if (!url.pathname.endsWith('/')) url.pathname += '/'
    this.base = url
  }

  /** The URL as it may be shown: without a password. */
  get shownUrl(): string {
    const u = new URL(this.base)
    u.username = ''
    u.password = ''
    return u.toString().replace(/\/$/, '')
  }

  private async auth(): Promise<string | undefined> {
    const {settings, base} = this
    if (settings.token) return `Bearer ${await readSecret(settings.token, 'schema registry token')}`
    if (settings.username !== undefined && settings.password) {
      return `Basic ${Buffer.from(`${settings.username}:${await readSecret(settings.password, 'schema registry password')}`).toString('base64')}`
    }
    if (base.username) return `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`
    return undefined
  }

  private async caFile(): Promise<Buffer | undefined> {
    if (!this.settings.ca) return undefined
    try {
      return await readFile(this.settings.ca)
    } catch (error) {
      throw new KadmError(`schema registry CA file ${this.settings.ca}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
  }

  /** One request; the answer's JSON, or a RegistryError with the registry's own message. */
  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    this.authorization ??= this.auth()
    this.ca ??= this.caFile()
    const [authorization, ca] = await Promise.all([this.authorization, this.ca])
    const url = new URL(path, this.base)
    url.username = ''
    url.password = ''
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
    const headers: Record<string, string> = {accept: 'application/vnd.schemaregistry.v1+json, application/json'}
    if (payload) {
      headers['content-type'] = 'application/vnd.schemaregistry.v1+json'
      headers['content-length'] = String(payload.length)
    }
    if (authorization) headers.authorization = authorization
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest
    const where = `schema registry ${this.shownUrl}`
    const {status, text} = await new Promise<{status: number; text: string}>((resolve, reject) => {
      let status: number | undefined
      const broken = (error: Error) => reject(new KadmError(`${where} answered HTTP ${status}, then its answer broke off: ${oneLine(error.message)}`))
      const req = request(url, {method, headers, ca, timeout: this.timeoutMs}, (res) => {
        status = res.statusCode ?? 0
        // A refusal needs no body: it is the answer as soon as its status line arrives. (In one CI
        // run Apicurio logged a 401 that kadm never finished reading, and it said "unreachable".)
        if (status === 401 || status === 403) {
          resolve({status, text: ''})
          res.destroy()
          return
        }
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({status: status!, text: Buffer.concat(chunks).toString('utf8')}))
        res.on('error', broken)
      })
      req.on('timeout', () => req.destroy(new Error(status === undefined ? `no answer within ${this.timeoutMs} ms` : `nothing more within ${this.timeoutMs} ms`)))
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (status !== undefined) return broken(error)
        const tls = tlsFailure(error, REGISTRY_PEER)
        reject(new KadmError(tls === undefined ? `${where} is unreachable: ${oneLine(error.message)}` : `TLS error connecting to ${where}: ${tls}`))
      })
      req.end(payload)
    })
    let data: unknown
    try {
      data = text ? JSON.parse(text) : undefined
    } catch {
      data = undefined
    }
    if (status >= 200 && status < 300) return data as T
    const answer = data as {message?: string; error_code?: number} | undefined
    if (status === 401 || status === 403) throw new RegistryError(`${where} refused the credentials (HTTP ${status})`, status, answer?.error_code)
    const message = answer?.message ? oneLine(answer.message) : `HTTP ${status}`
    throw new RegistryError(`${where}: ${message}${answer?.error_code ? ` (error ${answer.error_code})` : ''}`, status, answer?.error_code)
  }

  async subjects(): Promise<string[]> {
    return this.request<string[]>('GET', 'subjects')
  }

  async versions(subject: string): Promise<number[]> {
    return this.request<number[]>('GET', `subjects/${encodeURIComponent(subject)}/versions`)
  }

  /** A subject's version (a number or "latest"). */
  async version(subject: string, version: number | 'latest' = 'latest'): Promise<SubjectVersion> {
    const key = `${subject}\0${version}`
    let hit = this.byVersion.get(key)
    if (!hit) {
      hit = this.request<Partial<SubjectVersion>>('GET', `subjects/${encodeURIComponent(subject)}/versions/${version}`).then((v) => normalise(v) as SubjectVersion)
      this.byVersion.set(key, hit)
      hit.then((v) => this.byId.set(v.id, Promise.resolve(v)), () => this.byVersion.delete(key))
    }
    return hit
  }

  /** The schema of an id (what a record's 4 bytes name). */
  async schema(id: number): Promise<RegisteredSchema> {
    let hit = this.byId.get(id)
    if (!hit) {
      hit = this.request<Partial<RegisteredSchema>>('GET', `schemas/ids/${id}`).then((s) => normalise({...s, id}))
      this.byId.set(id, hit)
    }
    return hit
  }

  /** The version of `subject` that holds this schema, or undefined when it is not registered under it. */
  async lookup(subject: string, input: SchemaInput): Promise<SubjectVersion | undefined> {
    try {
      const found = normalise(await this.request<Partial<SubjectVersion>>('POST', `subjects/${encodeURIComponent(subject)}`, body(input))) as SubjectVersion
      this.byId.set(found.id, Promise.resolve(found))
      return found
    } catch (error) {
      if (error instanceof RegistryError && error.notFound) return undefined
      throw error
    }
  }

  /** Registers the schema under the subject (the registry returns the existing id when it is there already). */
  async register(subject: string, input: SchemaInput): Promise<number> {
    const {id} = await this.request<{id: number}>('POST', `subjects/${encodeURIComponent(subject)}/versions`, body(input))
    return id
  }

  /** Is the schema compatible with the subject's version (latest by default), under the subject's compatibility rule? */
  async compatible(subject: string, input: SchemaInput, version: number | 'latest' = 'latest'): Promise<boolean> {
    const answer = await this.request<{is_compatible: boolean}>('POST', `compatibility/subjects/${encodeURIComponent(subject)}/versions/${version}`, body(input))
    return answer.is_compatible
  }
}

const REGISTRY_PEER: TlsPeer = {name: 'schema registry', caSetting: 'the context\'s schema-registry ca', listener: 'an HTTPS port'}

function body(input: SchemaInput): Record<string, unknown> {
  return {schema: input.schema, ...(input.schemaType === 'AVRO' ? {} : {schemaType: input.schemaType}), ...(input.references?.length ? {references: input.references} : {})}
}

function normalise<T extends Partial<RegisteredSchema>>(s: T): RegisteredSchema & T {
  return {...s, schemaType: (s.schemaType ?? 'AVRO') as SchemaType, references: s.references ?? []} as RegisteredSchema & T
}
