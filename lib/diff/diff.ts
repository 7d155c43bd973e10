/**
 * Coverage diff: the published entries of the chosen regions × parsed entries evaluated first-match.
 * The catalog is small (~50 CIDRs) and a paste may hold 1M entries, so every per-entry step is O(log m) against the
 * catalog, and only the few entries that touch it do set arithmetic.
 */
import { compareAddress } from "../ip/address";
import { formatPrefix, hasHostBits } from "../ip/prefix";
import { formatRange, newRange, rangeEquals, rangesOverlap } from "../ip/range";
import { IPSet } from "../ip/set";
import type { Range } from "../ip/types";
import { FLAG_BIT, flagBits, flagsOf, NO_FLAGS } from "./flags";
import { newOverlaps, sweep, sweepIPv4, type Overlaps } from "./overlaps";
import { catalogOf, type Catalog, type CatalogSource } from "../catalog/catalog";
import type { PublishedEntry } from "../catalog/types";
import type { Entry, Finding, FormatId, ParseOutput, PathContext, PortRange } from "../parse/types";
import type {
  CoveredBy,
  Coverage,
  DiffOptions,
  DiffResult,
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

/** A published entry of a chosen region, with what the evaluation has decided about its addresses so far. */
export interface Target {
  readonly entry: PublishedEntry;
  readonly range: Range;
  allowed: IPSet;
  denied: IPSet;
  readonly coveredBy: CoveredBy[];
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

/** Keys equal exactly when two entries are duplicates: same action, direction, protocol and ports. */
function ruleKey(e: Entry): string {
  return `${e.context ?? 0}|${e.unmet ?? ""}|${e.action}|${e.direction}|${e.protocol ?? "*"}|${e.ports ? formatPorts(e.ports) : "*"}`;
}

function findOverlaps(entries: readonly Entry[], keys: EntryKeys): Overlaps {
  const n = entries.length;
  const applyingAllow = keys.applyingAllow;
  const out = newOverlaps(n);
  const sameRule = (i: number, j: number) => ruleKey(entries[i]!) === ruleKey(entries[j]!);
  sweepIPv4(applyingAllow, keys.indices, keys.first, keys.last, sameRule, out);
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
    sweep(applyingAllow, sorted, positions.map((k) => firstOf[k]!), positions.map((k) => lastOf[k]!), sameRule, out);
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

function entryKeys(entries: readonly Entry[], protocol: string, port: number, contexts: readonly PathContext[]): EntryKeys {
  const n = entries.length;
  const applyingAllow = new Uint8Array(n);
  const slot = new Int32Array(n);
  const indices = new Uint32Array(n);
  const first = new Uint32Array(n);
  const last = new Uint32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    if (
      e.action === "allow" &&
      e.direction !== "out" &&
      e.unmet === undefined &&
      contexts[contextIndex(e, contexts.length)]!.onPath &&
      protocolMatches(e, protocol) &&
      portMatches(e.ports, port)
    ) {
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
export class CatalogIndex {
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

  /** False when no catalog range is IPv6: no IPv6 entry can touch it. */
  get hasIPv6(): boolean {
    return this.first6.length > 0;
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

export function diffContext(source: CatalogSource, parsedNotes: readonly string[], options: Partial<DiffOptions>): DiffContext {
  const catalog = catalogOf(source);
  const allRegions = catalog.regionCodes;
  const wanted = new Set((options.regions ?? allRegions).map((r) => r.toUpperCase()));
  const regions = allRegions.filter((r) => wanted.has(r));
  const chosen = new Set(regions);
  const notes = [...parsedNotes];
  for (const r of catalog.rejected) notes.push(`The catalog entry "${r.entry.cidr}" (${r.entry.region}) is not a CIDR and was skipped.`);

  const targets: Target[] = catalog.parsed
    .filter((p) => chosen.has(p.region))
    .map((p) => ({ entry: p.entry, range: p.range, allowed: IPSet.empty(), denied: IPSet.empty(), coveredBy: [] }));
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

export const OUTBOUND_MESSAGE = "Egress rule: it does not let inbound webhooks in.";

/** "Over-broad: …" for an inbound allow wider than the thresholds, or undefined. */
export function overbroadMessage(ctx: DiffContext, e: Pick<Entry, "kind" | "token">, v4: boolean, size: number | bigint): string | undefined {
  const whole = v4 ? size === 2 ** 32 : size === 1n << 128n;
  const wide = v4 ? (size as number) > ctx.threshold4 : (size as bigint) > ctx.threshold6;
  if (!(e.kind === "any" || whole || wide)) return undefined;
  return whole
    ? `Over-broad: ${e.token} allows the whole ${v4 ? "IPv4 " : "IPv6 "}Internet.`
    : `Over-broad: ${e.token} allows ${size.toLocaleString("en-US")} addresses (wider than /${v4 ? ctx.overbroadV4 : ctx.overbroadV6}).`;
}

/**
 * First-match evaluation of one entry that touches the catalog: updates the targets it reaches and returns the
 * flags and message so far (the caller's `flags`/`message` come in, extended) and whether it covers anything new.
 */
export function evaluateTouching(
  ctx: DiffContext,
  e: Entry,
  applies: boolean,
  flags: number,
  message: string | undefined,
): { flags: number; message: string | undefined; covers: boolean } {
  const inbound = e.direction !== "out";
  const isAllow = e.action === "allow";
  let covers = false;
  const hit = ctx.targets.filter((t) => rangesOverlap(t.range, e.range));
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
  } else if (hit.length > 0 && isAllow && inbound && !isWide(ctx, e.range)) {
    // A published IP allowed, but not on the port (or protocol) checked. A wide rule for another service (SSH or
    // ICMP from anywhere) also holds published IPs, but says nothing about them: no finding.
    flags |= FLAG_BIT["wrong-port"];
    message ??= wrongPortMessage(e, ctx.protocol, ctx.port);
  }
  if (isAllow && inbound && (applies || !isWide(ctx, e.range)) && ctx.otherOnly.overlapsRange(e.range)) {
    flags |= FLAG_BIT["other-region"];
    if (!covers && message === undefined) {
      const others = ctx.catalog.parsed.filter((p) => !ctx.chosen.has(p.region) && rangesOverlap(p.range, e.range));
      const names = [...new Set(others.map((p) => p.region))].join(", ");
      message = `Allows NAT IPs of ${names}, a region not chosen${ctx.regionList ? ` (checking ${ctx.regionList})` : ""}.`;
    }
  }
  return { flags, message, covers };
}

/** Wider than the over-broad thresholds (or the whole address space). */
function isWide(ctx: DiffContext, r: Range): boolean {
  const size = r.last.value - r.first.value + 1n;
  return r.first.family === 4 ? Number(size) > ctx.threshold4 || size === 1n << 32n : size > ctx.threshold6 || size === 1n << 128n;
}

export function duplicateMessage(line: number): string {
  return `Duplicate of line ${line}: remove it.`;
}

export function redundantMessage(outerToken: string, outerLine: number): string {
  return `Redundant: already inside ${outerToken} (line ${outerLine}).`;
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

export function unmetMessage(unmet: string): string {
  return `Never met by a new inbound connection: ${unmet}.`;
}

export function offPathMessage(c: PathContext): string {
  return `${c.name} is not on the path: ${c.reason}`;
}

/** What one allow entry added to one target, to check after every context whether it still gets through. */
interface Gain {
  readonly entry: number;
  readonly target: number;
  readonly piece: IPSet;
  readonly coveredBy: CoveredBy;
}

export function diff(
  published: CatalogSource,
  parsed: ParseOutput,
  options: Partial<DiffOptions> = {},
): DiffResult {
  const ctx = diffContext(published, parsed.notes, options);
  const { port, protocol } = ctx;

  const entries = parsed.entries;
  const n = entries.length;
  const contexts = contextsOf(parsed);
  const multi = parsed.path !== undefined;
  const keys = entryKeys(entries, protocol, port, contexts);
  const applyingAllow = keys.applyingAllow;
  const { duplicateOf, insideOf } = findOverlaps(entries, keys);
  const catalogIndex = ctx.catalogIndex;
  const targets = ctx.targets;

  // Entries evaluated context by context (stable within one), each context finished before the next starts.
  const buckets: number[][] = contexts.map(() => []);
  for (let i = 0; i < n; i++) buckets[contextIndex(entries[i]!, contexts.length)]!.push(i);
  // Per target: what every on-path context finished so far lets through (starts as the whole target).
  const pass: IPSet[] = targets.map((t) => IPSet.fromRanges([t.range]));
  const contextPass: IPSet[][] = [];
  const fallthroughHelped: number[][] = targets.map(() => []);
  // Per target: whether some on-path context of its address family was crossed (none: nothing lets it in).
  const crossed: boolean[] = targets.map(() => false);
  const gains: Gain[] = [];

  const insideMessages = new Map<number, string>();
  const verdicts: EntryVerdict[] = new Array<EntryVerdict>(n);
  for (let c = 0; c < contexts.length; c++) {
    const context = contexts[c]!;
    for (const i of buckets[c]!) {
      const e = entries[i]!;
      const inbound = e.direction !== "out";
      if (inbound && (e.unmet !== undefined || !context.onPath)) {
        const message = e.unmet !== undefined ? unmetMessage(e.unmet) : offPathMessage(context);
        verdicts[i] = { line: e.line, text: e.text, status: "inactive", flags: NO_FLAGS, message, entryIndex: i };
        continue;
      }
      // A bit mask rather than an array: 1M verdicts share a handful of frozen flag arrays.
      let flags = 0;
      let status: EntryStatus;
      let message: string | undefined;
      const isAllow = e.action === "allow";
      const applies = inbound && (isAllow ? applyingAllow[i] === 1 : protocolMatches(e, protocol) && portMatches(e.ports, port));

      const slot = keys.slot[i]!;
      const v4 = slot >= 0;
      // Over-broad is about the question asked: an allow of ICMP, or of SSH from anywhere, is not this check's finding.
      if (isAllow && inbound && applies) {
        const size = v4 ? keys.last[slot]! - keys.first[slot]! + 1 : e.range.last.value - e.range.first.value + 1n;
        message = overbroadMessage(ctx, e, v4, size);
        if (message !== undefined) flags |= FLAG_BIT["overbroad"];
      }
      if (e.prefix !== undefined && hasHostBits(e.prefix)) flags |= FLAG_BIT["host-bits"];

      let covers = false;
      const touchesCatalog = v4
        ? catalogIndex.touches4(keys.first[slot]!, keys.last[slot]!)
        : catalogIndex.touches6(e.range.first.value, e.range.last.value);
      if (touchesCatalog) {
        const before = multi && isAllow && applies ? targets.map((t) => t.allowed) : undefined;
        ({ flags, message, covers } = evaluateTouching(ctx, e, applies, flags, message));
        if (before !== undefined && covers) {
          for (let ti = 0; ti < targets.length; ti++) {
            const t = targets[ti]!;
            if (t.allowed === before[ti]) continue;
            gains.push({ entry: i, target: ti, piece: t.allowed.difference(before[ti]!), coveredBy: t.coveredBy[t.coveredBy.length - 1]! });
          }
        }
      }

      const dup = duplicateOf[i]!;
      if (dup >= 0) {
        flags |= FLAG_BIT["duplicate"];
        message ??= duplicateMessage(entries[dup]!.line);
      }
      const inside = insideOf[i]!;
      if (inside >= 0) {
        flags |= FLAG_BIT["redundant"];
        if (message === undefined) {
          // Many entries sit inside the same wide one: they share its message string.
          message = insideMessages.get(inside);
          if (message === undefined) {
            const outer = entries[inside]!;
            message = redundantMessage(outer.token, outer.line);
            insideMessages.set(inside, message);
          }
        }
      }

      if (!inbound) {
        status = "outbound";
        message = OUTBOUND_MESSAGE;
      } else if (!isAllow) {
        status = "deny";
        message ??= "Deny rule: it blocks no published NAT IP of the chosen regions.";
      } else if (covers) {
        status = "covers";
      } else {
        status = "unrelated";
        // A rule for another service (ICMP, SSH …): say so rather than "not a published NAT IP", which may be false.
        if (!applies && message === undefined) message = otherServiceMessage(e, protocol, port);
      }
      verdicts[i] = {
        line: e.line,
        text: e.text,
        status,
        flags: flagsOf(flags),
        message: message ?? ctx.unrelatedMessage,
        entryIndex: i,
      };
    }
    if (!multi) break;
    // The context is done: what it lets through (its rules, then its fall-through) narrows every target's pass.
    const own: IPSet[] = [];
    for (let ti = 0; ti < targets.length; ti++) {
      const t = targets[ti]!;
      if (context.family !== undefined && t.range.first.family !== context.family) {
        // A context of the other address family is not crossed: it lets everything of this target through.
        own.push(IPSet.fromRanges([t.range]));
        t.allowed = IPSet.empty();
        t.denied = IPSet.empty();
        continue;
      }
      if (context.onPath) crossed[ti] = true;
      let through = t.allowed;
      if (context.fallthrough === "allow") {
        const rest = IPSet.fromRanges([t.range]).difference(t.allowed).difference(t.denied);
        if (!rest.isEmpty()) {
          through = through.union(rest);
          if (context.onPath) fallthroughHelped[ti]!.push(c);
        }
      }
      own.push(through);
      if (context.onPath) pass[ti] = pass[ti]!.intersection(through);
      t.allowed = IPSet.empty();
      t.denied = IPSet.empty();
    }
    contextPass.push(own);
  }

  if (multi) settlePath(ctx, contexts, pass.map((p, ti) => (crossed[ti] ? p : IPSet.empty())), contextPass, fallthroughHelped, gains, verdicts);

  const { invalidRows, findings } = splitFindings(parsed.findings);
  const s = diffSummary(ctx, parsed.format);
  const result: DiffResult = { regions: s.regions, format: s.format, summary: s.summary, byRegion: s.byRegion, published: s.published, entries: mergeByLine(verdicts, invalidRows), findings, notes: s.notes };
  return parsed.path !== undefined ? { ...result, path: parsed.path } : result;
}

/**
 * After every context of a path is evaluated: each target keeps what all on-path contexts let through; an allow whose
 * addresses another context blocks stops counting as coverage and says which context blocks it.
 */
function settlePath(
  ctx: DiffContext,
  contexts: readonly PathContext[],
  pass: IPSet[],
  contextPass: readonly (readonly IPSet[])[],
  fallthroughHelped: readonly (readonly number[])[],
  gains: readonly Gain[],
  verdicts: EntryVerdict[],
): void {
  const targets = ctx.targets;
  const anyOnPath = contexts.some((c) => c.onPath);
  if (!anyOnPath) ctx.notes.push("No context of this paste is on the path of an inbound connection: nothing lets the webhooks in.");
  const surviving = new Set<CoveredBy>();
  const coversSomething = new Set<number>();
  const blockedBy = new Map<number, { target: number; context: number }>();
  for (const g of gains) {
    if (anyOnPath && g.piece.overlaps(pass[g.target]!)) {
      surviving.add(g.coveredBy);
      coversSomething.add(g.entry);
    } else if (!blockedBy.has(g.entry)) {
      const c = contexts.findIndex((x, ci) => x.onPath && !g.piece.overlaps(contextPass[ci]![g.target]!));
      blockedBy.set(g.entry, { target: g.target, context: c });
    }
  }
  for (let ti = 0; ti < targets.length; ti++) {
    const t = targets[ti]!;
    t.allowed = anyOnPath ? pass[ti]! : IPSet.empty();
    const kept = t.coveredBy.filter((cb) => surviving.has(cb));
    if (kept.length === 0 && !t.allowed.isEmpty()) {
      // Only fall-through defaults let it in: name the first on-path context whose default did.
      const c = contexts[fallthroughHelped[ti]![0] ?? -1];
      if (c !== undefined) kept.push({ line: c.line, text: c.text, how: "any", via: [c.name] });
    }
    t.coveredBy.length = 0;
    t.coveredBy.push(...kept);
  }
  for (const [i, b] of blockedBy) {
    if (coversSomething.has(i)) continue;
    const v = verdicts[i]!;
    const t = targets[b.target]!;
    const blocker = contexts[b.context];
    const where = blocker === undefined ? "another context" : blocker.line > 0 ? `${blocker.name} (line ${blocker.line})` : blocker.name;
    verdicts[i] = {
      ...v,
      status: "unrelated",
      flags: flagsOf(flagBits(v.flags) | FLAG_BIT["shadowed"]),
      message: `Allows ${t.entry.cidr} (${t.entry.region}), but ${where} blocks it: every context on the path must let it through.`,
    };
  }
}

/** Parser findings for addresses that could not be read become "invalid" rows; the others stay findings. */
export function splitFindings(all: readonly Finding[]): { invalidRows: EntryVerdict[]; findings: Finding[] } {
  const invalidRows: EntryVerdict[] = [];
  const findings: Finding[] = [];
  for (const f of all) {
    if (f.line >= 1 && INVALID_KINDS.has(f.kind)) {
      invalidRows.push({ line: f.line, text: f.text, status: "invalid", flags: NO_FLAGS, message: f.message });
    } else {
      findings.push(f);
    }
  }
  return { invalidRows, findings };
}

/** Everything of a DiffResult but its entries and findings, once every entry has been evaluated. */
export function diffSummary(ctx: DiffContext, format: FormatId): Omit<DiffResult, "entries" | "findings"> {
  const publishedVerdicts: PublishedVerdict[] = ctx.targets.map((t) => ({
    entry: t.entry,
    status: coverage(t),
    coveredBy: t.coveredBy,
  }));
  const byRegion: RegionSummary[] = ctx.regions.map((region) => summarise(publishedVerdicts.filter((v) => v.entry.region.toUpperCase() === region), region));
  const total = summarise(publishedVerdicts, "");
  const summary = { published: total.published, covered: total.covered, partial: total.partial, missing: total.missing };
  return { regions: ctx.regions, format, summary, byRegion, published: publishedVerdicts, notes: ctx.notes };
}

function intersect(a: Range, b: Range): Range {
  const first = compareAddress(a.first, b.first) >= 0 ? a.first : b.first;
  const last = compareAddress(a.last, b.last) <= 0 ? a.last : b.last;
  return newRange(first, last);
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

function otherServiceMessage(e: Entry, protocol: string, port: number): string {
  const proto = (e.protocol ?? protocol).toUpperCase();
  const ports = e.ports ? ` ${formatPorts(e.ports)}` : "";
  return `Only ${proto}${ports}: another service, it does not decide ${protocol.toUpperCase()} ${port} for these webhooks.`;
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
export function mergeByLine(verdicts: readonly EntryVerdict[], invalid: readonly EntryVerdict[]): EntryVerdict[] {
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
