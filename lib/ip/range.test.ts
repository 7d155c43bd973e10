import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatAddress, mustParseAddress } from "./address";
import { formatPrefix } from "./prefix";
import {
  compareRange,
  formatRange,
  makeRange,
  parseRange,
  parseTrailingWildcard,
  rangeAsPrefix,
  rangeContains,
  rangeContainsRange,
  rangeEquals,
  rangeOf,
  rangeSize,
  rangesOverlap,
  rangeToPrefixes,
} from "./range";
import type { Range } from "./types";

const err = (input: string, message: string, position: number, code: "invalid" | "ambiguous" = "invalid") => ({
  ok: false,
  error: { input, message, position, code },
});
const a = mustParseAddress;
const r = (first: string, last: string): Range => ({ first: a(first), last: a(last) });
const MAX6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
const text = (x: Range) => `${formatAddress(x.first)}-${formatAddress(x.last)}`;

describe("makeRange and rangeOf", () => {
  test("valid", () => {
    assert.deepEqual(makeRange(a("1.2.3.4"), a("1.2.3.4")), { ok: true, value: r("1.2.3.4", "1.2.3.4") });
    assert.deepEqual(makeRange(a("::"), a(MAX6)), { ok: true, value: r("::", MAX6) });
    assert.deepEqual(rangeOf(a("::1")), r("::1", "::1"));
  });
  test("invalid", () => {
    assert.deepEqual(makeRange(a("1.2.3.5"), a("1.2.3.4")), err("1.2.3.5-1.2.3.4", "range start is after its end", 0));
    assert.deepEqual(
      makeRange(a("0.0.0.1"), a("::2")),
      err("0.0.0.1-::2", "range ends are of different address families", 0),
    );
  });
});

describe("parseRange", () => {
  const good: [string, string][] = [
    ["1.2.3.4-1.2.3.10", "1.2.3.4-1.2.3.10"],
    ["1.2.3.4 - 1.2.3.10", "1.2.3.4-1.2.3.10"],
    ["1.2.3.4  -\t1.2.3.10", "1.2.3.4-1.2.3.10"],
    ["1.2.3.4-1.2.3.4", "1.2.3.4-1.2.3.4"],
    ["0.0.0.0-255.255.255.255", "0.0.0.0-255.255.255.255"],
    ["2001:db8::1-2001:DB8::ff", "2001:db8::1-2001:db8::ff"],
    [`::-${MAX6}`, `::-${MAX6}`],
  ];
  for (const [input, expected] of good) {
    test(`accepts ${JSON.stringify(input)}`, () => {
      const p = parseRange(input);
      assert.deepEqual(p.ok ? text(p.value) : p.error, expected);
    });
  }
  const bad: [string, string, number, ("invalid" | "ambiguous")?][] = [
    ["1.2.3.4", "missing '-' between the range ends", 7],
    ["-1.2.3.4", "missing range start before '-'", 0],
    ["1.2.3.4-", "missing range end after '-'", 8],
    ["1.2.3.4 - ", "missing range end after '-'", 10],
    ["1.2.3.10-1.2.3.4", "range start is after its end", 9],
    ["1.2.3.4-::1", "range ends are of different address families", 8],
    ["1.2.3.4-5", 'expected 4 octets, found 1 (shorthand like "10.1" is not allowed)', 9, "ambiguous"],
    ["1.2.3.4-1.2.3.04", "leading zero is ambiguous (octal?)", 14, "ambiguous"],
    ["1.2.3-1.2.3.4", 'expected 4 octets, found 3 (shorthand like "10.1" is not allowed)', 5, "ambiguous"],
    ["1.2.3.4-1.2.3.5-1.2.3.6", 'unexpected character "-"', 15],
    ["1.2.3.0/24-1.2.4.0", 'unexpected character "/"', 7],
    [" 1.2.3.4-1.2.3.5", "unexpected whitespace (the caller should trim)", 0],
  ];
  for (const [input, message, position, code] of bad) {
    test(`rejects ${JSON.stringify(input)}`, () =>
      assert.deepEqual(parseRange(input), err(input, message, position, code)));
  }
});

describe("parseTrailingWildcard", () => {
  const good: [string, string][] = [
    ["13.232.152.*", "13.232.152.0-13.232.152.255"],
    ["13.232.*.*", "13.232.0.0-13.232.255.255"],
    ["13.*.*.*", "13.0.0.0-13.255.255.255"],
    ["*.*.*.*", "0.0.0.0-255.255.255.255"],
    ["255.255.255.*", "255.255.255.0-255.255.255.255"],
  ];
  for (const [input, expected] of good) {
    test(`accepts ${input}`, () => {
      const p = parseTrailingWildcard(input);
      assert.deepEqual(p.ok ? text(p.value) : p.error, expected);
    });
  }
  const bad: [string, string, number, ("invalid" | "ambiguous")?][] = [
    ["*", "a lone '*' is ambiguous (any IPv4? any IPv6?); write 0.0.0.0/0", 0, "ambiguous"],
    ["13.*", "expected 4 parts, found 2 (a short wildcard is ambiguous)", 4, "ambiguous"],
    ["13.232.*", "expected 4 parts, found 3 (a short wildcard is ambiguous)", 8, "ambiguous"],
    ["1.*.3.4", "a wildcard '*' may only be followed by more '*' parts", 4],
    ["1.2.*.4", "a wildcard '*' may only be followed by more '*' parts", 6],
    ["1.2.3.4", "no '*' wildcard part", 0],
    ["1.2.3.4*", "'*' must be a whole part", 7],
    ["1.2.3.**", "'*' must be a whole part", 6],
    ["1.2.3.*.*", "too many parts (an IPv4 address has exactly 4)", 7],
    ["01.2.3.*", "leading zero is ambiguous (octal?)", 0, "ambiguous"],
    ["256.2.3.*", "octet is greater than 255", 0],
    ["1..3.*", "empty octet", 2],
    ["1.2.3.*/24", "'*' must be a whole part", 6],
    ["a.b.c.*", 'unexpected character "a"', 0],
    ["2001:db8::*", "'*' wildcards are accepted for IPv4 only", 4],
  ];
  for (const [input, message, position, code] of bad) {
    test(`rejects ${JSON.stringify(input)}`, () =>
      assert.deepEqual(parseTrailingWildcard(input), err(input, message, position, code)));
  }
});

describe("range predicates", () => {
  const outer = r("10.0.0.0", "10.0.0.255");
  test("rangeContains", () => {
    assert.deepEqual(
      ["10.0.0.0", "10.0.0.255", "9.255.255.255", "10.0.1.0", "::a00:0"].map((t) => rangeContains(outer, a(t))),
      [true, true, false, false, false],
    );
  });
  test("rangeContainsRange", () => {
    const inners = [
      r("10.0.0.0", "10.0.0.255"),
      r("10.0.0.5", "10.0.0.6"),
      r("9.0.0.0", "10.0.0.1"),
      r("::a00:0", "::a00:1"),
    ];
    assert.deepEqual(
      inners.map((i) => rangeContainsRange(outer, i)),
      [true, true, false, false],
    );
  });
  test("rangesOverlap", () => {
    const others = [
      r("10.0.0.255", "10.0.1.0"),
      r("10.0.1.0", "10.0.1.1"),
      r("0.0.0.0", "10.0.0.0"),
      r("::", MAX6),
      r("10.0.0.3", "10.0.0.3"),
    ];
    assert.deepEqual(
      others.map((o) => rangesOverlap(outer, o)),
      [true, false, true, false, true],
    );
  });
  test("rangeSize", () => {
    assert.deepEqual([outer, r("0.0.0.0", "255.255.255.255"), r("::", MAX6), r("::1", "::1")].map(rangeSize), [
      256n,
      1n << 32n,
      1n << 128n,
      1n,
    ]);
  });
  test("compareRange orders by first, then last, IPv4 first", () => {
    const sorted = [
      r("::", "::1"),
      r("10.0.0.0", "10.0.0.9"),
      r("10.0.0.0", "10.0.0.1"),
      r("9.0.0.0", "11.0.0.0"),
    ].sort(compareRange);
    assert.deepEqual(sorted.map(text), ["9.0.0.0-11.0.0.0", "10.0.0.0-10.0.0.1", "10.0.0.0-10.0.0.9", "::-::1"]);
  });
  test("rangeEquals", () => {
    assert.deepEqual(
      [
        rangeEquals(outer, r("10.0.0.0", "10.0.0.255")),
        rangeEquals(outer, r("10.0.0.0", "10.0.0.254")),
        rangeEquals(r("0.0.0.1", "0.0.0.1"), r("::1", "::1")),
      ],
      [true, false, false],
    );
  });
});

describe("rangeToPrefixes, rangeAsPrefix, formatRange", () => {
  const cases: [Range, string[]][] = [
    [r("44.206.73.232", "44.206.73.239"), ["44.206.73.232/29"]],
    [r("1.2.3.4", "1.2.3.9"), ["1.2.3.4/30", "1.2.3.8/31"]],
    [r("0.0.0.0", "255.255.255.255"), ["0.0.0.0/0"]],
    [
      r("0.0.0.1", "255.255.255.254"),
      [
        "0.0.0.1/32",
        "0.0.0.2/31",
        "0.0.0.4/30",
        "0.0.0.8/29",
        "0.0.0.16/28",
        "0.0.0.32/27",
        "0.0.0.64/26",
        "0.0.0.128/25",
        "0.0.1.0/24",
        "0.0.2.0/23",
        "0.0.4.0/22",
        "0.0.8.0/21",
        "0.0.16.0/20",
        "0.0.32.0/19",
        "0.0.64.0/18",
        "0.0.128.0/17",
        "0.1.0.0/16",
        "0.2.0.0/15",
        "0.4.0.0/14",
        "0.8.0.0/13",
        "0.16.0.0/12",
        "0.32.0.0/11",
        "0.64.0.0/10",
        "0.128.0.0/9",
        "1.0.0.0/8",
        "2.0.0.0/7",
        "4.0.0.0/6",
        "8.0.0.0/5",
        "16.0.0.0/4",
        "32.0.0.0/3",
        "64.0.0.0/2",
        "128.0.0.0/2",
        "192.0.0.0/3",
        "224.0.0.0/4",
        "240.0.0.0/5",
        "248.0.0.0/6",
        "252.0.0.0/7",
        "254.0.0.0/8",
        "255.0.0.0/9",
        "255.128.0.0/10",
        "255.192.0.0/11",
        "255.224.0.0/12",
        "255.240.0.0/13",
        "255.248.0.0/14",
        "255.252.0.0/15",
        "255.254.0.0/16",
        "255.255.0.0/17",
        "255.255.128.0/18",
        "255.255.192.0/19",
        "255.255.224.0/20",
        "255.255.240.0/21",
        "255.255.248.0/22",
        "255.255.252.0/23",
        "255.255.254.0/24",
        "255.255.255.0/25",
        "255.255.255.128/26",
        "255.255.255.192/27",
        "255.255.255.224/28",
        "255.255.255.240/29",
        "255.255.255.248/30",
        "255.255.255.252/31",
        "255.255.255.254/32",
      ],
    ],
    [r("255.255.255.255", "255.255.255.255"), ["255.255.255.255/32"]],
    [r("::", MAX6), ["::/0"]],
    [r(MAX6, MAX6), [`${MAX6}/128`]],
    [r("2001:db8::1", "2001:db8::6"), ["2001:db8::1/128", "2001:db8::2/127", "2001:db8::4/127", "2001:db8::6/128"]],
    [r("8000::", MAX6), ["8000::/1"]],
  ];
  for (const [range, expected] of cases) {
    test(text(range), () => assert.deepEqual(rangeToPrefixes(range).map(formatPrefix), expected));
  }

  test("the full IPv6 range minus its ends needs 254 prefixes", () => {
    assert.equal(rangeToPrefixes(r("::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")).length, 254);
  });

  test("rangeAsPrefix only for exact prefixes", () => {
    assert.deepEqual(
      [
        r("10.0.0.0", "10.0.0.255"),
        r("10.0.0.0", "10.0.0.254"),
        r("10.0.0.1", "10.0.0.2"),
        r("1.2.3.4", "1.2.3.4"),
        r("::", MAX6),
        r("0.0.0.0", "255.255.255.255"),
      ].map((x) => {
        const p = rangeAsPrefix(x);
        return p === undefined ? undefined : formatPrefix(p);
      }),
      ["10.0.0.0/24", undefined, undefined, "1.2.3.4/32", "::/0", "0.0.0.0/0"],
    );
  });

  test("formatRange picks the shortest exact form", () => {
    assert.deepEqual(
      [
        r("1.2.3.4", "1.2.3.4"),
        r("1.2.3.0", "1.2.3.255"),
        r("1.2.3.1", "1.2.3.255"),
        r("::1", "::1"),
        r("2001:db8::", "2001:db8::ffff"),
        r("::ffff:1.2.3.5", "::ffff:1.2.3.6"),
        r("::ffff:1.2.3.4", "::ffff:1.2.3.5"),
      ].map(formatRange),
      [
        "1.2.3.4",
        "1.2.3.0/24",
        "1.2.3.1-1.2.3.255",
        "::1",
        "2001:db8::/112",
        "::ffff:1.2.3.5-::ffff:1.2.3.6",
        "::ffff:1.2.3.4/127",
      ],
    );
  });
});
