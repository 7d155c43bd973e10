import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  addressBits,
  addressEquals,
  compareAddress,
  formatAddress,
  isIPv4Mapped,
  makeAddress,
  maxValue,
  mustParseAddress,
  parseAddress,
  parseIPv4,
  parseIPv6,
  unmap,
} from "./address";

const v4 = (value: bigint) => ({ family: 4, value });
const v6 = (value: bigint) => ({ family: 6, value });
const err = (input: string, message: string, position: number, code: "invalid" | "ambiguous" = "invalid") => ({
  ok: false,
  error: { input, message, position, code },
});
const ok = (value: unknown) => ({ ok: true, value });
const MAX6 = (1n << 128n) - 1n;

describe("parseIPv4", () => {
  const good: [string, bigint][] = [
    ["0.0.0.0", 0n],
    ["255.255.255.255", 0xffffffffn],
    ["1.2.3.4", 0x01020304n],
    ["10.0.0.1", 0x0a000001n],
    ["192.168.100.200", 0xc0a864c8n],
    ["44.206.73.232", 0x2cce49e8n],
    ["100.0.10.0", 0x64000a00n],
  ];
  for (const [text, value] of good) {
    test(`accepts ${text}`, () => {
      assert.deepEqual(parseIPv4(text), ok(v4(value)));
      assert.deepEqual(parseAddress(text), ok(v4(value)));
    });
  }

  const bad: [string, string, number, ("invalid" | "ambiguous")?][] = [
    ["", "empty address", 0],
    ["052.1.1.1", "leading zero is ambiguous (octal?)", 0, "ambiguous"],
    ["1.2.03.4", "leading zero is ambiguous (octal?)", 4, "ambiguous"],
    ["1.2.3.00", "leading zero is ambiguous (octal?)", 6, "ambiguous"],
    ["10.1", 'expected 4 octets, found 2 (shorthand like "10.1" is not allowed)', 4, "ambiguous"],
    ["10", 'expected 4 octets, found 1 (shorthand like "10.1" is not allowed)', 2, "ambiguous"],
    ["10.1.2", 'expected 4 octets, found 3 (shorthand like "10.1" is not allowed)', 6, "ambiguous"],
    ["1.2.3.4.5", "too many octets (an IPv4 address has exactly 4)", 7],
    ["256.1.1.1", "octet is greater than 255", 0],
    ["1.2.3.1000", "octet is greater than 255", 6],
    ["0x0a.1.1.1", "hexadecimal octets are not allowed", 0, "ambiguous"],
    ["1.2.3.", "empty octet", 6],
    ["1..3.4", "empty octet", 2],
    [".1.2.3", "empty octet", 0],
    ["1.2.3.4 ", "unexpected whitespace (the caller should trim)", 7],
    [" 1.2.3.4", "unexpected whitespace (the caller should trim)", 0],
    ["1.2.3.a", 'unexpected character "a"', 6],
    ["1.2.3.4/24", 'unexpected character "/"', 7],
    ["-1.2.3.4", 'unexpected character "-"', 0],
    ["１.2.3.4", 'unexpected character "１"', 0],
  ];
  for (const [text, message, position, code] of bad) {
    test(`rejects ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseIPv4(text), err(text, message, position, code));
      assert.deepEqual(parseAddress(text), err(text, message, position, code));
    });
  }

  test("result is frozen", () => {
    const r = parseIPv4("1.2.3.4");
    assert.equal(r.ok && Object.isFrozen(r.value), true);
  });
});

describe("parseIPv6", () => {
  const good: [string, bigint][] = [
    ["::", 0n],
    ["::1", 1n],
    ["1::", 1n << 112n],
    ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", MAX6],
    ["FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF", MAX6],
    ["2001:db8::1", 0x20010db8000000000000000000000001n],
    ["2001:DB8::1", 0x20010db8000000000000000000000001n],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", 0x20010db8000000000000000000000001n],
    ["2001:db8:0:0:1:0:0:1", 0x20010db8000000000001000000000001n],
    ["1:2:3:4:5:6:7:8", 0x00010002000300040005000600070008n],
    ["1:2:3:4:5:6:7::", 0x00010002000300040005000600070000n],
    ["::2:3:4:5:6:7:8", 0x00000002000300040005000600070008n],
    ["1::8", 0x00010000000000000000000000000008n],
    ["::ffff:1.2.3.4", 0xffff01020304n],
    ["::FFFF:1.2.3.4", 0xffff01020304n],
    ["64:ff9b::1.2.3.4", 0x0064ff9b000000000000000001020304n],
    ["::1.2.3.4", 0x01020304n],
    ["1:2:3:4:5:6:1.2.3.4", 0x00010002000300040005000601020304n],
    ["0:0:0:0:0:ffff:255.255.255.255", 0xffffffffffffn],
    ["fe80::", 0xfe800000000000000000000000000000n],
  ];
  for (const [text, value] of good) {
    test(`accepts ${text}`, () => {
      assert.deepEqual(parseIPv6(text), ok(v6(value)));
      assert.deepEqual(parseAddress(text), ok(v6(value)));
    });
  }

  const bad: [string, string, number, ("invalid" | "ambiguous")?][] = [
    ["fe80::1%eth0", 'zone id "%eth0" is not allowed (only a plain address)', 7],
    ["fe80::1%25eth0", 'zone id "%25eth0" is not allowed (only a plain address)', 7],
    [":::", "':::' is not valid", 0],
    ["1:::2", "':::' is not valid", 1],
    ["1::2::3", "'::' may appear only once", 4],
    ["::1::", "'::' may appear only once", 3],
    ["12345::", "a group has more than 4 hex digits", 0],
    ["1:00000::", "a group has more than 4 hex digits", 2],
    ["1:2:3:4:5:6:7", "expected 8 groups, found 7", 13],
    ["1:2:3:4:5:6:7:8:9", "too many groups (an IPv6 address has 8)", 16],
    ["1:2:3:4:5:6:7:8::", "'::' must stand for at least one group, but 8 groups are already written", 15],
    ["::1:2:3:4:5:6:7:8", "'::' must stand for at least one group, but 8 groups are already written", 0],
    ["[::1]", "brackets are not allowed around an address", 0],
    [":1::", "an address cannot start with a single ':'", 0],
    ["1::2:", "an address cannot end with a single ':'", 4],
    ["1:2:3:4:5:6:7:1.2.3.4", "too many groups before the embedded IPv4 address", 14],
    ["::1.2.3.4:5", 'unexpected character ":"', 9],
    ["::ffff:1.2.3", 'expected 4 octets, found 3 (shorthand like "10.1" is not allowed)', 12, "ambiguous"],
    ["::ffff:01.2.3.4", "leading zero is ambiguous (octal?)", 7, "ambiguous"],
    ["::g", 'unexpected character "g"', 2],
    ["1:2:3:4:5:6::1.2.3.4", "'::' must stand for at least one group, but 8 groups are already written", 11],
    [":: ", "unexpected whitespace (the caller should trim)", 2],
  ];
  for (const [text, message, position, code] of bad) {
    test(`rejects ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseIPv6(text), err(text, message, position, code));
      assert.deepEqual(parseAddress(text), err(text, message, position, code));
    });
  }

  test("parseIPv6 refuses IPv4 text and parseIPv4 refuses IPv6 text", () => {
    assert.deepEqual(parseIPv6("1.2.3.4"), err("1.2.3.4", "not an IPv6 address (no ':')", 0));
    assert.deepEqual(parseIPv4("::1"), err("::1", 'unexpected character ":"', 0));
    assert.deepEqual(parseIPv6(""), err("", "empty address", 0));
  });
});

describe("formatAddress", () => {
  const cases: [string, string][] = [
    ["0.0.0.0", "0.0.0.0"],
    ["255.255.255.255", "255.255.255.255"],
    ["::", "::"],
    ["::1", "::1"],
    ["1::", "1::"],
    ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
    // RFC 5952 section 4.1: leading zeros suppressed.
    ["2001:0db8::0001", "2001:db8::1"],
    // 4.2.1: "::" as long as possible.
    ["2001:db8:0:0:0:0:2:1", "2001:db8::2:1"],
    // 4.2.2: never "::" for a single zero group.
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    // 4.2.3: the longest run, then the first of equal runs.
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    // 4.3: lower case.
    ["2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:FFFF", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff"],
    // RFC 5952 section 2 variants of one address.
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:0db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8::1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8::0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:0db8::1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8:0:0:1::1", "2001:db8::1:0:0:1"],
    ["2001:db8:0000:0:1::1", "2001:db8::1:0:0:1"],
    ["2001:DB8:0:0:1::1", "2001:db8::1:0:0:1"],
    // Section 5: IPv4-mapped in mixed notation; other embeddings in hex.
    ["::ffff:1.2.3.4", "::ffff:1.2.3.4"],
    ["0:0:0:0:0:ffff:0102:0304", "::ffff:1.2.3.4"],
    ["::ffff:0.0.0.0", "::ffff:0.0.0.0"],
    ["64:ff9b::1.2.3.4", "64:ff9b::102:304"],
    ["::1.2.3.4", "::102:304"],
    ["1:0:0:0:0:0:0:0", "1::"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"],
    ["0:1:0:0:1:0:0:0", "0:1:0:0:1::"],
    ["0:0:1:0:0:0:0:1", "0:0:1::1"],
    ["fe80:0:0:0:0:0:0:1", "fe80::1"],
  ];
  for (const [input, expected] of cases) {
    test(`${input} → ${expected}`, () => {
      assert.equal(formatAddress(mustParseAddress(input)), expected);
    });
  }
});

describe("compare, equality, unmap", () => {
  test("all IPv4 before all IPv6, then by value", () => {
    const texts = ["::", "255.255.255.255", "0.0.0.0", "::ffff:0.0.0.1", "10.0.0.1", "::1", "9.255.255.255"];
    const sorted = texts.map(mustParseAddress).sort(compareAddress).map(formatAddress);
    assert.deepEqual(sorted, [
      "0.0.0.0",
      "9.255.255.255",
      "10.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "::ffff:0.0.0.1",
    ]);
    assert.equal(compareAddress(mustParseAddress("1.2.3.4"), mustParseAddress("1.2.3.4")), 0);
  });

  test("addressEquals compares family and value", () => {
    assert.equal(addressEquals(mustParseAddress("::1"), mustParseAddress("0:0::1")), true);
    assert.equal(addressEquals(mustParseAddress("0.0.0.1"), mustParseAddress("::1")), false);
    assert.equal(addressEquals(mustParseAddress("0.0.0.1"), mustParseAddress("0.0.0.2")), false);
  });

  test("unmap turns only ::ffff:a.b.c.d into IPv4", () => {
    assert.deepEqual(unmap(mustParseAddress("::ffff:1.2.3.4")), v4(0x01020304n));
    assert.deepEqual(unmap(mustParseAddress("::ffff:255.255.255.255")), v4(0xffffffffn));
    assert.deepEqual(unmap(mustParseAddress("::1.2.3.4")), v6(0x01020304n));
    assert.deepEqual(unmap(mustParseAddress("64:ff9b::1.2.3.4")), v6(0x0064ff9b000000000000000001020304n));
    assert.deepEqual(unmap(mustParseAddress("1.2.3.4")), v4(0x01020304n));
    assert.deepEqual(
      ["::ffff:1.2.3.4", "::fffe:1.2.3.4", "1::ffff:1.2.3.4", "1.2.3.4"].map((t) => isIPv4Mapped(mustParseAddress(t))),
      [true, false, false, false],
    );
  });

  test("family constants", () => {
    assert.deepEqual([maxValue(4), maxValue(6), addressBits(4), addressBits(6)], [0xffffffffn, MAX6, 32, 128]);
  });

  test("makeAddress validates and freezes", () => {
    const a = makeAddress(6, MAX6);
    assert.deepEqual([a, Object.isFrozen(a)], [v6(MAX6), true]);
    assert.throws(() => makeAddress(4, 1n << 32n), RangeError);
    assert.throws(() => makeAddress(6, -1n), RangeError);
    assert.throws(() => makeAddress(5 as 4, 0n), RangeError);
  });

  test("mustParseAddress throws with the reason", () => {
    assert.throws(() => mustParseAddress("1.2.3"), {
      message: 'invalid address "1.2.3": expected 4 octets, found 3 (shorthand like "10.1" is not allowed) at 5',
    });
  });
});
