import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { addressBits, formatAddress, maxValue, newAddress, parseAddress } from "./address";
import { formatPrefix, hasHostBits, newPrefix, parsePrefix, parsePrefixOrAddress, prefixRange } from "./prefix";
import { formatRange, newRange, parseRange, rangeSize } from "./range";
import { IPSet, IPSetBuilder, type IPSetItem } from "./set";
import type { Address, Family, Prefix, Range } from "./types";

const RUNS = { numRuns: 300, seed: 20240601 };

// Items live in a 256-address window per family, so that they overlap often and every address can be enumerated.
const BASE: Record<Family, bigint> = { 4: 0x0a000000n, 6: 0x20010db8n << 96n };
const WINDOW = 256;

const family = fc.constantFrom<Family>(4, 6);
const windowAddress = fc
  .tuple(family, fc.integer({ min: 0, max: WINDOW - 1 }))
  .map(([f, o]) => newAddress(f, BASE[f] + BigInt(o)));
const windowRange = fc
  .tuple(family, fc.integer({ min: 0, max: WINDOW - 1 }), fc.integer({ min: 0, max: 40 }))
  .map(([f, lo, len]) =>
    newRange(newAddress(f, BASE[f] + BigInt(lo)), newAddress(f, BASE[f] + BigInt(Math.min(WINDOW - 1, lo + len)))),
  );
const windowPrefix = fc
  .tuple(family, fc.integer({ min: 0, max: WINDOW - 1 }), fc.integer({ min: 0, max: 8 }))
  .map(([f, o, host]) => newPrefix(newAddress(f, BASE[f] + BigInt(o)), addressBits(f) - host));
const item: fc.Arbitrary<IPSetItem> = fc.oneof(windowAddress, windowRange, windowPrefix);
const ipset = fc.array(item, { maxLength: 12 }).map((xs) => IPSet.of(...xs));
const v4set = fc
  .array(fc.oneof(windowAddress, windowRange, windowPrefix), { maxLength: 12 })
  .map((xs) => IPSet.of(...xs.filter((x) => familyOf(x) === 4)));

function familyOf(x: IPSetItem): Family {
  return "first" in x ? x.first.family : "bits" in x ? x.address.family : x.family;
}

function itemContains(x: IPSetItem, a: Address): boolean {
  const r: Range = "first" in x ? x : "bits" in x ? prefixRange(x) : { first: x, last: x };
  return r.first.family === a.family && r.first.value <= a.value && a.value <= r.last.value;
}

const everyWindowAddress: Address[] = ([4, 6] as const).flatMap((f) =>
  Array.from({ length: WINDOW }, (_, o) => newAddress(f, BASE[f] + BigInt(o))),
);
const universe = IPSet.of(
  ...everyWindowAddress.filter((a) => a.value === BASE[a.family]).map((a) => newPrefix(a, addressBits(a.family) - 8)),
);

/** The set's invariant: sorted with IPv4 first, no overlap, no adjacency, first <= last. */
function assertCanonical(s: IPSet): void {
  s.ranges.forEach((r, i) => {
    assert.equal(r.first.family, r.last.family);
    assert.ok(r.first.value <= r.last.value, "first <= last");
    const prev = s.ranges[i - 1];
    if (prev && prev.first.family === r.first.family) assert.ok(prev.last.value + 1n < r.first.value, "non-adjacent");
    if (prev) assert.ok(prev.first.family <= r.first.family, "IPv4 first");
  });
}

/** Reference cover, computed top-down (split any prefix that is partly inside): a different algorithm from ours. */
function referenceCover(s: IPSet): Prefix[] {
  const out: Prefix[] = [];
  const walk = (f: Family, value: bigint, bits: number) => {
    const host = BigInt(addressBits(f) - bits);
    const first = value;
    const last = value + (1n << host) - 1n;
    const r = newRange(newAddress(f, first), newAddress(f, last));
    if (s.containsRange(r)) out.push(newPrefix(newAddress(f, value), bits));
    else if (s.overlapsRange(r)) {
      walk(f, value, bits + 1);
      walk(f, value + (1n << (host - 1n)), bits + 1);
    }
  };
  walk(4, 0n, 0);
  walk(6, 0n, 0);
  return out;
}

describe("set algebra laws", () => {
  test("union and intersection are commutative", () => {
    fc.assert(
      fc.property(ipset, ipset, (a, b) => {
        assert.ok(a.union(b).equals(b.union(a)));
        assert.ok(a.intersection(b).equals(b.intersection(a)));
      }),
      RUNS,
    );
  });

  test("union and intersection are associative", () => {
    fc.assert(
      fc.property(ipset, ipset, ipset, (a, b, c) => {
        assert.ok(
          a
            .union(b)
            .union(c)
            .equals(a.union(b.union(c))),
        );
        assert.ok(
          a
            .intersection(b)
            .intersection(c)
            .equals(a.intersection(b.intersection(c))),
        );
      }),
      RUNS,
    );
  });

  test("De Morgan relative to a universe", () => {
    fc.assert(
      fc.property(ipset, ipset, (a, b) => {
        const not = (x: IPSet) => universe.difference(x);
        assert.ok(not(a.union(b)).equals(not(a).intersection(not(b))));
        assert.ok(not(a.intersection(b)).equals(not(a).union(not(b))));
      }),
      RUNS,
    );
  });

  test("A\\B ∩ B = ∅ and (A\\B) ∪ (A∩B) = A", () => {
    fc.assert(
      fc.property(ipset, ipset, (a, b) => {
        assert.equal(a.difference(b).intersection(b).isEmpty(), true);
        assert.ok(a.difference(b).union(a.intersection(b)).equals(a));
      }),
      RUNS,
    );
  });

  test("every operation agrees with address-by-address membership, and stays canonical", () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 10 }), fc.array(item, { maxLength: 10 }), (xs, ys) => {
        const a = IPSet.of(...xs);
        const b = IPSet.of(...ys);
        const u = a.union(b);
        const i = a.intersection(b);
        const d = a.difference(b);
        for (const s of [a, b, u, i, d]) assertCanonical(s);
        let count = 0n;
        for (const addr of everyWindowAddress) {
          const inA = xs.some((x) => itemContains(x, addr));
          const inB = ys.some((y) => itemContains(y, addr));
          if (inA) count++;
          assert.deepEqual(
            [a.contains(addr), u.contains(addr), i.contains(addr), d.contains(addr)],
            [inA, inA || inB, inA && inB, inA && !inB],
            formatAddress(addr),
          );
        }
        assert.equal(a.size(), count);
      }),
      RUNS,
    );
  });

  test("containsRange and overlapsRange agree with membership", () => {
    fc.assert(
      fc.property(ipset, windowRange, (s, r) => {
        const inside = everyWindowAddress.filter(
          (x) => x.family === r.first.family && x.value >= r.first.value && x.value <= r.last.value,
        );
        assert.equal(
          s.containsRange(r),
          inside.every((x) => s.contains(x)),
        );
        assert.equal(
          s.overlapsRange(r),
          inside.some((x) => s.contains(x)),
        );
      }),
      RUNS,
    );
  });

  test("builder applies adds and removes in call order", () => {
    const op = fc.tuple(fc.boolean(), item);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 16 }), (ops) => {
        const b = new IPSetBuilder();
        let model = IPSet.empty();
        for (const [add, x] of ops) {
          if (add) b.add(x);
          else b.remove(x);
          model = add ? model.union(IPSet.of(x)) : model.difference(IPSet.of(x));
        }
        const built = b.build();
        assertCanonical(built);
        assert.ok(built.equals(model));
      }),
      RUNS,
    );
  });

  test("IPv4 and IPv6 never mix: operations on IPv4 sets give IPv4 only", () => {
    fc.assert(
      fc.property(v4set, v4set, (a, b) => {
        for (const s of [a.union(b), a.intersection(b), a.difference(b), universe.family(4).difference(a)]) {
          assert.equal(s.size(6), 0n);
          assert.ok(s.ranges.every((r) => r.first.family === 4 && r.last.family === 4));
          assert.ok(s.toPrefixes().every((p) => p.address.family === 4));
        }
      }),
      RUNS,
    );
  });
});

describe("toPrefixes", () => {
  test("covers exactly the same addresses, masked, ascending, minimal", () => {
    fc.assert(
      fc.property(ipset, (s) => {
        const ps = s.toPrefixes();
        assert.ok(IPSet.of(...ps).equals(s), "same addresses");
        assert.equal(
          ps.reduce((n, p) => n + rangeSize(prefixRange(p)), 0n),
          s.size(),
          "no overlap",
        );
        assert.ok(
          ps.every((p) => !hasHostBits(p)),
          "masked",
        );
        // No two prefixes can merge: siblings under one parent would be mergeable.
        for (let k = 1; k < ps.length; k++) {
          const x = ps[k - 1] as Prefix;
          const y = ps[k] as Prefix;
          const sameParent =
            x.address.family === y.address.family &&
            x.bits === y.bits &&
            x.bits > 0 &&
            x.address.value >> BigInt(addressBits(x.address.family) - x.bits + 1) ===
              y.address.value >> BigInt(addressBits(y.address.family) - y.bits + 1);
          assert.equal(sameParent, false, `${formatPrefix(x)} and ${formatPrefix(y)} could merge`);
        }
        assert.deepEqual(ps.map(formatPrefix), referenceCover(s).map(formatPrefix));
      }),
      RUNS,
    );
  });

  test("agrees with the top-down reference over the whole address space", () => {
    const anyAddress = (f: Family) => fc.bigInt(0n, maxValue(f)).map((v) => newAddress(f, v));
    const anyRange = family.chain((f) =>
      fc.tuple(anyAddress(f), anyAddress(f)).map(([x, y]) => (x.value <= y.value ? newRange(x, y) : newRange(y, x))),
    );
    fc.assert(
      fc.property(fc.array(anyRange, { maxLength: 4 }), (rs) => {
        const s = IPSet.fromRanges(rs);
        assert.deepEqual(s.toPrefixes().map(formatPrefix), referenceCover(s).map(formatPrefix));
      }),
      { ...RUNS, numRuns: 100 },
    );
  });
});

describe("text round trips", () => {
  const anyAddress = family.chain((f) => fc.bigInt(0n, maxValue(f)).map((v) => newAddress(f, v)));
  // Mapped and zero-heavy IPv6 values exercise "::" placement and mixed notation.
  const sparseV6 = fc
    .array(fc.oneof(fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff })), {
      minLength: 8,
      maxLength: 8,
    })
    .map((gs) =>
      newAddress(
        6,
        gs.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n),
      ),
    );
  const mapped = fc.bigInt(0n, 0xffffffffn).map((v) => newAddress(6, (0xffffn << 32n) | v));
  const address = fc.oneof(anyAddress, sparseV6, mapped);

  test("formatAddress → parseAddress", () => {
    fc.assert(
      fc.property(address, (a) => {
        assert.deepEqual(parseAddress(formatAddress(a)), { ok: true, value: a });
      }),
      RUNS,
    );
  });

  test("any RFC 4291 spelling of an IPv6 address parses to the same value and formats canonically", () => {
    fc.assert(
      fc.property(sparseV6, fc.boolean(), fc.boolean(), (a, upper, padded) => {
        const groups = Array.from({ length: 8 }, (_, g) =>
          Number((a.value >> BigInt(112 - 16 * g)) & 0xffffn).toString(16),
        );
        let text = groups.map((g) => (padded ? g.padStart(4, "0") : g)).join(":");
        if (upper) text = text.toUpperCase();
        const parsed = parseAddress(text);
        assert.deepEqual(parsed, { ok: true, value: a });
        assert.equal(formatAddress(a), formatAddress(parsed.ok ? parsed.value : a));
      }),
      RUNS,
    );
  });

  test("formatPrefix → parsePrefix keeps host bits", () => {
    const prefix = address.chain((a) =>
      fc.integer({ min: 0, max: addressBits(a.family) }).map((bits) => newPrefix(a, bits)),
    );
    fc.assert(
      fc.property(prefix, (p) => {
        assert.deepEqual(parsePrefix(formatPrefix(p)), { ok: true, value: p });
      }),
      RUNS,
    );
  });

  test("formatRange → the matching parser gives the same range", () => {
    const range = family.chain((f) =>
      fc
        .tuple(fc.bigInt(0n, maxValue(f)), fc.oneof(fc.constant(0n), fc.bigInt(0n, 300n), fc.bigInt(0n, maxValue(f))))
        .map(([v, len]) => {
          const last = v + len > maxValue(f) ? maxValue(f) : v + len;
          return newRange(newAddress(f, v), newAddress(f, last));
        }),
    );
    fc.assert(
      fc.property(range, (r) => {
        const text = formatRange(r);
        const back = text.includes("-") ? parseRange(text) : parsePrefixOrAddress(text);
        assert.equal(back.ok, true, text);
        const got = back.ok ? ("bits" in back.value ? prefixRange(back.value) : back.value) : undefined;
        assert.deepEqual(got, r);
        assert.deepEqual(parseRange(`${formatAddress(r.first)} - ${formatAddress(r.last)}`), { ok: true, value: r });
      }),
      RUNS,
    );
  });

  test("parsers never throw, and errors point inside the input", () => {
    const alphabet = fc.constantFrom(..."0123456789abcdefABCDEF.:/-*%[] x".split(""));
    const text = fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 48 }));
    fc.assert(
      fc.property(text, (t) => {
        for (const parse of [parseAddress, parsePrefix, parseRange]) {
          const r = parse(t);
          if (!r.ok) {
            assert.equal(r.error.input, t);
            assert.ok(r.error.position >= 0 && r.error.position <= t.length, `${t} → ${r.error.position}`);
            assert.ok(r.error.message.length > 0);
          }
        }
      }),
      { ...RUNS, numRuns: 2000 },
    );
  });
});
