/**
 * Names shared by the command flags and the codecs. Their own module: the console commands read
 * them when they are defined, and must not load the codecs (avsc, node:http) until a run uses them.
 */

/** The formats `console consume --key-format/--value-format` decode with a schema. */
export const SCHEMA_FORMATS = ['avro', 'protobuf', 'json-schema', 'schema-registry'] as const
export type SchemaFormat = (typeof SCHEMA_FORMATS)[number]

export const SUBJECT_STRATEGIES = ['topic', 'record', 'topic-record'] as const
export type SubjectStrategy = (typeof SUBJECT_STRATEGIES)[number]
