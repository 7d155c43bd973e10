/**
 * The diff kernel's context: options resolved, the chosen regions' targets and catalog sets, and the path contexts an
 * entry is evaluated in. Both engines (engines/objects.ts, engines/columnar.ts) build their diff on it.
 */
import { IPSet } from "../../ip/set";
import type { Range } from "../../ip/types";
import { catalogOf, type Catalog, type CatalogSource } from "../../catalog/catalog";
import type { PublishedEntry } from "../../catalog/types";
import type { Entry, ParseOutput, PathContext, PortRange } from "../../parse/types";
import type { CoveredBy, DiffOptions } from "../types";

export const DEFAULT_DIFF_OPTIONS: Omit<DiffOptions, "regions"> = {
  port: 443,
  protocol: "tcp",
  overbroadV4: 16,
  overbroadV6: 32,
};

/** Protocol words that mean "every protocol". */
const ANY_PROTOCOL = new Set(["ip", "all", "any"]);

/** A published entry of a chosen region, with what the evaluation has decided about its addresses so far. */
export interface Target {
  readonly entry: PublishedEntry;
  readonly range: Range;
  allowed: IPSet;
  denied: IPSet;
  readonly coveredBy: CoveredBy[];
  /**
   * The rules that decided its addresses in the current context, in evaluation order: each one's rule line and the
   * addresses it decided first (disjoint pieces), so a later rule's message can name the line that decided before it.
   */
  decided: Decision[];
}

/** One rule's first decision about part of a target. */
export interface Decision {
  /** 1-based line of the rule (the rule's line when the address was reached through an object defined elsewhere). */
  readonly line: number;
  readonly allow: boolean;
  readonly set: IPSet;
}

export function protocolMatches(entry: Pick<Entry, "protocol">, protocol: string): boolean {
  return entry.protocol === undefined || entry.protocol === protocol || ANY_PROTOCOL.has(entry.protocol);
}

export function portMatches(ports: readonly PortRange[] | undefined, port: number): boolean {
  if (ports === undefined) return true;
  for (const p of ports) if (port >= p.from && port <= p.to) return true;
  return false;
}

export function formatPorts(ports: readonly PortRange[]): string {
  return ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(", ");
}

/**
 * The catalog's merged ranges per family, for an O(log m) "does this entry touch the catalog at all?", and for IPv4 a
 * table of the /16s any of them touches: an entry inside one /16 the catalog does not touch (nearly every line of a
 * large list) is answered by one read.
 */
export class CatalogIndex {
  private readonly first4: number[] = [];
  private readonly last4: number[] = [];
  private readonly first6: bigint[] = [];
  private readonly last6: bigint[] = [];
  /** 1 for each /16 (by its top 16 bits) that some catalog range touches. */
  private readonly slash16 = new Uint8Array(65536);

  constructor(set: IPSet) {
    for (const r of set.ranges) {
      if (r.first.family === 4) {
        const first = Number(r.first.value);
        const last = Number(r.last.value);
        this.first4.push(first);
        this.last4.push(last);
        this.slash16.fill(1, first >>> 16, (last >>> 16) + 1);
      } else {
        this.first6.push(r.first.value);
        this.last6.push(r.last.value);
      }
    }
  }

  /** Sorted, disjoint ranges: the first one ending at or after `first` is the only candidate to overlap. */
  touches4(first: number, last: number): boolean {
    const top = first >>> 16;
    if (top === last >>> 16 && this.slash16[top] === 0) return false;
    return touchesSorted(this.first4, this.last4, first, last);
  }

  /** False when no catalog range is IPv6: no IPv6 entry can touch it. */
  get hasIPv6(): boolean {
    return this.first6.length > 0;
  }

  touches6(first: bigint, last: bigint): boolean {
    return touchesSorted(this.first6, this.last6, first, last);
  }
}

function touchesSorted<T extends number | bigint>(
  firsts: readonly T[],
  lasts: readonly T[],
  first: T,
  last: T,
): boolean {
  let lo = 0;
  let hi = lasts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lasts[mid]! < first) lo = mid + 1;
    else hi = mid;
  }
  return lo < lasts.length && firsts[lo]! <= last;
}

/** What the object and the columnar diff share: options resolved, the chosen targets and the catalog sets. */
export interface DiffContext {
  readonly catalog: Catalog;
  readonly regions: readonly string[];
  readonly chosen: ReadonlySet<string>;
  readonly port: number;
  readonly protocol: string;
  readonly overbroadV4: number;
  readonly overbroadV6: number;
  readonly notes: string[];
  readonly targets: Target[];
  readonly otherOnly: IPSet;
  readonly catalogIndex: CatalogIndex;
  readonly regionList: string;
  readonly unrelatedMessage: string;
  /** Sizes above which an entry is over-broad. */
  readonly threshold4: number;
  readonly threshold6: bigint;
}

export function diffContext(
  source: CatalogSource,
  parsedNotes: readonly string[],
  options: Partial<DiffOptions>,
): DiffContext {
  const catalog = catalogOf(source);
  const allRegions = catalog.regionCodes;
  const wanted = new Set((options.regions ?? allRegions).map((r) => r.toUpperCase()));
  const regions = allRegions.filter((r) => wanted.has(r));
  const chosen = new Set(regions);
  const notes = [...parsedNotes];
  for (const r of catalog.rejected)
    notes.push(`The catalog entry "${r.entry.cidr}" (${r.entry.region}) is not a CIDR and was skipped.`);

  const targets: Target[] = catalog.parsed
    .filter((p) => chosen.has(p.region))
    .map((p) => ({
      entry: p.entry,
      range: p.range,
      allowed: IPSet.empty(),
      denied: IPSet.empty(),
      coveredBy: [],
      decided: [],
    }));
  // The region sets are built with the catalog; a diff only unions the chosen and the other ones.
  let chosenSet = IPSet.empty();
  let otherSet = IPSet.empty();
  for (const [region, set] of catalog.regionSets) {
    if (chosen.has(region)) chosenSet = chosenSet.union(set);
    else otherSet = otherSet.union(set);
  }
  const regionList = regions.join(", ");
  return {
    catalog,
    regions,
    chosen,
    port: options.port ?? DEFAULT_DIFF_OPTIONS.port,
    protocol: (options.protocol ?? DEFAULT_DIFF_OPTIONS.protocol).toLowerCase(),
    overbroadV4: options.overbroadV4 ?? DEFAULT_DIFF_OPTIONS.overbroadV4,
    overbroadV6: options.overbroadV6 ?? DEFAULT_DIFF_OPTIONS.overbroadV6,
    notes,
    targets,
    // Addresses published only for regions not chosen: listing them is "other-region".
    otherOnly: otherSet.difference(chosenSet),
    catalogIndex: new CatalogIndex(catalog.all),
    regionList,
    threshold4: Number(1n << BigInt(32 - (options.overbroadV4 ?? DEFAULT_DIFF_OPTIONS.overbroadV4))),
    threshold6: 1n << BigInt(128 - (options.overbroadV6 ?? DEFAULT_DIFF_OPTIONS.overbroadV6)),
    unrelatedMessage:
      regions.length > 0
        ? `Not a published NAT IP of ${regionList}: it does not matter for these webhooks.`
        : "No region is chosen, so nothing is checked.",
  };
}

/** The implicit context of a parse without a path: one list, and what no line allows is not allowed. */
const IMPLICIT_CONTEXT: PathContext = Object.freeze({
  name: "the list",
  line: 0,
  text: "",
  fallthrough: "deny",
  onPath: true,
  reason: "The paste is read as one list.",
});

/** The contexts a parse is evaluated on: its path, or the one implicit context. */
export function contextsOf(parsed: Pick<ParseOutput, "path">): readonly PathContext[] {
  const c = parsed.path?.contexts;
  return c !== undefined && c.length > 0 ? c : [IMPLICIT_CONTEXT];
}

/** The context index of an entry, clamped to the contexts that exist. */
export function contextIndex(e: Entry, count: number): number {
  const c = e.context ?? 0;
  return c >= 0 && c < count ? c : 0;
}
