/**
 * The one encoding of a verdict's flags as bits: the diff engines keep one byte per entry, the compare screen one
 * byte per line, and both read them back through flagsOf. Bit i is FLAG_ORDER[i]; FLAG_ORDER is also the order a
 * verdict reports its flags in.
 */
import type { EntryFlag } from "./types";

export const NO_FLAGS: readonly EntryFlag[] = Object.freeze([]);

export const FLAG_ORDER: readonly EntryFlag[] = [
  "overbroad",
  "host-bits",
  "shadowed",
  "wrong-port",
  "other-region",
  "duplicate",
  "redundant",
];
export const FLAG_BIT = Object.fromEntries(FLAG_ORDER.map((f, i) => [f, 1 << i])) as Record<EntryFlag, number>;
/** Every flag bit set: the bits above it are free for an engine's own use (columnar.ts keeps "covers" there). */
export const FLAG_MASK = (1 << FLAG_ORDER.length) - 1;

// A verdict's flags are one shared frozen array per combination: 1M verdicts share a handful of arrays.
const flagSets: (readonly EntryFlag[])[] = [];

export function flagsOf(mask: number): readonly EntryFlag[] {
  if ((mask & FLAG_MASK) === 0) return NO_FLAGS;
  const m = mask & FLAG_MASK;
  return (flagSets[m] ??= Object.freeze(FLAG_ORDER.filter((f) => (m & FLAG_BIT[f]) !== 0)));
}

export function flagBits(flags: readonly EntryFlag[]): number {
  let m = 0;
  for (const f of flags) m |= FLAG_BIT[f];
  return m;
}
