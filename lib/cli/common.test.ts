import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeUtf8 } from "./common";

test("decodeUtf8 gives what UTF-8 decoding gives, for ASCII, UTF-8 and invalid bytes", () => {
  const cases = [
    Buffer.from("52.1.37.96\n10.0.0.0/8\n", "utf8"),
    Buffer.from("zoë 10.0.0.1 😀\n", "utf8"),
    Buffer.from([0x31, 0x80, 0xff, 0x0a, 0xc3]),
    Buffer.alloc(0),
  ];
  for (const b of cases) assert.equal(decodeUtf8(b), b.toString("utf8"));
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ max: 0x7f, maxLength: 64 })), (bytes) => {
      const b = Buffer.from(bytes);
      assert.equal(decodeUtf8(b), b.toString("utf8"));
    }),
    { seed: 13, numRuns: 500 },
  );
});
