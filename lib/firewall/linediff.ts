/**
 * Line diff of two revisions (Myers' O(ND) algorithm on interned lines, after trimming the common head and tail).
 * Firewall texts can be a million lines, so the work is bounded: past MAX_EDITS differing lines, or a comparison
 * budget, the result is "too large" rather than a page that never loads.
 */
export type LineOpKind = "same" | "add" | "del";

export interface LineOp {
  readonly kind: LineOpKind;
  readonly text: string;
  /** 1-based line in the old text (same/del) and the new text (same/add). */
  readonly oldLine?: number;
  readonly newLine?: number;
}

export interface Hunk {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: readonly LineOp[];
}

export type LineDiff =
  | { readonly ok: true; readonly added: number; readonly removed: number; readonly hunks: readonly Hunk[] }
  | { readonly ok: false; readonly reason: string };

/** At most this many added + removed lines are diffed (the trace grows with their square). */
export const MAX_EDITS = 2000;
/** At most this many line comparisons (about a second of work). */
export const MAX_COMPARISONS = 50_000_000;

export interface LineDiffOptions {
  /** Unchanged lines shown around each change (default 3). */
  readonly context?: number;
  readonly maxEdits?: number;
  readonly maxComparisons?: number;
}

/** Lines of a text; a trailing newline does not add an empty last line (as in lib/parse's lineCount). */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function diffLines(oldText: string, newText: string, options: LineDiffOptions = {}): LineDiff {
  const context = options.context ?? 3;
  const maxEdits = options.maxEdits ?? MAX_EDITS;
  const a = splitLines(oldText);
  const b = splitLines(newText);
  // Interning makes every comparison an integer compare.
  const ids = new Map<string, number>();
  const intern = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const ai = Int32Array.from(a, intern);
  const bi = Int32Array.from(b, intern);

  let head = 0;
  while (head < ai.length && head < bi.length && ai[head] === bi[head]) head++;
  let tail = 0;
  while (tail < ai.length - head && tail < bi.length - head && ai[ai.length - 1 - tail] === bi[bi.length - 1 - tail])
    tail++;

  const script = myers(
    ai.subarray(head, ai.length - tail),
    bi.subarray(head, bi.length - tail),
    maxEdits,
    options.maxComparisons ?? MAX_COMPARISONS,
  );
  if (script === null) {
    return {
      ok: false,
      reason: `Too large to diff: more than ${maxEdits.toLocaleString("en-US")} lines changed (${a.length.toLocaleString("en-US")} → ${b.length.toLocaleString("en-US")} lines).`,
    };
  }

  const ops: LineOp[] = [];
  // Of the common head and tail only the context lines can appear in a hunk: a million equal lines are not copied.
  const skipped = Math.max(0, head - context);
  for (let i = skipped; i < head; i++) ops.push({ kind: "same", text: a[i] ?? "", oldLine: i + 1, newLine: i + 1 });
  let added = 0;
  let removed = 0;
  for (const step of script) {
    const x = step.x + head;
    const y = step.y + head;
    if (step.kind === "same") ops.push({ kind: "same", text: a[x] ?? "", oldLine: x + 1, newLine: y + 1 });
    else if (step.kind === "del") {
      removed++;
      ops.push({ kind: "del", text: a[x] ?? "", oldLine: x + 1 });
    } else {
      added++;
      ops.push({ kind: "add", text: b[y] ?? "", newLine: y + 1 });
    }
  }
  for (let i = tail; i > Math.max(0, tail - context); i--) {
    ops.push({ kind: "same", text: a[a.length - i] ?? "", oldLine: a.length - i + 1, newLine: b.length - i + 1 });
  }
  return { ok: true, added, removed, hunks: toHunks(ops, context, skipped, skipped) };
}

interface Step {
  readonly kind: LineOpKind;
  /** 0-based positions in the trimmed old/new arrays. */
  readonly x: number;
  readonly y: number;
}

/** Shortest edit script, deletions before insertions at each change; null when over a limit. */
function myers(a: Int32Array, b: Int32Array, maxEdits: number, maxComparisons: number): Step[] | null {
  const n = a.length;
  const m = b.length;
  if (n + m === 0) return [];
  if (n === 0 || m === 0) {
    if (n + m > maxEdits) return null;
    return n === 0
      ? Array.from({ length: m }, (_, y) => ({ kind: "add" as const, x: 0, y }))
      : Array.from({ length: n }, (_, x) => ({ kind: "del" as const, x, y: 0 }));
  }
  const limit = Math.min(n + m, maxEdits);
  const offset = limit + 1;
  const v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  let comparisons = 0;
  let found = -1;
  for (let d = 0; d <= limit && found < 0; d++) {
    // Only diagonals -d..d matter at step d: keep that slice so memory grows with d², not d·(n+m).
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      comparisons++;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
        comparisons++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (comparisons > maxComparisons) return null;
  }
  if (found < 0) return null;

  // Walk the trace back from (n, m); trace[d] holds V as it was before step d ran.
  const steps: Step[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d] as Int32Array; // diagonals -d..d, index k + d
    const at = (k: number) => prev[k + d] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      steps.push({ kind: "same", x, y });
    }
    if (down) steps.push({ kind: "add", x: prevX, y: prevY });
    else steps.push({ kind: "del", x: prevX, y: prevY });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    steps.push({ kind: "same", x, y });
  }
  return steps.reverse();
}

/** Groups changes with `context` unchanged lines around them; changes closer than 2 × context share a hunk. */
function toHunks(ops: readonly LineOp[], context: number, oldBase: number, newBase: number): Hunk[] {
  // Old/new lines consumed before each op, so a hunk with an empty side still knows where it sits.
  const oldPos = new Int32Array(ops.length + 1);
  const newPos = new Int32Array(ops.length + 1);
  oldPos[0] = oldBase;
  newPos[0] = newBase;
  const changed: number[] = [];
  ops.forEach((op, i) => {
    oldPos[i + 1] = (oldPos[i] ?? 0) + (op.kind === "add" ? 0 : 1);
    newPos[i + 1] = (newPos[i] ?? 0) + (op.kind === "del" ? 0 : 1);
    if (op.kind !== "same") changed.push(i);
  });
  const hunks: Hunk[] = [];
  let i = 0;
  while (i < changed.length) {
    const start = Math.max(0, (changed[i] ?? 0) - context);
    let end = changed[i] ?? 0;
    while (i + 1 < changed.length && (changed[i + 1] ?? 0) - end <= 2 * context + 1) end = changed[++i] ?? end;
    i++;
    const stop = Math.min(ops.length, end + context + 1);
    const oldLines = (oldPos[stop] ?? 0) - (oldPos[start] ?? 0);
    const newLines = (newPos[stop] ?? 0) - (newPos[start] ?? 0);
    hunks.push({
      // As in unified diffs, an empty side starts at the line before the change.
      oldStart: (oldPos[start] ?? 0) + (oldLines > 0 ? 1 : 0),
      oldLines,
      newStart: (newPos[start] ?? 0) + (newLines > 0 ? 1 : 0),
      newLines,
      lines: ops.slice(start, stop),
    });
  }
  return hunks;
}
