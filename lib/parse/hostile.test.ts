import { test } from "node:test";
import assert from "node:assert/strict";
import { formatIds, parseText } from "./registry";

// One 10 MB line of address-like, tag-like, brace and quote tokens, and 5,000 short rows, read as every format: no
// throw, every line counted. The timeout is a hang guard, not a speed figure: all of it takes about 12 s here, so a
// minute leaves room for a loaded machine. The PAN-OS XML reader once took 100 s on the long line (its line count
// was searched again from each tag).
const LONG = '10.0.0.1 <a> {x} "q" '.repeat(500_000);
const ROWS = Array.from({ length: 5000 }, (_, i) => `allow 10.${i >> 8}.${i & 255}.1 "x" <y>`).join("\n");

test("every format reads a 10 MB line and 5,000 rows without throwing", { timeout: 60_000 }, async () => {
  const counted: string[] = [];
  for (const format of formatIds) {
    const long = parseText(LONG, format, { maxBytes: Number.POSITIVE_INFINITY });
    const rows = parseText(ROWS, format, { maxBytes: Number.POSITIVE_INFINITY });
    counted.push(`${format} ${long.lineCount} ${rows.lineCount}`);
    // A parse cannot be interrupted: the timeout is checked here, between formats.
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.deepEqual(
    counted,
    formatIds.map((f) => `${f} 1 5000`),
  );
});
