import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkFileSize, decodeFile, formatMegabytes, looksBinary } from "./file";
import { parseFormatParam, parsePort } from "./params";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("file checks", () => {
  test("text, accents and CRLF are text", () => {
    assert.deepEqual(decodeFile("a.txt", utf8("\uFEFF52.1.37.96\r\n# Zürich\t office\n")), {
      ok: true,
      text: "52.1.37.96\r\n# Zürich\t office\n",
    });
    assert.equal(looksBinary(new Uint8Array(0)), false);
  });
  test("a NUL byte or mostly control bytes is binary", () => {
    assert.equal(looksBinary(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x41])), true);
    assert.equal(looksBinary(Uint8Array.from([1, 2, 3, 65, 66])), true); // 60% control
    assert.equal(looksBinary(Uint8Array.from([1, 65, 66, 67, 68, 69, 70, 71, 72, 73])), false); // 10%
    assert.deepEqual(decodeFile("rules.zip", Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00])), {
      ok: false,
      error:
        "“rules.zip” looks like a binary file (an archive, image or compiled file), not a text config. Export the rules as text (e.g. iptables-save, show running-config) and load that.",
    });
  });
  test("size limit is stated", () => {
    assert.equal(checkFileSize("small.txt", 20 * 1024 * 1024), undefined);
    assert.deepEqual(checkFileSize("big.txt", 21 * 1024 * 1024), {
      ok: false,
      error:
        "“big.txt” is 21 MB, over the 20 MB limit. Split it, or check it with the command line (allowlist diff --input FILE).",
    });
    assert.deepEqual(decodeFile("x.txt", utf8("12345"), 4), {
      ok: false,
      error:
        "“x.txt” is 0.0 MB, over the 0.0 MB limit. Split it, or check it with the command line (allowlist diff --input FILE).",
    });
    assert.deepEqual([formatMegabytes(1.5 * 1024 * 1024), formatMegabytes(20 * 1024 * 1024)], ["1.5 MB", "20 MB"]);
  });
});

describe("URL parameters", () => {
  test("port", () => {
    assert.deepEqual(
      ["443", " 8443 ", "0", "65535", "65536", "44.3", "-1", "", null, undefined, "443abc"].map(parsePort),
      [443, 8443, undefined, 65535, undefined, undefined, undefined, undefined, undefined, undefined, undefined],
    );
  });
  test("format", () => {
    assert.deepEqual(["cisco-asa", "plain", "auto", "bogus", null].map(parseFormatParam), [
      "cisco-asa",
      "plain",
      "auto",
      "auto",
      "auto",
    ]);
  });
});
