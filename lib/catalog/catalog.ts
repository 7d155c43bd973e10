/**
 * The catalog as every consumer receives it: the published entries with their prefixes and ranges parsed once,
 * and the address set of each region precomputed. Built where the catalog is loaded (the database reader, the
 * compare worker, a test fixture) and passed to diff, export, search and check, which never parse catalog text.
 *
 * One failure policy: an entry whose CIDR does not parse is kept out of `parsed` and listed in `rejected` with the
 * reason. Catalog versions are checked at import, so this only happens with hand-made lists; each consumer says so
 * in its own channel (the diff as a note, an export as an error naming the entry, the table and `check` skip it).
 */
import { parsePrefix, prefixRange } from "../ip/prefix";
import { IPSet } from "../ip/set";
import type { Prefix, Range } from "../ip/types";
import type { PublishedEntry } from "./types";

/** A published entry with what every consumer needs of it, parsed once. */
export interface ParsedEntry<E extends PublishedEntry = PublishedEntry> {
  readonly entry: E;
  /** Region code upper-cased, the form every comparison uses. */
  readonly region: string;
  /** The prefix as published (host bits kept: masking is explicit). */
  readonly prefix: Prefix;
  readonly range: Range;
}

export interface RejectedEntry<E extends PublishedEntry = PublishedEntry> {
  readonly entry: E;
  readonly message: string;
}

/** `E` is the entry type the catalog was built from (a table row, say), kept as `parsed[i].entry`. */
export interface Catalog<E extends PublishedEntry = PublishedEntry> {
  /** Every entry as published, in catalog order (rejected ones included, as the source listed them). */
  readonly entries: readonly E[];
  /** The entries whose CIDR parsed, in catalog order. */
  readonly parsed: readonly ParsedEntry<E>[];
  readonly rejected: readonly RejectedEntry<E>[];
  /** Region codes (upper case) in order of first appearance. */
  readonly regionCodes: readonly string[];
  /** The addresses published for each region (upper-case code). */
  readonly regionSets: ReadonlyMap<string, IPSet>;
  /** Every address the catalog publishes. */
  readonly all: IPSet;
}

/** Anything that holds a catalog: a Catalog (or a value extending it, such as the database's current catalog) or a plain list. */
export type CatalogSource = Catalog | readonly PublishedEntry[];

const built = new WeakMap<readonly PublishedEntry[], Catalog>();

export function buildCatalog<E extends PublishedEntry>(entries: readonly E[]): Catalog<E> {
  const parsed: ParsedEntry<E>[] = [];
  const rejected: RejectedEntry<E>[] = [];
  const regionCodes: string[] = [];
  const rangesByRegion = new Map<string, Range[]>();
  for (const entry of entries) {
    const region = entry.region.toUpperCase();
    if (!rangesByRegion.has(region)) {
      rangesByRegion.set(region, []);
      regionCodes.push(region);
    }
    const prefix = parsePrefix(entry.cidr);
    if (!prefix.ok) {
      rejected.push({ entry, message: prefix.error.message });
      continue;
    }
    const range = prefixRange(prefix.value);
    parsed.push({ entry, region, prefix: prefix.value, range });
    rangesByRegion.get(region)?.push(range);
  }
  const regionSets = new Map<string, IPSet>();
  for (const [region, ranges] of rangesByRegion) regionSets.set(region, IPSet.fromRanges(ranges));
  const all = IPSet.fromRanges(parsed.map((p) => p.range));
  return Object.freeze({ entries, parsed, rejected, regionCodes, regionSets, all });
}

/**
 * The Catalog of a source. A plain list (tests, fixtures, the compare worker's message) is built once per list
 * object and remembered, so passing the same list again never parses it again.
 */
export function catalogOf(source: CatalogSource): Catalog {
  if (!isEntryList(source)) return source;
  let catalog = built.get(source);
  if (catalog === undefined) built.set(source, (catalog = buildCatalog(source)));
  return catalog;
}

function isEntryList(source: CatalogSource): source is readonly PublishedEntry[] {
  return Array.isArray(source);
}

/** The parsed entries of the chosen regions (any case; undefined = all), in catalog order. */
export function entriesOfRegions(catalog: Catalog, regions: readonly string[] | undefined): readonly ParsedEntry[] {
  if (regions === undefined) return catalog.parsed;
  const wanted = new Set(regions.map((r) => r.toUpperCase()));
  return catalog.parsed.filter((p) => wanted.has(p.region));
}

/** The rejected entries of the chosen regions (any case; undefined = all). */
export function rejectedOfRegions(catalog: Catalog, regions: readonly string[] | undefined): readonly RejectedEntry[] {
  if (regions === undefined) return catalog.rejected;
  const wanted = new Set(regions.map((r) => r.toUpperCase()));
  return catalog.rejected.filter((r) => wanted.has(r.entry.region.toUpperCase()));
}
