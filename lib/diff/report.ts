import type { FormatId, PathInfo } from "../parse/types";
import { collectFindings } from "./findings";
import type { Trace } from "./trace";
import { JsonChunks, textChunks } from "./json-chunks";
import type { DiffResult, DiffRows, EntryFlag, EntryStatus, EntryVerdict, JsonRowWriter } from "./types";

/**
 * The JSON report of a diff: what `allowlist diff --json`, GET /api/v1/firewalls/{id}/diff and POST /api/v1/diff
 * print. One builder, so the command line and the API cannot drift apart.
 *
 * Its size is bounded by the input's: a line's text appears once, in `lines`, however many entries it holds
 * (entries, findings and coveredBy refer to it by line number), and every text a person reads is cut at a fixed
 * length with a visible marker. A 64 KB line of 8,192 addresses used to be 8,192 copies of that line.
 */

/** Line texts longer than this are cut (with cutText's marker) in every report: JSON, CLI, API and pages. */
export const TEXT_LIMIT = 200;
/** Messages, notes and object names longer than this are cut (they can quote a token of any length). */
export const MESSAGE_LIMIT = 500;

/**
 * `text` when it is at most `limit` UTF-16 units, else its first `limit` units (never half a surrogate pair) and
 * "… (N more characters)".
 */
export function cutText(text: string, limit: number = TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  let end = limit;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

export const cutMessage = (message: string): string => cutText(message, MESSAGE_LIMIT);

/** Line numbers seen so far: a growable bitmap (a 20 MB input has at most ~10M lines, 10 MB of bytes). */
class LineSet {
  private seen = new Uint8Array(1024);
  /** True when `line` was not in the set (and is now). */
  add(line: number): boolean {
    if (line >= this.seen.length) {
      const grown = new Uint8Array(Math.max(line + 1, this.seen.length * 2));
      grown.set(this.seen);
      this.seen = grown;
    }
    if (this.seen[line] === 1) return false;
    this.seen[line] = 1;
    return true;
  }

  has(line: number): boolean {
    return this.seen[line] === 1;
  }
}

export interface ReportLine {
  readonly line: number;
  readonly text: string;
}

/**
 * Every line the report refers to, once, in order of first reference (entry rows, then findings, then coveredBy),
 * with its text cut to TEXT_LIMIT. Lines 0 and below (findings about the whole input) have no text to show.
 */
export function* reportLines(r: DiffRows): Generator<ReportLine> {
  const seen = new LineSet();
  for (let row = 0; row < r.entryCount; row++) {
    const line = r.rowLine(row);
    if (line > 0 && seen.add(line)) yield { line, text: cutText(r.rowText(row)) };
  }
  for (const f of r.findings) if (f.line > 0 && seen.add(f.line)) yield { line: f.line, text: cutText(f.text) };
  for (const p of r.published)
    for (const c of p.coveredBy) if (c.line > 0 && seen.add(c.line)) yield { line: c.line, text: cutText(c.text) };
}

/** JSON findings: at most this many (the entries hold every verdict; the findings are the list a person reads). */
export const JSON_FINDINGS_LIMIT = 1000;

/**
 * The findings the text report lists, sorted by line, each with its most important stable code as `kind`: the
 * parser's findings and every entry with a status other than covers/unrelated or a flag (see collectFindings).
 */
function reportFindings(r: DiffRows): { line: number; kind: string; message: string }[] {
  const { total, first } = collectFindings(r, JSON_FINDINGS_LIMIT);
  const out = first.map((f) => ({ line: f.line, kind: f.codes[0]!, message: cutMessage(f.message) }));
  if (total > first.length) {
    out.push({
      line: 0,
      kind: "note",
      message: `${(total - first.length).toLocaleString("en-US")} more findings are not listed here: every entry's status and flags are in entries.`,
    });
  }
  return out;
}

function reportEntry(e: EntryVerdict) {
  return { line: e.line, status: e.status, flags: e.flags, message: cutMessage(e.message) };
}

/** Everything but the entry rows and the lines (which the streaming emitter writes row by row). */
function reportShell(r: DiffRows, catalogVersion: number) {
  return {
    regions: r.regions,
    format: r.format,
    catalogVersion,
    ...(r.path !== undefined ? { path: pathReport(r.path) } : {}),
    // Where a missing delta must go (the bound list and its first deny of a missing entry); exports default to it.
    ...(r.target !== undefined ? { target: r.target } : {}),
    summary: r.summary,
    byRegion: r.byRegion,
    published: r.published.map((p) => ({
      cidr: p.entry.cidr,
      region: p.entry.region,
      products: p.entry.products,
      status: p.status,
      coveredBy: p.coveredBy.map((c) => ({
        line: c.line,
        how: c.how,
        ...(c.via !== undefined ? { via: c.via.map((v) => cutText(v)) } : {}),
      })),
    })),
    entries: [] as ReturnType<typeof reportEntry>[],
    findings: reportFindings(r),
    lines: [] as ReportLine[],
    notes: r.notes.map(cutMessage),
  };
}

export function diffReport(r: DiffResult, catalogVersion: number) {
  const rows = rowsOfResult(r);
  const shell = reportShell(rows, catalogVersion);
  return { ...shell, entries: r.entries.map(reportEntry), lines: [...reportLines(rows)] };
}

export type DiffReport = ReturnType<typeof diffReport>;

/**
 * The path part of a report: what was assumed (and how to override it) and every context, on the path or not.
 * Absent for a parse with one implicit context (plain lists, CSV …).
 */
export function pathReport(path: PathInfo) {
  return {
    ...(path.kind !== undefined ? { kind: path.kind } : {}),
    ...(path.ingress !== undefined ? { ingress: path.ingress } : {}),
    ...(path.assumption !== undefined ? { assumption: cutMessage(path.assumption) } : {}),
    contexts: path.contexts.map((c) => ({
      name: cutText(c.name),
      line: c.line,
      onPath: c.onPath,
      reason: cutMessage(c.reason),
      fallthrough: c.fallthrough,
      // Only connections of this address family cross it (an nftables table of family ip or ip6).
      ...(c.family !== undefined ? { family: c.family } : {}),
    })),
  };
}

export type PathReport = ReturnType<typeof pathReport>;

/** The report as printed: two-space indent and a final newline. */
export function diffReportJson(r: DiffResult, catalogVersion: number): string {
  return `${JSON.stringify(diffReport(r, catalogVersion), null, 2)}\n`;
}

/** Rows over an object DiffResult. */
export function rowsOfResult(r: DiffResult): DiffRows {
  const { entries, ...rest } = r;
  return {
    ...rest,
    entryCount: entries.length,
    entryAt: (row) => entries[row]!,
    needsAttention: (row) => {
      const e = entries[row]!;
      return (
        e.status === "invalid" ||
        e.status === "deny" ||
        e.status === "outbound" ||
        e.status === "inactive" ||
        e.flags.length > 0
      );
    },
    rowLine: (row) => entries[row]!.line,
    rowText: (row) => entries[row]!.text,
    rowStatus: (row) => entries[row]!.status,
    rowFlags: (row) => entries[row]!.flags,
    rowMessage: (row) => entries[row]!.message,
  };
}

/** The report is handed out in chunks of about this many bytes. */
const CHUNK_BYTES = 1 << 20;

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const FIRST_ENTRY = ascii('    {\n      "line": ');
/** One entry's end and the next one's start. */
const BETWEEN_ENTRIES = ascii('\n    },\n    {\n      "line": ');
const FIRST_LINE = ascii('[\n    {\n      "line": ');
const TEXT_KEY = ascii(',\n      "text": ');

const STATUS_INDEX: Record<EntryStatus, number> = {
  covers: 0,
  unrelated: 1,
  deny: 2,
  outbound: 3,
  invalid: 4,
  inactive: 5,
};

/**
 * diffReportJson(r, catalogVersion), byte for byte, as UTF-8 chunks written while rows are read: a 1M-entry report is
 * never one string, nor a verdict object or a string per row. `emit` may return a promise (a stream's drain) that is
 * awaited; the chunk is the consumer's to keep.
 */
export async function emitDiffReportBytes(
  r: DiffRows,
  catalogVersion: number,
  emit: (chunk: Uint8Array) => void | Promise<void>,
  /** The consumer is done with a chunk once `emit` resolves (a file or pipe write): one buffer is reused. */
  reuseChunks = false,
): Promise<void> {
  const ENTRIES = "\u0000entries\u0000";
  const LINES = "\u0000lines\u0000";
  const shell = JSON.stringify(
    reportShell(r, catalogVersion),
    (key, value: unknown) => (key === "entries" ? ENTRIES : key === "lines" ? LINES : value),
    2,
  );
  const entriesAt = shell.indexOf(JSON.stringify(ENTRIES));
  const linesAt = shell.indexOf(JSON.stringify(LINES));
  const out = new JsonChunks(CHUNK_BYTES, emit, reuseChunks);

  out.text(shell.slice(0, entriesAt));
  out.ascii(r.entryCount === 0 ? "[]" : "[\n");
  const rows = new JsonRows(out, r.textSpans?.source ?? "");
  for (let row = 0; row < r.entryCount;) {
    if (r.writeJsonRows !== undefined) row = r.writeJsonRows(rows, "entries", row, r.entryCount);
    else for (; row < r.entryCount && !out.full; row++) rows.entryOf(r, row);
    if (out.full) await out.flush();
  }
  if (r.entryCount > 0) out.ascii("\n    }\n  ]");
  out.text(shell.slice(entriesAt + JSON.stringify(ENTRIES).length, linesAt));

  // The lines of reportLines, in its order, read without building rows (nor a string per row, when they are spans).
  for (let row = 0; row < r.entryCount;) {
    if (r.writeJsonRows !== undefined) row = r.writeJsonRows(rows, "lines", row, r.entryCount);
    else for (; row < r.entryCount && !out.full; row++) rows.lineOf(r, row);
    if (out.full) await out.flush();
  }
  for (const f of r.findings) rows.line(f.line, f.text);
  for (const p of r.published) for (const c of p.coveredBy) rows.line(c.line, c.text);
  out.ascii(rows.linesWritten === 0 ? "[]" : "\n    }\n  ]");
  out.text(`${shell.slice(linesAt + JSON.stringify(LINES).length)}\n`);
  await out.flush();
}

/**
 * The report's "entries" and "lines" rows. After its line number, an entry row is its status and flags (the same
 * bytes for every row with the same key) and its message (most often the same string as the row before with that
 * key): both written once and copied as one. A line is written once, at its first reference.
 */
class JsonRows implements JsonRowWriter {
  private entries = 0;
  linesWritten = 0;
  private readonly heads: (Uint8Array | undefined)[] = [];
  private readonly lastMessage: (string | undefined)[] = [];
  private readonly lastTail: (Uint8Array | undefined)[] = [];
  private readonly seen = new LineSet();
  /** Keys of the rows read through accessors without rowKey: by flags array (flagsOf shares them), above 2^16. */
  private readonly flagIds = new Map<readonly string[], number>();
  private lastFlags: readonly string[] | undefined;
  private lastFlagId = 0;

  constructor(
    private readonly out: JsonChunks,
    /** textSpans.source, for lineSpan. */
    private readonly source: string,
  ) {}

  get full(): boolean {
    return this.out.full;
  }

  entry(line: number, key: number, message: string): boolean {
    const head = this.heads[key];
    if (head === undefined) return false;
    const out = this.out;
    // The previous row's end and this row's start are one copy.
    out.bytes(this.entries++ > 0 ? BETWEEN_ENTRIES : FIRST_ENTRY);
    out.uint(line);
    const tail = this.lastTail[key];
    if (tail !== undefined && this.lastMessage[key] === message) out.bytes(tail);
    else {
      const mark = out.position;
      out.bytes(head);
      out.string(cutMessage(message));
      // Copied once the same message comes twice in a row (redundant rows name their outer entry: not worth it).
      if (this.lastMessage[key] === message) this.lastTail[key] = out.slice(mark);
      else {
        this.lastMessage[key] = message;
        this.lastTail[key] = undefined;
      }
    }
    return true;
  }

  defineKey(key: number, status: EntryStatus, flags: readonly EntryFlag[]): void {
    this.heads[key] = rowHead(status, flags);
  }

  lineSpan(line: number, start: number, end: number): void {
    if (line <= 0 || !this.seen.add(line)) return;
    if (end - start > TEXT_LIMIT) return this.write(line, cutText(this.source.slice(start, end)));
    this.lineHead(line);
    this.out.stringOf(this.source, start, end);
  }

  line(line: number, text: string): void {
    if (line > 0 && this.seen.add(line)) this.write(line, text.length > TEXT_LIMIT ? cutText(text) : text);
  }

  /** Entry row `row` of `r`, read through its accessors. */
  entryOf(r: DiffRows, row: number): void {
    const key = r.rowKey !== undefined ? r.rowKey(row) : this.keyOf(r.rowStatus(row), r.rowFlags(row));
    const line = r.rowLine(row);
    const message = r.rowMessage(row);
    if (this.entry(line, key, message)) return;
    this.defineKey(key, r.rowStatus(row), r.rowFlags(row));
    this.entry(line, key, message);
  }

  /** The line of entry row `row` of `r`, read through its accessors. */
  lineOf(r: DiffRows, row: number): void {
    const spans = r.textSpans;
    const line = r.rowLine(row);
    const start = spans === undefined ? -1 : spans.start(row);
    if (start >= 0) this.lineSpan(line, start, spans!.end(row));
    else if (line > 0 && !this.seen.has(line)) this.line(line, r.rowText(row));
  }

  private keyOf(status: EntryStatus, flags: readonly EntryFlag[]): number {
    if (flags !== this.lastFlags) {
      let id = this.flagIds.get(flags);
      if (id === undefined) {
        id = this.flagIds.size;
        this.flagIds.set(flags, id);
      }
      this.lastFlags = flags;
      this.lastFlagId = id;
    }
    return 65536 + this.lastFlagId * 8 + STATUS_INDEX[status];
  }

  private lineHead(line: number): void {
    this.out.bytes(this.linesWritten++ > 0 ? BETWEEN_ENTRIES : FIRST_LINE);
    this.out.uint(line);
    this.out.bytes(TEXT_KEY);
  }

  private write(line: number, text: string): void {
    this.lineHead(line);
    this.out.string(text);
  }
}

/** A row's bytes between its line number and its message, for one status and set of flags. */
function rowHead(status: EntryStatus, flags: readonly string[]): Uint8Array {
  const flagText =
    flags.length === 0 ? "[]" : `[\n${flags.map((f) => `        ${JSON.stringify(f)}`).join(",\n")}\n      ]`;
  return new TextEncoder().encode(
    `,\n      "status": ${JSON.stringify(status)},\n      "flags": ${flagText},\n      "message": `,
  );
}

/** emitDiffReportBytes as text chunks (a character is never split between two chunks). */
export async function emitDiffReportJson(
  r: DiffRows,
  catalogVersion: number,
  emit: (chunk: string) => void | Promise<void>,
): Promise<void> {
  const text = textChunks(emit);
  await emitDiffReportBytes(r, catalogVersion, text.bytes, true);
  await text.end();
}

/**
 * The JSON of a trace: what `allowlist trace --json` and POST /api/v1/trace print. The verdict first, then the path
 * (as in the diff report) and each context with the rules the connection met.
 */
export function traceReport(t: Trace, format: FormatId, path: PathInfo | undefined) {
  return {
    address: t.address,
    protocol: t.protocol,
    port: t.port,
    format,
    allowed: t.allowed,
    summary: t.summary,
    ...(path !== undefined ? { path: pathReport(path) } : {}),
    contexts: t.contexts.map((c) => ({
      name: cutText(c.name),
      line: c.line,
      onPath: c.onPath,
      reason: cutMessage(c.reason),
      fallthrough: c.fallthrough,
      passes: c.passes,
      decision: c.decision,
      steps: c.steps.map((s) => ({
        line: s.line,
        text: cutText(s.text),
        ...(s.rule !== undefined
          ? { rule: { line: s.rule.line, ...(s.rule.text !== undefined ? { text: cutText(s.rule.text) } : {}) } }
          : {}),
        ...(s.via !== undefined ? { via: s.via.map((name) => cutText(name)) } : {}),
        action: s.action,
        matched: s.matched,
        decided: s.decided,
        why: cutMessage(s.why),
      })),
      omitted: c.omitted,
    })),
  };
}

export type TraceReport = ReturnType<typeof traceReport>;

/** The trace as printed: two-space indent and a final newline. */
export function traceReportJson(t: Trace, format: FormatId, path: PathInfo | undefined): string {
  return `${JSON.stringify(traceReport(t, format, path), null, 2)}\n`;
}
