import * as Flags from '@oclif/core/flags'

/** The quota entity: a user and/or a client id (each a name or the default), or an IP (or the default). */
export const entityFlags = {
  user: Flags.string({summary: 'A user (principal name).', helpGroup: 'ENTITY'}),
  'user-default': Flags.boolean({summary: 'The default user: every user without its own quota.', helpGroup: 'ENTITY'}),
  'client-id': Flags.string({summary: 'A client id.', helpGroup: 'ENTITY'}),
  'client-id-default': Flags.boolean({summary: 'The default client id.', helpGroup: 'ENTITY'}),
  ip: Flags.string({summary: 'An IP address (connection_creation_rate only).', helpGroup: 'ENTITY'}),
  'ip-default': Flags.boolean({summary: 'The default IP.', helpGroup: 'ENTITY'}),
}
