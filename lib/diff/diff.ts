/**
 * Coverage diff: the published entries of the chosen regions × parsed entries evaluated first-match.
 * The catalog is small (~50 CIDRs) and a paste may hold 1M entries, so every per-entry step is O(log m) against the
 * catalog, and only the few entries that touch it do set arithmetic.
 */
import { compareAddress } from "../ip/address";
import { formatPrefix, hasHostBits, parsePrefix, prefixRange } from "../ip/prefix";
import { formatRange, newRange, rangeEquals, rangesOverlap } from "../ip/range";
import { IPSet } from "../ip/set";
import type { Range } from "../ip/types";
import type { PublishedEntry } from "../catalog/types";
import type { Entry, Finding, ParseOutput, PortRange } from "../parse/types";
import type {
  CoveredBy,
  Coverage,
  DiffOptions,
  DiffResult,
  EntryFlag,
  EntryStatus,
  EntryVerdict,
  PublishedVerdict,
  RegionSummary,
} from "./types";

export const DEFAULT_DIFF_OPTIONS: Omit<DiffOptions, "regions"> = {
  port: 443,
  protocol: "tcp",
  overbroadV4: 16,
  overbroadV6: 32,
};

/** Protocol words that mean "every protocol". */
const ANY_PROTOCOL = new Set(["ip", "all", "any"]);

/** Finding kinds that stand for an address the user wrote but that could not be read: shown as "invalid" rows. */
const INVALID_KINDS = new Set(["invalid", "ambiguous", "hostname"]);

const NO_FLAGS: readonly EntryFlag[] = Object.freeze([]);

/** Flags in the order they are reported; a verdict's flags are one shared frozen array per combination. */
const FLAG_ORDER: readonly EntryFlag[] = ["overbroad", "host-bits", "shadowed", "wrong-port", "other-region", "duplicate", "redundant"];
const FLAG_BIT = Object.fromEntries(FLAG_ORDER.map((f, i) => [f, 1 << i])) as Record<EntryFlag, number>;
const flagSets: (readonly EntryFlag[])[] = [];

function flagsOf(mask: number): readonly EntryFlag[] {
  if (mask === 0) return NO_FLAGS;
  return (flagSets[mask] ??= Object.freeze(FLAG_ORDER.filter((f) => (mask & FLAG_BIT[f]) !== 0)));
}

/** A published entry of a chosen region, with what the evaluation has decided about its addresses so far. */
interface Target {
  readonly entry: PublishedEntry;
  readonly range: Range;
  allowed: IPSet;
  denied: IPSet;
  readonly coveredBy: CoveredBy[];
}

function protocolMatches(entry: Entry, protocol: string): boolean {
  return entry.protocol === undefined || entry.protocol === protocol || ANY_PROTOCOL.has(entry.protocol);
}

function portMatches(ports: readonly PortRange[] | undefined, port: number): boolean {
  if (ports === undefined) return true;
  for (const p of ports) if (port >= p.from && port <= p.to) return true;
  return false;
}

function formatPorts(ports: readonly PortRange[]): string {
  return ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(", ");
}

function how(entry: Entry, target: Range): CoveredBy["how"] {
  if (entry.via !== undefined && entry.via.length > 0) return "group";
  if (rangeEquals(entry.range, target)) return "exact";
  if (entry.kind === "address") return "cidr";
  return entry.kind;
}

/** "52.1.37.96/32 (US)", "…, … and 3 more": messages name at most three published entries. */
function describeTargets(targets: readonly Target[]): string {
  const names = targets.slice(0, 3).map((t) => `${t.entry.cidr} (${t.entry.region})`);
  const more = targets.length - names.length;
  return more > 0 ? `${names.join(", ")} and ${more} more` : names.join(", ");
}

function orderRegions(published: readonly PublishedEntry[]): string[] {
  const seen = new Set<string>();
  for (const p of published) seen.add(p.region.toUpperCase());
  return [...seen];
}

/** Keys equal exactly when two entries are duplicates: same action, direction, protocol and ports. */
function ruleKey(e: Entry): string {
  return `${e.action}|${e.direction}|${e.protocol ?? "*"}|${e.ports ? formatPorts(e.ports) : "*"}`;
}

interface Overlaps {
  /** Entry index → index of an earlier entry it duplicates, or -1. */
  readonly duplicateOf: Int32Array;
  /** Entry index → index of an applying allow that strictly contains it, or -1. */
  readonly insideOf: Int32Array;
}

/**
 * A stable LSD radix sort of `order` by the 32-bit `keys[i]`, 16 bits a pass: IPv4 pastes of 1M entries sort in
 * tens of milliseconds this way, where a comparator sort spends seconds. `scratch` has order's length.
 */
function radixPass(order: Uint32Array, scratch: Uint32Array, keys: Uint32Array, counts: Uint32Array): void {
  for (let shift = 0; shift < 32; shift += 16) {
    counts.fill(0);
    for (let k = 0; k < order.length; k++) counts[(keys[order[k]!]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      scratch[counts[(keys[i]! >>> shift) & 0xffff]!++] = i;
    }
    order.set(scratch);
  }
}

/**
 * Duplicates (same range and rule as an earlier entry) and redundant entries (strictly inside another applying
 * allow) in one sort by (first asc, last desc, index asc) and one sweep. `first`/`last` hold, in sorted order, the
 * numbers (IPv4) or bigints (IPv6) of the entries `sorted` names.
 */
function sweep<T extends number | bigint>(
  entries: readonly Entry[],
  applyingAllow: Uint8Array,
  sorted: ArrayLike<number>,
  first: ArrayLike<T>,
  last: ArrayLike<T>,
  out: Overlaps,
): void {
  const m = sorted.length;
  // Widest applying allow that started strictly before the current group: its entry index and last address.
  let outer = -1;
  let outerLast = first[0]!;
  let g = 0;
  while (g < m) {
    let end = g + 1;
    while (end < m && first[end] === first[g]) end++;
    // Within the group of equal first addresses, the first applying allow is the widest.
    let groupOuter = -1;
    for (let k = g; k < end; k++) {
      const i = sorted[k]!;
      if (k > g && last[k] === last[k - 1]) {
        // Equal ranges sit together in index order: compare rule keys with the earlier ones of the run.
        const key = ruleKey(entries[i]!);
        for (let j = k - 1; j >= g && last[j] === last[k]; j--) {
          if (ruleKey(entries[sorted[j]!]!) === key) {
            out.duplicateOf[i] = sorted[j]!;
            break;
          }
        }
      }
      if (applyingAllow[i] !== 1) continue;
      if (outer >= 0 && outerLast >= last[k]!) out.insideOf[i] = outer;
      else if (groupOuter >= 0 && last[groupOuter]! > last[k]!) out.insideOf[i] = sorted[groupOuter]!;
      if (groupOuter < 0) groupOuter = k;
    }
    if (groupOuter >= 0 && (outer < 0 || last[groupOuter]! > outerLast)) {
      outer = sorted[groupOuter]!;
      outerLast = last[groupOuter]!;
    }
    g = end;
  }
}

function findOverlaps(entries: readonly Entry[], keys: EntryKeys): Overlaps {
  const n = entries.length;
  const applyingAllow = keys.applyingAllow;
  const out: Overlaps = { duplicateOf: new Int32Array(n).fill(-1), insideOf: new Int32Array(n).fill(-1) };
  const v4Count = keys.indices.length;
  if (v4Count > 0) {
    // Positions into the compact IPv4 arrays, sorted least significant key first: last descending, then first
    // ascending; the stable passes keep index order among equal ranges.
    const order = new Uint32Array(v4Count);
    for (let k = 0; k < v4Count; k++) order[k] = k;
    const scratch = new Uint32Array(v4Count);
    const counts = new Uint32Array(65536);
    const sortKey = new Uint32Array(v4Count);
    for (let k = 0; k < v4Count; k++) sortKey[k] = 0xffffffff - keys.last[k]!;
    radixPass(order, scratch, sortKey, counts);
    radixPass(order, scratch, keys.first, counts);
    const sorted = scratch; // reused: entry indices in sorted order
    const first = sortKey; // reused: first addresses in sorted order
    const last = new Uint32Array(v4Count);
    for (let k = 0; k < v4Count; k++) {
      const p = order[k]!;
      sorted[k] = keys.indices[p]!;
      first[k] = keys.first[p]!;
      last[k] = keys.last[p]!;
    }
    sweep(entries, applyingAllow, sorted, first, last, out);
  }
  const v6: number[] = [];
  for (let i = 0; i < n; i++) if (keys.slot[i]! < 0) v6.push(i);
  if (v6.length > 0) {
    // Keys read once into arrays: comparing through entry objects costs a chain of loads per comparison.
    const firstOf: bigint[] = [];
    const lastOf: bigint[] = [];
    const top = new Float64Array(v6.length);
    for (let k = 0; k < v6.length; k++) {
      const r = entries[v6[k]!]!.range;
      firstOf.push(r.first.value);
      lastOf.push(r.last.value);
      top[k] = Number(r.first.value >> 76n); // the top 52 bits, exact as a double: bigints only break ties
    }
    const positions = Array.from(v6.keys());
    positions.sort((a, b) => {
      const fa = firstOf[a]!;
      const fb = firstOf[b]!;
      if (top[a] !== top[b]) return top[a]! - top[b]!;
      if (fa !== fb) return fa < fb ? -1 : 1;
      const la = lastOf[a]!;
      const lb = lastOf[b]!;
      if (la !== lb) return la > lb ? -1 : 1;
      return a - b;
    });
    const sorted = positions.map((k) => v6[k]!);
    sweep(entries, applyingAllow, sorted, positions.map((k) => firstOf[k]!), positions.map((k) => lastOf[k]!), out);
  }
  return out;
}

/**
 * Read once per entry, in one pass: whether it is an applying allow, and for IPv4 its first and last address as
 * numbers (exact, and far cheaper than bigints), stored compactly in entry order.
 */
interface EntryKeys {
  readonly applyingAllow: Uint8Array;
  /** Entry index → position in the compact IPv4 arrays, or -1 for IPv6. */
  readonly slot: Int32Array;
  /** Position → entry index, ascending. */
  readonly indices: Uint32Array;
  readonly first: Uint32Array;
  readonly last: Uint32Array;
}

function entryKeys(entries: readonly Entry[], protocol: string, port: number): EntryKeys {
  const n = entries.length;
  const applyingAllow = new Uint8Array(n);
  const slot = new Int32Array(n);
  const indices = new Uint32Array(n);
  const first = new Uint32Array(n);
  const last = new Uint32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    if (e.action === "allow" && e.direction !== "out" && protocolMatches(e, protocol) && portMatches(e.ports, port)) {
      applyingAllow[i] = 1;
    }
    const r = e.range;
    if (r.first.family === 4) {
      slot[i] = count;
      indices[count] = i;
      first[count] = Number(r.first.value);
      last[count] = Number(r.last.value);
      count++;
    } else {
      slot[i] = -1;
    }
  }
  return { applyingAllow, slot, indices: indices.subarray(0, count), first: first.subarray(0, count), last: last.subarray(0, count) };
}

/** The catalog's merged ranges per family, for an O(log m) "does this entry touch the catalog at all?". */
class CatalogIndex {
  private readonly first4: number[] = [];
  private readonly last4: number[] = [];
  private readonly first6: bigint[] = [];
  private readonly last6: bigint[] = [];

  constructor(set: IPSet) {
    for (const r of set.ranges) {
      if (r.first.family === 4) {
        this.first4.push(Number(r.first.value));
        this.last4.push(Number(r.last.value));
      } else {
        this.first6.push(r.first.value);
        this.last6.push(r.last.value);
      }
    }
  }

  /** Sorted, disjoint ranges: the first one ending at or after `first` is the only candidate to overlap. */
  touches4(first: number, last: number): boolean {
    return touchesSorted(this.first4, this.last4, first, last);
  }

  touches6(first: bigint, last: bigint): boolean {
    return touchesSorted(this.first6, this.last6, first, last);
  }
}

function touchesSorted<T extends number | bigint>(firsts: readonly T[], lasts: readonly T[], first: T, last: T): boolean {
  let lo = 0;
  let hi = lasts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lasts[mid]! < first) lo = mid + 1;
    else hi = mid;
  }
  return lo < lasts.length && firsts[lo]! <= last;
}

export function diff(
  published: readonly PublishedEntry[],
  parsed: ParseOutput,
  options: Partial<DiffOptions> = {},
): DiffResult {
  const allRegions = orderRegions(published);
  const wanted = new Set((options.regions ?? allRegions).map((r) => r.toUpperCase()));
  const regions = allRegions.filter((r) => wanted.has(r));
  const chosen = new Set(regions);
  const port = options.port ?? DEFAULT_DIFF_OPTIONS.port;
  const protocol = (options.protocol ?? DEFAULT_DIFF_OPTIONS.protocol).toLowerCase();
  const overbroadV4 = options.overbroadV4 ?? DEFAULT_DIFF_OPTIONS.overbroadV4;
  const overbroadV6 = options.overbroadV6 ?? DEFAULT_DIFF_OPTIONS.overbroadV6;
  const notes = [...parsed.notes];

  const targets: Target[] = [];
  const catalogRanges: Range[] = [];
  const chosenRanges: Range[] = [];
  const otherRanges: Range[] = [];
  for (const p of published) {
    const prefix = parsePrefix(p.cidr);
    if (!prefix.ok) {
      notes.push(`The catalog entry "${p.cidr}" (${p.region}) is not a CIDR and was skipped.`);
      continue;
    }
    const range = prefixRange(prefix.value);
    catalogRanges.push(range);
    if (chosen.has(p.region.toUpperCase())) {
      targets.push({ entry: p, range, allowed: IPSet.empty(), denied: IPSet.empty(), coveredBy: [] });
      chosenRanges.push(range);
    } else {
      otherRanges.push(range);
    }
  }
  const catalog = IPSet.fromRanges(catalogRanges);
  const chosenSet = IPSet.fromRanges(chosenRanges);
  // Addresses published only for regions not chosen: listing them is "other-region".
  const otherOnly = IPSet.fromRanges(otherRanges).difference(chosenSet);

  const entries = parsed.entries;
  const n = entries.length;
  const keys = entryKeys(entries, protocol, port);
  const applyingAllow = keys.applyingAllow;
  const { duplicateOf, insideOf } = findOverlaps(entries, keys);
  const catalogIndex = new CatalogIndex(catalog);

  const threshold4 = Number(1n << BigInt(32 - overbroadV4));
  const threshold6 = 1n << BigInt(128 - overbroadV6);
  const wholeSpace4 = 2 ** 32;
  const wholeSpace6 = 1n << 128n;
  const regionList = regions.join(", ");
  const unrelatedMessage =
    regions.length > 0
      ? `Not a published NAT IP of ${regionList}: it does not matter for these webhooks.`
      : "No region is chosen, so nothing is checked.";
  const outboundMessage = "Egress rule: it does not let inbound webhooks in.";

  const insideMessages = new Map<number, string>();
  const verdicts: EntryVerdict[] = new Array<EntryVerdict>(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    // A bit mask rather than an array: 1M verdicts share a handful of frozen flag arrays.
    let flags = 0;
    let status: EntryStatus;
    let message: string | undefined;
    const inbound = e.direction !== "out";
    const isAllow = e.action === "allow";
    const applies = inbound && (isAllow ? applyingAllow[i] === 1 : protocolMatches(e, protocol) && portMatches(e.ports, port));

    const slot = keys.slot[i]!;
    const v4 = slot >= 0;
    if (isAllow && inbound) {
      const family = v4 ? 4 : 6;
      let size: number | bigint;
      let whole: boolean;
      let wide: boolean;
      if (v4) {
        size = keys.last[slot]! - keys.first[slot]! + 1;
        whole = size === wholeSpace4;
        wide = size > threshold4;
      } else {
        size = e.range.last.value - e.range.first.value + 1n;
        whole = size === wholeSpace6;
        wide = size > threshold6;
      }
      if (e.kind === "any" || whole || wide) {
        flags |= FLAG_BIT["overbroad"];
        message = whole
          ? `Over-broad: ${e.token} allows the whole ${family === 4 ? "IPv4 " : "IPv6 "}Internet.`
          : `Over-broad: ${e.token} allows ${size} addresses (wider than /${family === 4 ? overbroadV4 : overbroadV6}).`;
      }
    }
    if (e.prefix !== undefined && hasHostBits(e.prefix)) flags |= FLAG_BIT["host-bits"];

    let covers = false;
    const touchesCatalog = v4
      ? catalogIndex.touches4(keys.first[slot]!, keys.last[slot]!)
      : catalogIndex.touches6(e.range.first.value, e.range.last.value);
    if (touchesCatalog) {
      const hit = targets.filter((t) => rangesOverlap(t.range, e.range));
      if (hit.length > 0 && applies) {
        const fresh: Target[] = [];
        let shadowed = false;
        let blocks = false;
        for (const t of hit) {
          const piece = IPSet.fromRanges([intersect(t.range, e.range)]);
          if (isAllow) {
            if (piece.overlaps(t.denied)) shadowed = true;
            const gained = piece.difference(t.allowed).difference(t.denied);
            if (!gained.isEmpty()) {
              t.allowed = t.allowed.union(gained);
              t.coveredBy.push(coveredBy(e, t.range));
              fresh.push(t);
            }
          } else {
            const taken = piece.difference(t.allowed).difference(t.denied);
            if (!taken.isEmpty()) blocks = true;
            t.denied = t.denied.union(taken);
          }
        }
        if (shadowed) flags |= FLAG_BIT["shadowed"];
        if (isAllow && fresh.length > 0) {
          covers = true;
          const exact = fresh.length === 1 && rangeEquals(e.range, fresh[0]!.range) && !e.via?.length;
          message ??= `Allows ${describeTargets(fresh)} ${exact ? "exactly" : `through ${describeHow(e)}`}.`;
        } else if (isAllow) {
          message ??= shadowed
            ? `Allows ${describeTargets(hit)}, but an earlier deny already blocks it.`
            : `Allows ${describeTargets(hit)}, already allowed by an earlier line.`;
        } else {
          message = blocks
            ? `Denies ${describeTargets(hit)}: webhooks from it will be blocked.`
            : `Denies ${describeTargets(hit)}, but an earlier line already decided it (first match wins).`;
        }
      } else if (hit.length > 0 && isAllow && inbound) {
        flags |= FLAG_BIT["wrong-port"];
        message ??= wrongPortMessage(e, protocol, port);
      }
      if (isAllow && inbound && otherOnly.overlapsRange(e.range)) {
        flags |= FLAG_BIT["other-region"];
        if (!covers && message === undefined) {
          const others = published.filter((p) => !chosen.has(p.region.toUpperCase()) && overlapsCidr(p, e.range));
          const names = [...new Set(others.map((p) => p.region.toUpperCase()))].join(", ");
          message = `Allows NAT IPs of ${names}, a region not chosen${regionList ? ` (checking ${regionList})` : ""}.`;
        }
      }
    }

    const dup = duplicateOf[i]!;
    if (dup >= 0) {
      flags |= FLAG_BIT["duplicate"];
      message ??= `Duplicate of line ${entries[dup]!.line}: remove it.`;
    }
    const inside = insideOf[i]!;
    if (inside >= 0) {
      flags |= FLAG_BIT["redundant"];
      if (message === undefined) {
        // Many entries sit inside the same wide one: they share its message string.
        message = insideMessages.get(inside);
        if (message === undefined) {
          const outer = entries[inside]!;
          message = `Redundant: already inside ${outer.token} (line ${outer.line}).`;
          insideMessages.set(inside, message);
        }
      }
    }

    if (!inbound) {
      status = "outbound";
      message = outboundMessage;
    } else if (!isAllow) {
      status = "deny";
      message ??= "Deny rule: it blocks no published NAT IP of the chosen regions.";
    } else if (covers) {
      status = "covers";
    } else {
      status = "unrelated";
    }
    verdicts[i] = {
      line: e.line,
      text: e.text,
      status,
      flags: flagsOf(flags),
      message: message ?? unrelatedMessage,
      entryIndex: i,
    };
  }

  const invalidRows: EntryVerdict[] = [];
  const findings: Finding[] = [];
  for (const f of parsed.findings) {
    if (f.line >= 1 && INVALID_KINDS.has(f.kind)) {
      invalidRows.push({ line: f.line, text: f.text, status: "invalid", flags: NO_FLAGS, message: f.message });
    } else {
      findings.push(f);
    }
  }

  const publishedVerdicts: PublishedVerdict[] = targets.map((t) => ({
    entry: t.entry,
    status: coverage(t),
    coveredBy: t.coveredBy,
  }));
  const byRegion: RegionSummary[] = regions.map((region) => summarise(publishedVerdicts.filter((v) => v.entry.region.toUpperCase() === region), region));
  const total = summarise(publishedVerdicts, "");
  const summary = { published: total.published, covered: total.covered, partial: total.partial, missing: total.missing };

  return {
    regions,
    format: parsed.format,
    summary,
    byRegion,
    published: publishedVerdicts,
    entries: mergeByLine(verdicts, invalidRows),
    findings,
    notes,
  };
}

function intersect(a: Range, b: Range): Range {
  const first = compareAddress(a.first, b.first) >= 0 ? a.first : b.first;
  const last = compareAddress(a.last, b.last) <= 0 ? a.last : b.last;
  return newRange(first, last);
}

function overlapsCidr(p: PublishedEntry, r: Range): boolean {
  const prefix = parsePrefix(p.cidr);
  return prefix.ok && rangesOverlap(prefixRange(prefix.value), r);
}

function coveredBy(e: Entry, target: Range): CoveredBy {
  const h = how(e, target);
  return e.via !== undefined && e.via.length > 0 ? { line: e.line, text: e.text, how: h, via: e.via } : { line: e.line, text: e.text, how: h };
}

function describeHow(e: Entry): string {
  if (e.via !== undefined && e.via.length > 0) return `object ${e.via.join(" → ")}`;
  switch (e.kind) {
    case "any":
      return "any";
    case "wildcard":
      return `the wildcard ${e.token}`;
    case "range":
      return `the range ${e.token}`;
    default:
      return e.prefix ? `the broader CIDR ${formatPrefix(e.prefix)}` : `${formatRange(e.range)}`;
  }
}

function wrongPortMessage(e: Entry, protocol: string, port: number): string {
  const proto = (e.protocol ?? protocol).toUpperCase();
  const ports = e.ports ? ` ${formatPorts(e.ports)}` : "";
  return protocolMatches(e, protocol)
    ? `Only ${proto}${ports} — the checked port ${port} is not allowed.`
    : `Only ${proto}${ports} — ${protocol.toUpperCase()} port ${port} is not allowed.`;
}

function coverage(t: Target): Coverage {
  if (t.allowed.isEmpty()) return "missing";
  return t.allowed.containsRange(t.range) ? "covered" : "partial";
}

function summarise(verdicts: readonly PublishedVerdict[], region: string): RegionSummary {
  let covered = 0;
  let partial = 0;
  let missing = 0;
  for (const v of verdicts) {
    if (v.status === "covered") covered++;
    else if (v.status === "partial") partial++;
    else missing++;
  }
  return { region, published: verdicts.length, covered, partial, missing };
}

/** Entry rows in evaluation order, with each invalid row placed before the first entry row of a later line. */
function mergeByLine(verdicts: readonly EntryVerdict[], invalid: readonly EntryVerdict[]): EntryVerdict[] {
  if (invalid.length === 0) return verdicts as EntryVerdict[];
  const sorted = invalid.slice().sort((a, b) => a.line - b.line);
  const out: EntryVerdict[] = [];
  let j = 0;
  for (const v of verdicts) {
    while (j < sorted.length && sorted[j]!.line < v.line) out.push(sorted[j++]!);
    out.push(v);
  }
  while (j < sorted.length) out.push(sorted[j++]!);
  return out;
}
