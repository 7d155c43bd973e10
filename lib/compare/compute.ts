import { cutMessage, cutText, MESSAGE_LIMIT, TEXT_LIMIT } from "../diff/report";
import type { DiffResult, EntryVerdict } from "../diff/types";
import { runDiff } from "../diff/run";
import { countLines } from "../parse/plain";
import { isNotable, markFindings, markLines, markVerdict, trimResult } from "./marks";
import { parseOptionsOf, type CompareOutcome, type CompareProgress, type CompareRequest } from "./protocol";
import { keepParse } from "./trace";

/**
 * Parse, diff and mark lines, reporting each phase as it starts and ends. Never throws on user input. The engine is
 * chosen by lib/diff's one entry point (runDiff): plain lists (the million-line pastes) take the columnar engine,
 * which builds no object per entry; the outcome is exactly compareWithObjects'.
 */
export function compare(request: CompareRequest, progress: (p: CompareProgress) => void = () => {}): CompareOutcome {
  return run(request, "auto", progress);
}

/** The object engine for every format (the reference the columnar path is tested against). */
export function compareWithObjects(
  request: CompareRequest,
  progress: (p: CompareProgress) => void = () => {},
): CompareOutcome {
  return run(request, "objects", progress);
}

function run(
  request: CompareRequest,
  engine: "auto" | "objects",
  progress: (p: CompareProgress) => void,
): CompareOutcome {
  const total = countLines(request.text);
  progress({ phase: "parse", done: 0, total });
  const t0 = performance.now();
  let t1 = t0;
  const onParsed = () => {
    t1 = performance.now();
    progress({ phase: "diff", done: 0, total });
  };
  const r = runDiff({ ...request, parse: parseOptionsOf(request), engine, onParsed });
  const t2 = performance.now();
  progress({ phase: "mark", done: 0, total });
  const timings = { parseMs: t1 - t0, diffMs: t2 - t1 };
  const unusable = r.unusable !== undefined ? { unusable: r.unusable } : {};
  if (r.engine === "objects") {
    keepParse({ ...request, format: r.format }, r.parsed);
    // Marks come from the full verdict list: trimmed "unrelated" lines still need their mark.
    const lines = markLines(r.result, r.lineCount);
    const { result, omittedUnrelated } = trimResult(r.result);
    progress({ phase: "mark", done: total, total });
    return {
      result: forDisplay(result),
      omittedUnrelated,
      detected: r.detected,
      lineCount: r.lineCount,
      lines,
      timings,
      ...unusable,
    };
  }
  const rows = r.rows;
  // Only the rows trimResult keeps (isNotable) become verdict objects; the others are marked from line, status and flags.
  const lines = markFindings(rows.findings, r.lineCount);
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
    detected: r.detected,
    lineCount: r.lineCount,
    lines,
    timings,
    ...unusable,
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
    entries: r.entries.map((e) =>
      e.text.length > TEXT_LIMIT || e.message.length > MESSAGE_LIMIT
        ? { ...e, text: shown(e.text), message: long(e.message) }
        : e,
    ),
    findings: r.findings.map((f) =>
      f.text.length > TEXT_LIMIT || f.message.length > MESSAGE_LIMIT
        ? { ...f, text: shown(f.text), message: long(f.message) }
        : f,
    ),
    notes: r.notes.map(long),
  };
}
