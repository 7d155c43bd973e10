/**
 * The diff kernel's evaluation: first-match evaluation of one entry that touches the catalog, and what both engines
 * do once every entry is evaluated (coverage per published entry, the summary, invalid rows merged by line).
 */
import { compareAddress } from "../../ip/address";
import { newRange, rangeEquals, rangesOverlap } from "../../ip/range";
import { IPSet } from "../../ip/set";
import type { Range } from "../../ip/types";
import type { Entry, Finding, FormatId } from "../../parse/types";
import { FLAG_BIT, NO_FLAGS } from "../flags";
import type { CoveredBy, Coverage, DiffResult, EntryVerdict, PublishedVerdict, RegionSummary } from "../types";
import type { DiffContext, Target } from "./context";
import { describeHow, describeTargets, wrongPortMessage } from "./messages";

/** Finding kinds that stand for an address the user wrote but that could not be read: shown as "invalid" rows. */
const INVALID_KINDS = new Set(["invalid", "ambiguous", "hostname"]);

function how(entry: Entry, target: Range): CoveredBy["how"] {
  if (entry.via !== undefined && entry.via.length > 0) return "group";
  if (rangeEquals(entry.range, target)) return "exact";
  if (entry.kind === "address") return "cidr";
  return entry.kind;
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
    const line = e.ruleLine ?? e.line;
    const same = e.ruleLine !== undefined;
    const fresh: Target[] = [];
    let shadowed = false;
    /** Positions in `hit` of the targets an earlier deny already took part of (this allow is shadowed there). */
    const shadowedAt: number[] = [];
    /** Targets this deny decides: the rest of `hit` an earlier line decided. */
    const blocked: Target[] = [];
    /** Per target of `hit`, the part of it this entry holds: what an earlier rule decided is looked up in it. */
    const pieces: IPSet[] = [];
    for (const t of hit) {
      const piece = IPSet.fromRanges([intersect(t.range, e.range)]);
      pieces.push(piece);
      if (isAllow) {
        if (piece.overlaps(t.denied)) {
          shadowed = true;
          shadowedAt.push(pieces.length - 1);
        }
        const gained = piece.difference(t.allowed).difference(t.denied);
        if (!gained.isEmpty()) {
          t.allowed = t.allowed.union(gained);
          t.coveredBy.push(coveredBy(e, t.range));
          t.decided.push({ line, allow: true, set: gained });
          fresh.push(t);
        }
      } else {
        const taken = piece.difference(t.allowed).difference(t.denied);
        if (!taken.isEmpty()) {
          blocked.push(t);
          t.decided.push({ line, allow: false, set: taken });
        }
        t.denied = t.denied.union(taken);
      }
    }
    if (shadowed) flags |= FLAG_BIT["shadowed"];
    if (isAllow && fresh.length > 0) {
      covers = true;
      const exact = fresh.length === 1 && rangeEquals(e.range, fresh[0]!.range) && !e.via?.length;
      // Shadowed in part: the message names what the earlier deny keeps, not only what this rule lets in.
      const kept = shadowedAt.map((k) => hit[k]!);
      const denied =
        kept.length === 0
          ? ""
          : `; ${deciders(
              kept,
              shadowedAt.map((k) => pieces[k]!),
              false,
              line,
              same,
              "already denies",
              "already deny",
            )} ${describeTargets(kept)}`;
      message ??= `Allows ${describeTargets(fresh)} ${exact ? "exactly" : `through ${describeHow(e)}`}${denied}.`;
    } else if (isAllow) {
      message ??= shadowed
        ? `Allows ${describeTargets(hit)}, but ${deciders(hit, pieces, false, line, same, "already denies", "already deny")} it.`
        : `Allows ${describeTargets(hit)}, already allowed by ${deciders(hit, pieces, true, line, same)}.`;
    } else {
      const decided = hit.filter((t) => !blocked.includes(t));
      const earlier = () =>
        deciders(
          decided,
          pieces.filter((_, k) => !blocked.includes(hit[k]!)),
          undefined,
          line,
          same,
        );
      message =
        blocked.length === 0
          ? `Denies ${describeTargets(hit)}, but ${earlier()} already decided it.`
          : `Denies ${describeTargets(blocked)}: webhooks from it will be blocked.${
              decided.length > 0 ? ` ${capitalize(earlier())} already decided ${describeTargets(decided)}.` : ""
            }`;
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

/**
 * Decisions looked at per target when naming the lines that decided first, and lines named at most (a fourth found
 * says "and others"): a hostile list of many rules inside one wide published prefix cannot make it quadratic. Past
 * them the message says "an earlier rule", still true.
 */
const DECISION_SCAN = 32;
const LINES_NAMED = 3;

/**
 * The rule lines (the first found, named in line order) that decided some of `pieces[k]` of `targets[k]` before the rule on `line`
 * (decisions of kind `allow`, or of either kind when undefined): "line 6", "lines 3 and 6". A line the device
 * evaluates before this one but that comes later in the paste (Windows block rules, a chain jumped to) says so; this
 * rule itself (two terms of one line, one rule reaching it through two objects) is "this same line" ("rule"). With a
 * verb, it agrees with the number of lines ("line 6 denies", "lines 3 and 6 deny").
 */
function deciders(
  targets: readonly Target[],
  pieces: readonly IPSet[],
  allow: boolean | undefined,
  line: number,
  sameRule: boolean,
  singular?: string,
  plural?: string,
): string {
  const lines: number[] = [];
  search: for (let k = 0; k < targets.length; k++) {
    const decided = targets[k]!.decided;
    const scan = Math.min(decided.length, DECISION_SCAN);
    for (let d = 0; d < scan; d++) {
      const dec = decided[d]!;
      if ((allow === undefined || dec.allow === allow) && !lines.includes(dec.line) && dec.set.overlaps(pieces[k]!)) {
        lines.push(dec.line);
        if (lines.length > LINES_NAMED) break search;
      }
    }
  }
  if (lines.length === 0) return `an earlier rule${singular === undefined ? "" : ` ${singular}`}`;
  const verb = singular === undefined ? "" : ` ${lines.length === 1 ? singular : plural}`;
  const self = lines.includes(line);
  // Named in line order: the order the targets were decided in says nothing to the reader.
  const others = lines.filter((l) => l !== line).sort((a, b) => a - b);
  const shown = others.slice(0, self ? LINES_NAMED - 1 : LINES_NAMED);
  const names = shown.map(String);
  if (lines.length > LINES_NAMED) names.push("others");
  else if (self) names.push(`this same ${sameRule ? "rule" : "line"}`);
  const head = shown.length === 0 ? "" : shown.length === 1 ? "line " : "lines ";
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  const later = others.some((l) => l > line) ? " (evaluated before this rule)" : "";
  return `${head}${list}${later}${verb}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Wider than the over-broad thresholds (or the whole address space). */
function isWide(ctx: DiffContext, r: Range): boolean {
  const size = r.last.value - r.first.value + 1n;
  return r.first.family === 4
    ? Number(size) > ctx.threshold4 || size === 1n << 32n
    : size > ctx.threshold6 || size === 1n << 128n;
}

function intersect(a: Range, b: Range): Range {
  const first = compareAddress(a.first, b.first) >= 0 ? a.first : b.first;
  const last = compareAddress(a.last, b.last) <= 0 ? a.last : b.last;
  return newRange(first, last);
}

function coveredBy(e: Entry, target: Range): CoveredBy {
  const h = how(e, target);
  return e.via !== undefined && e.via.length > 0
    ? { line: e.line, text: e.text, how: h, via: e.via }
    : { line: e.line, text: e.text, how: h };
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
  const byRegion: RegionSummary[] = ctx.regions.map((region) =>
    summarise(
      publishedVerdicts.filter((v) => v.entry.region.toUpperCase() === region),
      region,
    ),
  );
  const total = summarise(publishedVerdicts, "");
  const summary = {
    published: total.published,
    covered: total.covered,
    partial: total.partial,
    missing: total.missing,
  };
  return { regions: ctx.regions, format, summary, byRegion, published: publishedVerdicts, notes: ctx.notes };
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
