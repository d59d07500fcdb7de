/**
 * Names (topics, groups, principals...) sort as Kafka's own tools sort them: by UTF-16 code unit,
 * like Java's String.compareTo, so "Orders" comes before "orders" and the order never depends on
 * the machine's locale. (localeCompare would also make every run build an ICU collator: ~4.5 ms.)
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
