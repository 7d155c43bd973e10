import { FLAG_BIT } from "../diff/flags";
import type { DiffResult, EntryFlag, EntryStatus, EntryVerdict } from "../diff/types";

/**
 * Per-line verdicts as two byte arrays (one byte per line), built once per result: a million-line view reads them
 * in O(1) per visible line, and a worker can transfer them without copying.
 */
export const LINE_MARK = {
  none: 0,
  unrelated: 1,
  inactive: 2, // a rule a new inbound connection never meets (off the path, or a condition that cannot hold)
  note: 3, // a parser remark on the line (not understood, unused object …)
  covers: 4,
  outbound: 5,
  deny: 6,
  invalid: 7,
} as const;
export type LineMark = keyof typeof LINE_MARK;
export const LINE_MARK_NAMES = Object.keys(LINE_MARK) as LineMark[];

const STATUS_MARK: Record<EntryStatus, number> = {
  unrelated: LINE_MARK.unrelated,
  inactive: LINE_MARK.inactive,
  covers: LINE_MARK.covers,
  outbound: LINE_MARK.outbound,
  deny: LINE_MARK.deny,
  invalid: LINE_MARK.invalid,
};

export interface LineMarks {
  /** marks[line] for 1-based line numbers; index 0 is unused. Higher codes win when a line has several entries. */
  readonly marks: Uint8Array;
  /** Bit set of the flags on each line, in the diff's one flag encoding (lib/diff/flags.ts: read with flagsOf). */
  readonly flags: Uint8Array;
}

export function markLines(result: Pick<DiffResult, "entries" | "findings">, lineCount: number): LineMarks {
  const lines = markFindings(result.findings, lineCount);
  for (const v of result.entries) markVerdict(lines, v.line, v.status, v.flags);
  return lines;
}

/** New marks for lineCount lines with the findings' lines marked as notes; verdicts are added with markVerdict. */
export function markFindings(findings: DiffResult["findings"], lineCount: number): LineMarks {
  const marks = new Uint8Array(lineCount + 1);
  const flags = new Uint8Array(lineCount + 1);
  for (const f of findings) {
    if (f.line >= 1 && f.line <= lineCount && marks[f.line]! < LINE_MARK.note) marks[f.line] = LINE_MARK.note;
  }
  return { marks, flags };
}

export function markVerdict(lines: LineMarks, line: number, status: EntryStatus, flags: readonly EntryFlag[]): void {
  if (line < 1 || line >= lines.marks.length) return;
  const mark = STATUS_MARK[status];
  if (lines.marks[line]! < mark) lines.marks[line] = mark;
  for (const f of flags) lines.flags[line]! |= FLAG_BIT[f];
}

/** A verdict worth a row in the Findings table: anything but an allow of an address the catalog does not hold. */
export function isNotable(v: Pick<EntryVerdict, "status" | "flags">): boolean {
  return v.status !== "unrelated" || v.flags.length > 0;
}

/**
 * The result the UI keeps: plain "unrelated" verdicts (most of a big paste, all with the same message) are dropped
 * from `entries` and counted, so a million-line result crosses from the worker in milliseconds, not seconds.
 * Their lines stay marked in LineMarks.
 */
export function trimResult(result: DiffResult): { result: DiffResult; omittedUnrelated: number } {
  const entries = result.entries.filter(isNotable);
  return { result: { ...result, entries }, omittedUnrelated: result.entries.length - entries.length };
}
