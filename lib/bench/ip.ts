/* Benchmark, not a test: `npx tsx lib/bench/ip.ts`. Prints operations per second for the hot paths. */
import { formatAddress, newAddress, parseAddress, parseIPv4, parseIPv6 } from "../ip/address";
import { newPrefix } from "../ip/prefix";
import { IPSetBuilder } from "../ip/set";
import type { Prefix } from "../ip/types";

const N = 1_000_000;

/** Deterministic xorshift32 so runs are comparable. */
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

function measure(label: string, count: number, run: () => number): void {
  const t0 = performance.now();
  const checked = run();
  const ms = performance.now() - t0;
  const rate = Math.round((count / ms) * 1000);
  console.log(
    `${label.padEnd(34)} ${String(count).padStart(9)} in ${ms.toFixed(0).padStart(6)} ms = ${rate.toLocaleString("en-US").padStart(12)} ops/s (check ${checked})`,
  );
}

const next = rng(20240601);
const v4: string[] = [];
for (let i = 0; i < N; i++) {
  const v = next();
  v4.push(`${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`);
}
const v6: string[] = [];
for (let i = 0; i < N; i++) {
  const words = [next(), next(), next(), next()];
  // Zero some groups so compressed forms appear as in real lists.
  if (i % 2 === 0) words[1] = 0;
  if (i % 3 === 0) words[2] = 0;
  const value = words.reduce((acc, w) => (acc << 32n) | BigInt(w >>> 0), 0n);
  v6.push(formatAddress(newAddress(6, value)));
}

for (let round = 0; round < 2; round++) {
  measure("parseIPv4", N, () => {
    let ok = 0;
    for (const t of v4) if (parseIPv4(t).ok) ok++;
    return ok;
  });
  measure("parseAddress (IPv4 text)", N, () => {
    let ok = 0;
    for (const t of v4) if (parseAddress(t).ok) ok++;
    return ok;
  });
  measure("parseIPv6", N, () => {
    let ok = 0;
    for (const t of v6) if (parseIPv6(t).ok) ok++;
    return ok;
  });
}

const prefixes: Prefix[] = [];
for (let i = 0; i < N; i++) {
  const bits = 16 + (next() % 17);
  prefixes.push(newPrefix(newAddress(4, BigInt(next())), bits));
}
measure("IPSetBuilder: 1M IPv4 prefixes", N, () => {
  const b = new IPSetBuilder();
  for (const p of prefixes) b.add(p);
  return b.build().ranges.length;
});
const prefixes6: Prefix[] = [];
for (let i = 0; i < N; i++) {
  const hi = (BigInt(next()) << 32n) | BigInt(next());
  prefixes6.push(newPrefix(newAddress(6, hi << 64n), 32 + (next() % 33)));
}
measure("IPSetBuilder: 1M IPv6 prefixes", N, () => {
  const b = new IPSetBuilder();
  for (const p of prefixes6) b.add(p);
  return b.build().ranges.length;
});
