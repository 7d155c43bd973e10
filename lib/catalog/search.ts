import { parseAddress, parsePrefix, parseRange, prefixRange, rangeOf, rangesOverlap } from "../ip";
import type { Range } from "../ip/types";
import type { ParsedEntry } from "./catalog";

/**
 * Turns what a user typed into a matcher over catalog entries (parsed once, see buildCatalog). An address, CIDR or
 * range matches the entries whose addresses it touches (so 44.206.73.235 finds 44.206.73.232/29 as well as an exact
 * /32); anything else is a case-insensitive substring match on the CIDR, the region and the products.
 */
export function compileSearch(query: string): (entry: ParsedEntry) => boolean {
  const q = query.trim();
  if (q === "") return () => true;
  const range = asRange(q);
  if (range) return (p) => rangesOverlap(p.range, range);
  const needle = q.toLowerCase();
  return ({ entry }) =>
    entry.cidr.toLowerCase().includes(needle) ||
    entry.region.toLowerCase().includes(needle) ||
    entry.products.some((f) => f.toLowerCase().includes(needle));
}

function asRange(text: string): Range | undefined {
  const address = parseAddress(text);
  if (address.ok) return rangeOf(address.value);
  const prefix = parsePrefix(text);
  if (prefix.ok) return prefixRange(prefix.value);
  const range = parseRange(text);
  return range.ok ? range.value : undefined;
}
