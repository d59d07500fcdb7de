/**
 * The names a picker shows for what was typed: every name that holds the typed characters in
 * order (`ordv2` finds `orders-v2`), case-insensitively. Best first: names that start with the
 * text, then names that hold it in one piece, then the rest by how close together the characters
 * fall; the same rank keeps the names' order.
 */
export function fuzzyFilter(names: readonly string[], typed: string): string[] {
  const text = typed.trim().toLowerCase()
  if (!text) return [...names]
  const ranked: Array<{name: string; rank: number; index: number}> = []
  names.forEach((name, index) => {
    const rank = fuzzyRank(name.toLowerCase(), text)
    if (rank !== undefined) ranked.push({name, rank, index})
  })
  return ranked.sort((a, b) => a.rank - b.rank || a.index - b.index).map((r) => r.name)
}

/** 0: starts with the text; 1: holds it; 2 + the gaps between the matched characters; undefined: no match. */
function fuzzyRank(name: string, text: string): number | undefined {
  if (name.startsWith(text)) return 0
  if (name.includes(text)) return 1
  let at = name.indexOf(text[0])
  if (at < 0) return undefined
  let gaps = 0
  for (let i = 1; i < text.length; i++) {
    const next = name.indexOf(text[i], at + 1)
    if (next < 0) return undefined
    gaps += next - at - 1
    at = next
  }
  return 2 + gaps
}
