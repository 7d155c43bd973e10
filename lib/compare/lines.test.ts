import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { indexLines, lineText } from "./lines";

function allLines(text: string): string[] {
  const index = indexLines(text);
  return Array.from({ length: index.count }, (_, i) => lineText(text, index, i + 1));
}

describe("indexLines / lineText", () => {
  test("empty text has no lines", () => {
    assert.deepEqual(indexLines(""), { starts: new Uint32Array(0), count: 0 });
    assert.equal(lineText("", indexLines(""), 1), "");
  });
  test("a trailing newline does not add a line; CRLF is trimmed", () => {
    assert.deepEqual(allLines("a\r\nbb\n\nccc\n"), ["a", "bb", "", "ccc"]);
    assert.deepEqual(Array.from(indexLines("a\r\nbb\n\nccc\n").starts), [0, 3, 6, 7]);
  });
  test("no trailing newline", () => {
    assert.deepEqual(allLines("x\ny"), ["x", "y"]);
    assert.deepEqual(allLines("\n"), [""]);
    assert.deepEqual(allLines("\n\n"), ["", ""]);
  });
  test("out-of-range lines are empty", () => {
    const index = indexLines("x\ny");
    assert.deepEqual([lineText("x\ny", index, 0), lineText("x\ny", index, 3)], ["", ""]);
  });
  test("agrees with split on a large text", () => {
    const parts = Array.from({ length: 100_000 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    const text = parts.join("\n");
    const index = indexLines(text);
    assert.equal(index.count, 100_000);
    assert.equal(lineText(text, index, 1), "10.0.0.0");
    assert.equal(lineText(text, index, 100_000), parts[99_999]);
    assert.deepEqual(allLines(text), parts);
  });
});
