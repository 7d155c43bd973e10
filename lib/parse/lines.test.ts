import { test } from "node:test";
import assert from "node:assert/strict";
import { countLines, isJsWhitespace } from "./lines";

test("isJsWhitespace is a regular expression's \\s and what trim() removes, for every UTF-16 code unit", () => {
  const differ: number[] = [];
  for (let c = 0; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    const expected = /\s/.test(ch);
    if (isJsWhitespace(c) !== expected || (ch.trim() === "") !== expected) differ.push(c);
  }
  assert.deepEqual(differ, []);
  assert.equal([0x20, 0x09, 0x0a, 0x0d, 0xa0, 0x2028, 0xfeff].every(isJsWhitespace), true);
  assert.equal([0x41, 0x85, 0x180e, 0x200b].some(isJsWhitespace), false);
});

test("countLines: a trailing newline does not add a line", () => {
  assert.deepEqual(["", "a", "a\n", "a\nb", "a\n\n", "\n"].map(countLines), [0, 1, 1, 2, 2, 1]);
});
