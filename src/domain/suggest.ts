/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}

/**
 * The known command closest to what was typed ("topcs list" → "topics list"), or undefined
 * when nothing is close enough to be a plausible typo (more than a third of it would change).
 */
export function closestCommand(typed: string, known: readonly string[]): string | undefined {
  let best: {id: string; distance: number} | undefined
  for (const id of known) {
    const distance = editDistance(typed, id)
    if (!best || distance < best.distance) best = {id, distance}
  }
  return best && best.distance <= Math.max(2, Math.floor(typed.length / 3)) ? best.id : undefined
}

/**
 * The command meant by the words typed, arguments included ("topcs list orders" → "topics list
 * orders"): the longest run of leading words close to a known command, with the rest kept.
 */
export function suggestCommand(words: readonly string[], known: readonly string[]): string | undefined {
  for (let n = words.length; n > 0; n--) {
    const typed = words.slice(0, n).join(' ')
    const command = closestCommand(typed, known)
    if (command && command !== typed) return [command, ...words.slice(n)].join(' ')
  }
  return undefined
}
