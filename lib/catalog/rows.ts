import { formatAddress, parsePrefix, prefixRange, rangeSize } from "../ip";
import type { PublishedEntry } from "./types";

/** A published entry as the catalog table shows it: plain serialisable values only. */
export interface CatalogRow {
  readonly cidr: string;
  readonly region: string;
  readonly products: readonly string[];
  readonly first: string;
  readonly last: string;
  /** Address count as decimal text (IPv6 counts exceed Number). */
  readonly count: string;
  readonly family: 4 | 6;
  /** Position in catalog order, for a stable default sort. */
  readonly position: number;
}

export function toCatalogRows(entries: readonly PublishedEntry[]): CatalogRow[] {
  return entries.map((entry, position) => {
    const parsed = parsePrefix(entry.cidr);
    // Catalog CIDRs are canonical by construction (checked at import); a bad one is a programming error.
    if (!parsed.ok) throw new Error(`Catalog entry ${entry.cidr} is not a CIDR: ${parsed.error.message}`);
    const range = prefixRange(parsed.value);
    return {
      cidr: entry.cidr,
      region: entry.region,
      products: entry.products,
      first: formatAddress(range.first),
      last: formatAddress(range.last),
      count: rangeSize(range).toString(),
      family: parsed.value.address.family,
      position,
    };
  });
}
