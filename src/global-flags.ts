/**
 * The flags of every command that connects, and whether each takes a value: those may be written
 * before the command (`kadm -b host:9092 topics list`, `kadm --context prod groups lag`), as kcat
 * and rpk users type them.
 */
export const GLOBAL_FLAGS: Record<string, boolean> = {
  '-b': true, '--bootstrap-server': true, '--context': true, '--config-file': true, '--timeout': true, '--insecure': false,
  '-o': true, '--output': true, '--json': false, '--no-color': false, '--verbose': false,
}

/**
 * `argv` with the global flags that come before the command moved after it (before a `--`, if
 * any), where oclif reads a command's flags. Anything else first (`--help`, `--version`, an unknown
 * flag) leaves `argv` as typed.
 */
export function hoistGlobalFlags(argv: string[]): string[] {
  let i = 0
  while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '--') {
    const arg = argv[i]
    const attached = arg.includes('=') || /^-[bo]./.test(arg)
    const takesValue = GLOBAL_FLAGS[attached && !arg.startsWith('--') ? arg.slice(0, 2) : arg.split('=', 1)[0]]
    if (takesValue === undefined) return argv
    i += takesValue && !attached ? 2 : 1
  }
  if (i === 0 || i >= argv.length) return argv
  const leading = argv.slice(0, i)
  const rest = argv.slice(i)
  const end = rest.includes('--') ? rest.indexOf('--') : rest.length
  return [...rest.slice(0, end), ...leading, ...rest.slice(end)]
}
