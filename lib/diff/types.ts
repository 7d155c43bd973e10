import type { PublishedEntry } from "../catalog/types";
import type { Entry, Finding, FormatId, PathInfo } from "../parse/types";
import type { DeltaTarget } from "./target";

export type Coverage = "covered" | "partial" | "missing";
/** inactive: the rule is never met by a new inbound connection (its context is not on the path, or a condition cannot hold). */
export type EntryStatus = "covers" | "unrelated" | "deny" | "outbound" | "invalid" | "inactive";
export type EntryFlag =
  "overbroad" | "duplicate" | "redundant" | "host-bits" | "other-region" | "wrong-port" | "shadowed"; // an allow that a deny earlier in evaluation order takes away (in part or whole)

export interface DiffOptions {
  /** Region codes chosen; published entries of other regions only raise "other-region". */
  readonly regions: readonly string[];
  /** Port and protocol checked (TCP 443 by default). */
  readonly port: number;
  readonly protocol: string;
  /** Over-broad thresholds: an IPv4 entry wider than /overbroadV4 (default 16), IPv6 wider than /overbroadV6 (default 32). */
  readonly overbroadV4: number;
  readonly overbroadV6: number;
}

export interface CoveredBy {
  readonly line: number;
  readonly text: string;
  /** exact: the entry is exactly this published CIDR; broader: a wider prefix/range/wildcard/any; group: reached via objects. */
  readonly how: "exact" | "cidr" | "range" | "wildcard" | "any" | "group";
  readonly via?: readonly string[];
}

export interface PublishedVerdict {
  readonly entry: PublishedEntry;
  readonly status: Coverage;
  readonly coveredBy: readonly CoveredBy[];
}

export interface EntryVerdict {
  readonly line: number;
  readonly text: string;
  readonly status: EntryStatus;
  readonly flags: readonly EntryFlag[];
  /** One sentence a person can act on. */
  readonly message: string;
  /** Index into ParseOutput.entries; absent for "invalid" rows that come from findings. */
  readonly entryIndex?: number;
}

export interface RegionSummary {
  readonly region: string;
  readonly published: number;
  readonly covered: number;
  readonly partial: number;
  readonly missing: number;
}

export interface DiffResult {
  readonly regions: readonly string[];
  readonly format: FormatId;
  readonly summary: {
    readonly published: number;
    readonly covered: number;
    readonly partial: number;
    readonly missing: number;
  };
  readonly byRegion: readonly RegionSummary[];
  readonly published: readonly PublishedVerdict[];
  readonly entries: readonly EntryVerdict[];
  /** Parser findings that are not tied to an address entry (not-understood lines, notes, unused objects …). */
  readonly findings: readonly Finding[];
  readonly notes: readonly string[];
  /** The contexts the verdicts were evaluated on, and what was assumed about the path (absent for one implicit context). */
  readonly path?: PathInfo;
  /**
   * Where a missing delta must go to take effect: the rule list bound on the path and the first of its rules that
   * denies a missing entry (absent when the paste binds no list an export can add to).
   */
  readonly target?: DeltaTarget;
}

/** A DiffResult whose entry rows are read one at a time (row order is DiffResult.entries' order). */
export interface DiffRows extends Omit<DiffResult, "entries"> {
  readonly entryCount: number;
  entryAt(row: number): EntryVerdict;
  /** The row's status is invalid/deny/outbound or it has a flag (what a human report lists), without building it. */
  needsAttention(row: number): boolean;
  /**
   * How many rows need attention, when the engine counted them as it decided the verdicts; its rows then come in line
   * order (and none repeats the finding before it: see repeatsPreviousFinding). Absent: a report counts them through
   * needsAttention.
   */
  readonly attentionCount?: number;
  /** Parts of entryAt(row), equal to its fields, without building the verdict (what a 1M-row report reads). */
  rowLine(row: number): number;
  rowText(row: number): string;
  rowStatus(row: number): EntryStatus;
  rowFlags(row: number): readonly EntryFlag[];
  rowMessage(row: number): string;
  /**
   * A small integer (below 2^16) that two rows share exactly when their status and flags are equal, read without
   * building either: the JSON writer's key for a row's cached bytes. Absent: the writer compares rowFlags/rowStatus.
   */
  rowKey?(row: number): number;
  /**
   * Rows from `from` of the JSON report's "entries" or "lines", written through `w` by the engine's own loop over its
   * columns (what the writer would read through the accessors above, without a call per accessor and row) until `to`
   * or until `w` is full; returns the next row. Absent: the writer reads the accessors.
   */
  writeJsonRows?(w: JsonRowWriter, section: "entries" | "lines", from: number, to: number): number;
  /**
   * Where rowText(row) sits in one source string, when rows are spans of it (the plain-list engine): a writer copies
   * the text from there without a string per row. `start(row)` is -1 for a row whose text is not a span.
   */
  readonly textSpans?: TextSpans;
}

/** What writeJsonRows writes the JSON report's rows through (report.ts). */
export interface JsonRowWriter {
  /** A chunk's worth is buffered: the writer hands it out before more rows. */
  readonly full: boolean;
  /**
   * An "entries" row. `key` is rowKey's (equal exactly when status and flags are); false, with nothing written, when
   * the key has no status and flags yet: defineKey, then the row again.
   */
  entry(line: number, key: number, message: string): boolean;
  defineKey(key: number, status: EntryStatus, flags: readonly EntryFlag[]): void;
  /** A "lines" row whose text is textSpans.source[start, end); nothing when that line was written already. */
  lineSpan(line: number, start: number, end: number): void;
  /** A "lines" row with its text; nothing when that line was written already. */
  line(line: number, text: string): void;
}

export interface TextSpans {
  readonly source: string;
  start(row: number): number;
  /** Exclusive. */
  end(row: number): number;
}

export type { Entry };
