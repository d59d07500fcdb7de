/**
 * Flags that kcat and Kafka's console tools use with another meaning than kadm's, or that kadm
 * spells otherwise: when a command's flags cannot be parsed and one of these is why, the error
 * names kadm's flag instead of only refusing the value.
 */
const START_WORDS = /^(beginning|end|earliest|latest|stored|-?\d+|[se]@.+)$/

export function habitProblem(command: string, argv: readonly string[]): string | undefined {
  const consume = command === 'console:consume' || command === 'consume'
  if (!consume) return undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') break
    const output = arg === '-o' || arg === '--output' ? argv[i + 1] : /^-o(.+)$/.exec(arg)?.[1]
    if (output !== undefined && START_WORDS.test(output)) {
      const kadmFlag = output.startsWith('e@') ? `--until ${output.slice(2)}` : `--offset ${output.replace(/^s@/, '@')}`
      return `-o ${output}: -o is kadm's output format (table, json); for kcat's -o ${output} use ${kadmFlag}`
    }
    if (arg === '-c') return "-c: to stop after N records use -n, --max-messages (kcat's -c)"
    if (arg === '-G') return "-G: to consume as a group member use -g, --group GROUP (kcat's -G)"
  }
  return undefined
}
