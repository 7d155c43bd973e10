import { diff } from "../diff/diff";
import { countLines } from "../parse/plain";
import { parseText } from "../parse/registry";
import { markLines, trimResult } from "./marks";
import type { CompareOutcome, CompareProgress, CompareRequest } from "./protocol";

/** Parse, diff and mark lines, reporting each phase as it starts and ends. Never throws on user input. */
export function compare(request: CompareRequest, progress: (p: CompareProgress) => void = () => {}): CompareOutcome {
  const total = countLines(request.text);
  progress({ phase: "parse", done: 0, total });
  const t0 = performance.now();
  const parsed = parseText(request.text, request.format);
  const t1 = performance.now();
  progress({ phase: "diff", done: 0, total });
  const full = diff(request.catalog, parsed, { regions: request.regions, port: request.port });
  const t2 = performance.now();
  progress({ phase: "mark", done: 0, total });
  // Marks come from the full verdict list: trimmed "unrelated" lines still need their mark.
  const lines = markLines(full, parsed.lineCount);
  const { result, omittedUnrelated } = trimResult(full);
  progress({ phase: "mark", done: total, total });
  return {
    result,
    omittedUnrelated,
    detected: parsed.detected,
    lineCount: parsed.lineCount,
    lines,
    timings: { parseMs: t1 - t0, diffMs: t2 - t1 },
  };
}
