import { parseAddress, parsePrefix, parseRange, prefixRange, rangeOf, rangesOverlap } from "../ip";
import type { Range } from "../ip/types";

/**
 * Turns what a user typed into a matcher. An address, CIDR or range matches the entries whose addresses it
 * touches (so 44.206.73.235 finds 44.206.73.232/29 as well as an exact /32); anything else is a case-insensitive
 * substring match on the given fields.
 */
export function compileSearch(query: string): (cidr: string, fields: readonly string[]) => boolean {
  const q = query.trim();
  if (q === "") return () => true;
  const range = asRange(q);
  if (range) {
    return (cidr) => {
      const p = parsePrefix(cidr);
      return p.ok && rangesOverlap(prefixRange(p.value), range);
    };
  }
  const needle = q.toLowerCase();
  return (cidr, fields) => cidr.toLowerCase().includes(needle) || fields.some((f) => f.toLowerCase().includes(needle));
}

function asRange(text: string): Range | undefined {
  const address = parseAddress(text);
  if (address.ok) return rangeOf(address.value);
  const prefix = parsePrefix(text);
  if (prefix.ok) return prefixRange(prefix.value);
  const range = parseRange(text);
  return range.ok ? range.value : undefined;
}
