/**
 * Oracle test: our parsing, formatting, range splitting and aggregation against Python's `ipaddress`, on ~2000
 * inputs generated from a fixed seed, in one python3 subprocess (JSON in, JSON out).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { addressBits, formatAddress, maxValue, newAddress, parseAddress } from "./address";
import { aggregate } from "./aggregate";
import { netmaskFromBits, wildcardFromBits } from "./mask";
import { formatPrefix, maskPrefix, newPrefix, parsePrefix } from "./prefix";
import { newRange, rangeToPrefixes } from "./range";
import type { Address, Family, Prefix } from "./types";

const PYTHON = `
import ipaddress, json, sys
def canon(a):
    # Python < 3.13 prints IPv4-mapped addresses in hex; RFC 5952 section 5 (and we) use mixed notation.
    if a.version == 6 and a.ipv4_mapped is not None:
        return "::ffff:" + str(a.ipv4_mapped)
    return str(a)
def net(n):
    return canon(n.network_address) + "/" + str(n.prefixlen)
req = json.load(sys.stdin)
out = {"addresses": [], "prefixes": [], "ranges": [], "collapse": []}
for t in req["addresses"]:
    a = ipaddress.ip_address(t)
    out["addresses"].append([str(int(a)), canon(a)])
for t in req["prefixes"]:
    n = ipaddress.ip_network(t, strict=False)
    i = ipaddress.ip_interface(t)
    out["prefixes"].append([net(n), canon(i.ip) + "/" + str(i.network.prefixlen), str(n.netmask), str(n.hostmask)])
for first, last in req["ranges"]:
    out["ranges"].append([net(n) for n in ipaddress.summarize_address_range(ipaddress.ip_address(first), ipaddress.ip_address(last))])
for group in req["collapse"]:
    nets = [ipaddress.ip_network(t, strict=False) for t in group]
    res = []
    for v in (4, 6):
        res += [net(n) for n in ipaddress.collapse_addresses([n for n in nets if n.version == v])]
    out["collapse"].append(res)
json.dump(out, sys.stdout)
`;

const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
const hasPython = python.error === undefined && python.status === 0;

/** Deterministic xorshift32. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const next = rng(0x5eed1234);
const pick = (n: number) => next() % n;

function randomValue(f: Family): bigint {
  if (f === 4) return BigInt(next());
  switch (pick(4)) {
    case 0: // mapped
      return (0xffffn << 32n) | BigInt(next());
    case 1: {
      // zero-heavy, so "::" placement and ties are exercised
      let v = 0n;
      for (let g = 0; g < 8; g++) v = (v << 16n) | BigInt(pick(3) === 0 ? next() & 0xffff : 0);
      return v;
    }
    default: {
      let v = 0n;
      for (let w = 0; w < 4; w++) v = (v << 32n) | BigInt(next());
      return v;
    }
  }
}

const randomFamily = (): Family => (pick(2) === 0 ? 4 : 6);
const randomAddress = (f: Family = randomFamily()): Address => newAddress(f, randomValue(f));

/** A non-canonical but valid spelling: full, zero-padded or upper-case IPv6. */
function spell(a: Address): string {
  if (a.family === 4 || pick(2) === 0) return formatAddress(a);
  const groups = Array.from({ length: 8 }, (_, g) => Number((a.value >> BigInt(112 - 16 * g)) & 0xffffn).toString(16));
  const text = groups.map((g) => (pick(2) === 0 ? g.padStart(4, "0") : g)).join(":");
  return pick(2) === 0 ? text.toUpperCase() : text;
}

const addresses = Array.from({ length: 700 }, () => randomAddress());
const prefixes = Array.from({ length: 600 }, () => {
  const a = randomAddress();
  return newPrefix(a, pick(addressBits(a.family) + 1));
});
const ranges = Array.from({ length: 500 }, () => {
  const f = randomFamily();
  const first = randomValue(f);
  const span = pick(2) === 0 ? BigInt(pick(5000)) : randomValue(f);
  const last = first + span > maxValue(f) ? maxValue(f) : first + span;
  return newRange(newAddress(f, first), newAddress(f, last));
});
/** Groups of prefixes near one base, so that many of them overlap, touch or complete a parent. */
const groups: Prefix[][] = Array.from({ length: 200 }, () => {
  const bases = [randomAddress(4), randomAddress(6)];
  return Array.from({ length: 2 + pick(14) }, () => {
    const base = bases[pick(2)] as Address;
    const width = addressBits(base.family);
    const value = (base.value & ~0xfffn) | BigInt(pick(4096));
    return newPrefix(newAddress(base.family, value), width - pick(9));
  });
});

test(
  "matches Python's ipaddress on ~2000 seeded inputs",
  { skip: hasPython ? false : "python3 is not installed" },
  () => {
    const request = {
      addresses: addresses.map(spell),
      prefixes: prefixes.map(formatPrefix),
      ranges: ranges.map((r) => [formatAddress(r.first), formatAddress(r.last)]),
      collapse: groups.map((g) => g.map(formatPrefix)),
    };
    const run = spawnSync("python3", ["-c", PYTHON], {
      input: JSON.stringify(request),
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
    assert.equal(run.status, 0, run.stderr);
    const expected = JSON.parse(run.stdout) as {
      addresses: [string, string][];
      prefixes: [string, string, string, string][];
      ranges: string[][];
      collapse: string[][];
    };

    const ours = {
      addresses: request.addresses.map((t) => {
        const r = parseAddress(t);
        return r.ok ? [r.value.value.toString(), formatAddress(r.value)] : [t, r.error.message];
      }),
      prefixes: request.prefixes.map((t) => {
        const r = parsePrefix(t);
        if (!r.ok) return [t, r.error.message, "", ""];
        const p = r.value;
        return [
          formatPrefix(maskPrefix(p)),
          formatPrefix(p),
          netmaskFromBits(p.bits, p.address.family),
          wildcardFromBits(p.bits, p.address.family),
        ];
      }),
      ranges: ranges.map((r) => rangeToPrefixes(r).map(formatPrefix)),
      collapse: groups.map((g) => aggregate(g).map(formatPrefix)),
    };
    assert.equal(
      request.addresses.length + request.prefixes.length + request.ranges.length + request.collapse.length,
      2000,
    );
    assert.deepEqual(ours, expected);
  },
);
