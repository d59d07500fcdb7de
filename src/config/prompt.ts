import type {Context} from './contexts.js'
import {parseContext, SASL_MECHANISMS, splitServers} from './contexts.js'

/** Asks for a context's settings on a terminal (only ever called when stdin and stdout are TTYs). */
export async function promptContext(): Promise<Context> {
  const {input, select, confirm, password} = await import('../prompts.js')
  const servers = await input({
    message: 'Bootstrap servers (host:port[,host:port])',
    validate: (v) => splitServers(v).length > 0 || 'at least one host:port',
  })
  const raw: Record<string, unknown> = {'bootstrap-servers': splitServers(servers)}
  if (await confirm({message: 'Use TLS?', default: false})) {
    const ca = await input({message: 'CA file (empty for the system CAs)'})
    const cert = await input({message: 'Client certificate file for mutual TLS (empty for none)'})
    const key = cert ? await input({message: 'Client key file'}) : ''
    raw.tls = {ca: ca || undefined, cert: cert || undefined, key: key || undefined}
  }
  const mechanism = await select({
    message: 'SASL',
    choices: [{name: 'none', value: ''}, ...SASL_MECHANISMS.map((m) => ({name: m, value: m}))],
  })
  if (mechanism === 'oauthbearer') {
    raw.sasl = {mechanism, 'token-command': await input({message: 'Command that prints an OAuth access token'})}
  } else if (mechanism) {
    const username = await input({message: 'Username'})
    const source = await select({
      message: 'Where does the password come from?',
      choices: [
        {name: 'an environment variable', value: 'env'},
        {name: 'a command that prints it', value: 'command'},
        {name: 'stored in the config file', value: 'inline'},
      ],
    })
    const sasl: Record<string, unknown> = {mechanism, username}
    if (source === 'env') sasl['password-env'] = await input({message: 'Variable name'})
    else if (source === 'command') sasl['password-command'] = await input({message: 'Command'})
    else sasl.password = await password({message: 'Password', mask: true})
    raw.sasl = sasl
  }
  return parseContext('new context', raw)
}
