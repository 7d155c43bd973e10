import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mustParseAddress } from "./address";
import {
  comparePrefix,
  formatPrefix,
  hasHostBits,
  makePrefix,
  maskPrefix,
  mustParsePrefix,
  parsePrefix,
  parsePrefixOrAddress,
  prefixContains,
  prefixEquals,
  prefixRange,
  prefixSize,
} from "./prefix";
import { formatRange } from "./range";

const err = (input: string, message: string, position: number, code: "invalid" | "ambiguous" = "invalid") => ({
  ok: false,
  error: { input, message, position, code },
});
const pfx = (family: 4 | 6, value: bigint, bits: number) => ({ ok: true, value: { address: { family, value }, bits } });
const MAX6 = (1n << 128n) - 1n;

describe("parsePrefix", () => {
  test("accepts and keeps host bits as written", () => {
    assert.deepEqual(parsePrefix("10.0.0.0/8"), pfx(4, 0x0a000000n, 8));
    assert.deepEqual(parsePrefix("10.1.2.3/8"), pfx(4, 0x0a010203n, 8));
    assert.deepEqual(parsePrefix("0.0.0.0/0"), pfx(4, 0n, 0));
    assert.deepEqual(parsePrefix("255.255.255.255/32"), pfx(4, 0xffffffffn, 32));
    assert.deepEqual(parsePrefix("::/0"), pfx(6, 0n, 0));
    assert.deepEqual(parsePrefix("2001:DB8::/32"), pfx(6, 0x20010db8n << 96n, 32));
    assert.deepEqual(parsePrefix("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), pfx(6, MAX6, 128));
    assert.deepEqual(parsePrefix("::ffff:1.2.3.0/120"), pfx(6, 0xffff01020300n, 120));
  });

  const bad: [string, string, number, ("invalid" | "ambiguous")?][] = [
    ["10.0.0.0", "missing '/length'", 8],
    ["10.0.0.0/", "missing prefix length after '/'", 9],
    ["10.0.0.0/08", "leading zero in prefix length", 9],
    ["10.0.0.0/00", "leading zero in prefix length", 9],
    ["10.0.0.0/33", "prefix length is greater than 32", 9],
    ["::/129", "prefix length is greater than 128", 3],
    ["10.0.0.0/+8", 'unexpected character "+" in prefix length', 9],
    ["10.0.0.0/-1", 'unexpected character "-" in prefix length', 9],
    ["10.0.0.0/8/8", 'unexpected character "/" in prefix length', 10],
    ["10.0.0.0/ 8", 'unexpected character " " in prefix length', 9],
    ["10.0.0.0/255.0.0.0", "a mask after '/' is not a prefix length (write the length, e.g. /24)", 9],
    ["10.0.0.0/99999999999999999999", "prefix length is greater than 32", 9],
    ["010.0.0.0/8", "leading zero is ambiguous (octal?)", 0, "ambiguous"],
    ["10.0/16", 'expected 4 octets, found 2 (shorthand like "10.1" is not allowed)', 4, "ambiguous"],
    ["/8", "empty address", 0],
    ["fe80::%eth0/64", 'zone id "%eth0" is not allowed (only a plain address)', 6],
  ];
  for (const [text, message, position, code] of bad) {
    test(`rejects ${JSON.stringify(text)}`, () =>
      assert.deepEqual(parsePrefix(text), err(text, message, position, code)));
  }

  test("parsePrefixOrAddress makes bare addresses single-host prefixes", () => {
    assert.deepEqual(parsePrefixOrAddress("1.2.3.4"), pfx(4, 0x01020304n, 32));
    assert.deepEqual(parsePrefixOrAddress("::1"), pfx(6, 1n, 128));
    assert.deepEqual(parsePrefixOrAddress("1.2.3.0/24"), pfx(4, 0x01020300n, 24));
    assert.deepEqual(
      parsePrefixOrAddress("1.2.3"),
      err("1.2.3", 'expected 4 octets, found 3 (shorthand like "10.1" is not allowed)', 5, "ambiguous"),
    );
    assert.deepEqual(parsePrefixOrAddress("1.2.3.0/"), err("1.2.3.0/", "missing prefix length after '/'", 8));
  });

  test("mustParsePrefix throws on bad input", () => {
    assert.throws(() => mustParsePrefix("1.2.3.4"), { message: `invalid prefix "1.2.3.4": missing '/length' at 7` });
  });
});

describe("prefix operations", () => {
  test("formatPrefix keeps host bits and canonicalises the address", () => {
    assert.deepEqual(
      ["10.1.2.3/8", "2001:0DB8:0:0::1/32", "::ffff:1.2.3.4/96", "0.0.0.0/0", "::/0"].map((t) =>
        formatPrefix(mustParsePrefix(t)),
      ),
      ["10.1.2.3/8", "2001:db8::1/32", "::ffff:1.2.3.4/96", "0.0.0.0/0", "::/0"],
    );
  });

  test("hasHostBits and maskPrefix", () => {
    const cases = [
      "18.208.240.77/30",
      "18.208.240.76/30",
      "0.0.0.0/0",
      "1.2.3.4/0",
      "255.255.255.255/32",
      "2001:db8::1/64",
      "2001:db8::/64",
    ];
    assert.deepEqual(
      cases.map((t) => hasHostBits(mustParsePrefix(t))),
      [true, false, false, true, false, true, false],
    );
    assert.deepEqual(
      cases.map((t) => formatPrefix(maskPrefix(mustParsePrefix(t)))),
      [
        "18.208.240.76/30",
        "18.208.240.76/30",
        "0.0.0.0/0",
        "0.0.0.0/0",
        "255.255.255.255/32",
        "2001:db8::/64",
        "2001:db8::/64",
      ],
    );
    const unchanged = mustParsePrefix("10.0.0.0/8");
    assert.equal(maskPrefix(unchanged), unchanged);
  });

  test("prefixRange covers the masked network", () => {
    assert.deepEqual(prefixRange(mustParsePrefix("18.208.240.77/30")), {
      first: { family: 4, value: 0x12d0f04cn },
      last: { family: 4, value: 0x12d0f04fn },
    });
    assert.deepEqual(
      ["0.0.0.0/0", "255.255.255.255/32", "::/0", "2001:db8::1/127", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"].map(
        (t) => {
          const r = prefixRange(mustParsePrefix(t));
          return [r.first.value, r.last.value];
        },
      ),
      [
        [0n, 0xffffffffn],
        [0xffffffffn, 0xffffffffn],
        [0n, MAX6],
        [0x20010db8n << 96n, (0x20010db8n << 96n) | 1n],
        [MAX6, MAX6],
      ],
    );
    assert.equal(formatRange(prefixRange(mustParsePrefix("10.9.8.7/16"))), "10.9.0.0/16");
  });

  test("prefixContains respects family and masks the prefix", () => {
    const p = mustParsePrefix("10.1.2.3/16");
    assert.deepEqual(
      ["10.1.0.0", "10.1.255.255", "10.2.0.0", "10.0.255.255", "::ffff:10.1.0.1"].map((t) =>
        prefixContains(p, mustParseAddress(t)),
      ),
      [true, true, false, false, false],
    );
    assert.equal(prefixContains(mustParsePrefix("0.0.0.0/0"), mustParseAddress("255.255.255.255")), true);
    assert.equal(prefixContains(mustParsePrefix("0.0.0.0/0"), mustParseAddress("::")), false);
    assert.equal(
      prefixContains(mustParsePrefix("::/0"), mustParseAddress(`ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff`)),
      true,
    );
  });

  test("prefixSize", () => {
    assert.deepEqual(
      ["0.0.0.0/0", "1.2.3.4/32", "10.0.0.0/8", "::/0", "::1/128", "2001:db8::/64"].map((t) =>
        prefixSize(mustParsePrefix(t)),
      ),
      [1n << 32n, 1n, 1n << 24n, 1n << 128n, 1n, 1n << 64n],
    );
  });

  test("makePrefix checks the length; compare and equality", () => {
    assert.throws(() => makePrefix(mustParseAddress("1.2.3.4"), 33), RangeError);
    assert.deepEqual(makePrefix(mustParseAddress("::1"), 128), { address: { family: 6, value: 1n }, bits: 128 });
    const sorted = ["::/0", "10.0.0.0/16", "10.0.0.0/8", "9.0.0.0/8"]
      .map(mustParsePrefix)
      .sort(comparePrefix)
      .map(formatPrefix);
    assert.deepEqual(sorted, ["9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "::/0"]);
    assert.equal(prefixEquals(mustParsePrefix("10.0.0.0/8"), mustParsePrefix("10.0.0.0/8")), true);
    assert.equal(prefixEquals(mustParsePrefix("10.0.0.1/8"), mustParsePrefix("10.0.0.0/8")), false);
    assert.equal(prefixEquals(mustParsePrefix("0.0.0.0/0"), mustParsePrefix("::/0")), false);
  });
});
