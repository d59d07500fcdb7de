/** A zigzag varint as Kafka's record format v2 writes it, in floating point (exact to 2^53): the tests' own encoder, independent of kadm's. */
export function zigzagVarint(value: number): number[] {
  let v = value >= 0 ? value * 2 : -value * 2 - 1
  const out: number[] = []
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80)
    v = Math.floor(v / 0x80)
  }
  out.push(v)
  return out
}
