import { test } from "node:test";
import assert from "node:assert/strict";
import { samplePrng } from "../../parse/vendors/samples";
import { newOverlaps, radixSortPairs, sweep, sweepIPv4, sweepIPv6Words } from "./overlaps";

/** The overlaps of entries 0 … n-1 by a comparator sort of (first, -last, index) and the sweep. */
function reference<T extends number | bigint>(
  allow: Uint8Array,
  first: ArrayLike<T>,
  last: ArrayLike<T>,
  cmp: (a: T, b: T) => number,
): ReturnType<typeof newOverlaps> {
  const n = allow.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (x, y) => cmp(first[x]!, first[y]!) || cmp(last[y]!, last[x]!) || x - y,
  );
  const out = newOverlaps(n);
  sweep(
    allow,
    order,
    order.map((i) => first[i]!),
    order.map((i) => last[i]!),
    undefined,
    out,
  );
  return out;
}

test("radixSortPairs sorts stably by key, whichever of its three digits the keys share", () => {
  const seed = 7;
  const next = samplePrng(seed);
  const digit = (bits: number) => Math.floor(next() * 2 ** bits);
  for (let t = 0; t < 600; t++) {
    const n = t < 3 ? t : 1 + Math.floor(next() * (t % 10 === 0 ? 5000 : 60));
    // Case t % 8 as three bits: which of the digits (11, 11, 10 bits) are the same in every key; few distinct values
    // per digit, so equal keys (where only stability orders them) are common.
    const shared = [digit(11), digit(11), digit(10)];
    const pick = (d: number, bits: number) => ((t >> d) & 1 ? shared[d]! : next() < 0.5 ? digit(bits) : shared[d]! ^ 1);
    const keys = new Uint32Array(n);
    for (let k = 0; k < n; k++) keys[k] = (pick(0, 11) | (pick(1, 11) << 11) | (pick(2, 10) << 22)) >>> 0;
    // Every other case gives `order` as a permutation, not the identity: the sort moves what it is given.
    const order = t % 2 === 0 ? undefined : Uint32Array.from({ length: n }, (_, k) => (k * 7919) % Math.max(n, 1));
    const expected = Array.from({ length: n }, (_, k) => k).sort((a, b) => keys[a]! - keys[b]! || a - b);
    const keysBefore = keys.slice();
    const orderBefore = order?.slice();
    const got = radixSortPairs(keys, order);
    const where = `seed ${seed}, case ${t}`;
    assert.deepEqual(
      [...got.keys],
      expected.map((k) => keys[k]!),
      `${where}: keys`,
    );
    assert.deepEqual(
      [...got.order],
      expected.map((k) => order?.[k] ?? k),
      `${where}: order`,
    );
    assert.deepEqual([keys, order], [keysBefore, orderBefore], `${where}: the arguments are only read`);
    // The spare pair is the caller's: the right length, and none of the four arrays is another's or an argument.
    const four = [got.keys, got.order, got.spareKeys, got.spareOrder];
    assert.deepEqual(
      four.map((a) => a.length),
      [n, n, n, n],
      where,
    );
    assert.equal(new Set<Uint32Array>([...four, keys, ...(order ? [order] : [])]).size, order ? 6 : 5, where);
  }
});

test("sweepIPv4 (radix sort by first, then runs by last) marks what a comparator sort of (first, -last, index) marks", () => {
  const seed = 5;
  const next = samplePrng(seed);
  for (let t = 0; t < 2000; t++) {
    // Small address spans make long runs of equal first addresses (past the insertion-sort cut-off of 32). Every
    // third case spreads the addresses over the whole space, from a base where every radix digit varies (or, every
    // sixth, only the low 16 bits: the pass over the shared top digit is skipped).
    const n = 1 + Math.floor(next() * (t % 10 === 0 ? 200 : 40));
    const span = 1 + Math.floor(next() * 20);
    const wide = t % 3 === 0;
    const base = t % 6 === 0 ? 0xc0a80000 : 0;
    const first = new Uint32Array(n);
    const last = new Uint32Array(n);
    const indices = new Uint32Array(n);
    const allow = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      indices[i] = i;
      if (wide) {
        // A few repeated values, so equal firsts and equal ranges still occur.
        const pick = Math.floor(next() * Math.max(2, n / 2));
        first[i] = base === 0 ? (pick * 0x9e3779b1) >>> 0 : base + ((pick * 977) & 0xffff);
        last[i] = Math.min(0xffffffff, first[i]! + (Math.floor(next() * 3) === 0 ? 0 : Math.floor(next() * 70000)));
      } else {
        first[i] = Math.floor(next() * span);
        last[i] = first[i]! + Math.floor(next() * span);
      }
      allow[i] = next() < 0.8 ? 1 : 0;
    }
    const fast = newOverlaps(n);
    sweepIPv4(allow, indices, first, last, undefined, fast);
    const cmp = (a: number, b: number) => a - b;
    assert.deepEqual(fast, reference(allow, first, last, cmp), `seed ${seed}, case ${t}`);
  }
});

test("sweepIPv6Words (word-wise radix passes and ranks) marks what a comparator sort of (first, -last, index) marks", () => {
  const seed = 6;
  const next = samplePrng(seed);
  const word = (choices: readonly number[]) => choices[Math.floor(next() * choices.length)]!;
  for (let t = 0; t < 1500; t++) {
    const n = 1 + Math.floor(next() * (t % 10 === 0 ? 120 : 30));
    // Few distinct values per word, so equal addresses, equal firsts and nested ranges are common; every fourth case
    // has one shared top word (that word's passes are skipped), others vary every word.
    const top = t % 4 === 0 ? [0x20010db8] : [0x20010db8, 0x26001f18, 0];
    const firstWords = new Uint32Array(n * 4);
    const lastWords = new Uint32Array(n * 4);
    const first: bigint[] = [];
    const last: bigint[] = [];
    const indices = new Uint32Array(n);
    const allow = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      indices[i] = i;
      const f = [word(top), word([0, 1, 0xffff0000]), word([0, 7]), word([0, 1, 2, 0xffffffff])];
      const wide = next() < 0.4;
      const l = wide ? [f[0]!, f[1]!, 0xffffffff, 0xffffffff] : f;
      firstWords.set(f, i * 4);
      lastWords.set(l, i * 4);
      const big = (w: readonly number[]) => w.reduce((v, x) => (v << 32n) | BigInt(x), 0n);
      first.push(big(f));
      last.push(big(l));
      allow[i] = next() < 0.8 ? 1 : 0;
    }
    const fast = newOverlaps(n);
    sweepIPv6Words(allow, indices, firstWords, lastWords, undefined, fast);
    const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
    assert.deepEqual(fast, reference(allow, first, last, cmp), `seed ${seed}, case ${t}`);
  }
});
