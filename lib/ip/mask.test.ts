import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { hostMaskValue, maskValue, netmaskFromBits, parseNetmask, parseWildcardMask, wildcardFromBits } from "./mask";

const err = (input: string, message: string, position: number, code: "invalid" | "ambiguous" = "invalid") => ({
  ok: false,
  error: { input, message, position, code },
});
const ok = (value: unknown) => ({ ok: true, value });

describe("parseNetmask", () => {
  const good: [string, number][] = [
    ["0.0.0.0", 0],
    ["128.0.0.0", 1],
    ["255.0.0.0", 8],
    ["255.255.240.0", 20],
    ["255.255.255.0", 24],
    ["255.255.255.254", 31],
    ["255.255.255.255", 32],
    ["::", 0],
    ["ffff:ffff::", 32],
    ["ffff:ffff:ffff:ffff::", 64],
    ["ffff:ffff:ffff:ff80::", 57],
    ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128],
  ];
  for (const [text, bits] of good) test(`${text} → ${bits}`, () => assert.deepEqual(parseNetmask(text), ok(bits)));

  test("rejects non-contiguous masks, pointing at the offending octet", () => {
    assert.deepEqual(
      parseNetmask("255.0.255.0"),
      err("255.0.255.0", "netmask is not contiguous (ones followed only by zeros)", 6),
    );
    assert.deepEqual(
      parseNetmask("255.255.255.1"),
      err("255.255.255.1", "netmask is not contiguous (ones followed only by zeros)", 12),
    );
    assert.deepEqual(
      parseNetmask("0.0.0.255"),
      err("0.0.0.255", "netmask is not contiguous (ones followed only by zeros)", 6),
    );
    assert.deepEqual(
      parseNetmask("ffff::ffff"),
      err("ffff::ffff", "netmask is not contiguous (ones followed only by zeros)", 0),
    );
  });

  test("passes address errors through", () => {
    assert.deepEqual(
      parseNetmask("255.255.255"),
      err("255.255.255", 'expected 4 octets, found 3 (shorthand like "10.1" is not allowed)', 11, "ambiguous"),
    );
    assert.deepEqual(parseNetmask("/24"), err("/24", 'unexpected character "/"', 0));
  });
});

describe("parseWildcardMask", () => {
  const good: [string, number][] = [
    ["0.0.0.0", 32],
    ["0.0.0.255", 24],
    ["0.0.15.255", 20],
    ["0.0.0.3", 30],
    ["255.255.255.255", 0],
    ["::ffff:ffff:ffff:ffff", 64],
  ];
  for (const [text, bits] of good) test(`${text} → ${bits}`, () => assert.deepEqual(parseWildcardMask(text), ok(bits)));

  test("rejects non-contiguous wildcards (valid in IOS, but not a prefix)", () => {
    assert.deepEqual(
      parseWildcardMask("0.255.0.255"),
      err("0.255.0.255", "wildcard mask is not contiguous (zeros followed only by ones)", 6),
    );
    assert.deepEqual(
      parseWildcardMask("255.255.255.0"),
      err("255.255.255.0", "wildcard mask is not contiguous (zeros followed only by ones)", 12),
    );
  });
});

describe("masks from bits", () => {
  test("IPv4 netmask and wildcard", () => {
    const bits = [0, 1, 8, 20, 24, 31, 32];
    assert.deepEqual(
      bits.map((b) => netmaskFromBits(b, 4)),
      ["0.0.0.0", "128.0.0.0", "255.0.0.0", "255.255.240.0", "255.255.255.0", "255.255.255.254", "255.255.255.255"],
    );
    assert.deepEqual(
      bits.map((b) => wildcardFromBits(b, 4)),
      ["255.255.255.255", "127.255.255.255", "0.255.255.255", "0.0.15.255", "0.0.0.255", "0.0.0.1", "0.0.0.0"],
    );
  });

  test("IPv6 masks print in plain hex (never mixed notation)", () => {
    assert.deepEqual(
      [0, 32, 33, 64, 128].map((b) => netmaskFromBits(b, 6)),
      ["::", "ffff:ffff::", "ffff:ffff:8000::", "ffff:ffff:ffff:ffff::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
    );
    assert.deepEqual(
      [0, 80, 96, 128].map((b) => wildcardFromBits(b, 6)),
      ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::ffff:ffff:ffff", "::ffff:ffff", "::"],
    );
  });

  test("every length round-trips through text", () => {
    for (let b = 0; b <= 32; b++) {
      assert.deepEqual(parseNetmask(netmaskFromBits(b, 4)), ok(b));
      assert.deepEqual(parseWildcardMask(wildcardFromBits(b, 4)), ok(b));
    }
    for (let b = 0; b <= 128; b++) {
      assert.deepEqual(parseNetmask(netmaskFromBits(b, 6)), ok(b));
      assert.deepEqual(parseWildcardMask(wildcardFromBits(b, 6)), ok(b));
    }
  });

  test("mask values and range checks", () => {
    assert.deepEqual(
      [maskValue(24, 4), hostMaskValue(24, 4), maskValue(0, 6), hostMaskValue(128, 6)],
      [0xffffff00n, 0xffn, 0n, 0n],
    );
    assert.throws(() => netmaskFromBits(33, 4), RangeError);
    assert.throws(() => wildcardFromBits(-1, 6), RangeError);
    assert.throws(() => maskValue(1.5, 4), RangeError);
  });
});
