/**
 * The object engine: the published entries of the chosen regions × parsed entries (any format) evaluated first-match,
 * context by context along the path. The catalog is small (~50 CIDRs) and a paste may hold 1M entries, so every
 * per-entry step is O(log m) against the catalog, and only the few entries that touch it do set arithmetic (the
 * kernel's evaluateTouching). Plain lists take the columnar engine (columnar.ts), which equals this one exactly.
 */
import { catalogOf, type CatalogSource } from "../../catalog/catalog";
import { hasHostBits } from "../../ip/prefix";
import { rangesOverlap } from "../../ip/range";
import { IPSet } from "../../ip/set";
import type { Entry, ParseOutput, PathContext } from "../../parse/types";
import { FLAG_BIT, flagBits, flagsOf, NO_FLAGS } from "../flags";
import { deltaTarget } from "../target";
import {
  contextIndex,
  contextsOf,
  diffContext,
  formatPorts,
  portMatches,
  protocolMatches,
  type DiffContext,
} from "../kernel/context";
import { diffSummary, evaluateTouching, mergeByLine, splitFindings } from "../kernel/evaluate";
import { withPublishedDestinations } from "../kernel/destination";
import {
  DENY_MESSAGE,
  denyNoFamilyMessage,
  duplicateMessage,
  OUTBOUND_MESSAGE,
  offPathMessage,
  otherServiceMessage,
  isOverbroad,
  overbroadMessage,
  redundantMessage,
  unmetMessage,
  wrongPortMessage,
} from "../kernel/messages";
import { newOverlaps, sweep, sweepIPv4, type Overlaps } from "../kernel/overlaps";
import type { CoveredBy, DiffOptions, DiffResult, EntryStatus, EntryVerdict } from "../types";

/** Keys equal exactly when two entries are duplicates: same action, direction, protocol, ports and qualifier. */
function ruleKey(e: Entry): string {
  return `${e.context ?? 0}|${e.unmet ?? ""}|${e.action}|${e.direction}|${e.protocol ?? "*"}|${e.ports ? formatPorts(e.ports) : "*"}|${e.qualifier ?? ""}`;
}

/**
 * Duplicates and redundant entries, context by context: contexts are gates one after the other, so an allow inside a
 * wider allow of another context (a forward rule beside the port forward for any address) is not redundant; both must
 * let the connection through.
 */
function findOverlaps(entries: readonly Entry[], keys: EntryKeys, contextCount: number): Overlaps {
  const n = entries.length;
  const applyingAllow = keys.applyingAllow;
  const out = newOverlaps(n);
  const sameRule = (i: number, j: number) => ruleKey(entries[i]!) === ruleKey(entries[j]!);
  const v6: number[] = [];
  for (let i = 0; i < n; i++) if (keys.slot[i]! < 0) v6.push(i);
  if (contextCount <= 1) {
    sweepIPv4(applyingAllow, keys.indices, keys.first, keys.last, sameRule, out);
    sweepIPv6(entries, v6, applyingAllow, sameRule, out);
    return out;
  }
  // IPv4 positions grouped by context (a counting sort: index order kept within each), each group swept alone.
  const count = keys.indices.length;
  const start = new Uint32Array(contextCount + 1);
  const contextOf = new Uint32Array(count);
  for (let p = 0; p < count; p++) {
    const c = contextIndex(entries[keys.indices[p]!]!, contextCount);
    contextOf[p] = c;
    start[c + 1]!++;
  }
  for (let c = 0; c < contextCount; c++) start[c + 1]! += start[c]!;
  const next = start.slice(0, contextCount);
  const indices = new Uint32Array(count);
  const first = new Uint32Array(count);
  const last = new Uint32Array(count);
  for (let p = 0; p < count; p++) {
    const q = next[contextOf[p]!]!++;
    indices[q] = keys.indices[p]!;
    first[q] = keys.first[p]!;
    last[q] = keys.last[p]!;
  }
  for (let c = 0; c < contextCount; c++) {
    const from = start[c]!;
    const to = start[c + 1]!;
    if (to > from)
      sweepIPv4(
        applyingAllow,
        indices.subarray(from, to),
        first.subarray(from, to),
        last.subarray(from, to),
        sameRule,
        out,
      );
  }
  const v6ByContext: number[][] = [];
  for (const i of v6) (v6ByContext[contextIndex(entries[i]!, contextCount)] ??= []).push(i);
  for (const group of v6ByContext) if (group !== undefined) sweepIPv6(entries, group, applyingAllow, sameRule, out);
  return out;
}

/** Sweeps the IPv6 entries `v6` (ascending entry indices). */
function sweepIPv6(
  entries: readonly Entry[],
  v6: readonly number[],
  applyingAllow: Uint8Array,
  sameRule: (i: number, j: number) => boolean,
  out: Overlaps,
): void {
  if (v6.length === 0) return;
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
  sweep(
    applyingAllow,
    sorted,
    positions.map((k) => firstOf[k]!),
    positions.map((k) => lastOf[k]!),
    sameRule,
    out,
  );
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

function entryKeys(
  entries: readonly Entry[],
  protocol: string,
  port: number,
  contexts: readonly PathContext[],
): EntryKeys {
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
  return {
    applyingAllow,
    slot,
    indices: indices.subarray(0, count),
    first: first.subarray(0, count),
    last: last.subarray(0, count),
  };
}

/** A deny (or reject) an inbound connection on `protocol`/`port` meets: it can take addresses from what follows. */
function appliesAsDeny(e: Entry, protocol: string, port: number): boolean {
  return (
    e.action !== "allow" &&
    e.direction !== "out" &&
    e.unmet === undefined &&
    protocolMatches(e, protocol) &&
    portMatches(e.ports, port)
  );
}

/** keepAllowsBeforeDenies looks at most this many denies between an allow and the wider allow after it. */
const DENY_SCAN = 64;

/**
 * An allow inside a wider allow that comes after it is redundant only when no deny between the two decides some of its
 * addresses first: with `-s 52.1.37.96 ACCEPT`, `-s 52.0.0.0/8 DROP`, `-s 52.0.0.0/8 ACCEPT`, removing the first rule
 * hands 52.1.37.96 to the DROP (the first match decides), so "Redundant" advised removing the only rule that lets it
 * in. Such an allow is not marked (`insideOf` cleared). An allow after the wider one never decides anything and stays
 * redundant, unless the wider one has a qualifier (a rate limit, a destination: Entry.qualifier) and so may not take
 * it. Linear: at most DENY_SCAN denies (and as many earlier allows) are looked at per allow; past that it is not
 * called redundant.
 */
function keepAllowsBeforeDenies(
  entries: readonly Entry[],
  keys: EntryKeys,
  insideOf: Int32Array,
  contextCount: number,
  protocol: string,
  port: number,
): void {
  const denies: number[][] = [];
  const allows: number[][] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (keys.applyingAllow[i] === 1) (allows[contextIndex(e, contextCount)] ??= []).push(i);
    else if (appliesAsDeny(e, protocol, port)) (denies[contextIndex(e, contextCount)] ??= []).push(i);
  }
  const overlaps = (a: number, b: number): boolean => {
    const sa = keys.slot[a]!;
    const sb = keys.slot[b]!;
    if (sa >= 0 !== sb >= 0) return false;
    if (sa >= 0) return keys.first[sa]! <= keys.last[sb]! && keys.first[sb]! <= keys.last[sa]!;
    return rangesOverlap(entries[a]!.range, entries[b]!.range);
  };
  /** Strictly inside: the same family, within, and not the same range. */
  const within = (a: number, b: number): boolean => {
    const sa = keys.slot[a]!;
    const sb = keys.slot[b]!;
    if (sa >= 0 !== sb >= 0) return false;
    const [af, al, bf, bl] =
      sa >= 0
        ? [keys.first[sa]!, keys.last[sa]!, keys.first[sb]!, keys.last[sb]!]
        : [
            entries[a]!.range.first.value,
            entries[a]!.range.last.value,
            entries[b]!.range.first.value,
            entries[b]!.range.last.value,
          ];
    return bf <= af && al <= bl && (af !== bf || al !== bl);
  };
  for (let i = 0; i < entries.length; i++) {
    const outer = insideOf[i]!;
    if (outer < 0) continue;
    // A rate-limited allow, or one to another destination, leaves what it does not take to the rules after it. Even
    // with the same qualifier: each rate limit counts its own packets. (One "-d" on every rule costs these findings.)
    const qualified = entries[outer]!.qualifier !== undefined;
    if (outer < i && !qualified) continue;
    const c = contextIndex(entries[i]!, contextCount);
    const list = denies[c];
    if (qualified) insideOf[i] = -1;
    else if (list === undefined) continue;
    else
      for (let k = firstAbove(list, i), seen = 0; k < list.length && list[k]! < outer; k++) {
        if (++seen > DENY_SCAN || overlaps(i, list[k]!)) {
          insideOf[i] = -1;
          break;
        }
      }
    if (insideOf[i] !== -1) continue;
    // Still redundant when an earlier allow without a qualifier holds it (the sweep named the widest one).
    const before = allows[c]!;
    for (let a = firstAbove(before, i - 1) - 1, seen = 0; a >= 0 && seen < DENY_SCAN; a--, seen++) {
      if (entries[before[a]!]!.qualifier === undefined && within(i, before[a]!)) {
        insideOf[i] = before[a]!;
        break;
      }
    }
  }
}

/** The position of the first value above `x` in an ascending list (its length when there is none). */
function firstAbove(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** What one allow entry added to one target, to check after every context whether it still gets through. */
interface Gain {
  readonly entry: number;
  readonly target: number;
  readonly piece: IPSet;
  readonly coveredBy: CoveredBy;
}

export function diff(published: CatalogSource, config: ParseOutput, options: Partial<DiffOptions> = {}): DiffResult {
  // A rule only to published NAT IPs (source and destination swapped) is never met: read so here, as the trace does.
  const parsed = withPublishedDestinations(config, published);
  const ctx = diffContext(published, parsed.notes, options);
  const { port, protocol } = ctx;

  const entries = parsed.entries;
  const n = entries.length;
  const contexts = contextsOf(parsed);
  const multi = parsed.path !== undefined;
  const keys = entryKeys(entries, protocol, port, contexts);
  const applyingAllow = keys.applyingAllow;
  const { duplicateOf, insideOf } = findOverlaps(entries, keys, contexts.length);
  keepAllowsBeforeDenies(entries, keys, insideOf, contexts.length, protocol, port);
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

  // Over-broad is about what gets through the whole path: a wide allow in one context (a port forward or an Azure
  // subnet NSG for any source) that another on-path context narrows (a forward chain, the NIC's NSG, that allows only
  // some addresses and drops the rest) lets in only what that one lets through. Per context and family (0: IPv4,
  // 1: IPv6): whether it lets a wide range through. The first rule that decides a whole family's worth does (a wide
  // allow, or a deny of every address: "drop all" at the end of a chain whose policy accepts), else the fall-through.
  const passesWide: boolean[][] = [];
  if (multi)
    for (let c = 0; c < contexts.length; c++) {
      const decided: (boolean | undefined)[] = [undefined, undefined];
      for (const i of buckets[c]!) {
        const e = entries[i]!;
        const slot = keys.slot[i]!;
        const f = slot >= 0 ? 0 : 1;
        if (decided[f] !== undefined) continue;
        const size =
          slot >= 0 ? keys.last[slot]! - keys.first[slot]! + 1 : e.range.last.value - e.range.first.value + 1n;
        if (applyingAllow[i] === 1) {
          if (isOverbroad(ctx, e, slot >= 0, size)) decided[f] = true;
        } else if (appliesAsDeny(e, protocol, port) && (slot >= 0 ? size === 2 ** 32 : size === 1n << 128n))
          decided[f] = false;
      }
      const open = contexts[c]!.fallthrough === "allow";
      passesWide.push([decided[0] ?? open, decided[1] ?? open]);
    }
  // Read once per entry below: per family, how many on-path contexts narrow it, and whether each one does itself.
  const narrows = passesWide.map((wide, k) =>
    ([0, 1] as const).map((f) => {
      const x = contexts[k]!;
      return x.onPath && (x.family === undefined || x.family === (f === 0 ? 4 : 6)) && !wide[f];
    }),
  );
  const narrowing = [0, 1].map((f) => narrows.filter((n) => n[f]).length);
  const narrowedElsewhere = (c: number, family: 0 | 1): boolean =>
    narrowing[family]! - (narrows[c]![family] ? 1 : 0) > 0;
  const insideMessages = new Map<number, string>();
  const targetFamilies = new Set(targets.map((t) => t.range.first.family));
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
      const applies =
        inbound && (isAllow ? applyingAllow[i] === 1 : protocolMatches(e, protocol) && portMatches(e.ports, port));

      const slot = keys.slot[i]!;
      const v4 = slot >= 0;
      // Over-broad is about the question asked: an allow of ICMP, or of SSH from anywhere, is not this check's finding.
      if (isAllow && inbound && applies && !(multi && narrowedElsewhere(c, v4 ? 0 : 1))) {
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
            gains.push({
              entry: i,
              target: ti,
              piece: t.allowed.difference(before[ti]!),
              coveredBy: t.coveredBy[t.coveredBy.length - 1]!,
            });
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
      } else if (!isAllow && !applies && e.ruleLine !== undefined && e.ruleLine !== e.line) {
        // A deny of another service reaching an address written on another line: the pieces of a DROP that a RETURN
        // or ACCEPT on that line did not take (its other protocols and ports), or a group member's. Reported as a deny
        // there, it read as if that line (a RETURN) denied: it decides nothing about this port.
        status = "unrelated";
        message ??= otherServiceMessage(e, protocol, port);
      } else if (!isAllow) {
        status = "deny";
        const family = e.range.first.family;
        message ??= targetFamilies.has(family) ? DENY_MESSAGE : denyNoFamilyMessage(family);
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
        t.decided = [];
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
      t.decided = [];
    }
    contextPass.push(own);
  }

  quietWrongPortBesideApplying(entries, verdicts, applyingAllow, protocol, port);

  if (multi)
    settlePath(
      ctx,
      contexts,
      pass.map((p, ti) => (crossed[ti] ? p : IPSet.empty())),
      contextPass,
      fallthroughHelped,
      gains,
      verdicts,
    );
  mergeDenyPieces(entries, verdicts, DENY_NONE_MESSAGES);

  const { invalidRows, findings } = splitFindings(parsed.findings);
  const s = diffSummary(ctx, parsed.format);
  const result: DiffResult = {
    regions: s.regions,
    format: s.format,
    summary: s.summary,
    byRegion: s.byRegion,
    published: s.published,
    entries: mergeByLine(verdicts, invalidRows),
    findings,
    notes: s.notes,
  };
  if (parsed.path === undefined) return result;
  const missing = new Set(s.published.filter((p) => p.status !== "covered").map((p) => p.entry));
  const ranges = catalogOf(published)
    .parsed.filter((p) => missing.has(p.entry))
    .map((p) => p.range);
  const target = deltaTarget(parsed, ranges, { port, protocol });
  return target !== undefined ? { ...result, path: parsed.path, target } : { ...result, path: parsed.path };
}

/**
 * A rule of several protocols (an ASA tcp-udp service, a service group of TCP and UDP ports) gives one entry per
 * protocol. When another entry of the same rule (same context and rule line) allows the checked service for an
 * overlapping address, the rule does allow it: its other entries are a rule for another service, not a "wrong port".
 * Likewise for an address line two rules reach (an object, a YAML anchor's peers used by a rule on port 8080 and by
 * one on 443): the line does let the address in, and "Wrong port" on it would read as if it did not.
 */
function quietWrongPortBesideApplying(
  entries: readonly Entry[],
  verdicts: EntryVerdict[],
  applyingAllow: Uint8Array,
  protocol: string,
  port: number,
): void {
  const wrongPort = FLAG_BIT["wrong-port"];
  const ruleOf = (e: Entry) => `${e.context ?? 0}:${e.ruleLine ?? e.line}`;
  const lineOf = (e: Entry) => `${e.context ?? 0}@${e.line}`;
  let rules: Map<string, number[]> | undefined;
  for (let i = 0; i < entries.length; i++) {
    const v = verdicts[i]!;
    if (!v.flags.includes("wrong-port")) continue;
    if (rules === undefined) {
      rules = new Map();
      for (let j = 0; j < entries.length; j++) {
        if (applyingAllow[j] !== 1 || verdicts[j]!.status === "inactive") continue;
        for (const key of [ruleOf(entries[j]!), lineOf(entries[j]!)]) {
          const list = rules.get(key);
          if (list === undefined) rules.set(key, [j]);
          else list.push(j);
        }
      }
    }
    const e = entries[i]!;
    const overlaps = (list: number[] | undefined) =>
      list !== undefined && list.some((j) => rangesOverlap(entries[j]!.range, e.range));
    if (!overlaps(rules.get(ruleOf(e))) && !overlaps(rules.get(lineOf(e)))) continue;
    verdicts[i] = {
      ...v,
      flags: flagsOf(flagBits(v.flags) & ~wrongPort),
      message: v.message === wrongPortMessage(e, protocol, port) ? otherServiceMessage(e, protocol, port) : v.message,
    };
  }
}

const DENY_NONE_MESSAGES: ReadonlySet<string> = new Set([DENY_MESSAGE, denyNoFamilyMessage(4), denyNoFamilyMessage(6)]);

/**
 * One deny read as several entries (`deny all` as 0.0.0.0/0 and ::/0, a negated set as the pieces around it) is one
 * finding: a piece that blocks no published NAT IP takes the message of a piece of the same rule and line that does,
 * so the line does not say both "Denies 52.1.32.88/32 …" and "it blocks none" (repeatsPreviousFinding then merges the
 * rows that read alike). Entries of one rule and line are consecutive; one pass.
 */
function mergeDenyPieces(entries: readonly Entry[], verdicts: EntryVerdict[], none: ReadonlySet<string>): void {
  const same = (a: number, b: number): boolean =>
    entries[a]!.line === entries[b]!.line && entries[a]!.ruleLine === entries[b]!.ruleLine;
  for (let start = 0; start < entries.length;) {
    let end = start + 1;
    while (end < entries.length && same(start, end)) end++;
    if (end - start > 1) {
      let said: string | undefined;
      for (let k = start; k < end && said === undefined; k++) {
        const v = verdicts[k]!;
        if (v.status === "deny" && !none.has(v.message)) said = v.message;
      }
      for (let k = start; said !== undefined && k < end; k++) {
        const v = verdicts[k]!;
        if (v.status === "deny" && none.has(v.message)) verdicts[k] = { ...v, message: said };
      }
    }
    start = end;
  }
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
  if (!anyOnPath)
    ctx.notes.push("No context of this paste is on the path of an inbound connection: nothing lets the webhooks in.");
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
    const where =
      blocker === undefined
        ? "another context"
        : blocker.line > 0
          ? `${blocker.name} (line ${blocker.line})`
          : blocker.name;
    verdicts[i] = {
      ...v,
      status: "unrelated",
      flags: flagsOf(flagBits(v.flags) | FLAG_BIT["shadowed"]),
      message: `Allows ${t.entry.cidr} (${t.entry.region}), but ${where} blocks it: every context on the path must let it through.`,
    };
  }
}
