import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {KadmCommand} from '../../base-command.js'
import {type Context, parseContext, redactContext, SASL_MECHANISMS, saveConfig, splitServers} from '../../config/contexts.js'
import {configFileFlags, loadConfigFile} from '../../config/command.js'
import {validateServers} from '../../config/resolve.js'
import {KadmError, UsageError} from '../../errors.js'
import {promptContext} from '../../config/prompt.js'

export default class ContextsAdd extends KadmCommand {
  static summary = 'Add (or with --force replace) a named connection context.'
  static description = `Non-interactive with flags; on a terminal, missing settings are asked for. Prefer --sasl-password-env or --sasl-password-command over an inline --sasl-password: the config file is written with mode 600 either way.`
  static examples = [
    {description: 'Plaintext, and make it current', command: '<%= config.bin %> <%= command.id %> dev -b 127.0.0.1:9092 --use'},
    {description: 'TLS + SCRAM, password from the environment', command: '<%= config.bin %> <%= command.id %> prod -b kafka-1:9093,kafka-2:9093 --tls-ca /etc/kafka/ca.pem --sasl-mechanism scram-sha-512 --sasl-username admin --sasl-password-env KAFKA_PASSWORD'},
    {description: 'Mutual TLS with an encrypted client key', command: '<%= config.bin %> <%= command.id %> mtls -b kafka:9094 --tls-ca ca.pem --tls-cert client.pem --tls-key client.key --tls-key-passphrase-env KAFKA_KEY_PASS'},
    {description: 'OAUTHBEARER, token printed by a command when one is needed', command: "<%= config.bin %> <%= command.id %> sso -b kafka:9093 --tls --sasl-mechanism oauthbearer --sasl-token-command 'get-token kafka'"},
    {description: 'Password from a command (run at each connection)', command: "<%= config.bin %> <%= command.id %> prod -b kafka:9093 --tls --sasl-mechanism plain --sasl-username svc --sasl-password-command 'pass show kafka/svc'"},
  ]

  static args = {name: Args.string({description: 'Context name.', required: true, ignoreStdin: true})}
  static flags = {
    'bootstrap-server': Flags.string({char: 'b', summary: 'Bootstrap servers, host:port[,host:port].'}),
    'client-id': Flags.string({summary: 'Client id sent to the brokers (default: kadm).'}),
    tls: Flags.boolean({summary: 'Use TLS with the system CAs.'}),
    'tls-ca': Flags.string({summary: 'CA certificate file (PEM); implies --tls.'}),
    'tls-cert': Flags.string({summary: 'Client certificate file (PEM) for mutual TLS; implies --tls.', dependsOn: ['tls-key']}),
    'tls-key': Flags.string({summary: 'Client private key file (PEM); implies --tls.', dependsOn: ['tls-cert']}),
    'tls-key-passphrase-env': Flags.string({summary: 'Environment variable holding the passphrase of an encrypted client key.', exclusive: ['tls-key-passphrase-command']}),
    'tls-key-passphrase-command': Flags.string({summary: 'Shell command that prints the passphrase of an encrypted client key.'}),
    'tls-insecure': Flags.boolean({summary: 'Skip server certificate and hostname verification (testing only).'}),
    'sasl-mechanism': Flags.string({summary: 'SASL mechanism.', options: [...SASL_MECHANISMS]}),
    'sasl-username': Flags.string({summary: 'SASL username.'}),
    'sasl-password': Flags.string({summary: 'SASL password, stored inline in the config file.', exclusive: ['sasl-password-env', 'sasl-password-command']}),
    'sasl-password-env': Flags.string({summary: 'Environment variable holding the SASL password.', exclusive: ['sasl-password-command']}),
    'sasl-password-command': Flags.string({summary: 'Shell command that prints the SASL password.'}),
    'sasl-token-command': Flags.string({summary: 'OAUTHBEARER: shell command that prints an access token, run whenever one is needed.', exclusive: ['sasl-token-env']}),
    'sasl-token-env': Flags.string({summary: 'OAUTHBEARER: environment variable holding an access token.'}),
    use: Flags.boolean({summary: 'Make it the current context.'}),
    force: Flags.boolean({summary: 'Replace an existing context of that name.'}),
    ...configFileFlags,
  }

  async run(): Promise<Record<string, unknown>> {
    const {args, flags} = await this.parse(ContextsAdd)
    this.applyOutputFlags(flags)
    const {path, config} = await loadConfigFile(flags['config-file'], {mayBeNew: true})
    if (config.contexts[args.name] && !flags.force) throw new KadmError(`context "${args.name}" already exists (use --force to replace it)`)

    let context: Context
    if (flags['bootstrap-server']) {
      context = contextFromFlags(args.name, flags)
    } else if (process.stdin.isTTY && process.stdout.isTTY) {
      context = await promptContext()
    } else {
      throw new UsageError('--bootstrap-server is required when not on a terminal')
    }
    context.bootstrapServers = validateServers(context.bootstrapServers, '--bootstrap-server')
    config.contexts[args.name] = context
    if (flags.use || Object.keys(config.contexts).length === 1) config.currentContext = args.name
    await saveConfig(path, config)
    this.note(`saved context "${args.name}" to ${path}${config.currentContext === args.name ? ' (current)' : ''}`)
    return this.emit({name: args.name, ...redactContext(context)}, () => '')
  }
}

type AddFlags = {
  'bootstrap-server'?: string
  'client-id'?: string
  tls?: boolean
  'tls-ca'?: string
  'tls-cert'?: string
  'tls-key'?: string
  'tls-insecure'?: boolean
  'tls-key-passphrase-env'?: string
  'tls-key-passphrase-command'?: string
  'sasl-mechanism'?: string
  'sasl-username'?: string
  'sasl-password'?: string
  'sasl-password-env'?: string
  'sasl-password-command'?: string
  'sasl-token-command'?: string
  'sasl-token-env'?: string
}

/** Builds the context through the same parser as the config file, so both validate alike. */
function contextFromFlags(name: string, flags: AddFlags): Context {
  const raw: Record<string, unknown> = {'bootstrap-servers': splitServers(flags['bootstrap-server'] ?? '')}
  if (flags['client-id']) raw['client-id'] = flags['client-id']
  if (flags.tls || flags['tls-ca'] || flags['tls-cert'] || flags['tls-insecure']) {
    raw.tls = {
      ca: flags['tls-ca'],
      cert: flags['tls-cert'],
      key: flags['tls-key'],
      'key-passphrase-env': flags['tls-key-passphrase-env'],
      'key-passphrase-command': flags['tls-key-passphrase-command'],
      'insecure-skip-verify': flags['tls-insecure'],
    }
  }
  if (flags['sasl-mechanism'] || flags['sasl-username']) {
    raw.sasl = {
      mechanism: flags['sasl-mechanism'],
      username: flags['sasl-username'],
      password: flags['sasl-password'],
      'password-env': flags['sasl-password-env'],
      'password-command': flags['sasl-password-command'],
      'token-command': flags['sasl-token-command'],
      'token-env': flags['sasl-token-env'],
    }
  }
  try {
    return parseContext(name, raw)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}
