import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatAddress, mustParseAddress } from "./address";
import { formatPrefix, mustParsePrefix } from "./prefix";
import { formatRange } from "./range";
import { IPSet, IPSetBuilder, type IPSetItem } from "./set";
import type { Range } from "./types";

const a = mustParseAddress;
const p = mustParsePrefix;
const r = (first: string, last: string): Range => ({ first: a(first), last: a(last) });
const ranges = (s: IPSet) => s.ranges.map((x) => `${formatAddress(x.first)}-${formatAddress(x.last)}`);
/** Items written as text: "a-b" range, "a/n" prefix, else address. */
const item = (t: string): IPSetItem => {
  const dash = t.indexOf("-");
  if (dash >= 0) return r(t.slice(0, dash), t.slice(dash + 1));
  return t.includes("/") ? p(t) : a(t);
};
const set = (...texts: string[]) => IPSet.of(...texts.map(item));
const MAX6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";

describe("IPSetBuilder", () => {
  test("sorts, merges overlapping and adjacent ranges, IPv4 before IPv6", () => {
    const s = new IPSetBuilder()
      .add(a("::1"))
      .add(p("10.0.0.0/24"))
      .add(a("10.0.1.0"))
      .add(r("10.0.0.128", "10.0.0.200"))
      .add(a("9.255.255.255"))
      .add(a("1.1.1.1"))
      .add(a("::2"))
      .add(a("::4"))
      .build();
    assert.deepEqual(ranges(s), ["1.1.1.1-1.1.1.1", "9.255.255.255-10.0.1.0", "::1-::2", "::4-::4"]);
  });

  test("host bits in an added prefix cover the masked network", () => {
    assert.deepEqual(ranges(IPSet.of(p("18.208.240.77/30"))), ["18.208.240.76-18.208.240.79"]);
  });

  test("adds and removes apply in call order", () => {
    const b = new IPSetBuilder();
    b.add(p("10.0.0.0/8")).remove(p("10.1.0.0/16")).add(a("10.1.2.3")).remove(a("10.0.0.0"));
    assert.deepEqual(ranges(b.build()), ["10.0.0.1-10.0.255.255", "10.1.2.3-10.1.2.3", "10.2.0.0-10.255.255.255"]);
    const c = new IPSetBuilder().remove(p("0.0.0.0/0")).add(a("1.2.3.4")).build();
    assert.deepEqual(ranges(c), ["1.2.3.4-1.2.3.4"]);
    const d = new IPSetBuilder().add(a("1.2.3.4")).remove(p("0.0.0.0/0")).build();
    assert.deepEqual(ranges(d), []);
  });

  test("IPv4 255.255.255.255 and IPv6 :: never merge", () => {
    assert.deepEqual(ranges(set("255.255.255.255", "::")), ["255.255.255.255-255.255.255.255", "::-::"]);
  });

  test("build() can be called again; later adds do not change earlier sets", () => {
    const b = new IPSetBuilder().add(a("1.1.1.1"));
    const first = b.build();
    b.add(a("1.1.1.2"));
    assert.deepEqual([ranges(first), ranges(b.build())], [["1.1.1.1-1.1.1.1"], ["1.1.1.1-1.1.1.2"]]);
  });

  test("addSet and removeSet", () => {
    const s = new IPSetBuilder().addSet(set("1.0.0.0/8", "::/127")).removeSet(set("1.2.0.0/16", "::")).build();
    assert.deepEqual(ranges(s), ["1.0.0.0-1.1.255.255", "1.3.0.0-1.255.255.255", "::1-::1"]);
  });
});

describe("IPSet queries", () => {
  const s = set("10.0.0.0/24", "10.0.2.0-10.0.2.9", "192.168.1.1", "2001:db8::/32");

  test("contains", () => {
    const probes = [
      "10.0.0.0",
      "10.0.0.255",
      "10.0.1.0",
      "10.0.2.9",
      "10.0.2.10",
      "9.9.9.9",
      "192.168.1.1",
      "2001:db8:ffff::1",
      "2001:db9::",
      "::a00:0",
    ];
    assert.deepEqual(
      probes.map((t) => s.contains(a(t))),
      [true, true, false, true, false, false, true, true, false, false],
    );
    assert.equal(IPSet.empty().contains(a("0.0.0.0")), false);
  });

  test("containsRange needs the whole range inside", () => {
    const probes = [
      r("10.0.0.5", "10.0.0.10"),
      r("10.0.0.5", "10.0.1.0"),
      r("10.0.2.0", "10.0.2.9"),
      r("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
      r("0.0.0.0", "255.255.255.255"),
      r("::a00:0", "::a00:1"),
    ];
    assert.deepEqual(
      probes.map((x) => s.containsRange(x)),
      [true, false, true, true, false, false],
    );
  });

  test("overlapsRange needs one shared address", () => {
    const probes = [
      r("9.0.0.0", "10.0.0.0"),
      r("10.0.1.0", "10.0.1.255"),
      r("10.0.1.0", "10.0.2.0"),
      r("192.168.1.2", "255.255.255.255"),
      r("::", MAX6),
      r("::", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"),
      r("::a00:0", "::a00:ff"),
    ];
    assert.deepEqual(
      probes.map((x) => s.overlapsRange(x)),
      [true, false, true, false, true, false, false],
    );
  });

  test("size, per family and total", () => {
    assert.deepEqual([s.size(), s.size(4), s.size(6)], [(1n << 96n) + 267n, 267n, 1n << 96n]);
    assert.deepEqual([set("0.0.0.0/0", "::/0").size(), IPSet.empty().size()], [(1n << 32n) + (1n << 128n), 0n]);
  });

  test("family, isEmpty, equals", () => {
    assert.deepEqual(ranges(s.family(6)), ["2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"]);
    assert.deepEqual(ranges(s.family(4)), ["10.0.0.0-10.0.0.255", "10.0.2.0-10.0.2.9", "192.168.1.1-192.168.1.1"]);
    assert.deepEqual([IPSet.empty().isEmpty(), s.isEmpty(), set("::1").family(4).isEmpty()], [true, false, true]);
    assert.equal(set("10.0.0.0/25", "10.0.0.128/25").equals(set("10.0.0.0-10.0.0.255")), true);
    assert.equal(set("10.0.0.0/25").equals(set("10.0.0.0/24")), false);
    assert.equal(set("0.0.0.1").equals(set("::1")), false);
  });

  test("ranges are frozen", () => {
    assert.equal(Object.isFrozen(s.ranges), true);
  });
});

describe("IPSet algebra", () => {
  const x = set("10.0.0.0-10.0.0.99", "10.0.1.0/24", "::1-::9");
  const y = set("10.0.0.50-10.0.1.10", "10.0.2.0", "::5-::20");

  test("union", () => {
    // 10.0.1.255 and 10.0.2.0 are adjacent, so they merge.
    assert.deepEqual(ranges(x.union(y)), ["10.0.0.0-10.0.2.0", "::1-::20"]);
    assert.deepEqual(ranges(set("1.0.0.0/25").union(set("1.0.0.128/25"))), ["1.0.0.0-1.0.0.255"]);
  });

  test("intersection", () => {
    assert.deepEqual(ranges(x.intersection(y)), ["10.0.0.50-10.0.0.99", "10.0.1.0-10.0.1.10", "::5-::9"]);
    assert.deepEqual(ranges(set("0.0.0.0/0").intersection(set("::/0"))), []);
  });

  test("difference", () => {
    assert.deepEqual(ranges(x.difference(y)), ["10.0.0.0-10.0.0.49", "10.0.1.11-10.0.1.255", "::1-::4"]);
    assert.deepEqual(ranges(y.difference(x)), ["10.0.0.100-10.0.0.255", "10.0.2.0-10.0.2.0", "::a-::20"]);
    assert.deepEqual(ranges(set("0.0.0.0/0").difference(set("::/0"))), ["0.0.0.0-255.255.255.255"]);
    assert.deepEqual(ranges(set("10.0.0.0/24").difference(set("10.0.0.1", "10.0.0.3", "10.0.0.255"))), [
      "10.0.0.0-10.0.0.0",
      "10.0.0.2-10.0.0.2",
      "10.0.0.4-10.0.0.254",
    ]);
    // One removal spanning several ranges of the left side.
    assert.deepEqual(ranges(set("1.0.0.1", "1.0.0.3", "1.0.0.5", "1.0.0.7").difference(set("1.0.0.2-1.0.0.6"))), [
      "1.0.0.1-1.0.0.1",
      "1.0.0.7-1.0.0.7",
    ]);
  });

  test("subset, overlaps, complement", () => {
    assert.deepEqual(
      [
        set("10.0.0.5").isSubsetOf(x),
        x.isSubsetOf(x.union(y)),
        x.isSubsetOf(y),
        x.overlaps(y),
        set("1.1.1.1").overlaps(x),
      ],
      [true, true, false, true, false],
    );
    assert.deepEqual(ranges(set("0.0.0.0", "255.255.255.255").complement(4)), ["0.0.0.1-255.255.255.254"]);
    assert.deepEqual(ranges(set("10.0.0.0/8").complement(6)), [`::-${MAX6}`]);
  });
});

describe("toPrefixes and fromRanges", () => {
  test("minimal CIDR cover, ascending", () => {
    const s = set(
      "44.206.73.232",
      "44.206.73.233",
      "44.206.73.234",
      "44.206.73.235",
      "44.206.73.236",
      "44.206.73.237",
      "44.206.73.238",
      "44.206.73.239",
      "2001:db8::/33",
      "2001:db8:8000::/33",
      "1.0.0.0-1.0.0.4",
    );
    assert.deepEqual(s.toPrefixes().map(formatPrefix), [
      "1.0.0.0/30",
      "1.0.0.4/32",
      "44.206.73.232/29",
      "2001:db8::/32",
    ]);
    assert.deepEqual(set("0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1").toPrefixes().map(formatPrefix), [
      "0.0.0.0/0",
      "::/0",
    ]);
    assert.deepEqual(IPSet.empty().toPrefixes(), []);
  });

  test("fromRanges accepts unsorted overlapping input", () => {
    const s = IPSet.fromRanges([r("10.0.0.5", "10.0.0.9"), r("10.0.0.0", "10.0.0.6"), r("::", "::")]);
    assert.deepEqual(s.ranges.map(formatRange), ["10.0.0.0-10.0.0.9", "::"]);
  });

  test("from takes any iterable of items, including very long ones", () => {
    const many = Array.from({ length: 200_000 }, (_, i) => ({ family: 4 as const, value: 0x0a000000n + BigInt(i) }));
    assert.deepEqual(ranges(IPSet.from(many)), ["10.0.0.0-10.3.13.63"]);
    assert.deepEqual(ranges(IPSet.from(new Set([a("::2"), a("::1")]))), ["::1-::2"]);
  });
});
