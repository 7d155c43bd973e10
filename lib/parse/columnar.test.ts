import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { plainText } from "./plain.testkit";
import {
  KIND_SIDE,
  KIND_V4_ADDRESS,
  KIND_V4_CIDR,
  KIND_V6_ADDRESS,
  KIND_V6_CIDR,
  plainColumnsToParseOutput,
  scanIPv6Term,
  scanPlainColumns,
} from "./columnar";
import { parsePlain, parseTerm } from "./plain";

describe("scanPlainColumns", () => {
  test("lists denser than the columns' first size (short lines, several terms a line) grow and read whole", () => {
    // "::1" lines are 4 characters (the columns start at one entry per 8) and a line of 20 terms gives 20 entries.
    const dense = Array.from({ length: 3000 }, (_, i) => `::${(i + 1).toString(16)}`).join("\n");
    const many = Array.from({ length: 200 }, (_, i) =>
      Array.from({ length: 20 }, (_, k) => `10.${i >> 8}.${i & 255}.${k}`).join(" "),
    ).join("\n");
    for (const text of [dense, many, `${dense}\n${many}\n${"\n".repeat(5000)}`]) {
      const c = scanPlainColumns(text);
      assert.deepEqual(plainColumnsToParseOutput(c), parsePlain(text));
    }
    assert.equal(scanPlainColumns(dense).count, 3000);
    assert.equal(scanPlainColumns(many).count, 4000);
  });

  test("a paste of blank lines reserves columns for one entry per 8 characters, not one per line", () => {
    const c = scanPlainColumns("\n".repeat(1_000_000));
    assert.deepEqual([c.count, c.lineCount, c.kind.length, c.first4.length], [0, 1_000_000, 125_016, 0]);
  });

  test("exact columns of a small list", () => {
    const text = "10.0.0.1\n# c\n10.0.0.5/30\n2001:db8::1/126\n10.0.0.1-10.0.0.2, ::\nbad\n::2\n";
    const c = scanPlainColumns(text);
    assert.equal(c.count, 6);
    assert.equal(c.lineCount, 7);
    assert.deepEqual(
      [...c.kind.subarray(0, 6)],
      [KIND_V4_ADDRESS, KIND_V4_CIDR, KIND_V6_CIDR, KIND_SIDE, KIND_SIDE, KIND_V6_ADDRESS],
    );
    assert.deepEqual([...c.line.subarray(0, 6)], [1, 3, 4, 5, 5, 7]);
    assert.deepEqual([...c.hostBits.subarray(0, 6)], [0, 1, 1, 0, 0, 0]);
    assert.deepEqual([...c.slot.subarray(0, 6)], [0, 1, ~0, 2, ~1, ~2]);
    assert.deepEqual([...c.v4Index], [0, 1, 3]);
    assert.deepEqual([...c.first4], [0x0a000001, 0x0a000004, 0x0a000001]);
    assert.deepEqual([...c.last4], [0x0a000001, 0x0a000007, 0x0a000002]);
    assert.deepEqual([...c.v6Index], [2, 4, 5]);
    assert.deepEqual([...c.first6], [0x20010db8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    assert.deepEqual([...c.last6], [0x20010db8, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 2]);
    assert.deepEqual([...c.side.keys()], [3, 4]);
    assert.deepEqual(c.findings, [
      { line: 6, text: "bad", kind: "invalid", message: 'Not an address: "bad" — not an IP address (column 1).' },
    ]);
    assert.deepEqual(plainColumnsToParseOutput(c), parsePlain(text));
  });

  test("lines that are nearly a canonical IPv4 address or CIDR read as parsePlain reads them", () => {
    // The line scan takes a line that is exactly "a.b.c.d" or "a.b.c.d/len" in the pass that finds its end; every
    // near miss (leading zeros, 256, /33, /08, blanks, CR, a trailing word, no final newline …) goes the usual way.
    const octet = fc.constantFrom("0", "00", "01", "1", "9", "10", "99", "100", "199", "255", "256", "999", "1000", "");
    const length = fc.constantFrom("", "/0", "/00", "/1", "/8", "/08", "/16", "/31", "/32", "/33", "/100", "/", "/x");
    const around = fc.constantFrom("", " ", "\t", "\r", "x", " #c", ".", "..1");
    const line = fc
      .tuple(fc.array(octet, { minLength: 3, maxLength: 5 }), length, around, around)
      .map(([parts, len, before, after]) => `${before}${parts.join(".")}${len}${after}`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.boolean(), (lines, trailing) => {
        const text = lines.join("\n") + (trailing ? "\n" : "");
        assert.deepEqual(plainColumnsToParseOutput(scanPlainColumns(text)), parsePlain(text));
      }),
      { numRuns: 500 },
    );
    // And the exact columns of the prefixes at both ends of the lengths (/0 and /32), host bits set or not.
    const c = scanPlainColumns("0.0.0.0/0\n255.255.255.255/32\n10.1.2.3/8\n10.0.0.0/8");
    assert.deepEqual([...c.first4], [0, 0xffffffff, 0x0a000000, 0x0a000000]);
    assert.deepEqual([...c.last4], [0xffffffff, 0xffffffff, 0x0affffff, 0x0affffff]);
    assert.deepEqual([...c.hostBits.subarray(0, 4)], [0, 0, 1, 0]);
    assert.deepEqual([...c.bits.subarray(0, 4)], [0, 32, 8, 8]);
  });

  test("the object form equals parsePlain on random lists", () => {
    fc.assert(
      fc.property(plainText, (text) => {
        assert.deepEqual(plainColumnsToParseOutput(scanPlainColumns(text)), parsePlain(text));
      }),
      { numRuns: 400 },
    );
  });
});

describe("scanIPv6Term", () => {
  const hexGroup = fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16));
  const v6Text = fc.oneof(
    fc.array(hexGroup, { minLength: 8, maxLength: 8 }).map((g) => g.join(":")),
    fc.tuple(fc.array(hexGroup, { maxLength: 7 }), fc.nat(7)).map(([g, at]) => {
      const k = Math.min(at, g.length);
      return `${g.slice(0, k).join(":")}::${g.slice(k).join(":")}`;
    }),
    fc.string({ unit: fc.constantFrom("0", "1", "a", "F", ":", "/", ".", "8"), maxLength: 14 }),
    // A full address with one character replaced by "±" (U+00B1) or "Å" (U+00C5): "1" and "E" in their low 7 bits,
    // so a hex table read by those alone would take them for digits.
    fc
      .tuple(fc.array(hexGroup, { minLength: 8, maxLength: 8 }), fc.nat(), fc.constantFrom("±", "Å"))
      .map(([g, at, c]) => {
        const t = g.join(":");
        const i = at % t.length;
        return `${t.slice(0, i)}${c}${t.slice(i + 1)}`;
      }),
  );
  const withLength = fc
    .tuple(v6Text, fc.option(fc.constantFrom("0", "1", "32", "64", "127", "128", "129", "08", "", "1a")))
    .map(([t, l]) => (l === null ? t : `${t}/${l}`));

  test("accepts exactly what parseTerm reads as an IPv6 address or CIDR, with the same addresses", () => {
    fc.assert(
      fc.property(withLength, fc.boolean(), (token, upper) => {
        const t = upper ? token.toUpperCase() : token;
        const words = new Uint32Array(4);
        const r = scanIPv6Term(t, 0, t.length, words, 0);
        const term = parseTerm(t);
        // Dotted (embedded IPv4) and netmask forms are left to parseTerm on purpose.
        const simple = !/[.]/.test(t) && /:/.test(t) && !/\/.*:/.test(t);
        if (r < 0) {
          assert.ok(
            !simple || !term.ok || term.range.first.family !== 6 || (term.kind !== "address" && term.kind !== "cidr"),
            t,
          );
          return;
        }
        assert.ok(term.ok && term.range.first.family === 6, t);
        const written = term.kind === "cidr" ? term.prefix!.address.value : term.range.first.value;
        const value = words.reduce((v, w) => (v << 32n) | BigInt(w), 0n);
        assert.equal(value, written);
        assert.equal(r, term.kind === "cidr" ? term.prefix!.bits + 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });
});
