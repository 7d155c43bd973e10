import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { diffLines, splitLines, type LineOp } from "./linediff";

const lines = (n: number, prefix = "l") => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join("\n");

describe("splitLines", () => {
  test("a trailing newline adds no line; CRLF is one break", () => {
    assert.deepEqual(splitLines(""), []);
    assert.deepEqual(splitLines("a\r\nb\n"), ["a", "b"]);
    assert.deepEqual(splitLines("a\n\nb"), ["a", "", "b"]);
  });
});

describe("diffLines", () => {
  test("identical texts: no hunks", () => {
    assert.deepEqual(diffLines("a\nb\n", "a\nb"), { ok: true, added: 0, removed: 0, hunks: [] });
  });

  test("one line changed in the middle: one hunk with 3 lines of context each side", () => {
    const before = lines(10);
    const after = before.replace("l5", "L5");
    assert.deepEqual(diffLines(before, after), {
      ok: true,
      added: 1,
      removed: 1,
      hunks: [
        {
          oldStart: 2,
          oldLines: 7,
          newStart: 2,
          newLines: 7,
          lines: [
            { kind: "same", text: "l2", oldLine: 2, newLine: 2 },
            { kind: "same", text: "l3", oldLine: 3, newLine: 3 },
            { kind: "same", text: "l4", oldLine: 4, newLine: 4 },
            { kind: "del", text: "l5", oldLine: 5 },
            { kind: "add", text: "L5", newLine: 5 },
            { kind: "same", text: "l6", oldLine: 6, newLine: 6 },
            { kind: "same", text: "l7", oldLine: 7, newLine: 7 },
            { kind: "same", text: "l8", oldLine: 8, newLine: 8 },
          ],
        },
      ],
    });
  });

  test("changes far apart make separate hunks; close ones merge", () => {
    const before = lines(30);
    const far = diffLines(before, before.replace("l2\n", "").replace("l25", "x"), { context: 1 });
    assert.ok(far.ok);
    assert.deepEqual(
      far.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]),
      [
        [1, 3, 1, 2],
        [24, 3, 23, 3],
      ],
    );
    const near = diffLines(before, before.replace("l2\n", "").replace("l5", "x"), { context: 1 });
    assert.ok(near.ok);
    assert.deepEqual(
      near.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]),
      [[1, 6, 1, 5]],
    );
  });

  test("insertion into an empty text and deletion of everything", () => {
    assert.deepEqual(diffLines("", "a\nb"), {
      ok: true,
      added: 2,
      removed: 0,
      hunks: [
        {
          oldStart: 0,
          oldLines: 0,
          newStart: 1,
          newLines: 2,
          lines: [
            { kind: "add", text: "a", newLine: 1 },
            { kind: "add", text: "b", newLine: 2 },
          ],
        },
      ],
    });
    assert.deepEqual(diffLines("a", ""), {
      ok: true,
      added: 0,
      removed: 1,
      hunks: [{ oldStart: 1, oldLines: 1, newStart: 0, newLines: 0, lines: [{ kind: "del", text: "a", oldLine: 1 }] }],
    });
  });

  test("minimal edit script: moving one line costs one delete and one add", () => {
    const r = diffLines("a\nb\nc\nd", "b\nc\nd\na", { context: 0 });
    assert.ok(r.ok);
    assert.deepEqual([r.added, r.removed], [1, 1]);
    assert.deepEqual(
      r.hunks.flatMap((h) => h.lines),
      [
        { kind: "del", text: "a", oldLine: 1 },
        { kind: "add", text: "a", newLine: 4 },
      ],
    );
  });

  test("over the edit limit: too large to diff, stated", () => {
    assert.deepEqual(diffLines(lines(3000, "a"), lines(3000, "b")), {
      ok: false,
      reason: "Too large to diff: more than 2,000 lines changed (3,000 → 3,000 lines).",
    });
  });

  test("a million-line text with one change diffs within a tiny comparison budget (common head and tail are trimmed)", () => {
    const before = lines(1_000_000);
    const after = before.replace("\nl500000\n", "\nchanged\n");
    // Deterministic instead of timed: without trimming, the middle would need far more than 10 comparisons.
    const r = diffLines(before, after, { context: 0, maxComparisons: 10 });
    assert.deepEqual(r, {
      ok: true,
      added: 1,
      removed: 1,
      hunks: [
        {
          oldStart: 500000,
          oldLines: 1,
          newStart: 500000,
          newLines: 1,
          lines: [
            { kind: "del", text: "l500000", oldLine: 500000 },
            { kind: "add", text: "changed", newLine: 500000 },
          ],
        },
      ],
    });
  });

  test("property: applying the script to the old lines gives the new lines, and counts match", () => {
    const text = fc.array(fc.constantFrom("a", "b", "c", "d", ""), { maxLength: 40 }).map((l) => l.join("\n"));
    fc.assert(
      fc.property(text, text, (x, y) => {
        const r = diffLines(x, y, { context: 1_000_000 });
        assert.ok(r.ok);
        const ops: LineOp[] = r.hunks.flatMap((h) => h.lines);
        const a = splitLines(x);
        const b = splitLines(y);
        if (ops.length === 0) assert.deepEqual(a, b);
        else {
          assert.deepEqual(
            ops.filter((o) => o.kind !== "add").map((o) => o.text),
            a,
          );
          assert.deepEqual(
            ops.filter((o) => o.kind !== "del").map((o) => o.text),
            b,
          );
        }
        assert.equal(r.added, ops.filter((o) => o.kind === "add").length);
        assert.equal(r.removed, ops.filter((o) => o.kind === "del").length);
      }),
      { numRuns: 500 },
    );
  });

  test("property: the script is minimal (matches an LCS computed by dynamic programming)", () => {
    const arr = fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(arr, arr, (a, b) => {
        const r = diffLines(a.join("\n"), b.join("\n"));
        assert.ok(r.ok);
        const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
        for (let i = a.length - 1; i >= 0; i--)
          for (let j = b.length - 1; j >= 0; j--)
            (dp[i] as number[])[j] =
              a[i] === b[j] ? (dp[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(dp[i + 1]?.[j] ?? 0, dp[i]?.[j + 1] ?? 0);
        const lcs = dp[0]?.[0] ?? 0;
        assert.deepEqual([r.removed, r.added], [a.length - lcs, b.length - lcs]);
      }),
      { numRuns: 500 },
    );
  });
});

test("an insertion after a long common head, without context, sits after its line", () => {
  assert.deepEqual(diffLines("a\nb\nc", "a\nb\nx\nc", { context: 0 }), {
    ok: true,
    added: 1,
    removed: 0,
    hunks: [{ oldStart: 2, oldLines: 0, newStart: 3, newLines: 1, lines: [{ kind: "add", text: "x", newLine: 3 }] }],
  });
});
