import { diffColumns } from "../diff/columnar";
import { diff } from "../diff/diff";
import { cutMessage, cutText, MESSAGE_LIMIT, TEXT_LIMIT } from "../diff/report";
import type { DiffResult, EntryVerdict } from "../diff/types";
import { scanPlainColumns } from "../parse/columnar";
import { countLines } from "../parse/plain";
import { detectFormat, exceedsInputLimit, parseText } from "../parse/registry";
import { isNotable, markFindings, markLines, markVerdict, trimResult } from "./marks";
import { parseOptionsOf, type CompareOutcome, type CompareProgress, type CompareRequest } from "./protocol";
import { keepParse } from "./trace";

/** How far a run is: the phases already reported and when parsing started. */
interface Run {
  readonly progress: (p: CompareProgress) => void;
  readonly total: number;
  readonly t0: number;
}

function start(request: CompareRequest, progress: (p: CompareProgress) => void): Run {
  const total = countLines(request.text);
  progress({ phase: "parse", done: 0, total });
  return { progress, total, t0: performance.now() };
}

/**
 * Parse, diff and mark lines, reporting each phase as it starts and ends. Never throws on user input. Plain lists
 * (the million-line pastes) take the columnar engine, which builds no object per entry; the outcome is exactly
 * compareWithObjects'.
 */
export function compare(request: CompareRequest, progress: (p: CompareProgress) => void = () => {}): CompareOutcome {
  const run = start(request, progress);
  // An oversized paste is refused by parseText, whatever its format.
  const tooLarge = exceedsInputLimit(request.text);
  const format = request.format === "auto" && !tooLarge ? detectFormat(request.text).format : request.format;
  const detected = request.format === "auto";
  return format === "plain" && !tooLarge ? withColumns(request, detected, run) : withObjects({ ...request, format }, detected, run);
}

/** The object engine for every format (the reference the columnar path is tested against). */
export function compareWithObjects(request: CompareRequest, progress: (p: CompareProgress) => void = () => {}): CompareOutcome {
  return withObjects(request, request.format === "auto", start(request, progress));
}

function withObjects(request: CompareRequest, detected: boolean, { progress, total, t0 }: Run): CompareOutcome {
  const parsed = parseText(request.text, request.format, { ...parseOptionsOf(request), port: request.port });
  keepParse(request, parsed);
  const t1 = performance.now();
  progress({ phase: "diff", done: 0, total });
  const full = diff(request.catalog, parsed, { regions: request.regions, port: request.port });
  const t2 = performance.now();
  progress({ phase: "mark", done: 0, total });
  // Marks come from the full verdict list: trimmed "unrelated" lines still need their mark.
  const lines = markLines(full, parsed.lineCount);
  const { result, omittedUnrelated } = trimResult(full);
  progress({ phase: "mark", done: total, total });
  return { result: forDisplay(result), omittedUnrelated, detected, lineCount: parsed.lineCount, lines, timings: { parseMs: t1 - t0, diffMs: t2 - t1 } };
}

function withColumns(request: CompareRequest, detected: boolean, { progress, total, t0 }: Run): CompareOutcome {
  const columns = scanPlainColumns(request.text);
  const t1 = performance.now();
  progress({ phase: "diff", done: 0, total });
  const rows = diffColumns(request.catalog, columns, { regions: request.regions, port: request.port });
  const t2 = performance.now();
  progress({ phase: "mark", done: 0, total });
  // Only the rows trimResult keeps (isNotable) become verdict objects; the others are marked from line, status and flags.
  const lines = markFindings(rows.findings, columns.lineCount);
  const entries: EntryVerdict[] = [];
  let omittedUnrelated = 0;
  for (let row = 0; row < rows.entryCount; row++) {
    const status = rows.rowStatus(row);
    const flags = rows.rowFlags(row);
    markVerdict(lines, rows.rowLine(row), status, flags);
    if (isNotable({ status, flags })) entries.push(rows.entryAt(row));
    else omittedUnrelated++;
  }
  progress({ phase: "mark", done: total, total });
  const { regions, format, summary, byRegion, published, findings, notes } = rows;
  return {
    result: forDisplay({ regions, format, summary, byRegion, published, entries, findings, notes }),
    omittedUnrelated,
    detected,
    lineCount: columns.lineCount,
    lines,
    timings: { parseMs: t1 - t0, diffMs: t2 - t1 },
  };
}

/**
 * The outcome as shown and sent from the worker: long line texts and messages cut (cutText), each line's cut text
 * built once. A 64 KB line of 8,192 addresses would otherwise be copied 8,192 times by postMessage.
 */
function forDisplay(r: DiffResult): DiffResult {
  const cut = new Map<string, string>();
  const shown = (text: string) => {
    if (text.length <= TEXT_LIMIT) return text;
    let c = cut.get(text);
    if (c === undefined) cut.set(text, (c = cutText(text)));
    return c;
  };
  const long = (s: string) => (s.length > MESSAGE_LIMIT ? cutMessage(s) : s);
  return {
    ...r,
    entries: r.entries.map((e) => (e.text.length > TEXT_LIMIT || e.message.length > MESSAGE_LIMIT ? { ...e, text: shown(e.text), message: long(e.message) } : e)),
    findings: r.findings.map((f) => (f.text.length > TEXT_LIMIT || f.message.length > MESSAGE_LIMIT ? { ...f, text: shown(f.text), message: long(f.message) } : f)),
    notes: r.notes.map(long),
  };
}
