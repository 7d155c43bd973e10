import { formatAddress, rangeSize } from "../ip";
import { catalogOf, type CatalogSource } from "./catalog";

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

/** The table rows of a catalog: its parsed entries (an entry that is not a CIDR has no row; see buildCatalog). */
export function toCatalogRows(source: CatalogSource): CatalogRow[] {
  return catalogOf(source).parsed.map(({ entry, prefix, range }, position) => ({
    cidr: entry.cidr,
    region: entry.region,
    products: entry.products,
    first: formatAddress(range.first),
    last: formatAddress(range.last),
    count: rangeSize(range).toString(),
    family: prefix.address.family,
    position,
  }));
}
