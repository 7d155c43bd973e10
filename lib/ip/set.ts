import { compareAddress, maxValue, newAddress } from "./address";
import { prefixRange } from "./prefix";
import { newRange, rangeEquals, rangeOf, rangeSize, rangeToPrefixes } from "./range";
import type { Address, Family, Prefix, Range } from "./types";

export type IPSetItem = Address | Prefix | Range;

function toRange(x: IPSetItem): Range {
  if ("first" in x) return x;
  if ("bits" in x) return prefixRange(x);
  return rangeOf(x);
}

function successor(a: Address): Address {
  return newAddress(a.family, a.value + 1n);
}

function predecessor(a: Address): Address {
  return newAddress(a.family, a.value - 1n);
}

/** Whether b starts inside a or right after it (same family): then they merge into one range. */
function touches(a: Range, b: Range): boolean {
  return a.last.family === b.first.family && b.first.value <= a.last.value + 1n;
}

/** Appends r to sorted, merged `out`, coalescing with the last range when they overlap or touch. */
function push(out: Range[], r: Range): void {
  const top = out[out.length - 1];
  if (top !== undefined && touches(top, r)) {
    if (r.last.value > top.last.value) out[out.length - 1] = newRange(top.first, r.last);
  } else {
    out.push(r);
  }
}

function familyOf(x: IPSetItem): Family {
  return "first" in x ? x.first.family : "bits" in x ? x.address.family : x.family;
}

function compareFirst(a: Range, b: Range): number {
  return compareAddress(a.first, b.first);
}

/** Sorts and merges any list of items: the one O(n log n) step. IPv4 sorts first. */
function normalize(items: readonly IPSetItem[]): Range[] {
  const v4: IPSetItem[] = [];
  const v6: Range[] = [];
  for (const x of items) {
    if (familyOf(x) === 4) v4.push(x);
    else v6.push(toRange(x));
  }
  const out = normalizeIPv4(v4);
  for (const r of sortedByFirst(v6)) push(out, r);
  return out;
}

/**
 * Sorts IPv6 ranges by first address through an index array keyed on the top 52 bits (exact as a double): bigint
 * compares then only break ties, which sorts large lists several times faster than comparing objects.
 */
function sortedByFirst(ranges: readonly Range[]): Range[] {
  const n = ranges.length;
  const top = new Float64Array(n);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = ranges[i] as Range;
    top[i] = Number(r.first.value >> 76n);
    order[i] = i;
  }
  order.sort((a, b) => (top[a] as number) - (top[b] as number) || compareFirst(ranges[a] as Range, ranges[b] as Range));
  return Array.from(order, (i) => ranges[i] as Range);
}

/**
 * IPv4 on plain numbers in Uint32Arrays: 1M-entry pastes are common, and native typed sorts are an order of
 * magnitude faster than sorting objects by bigint. Starts and ends are sorted independently: pairing the k-th
 * smallest start with the k-th smallest end keeps how many intervals cover each address, so the union is the same,
 * and a gap falls between k and k+1 exactly when start[k+1] > end[k] + 1.
 */
function normalizeIPv4(items: readonly IPSetItem[]): Range[] {
  const n = items.length;
  const firsts = new Uint32Array(n);
  const lasts = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const x = items[i] as IPSetItem;
    if ("first" in x) {
      firsts[i] = Number(x.first.value);
      lasts[i] = Number(x.last.value);
    } else if ("bits" in x) {
      const v = Number(x.address.value);
      const size = 2 ** (32 - x.bits);
      const first = v - (v % size);
      firsts[i] = first;
      lasts[i] = first + size - 1;
    } else {
      firsts[i] = lasts[i] = Number(x.value);
    }
  }
  firsts.sort();
  lasts.sort();
  const out: Range[] = [];
  let start = 0;
  for (let k = 0; k < n; k++) {
    const end = lasts[k] as number;
    const nextStart = k + 1 < n ? (firsts[k + 1] as number) : Infinity;
    if (nextStart > end + 1) {
      out.push(newRange(newAddress(4, BigInt(firsts[start] as number)), newAddress(4, BigInt(end))));
      start = k + 1;
    }
  }
  return out;
}

function unionOf(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && compareAddress(x.first, y.first) <= 0)) {
      push(out, x as Range);
      i++;
    } else {
      push(out, y);
      j++;
    }
  }
  return out;
}

function intersectionOf(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  for (let x = a[0], y = b[0]; x !== undefined && y !== undefined; x = a[i], y = b[j]) {
    if (x.first.family === y.first.family && x.first.value <= y.last.value && y.first.value <= x.last.value) {
      const first = x.first.value >= y.first.value ? x.first : y.first;
      const last = x.last.value <= y.last.value ? x.last : y.last;
      out.push(
        first === x.first && last === x.last ? x : first === y.first && last === y.last ? y : newRange(first, last),
      );
    }
    // The range that ends first cannot meet anything further in the other list.
    if (compareAddress(x.last, y.last) < 0) i++;
    else j++;
  }
  return out;
}

function differenceOf(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const r of a) {
    let first = r.first;
    while (j < b.length && compareAddress((b[j] as Range).last, first) < 0) j++;
    let k = j;
    let rest = true;
    for (let cut = b[k]; cut !== undefined && compareAddress(cut.first, r.last) <= 0; cut = b[++k]) {
      if (cut.first.value > first.value) out.push(newRange(first, predecessor(cut.first)));
      if (cut.last.value >= r.last.value) {
        rest = false;
        break;
      }
      first = successor(cut.last);
    }
    if (rest) out.push(first === r.first ? r : newRange(first, r.last));
    j = k;
  }
  return out;
}

/** Index of the last range whose first address is <= a, or -1. */
function lastStartingAtOrBefore(ranges: readonly Range[], a: Address): number {
  let lo = 0;
  let hi = ranges.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAddress((ranges[mid] as Range).first, a) <= 0) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

let createSet: (ranges: Range[]) => IPSet;

/**
 * An immutable set of addresses: `ranges` sorted (IPv4 first), non-overlapping and non-adjacent.
 * Build one with IPSetBuilder, IPSet.of or IPSet.fromRanges.
 */
export class IPSet {
  readonly ranges: readonly Range[];

  static {
    createSet = (ranges) => new IPSet(ranges);
  }

  private constructor(ranges: Range[]) {
    this.ranges = Object.freeze(ranges);
  }

  static empty(): IPSet {
    return EMPTY;
  }

  /** For a few literal items; large lists go through `from` (spreading 1M arguments overflows the stack). */
  static of(...items: IPSetItem[]): IPSet {
    return IPSet.from(items);
  }

  static from(items: Iterable<IPSetItem>): IPSet {
    const b = new IPSetBuilder();
    for (const x of items) b.add(x);
    return b.build();
  }

  static fromRanges(ranges: Iterable<Range>): IPSet {
    return IPSet.from(ranges);
  }

  contains(a: Address): boolean {
    const r = this.ranges[lastStartingAtOrBefore(this.ranges, a)];
    return r !== undefined && r.first.family === a.family && a.value <= r.last.value;
  }

  /** Whether every address of r is in the set (it must then lie inside one merged range). */
  containsRange(r: Range): boolean {
    const hit = this.ranges[lastStartingAtOrBefore(this.ranges, r.first)];
    return hit !== undefined && hit.first.family === r.first.family && r.last.value <= hit.last.value;
  }

  /** Whether any address of r is in the set. */
  overlapsRange(r: Range): boolean {
    const hit = this.ranges[lastStartingAtOrBefore(this.ranges, r.last)];
    return hit !== undefined && hit.first.family === r.first.family && hit.last.value >= r.first.value;
  }

  union(o: IPSet): IPSet {
    if (o.ranges.length === 0) return this;
    if (this.ranges.length === 0) return o;
    return createSet(unionOf(this.ranges, o.ranges));
  }

  intersection(o: IPSet): IPSet {
    return createSet(intersectionOf(this.ranges, o.ranges));
  }

  difference(o: IPSet): IPSet {
    if (o.ranges.length === 0) return this;
    return createSet(differenceOf(this.ranges, o.ranges));
  }

  /** Whether every address of this set is in o. */
  isSubsetOf(o: IPSet): boolean {
    return differenceOf(this.ranges, o.ranges).length === 0;
  }

  overlaps(o: IPSet): boolean {
    return intersectionOf(this.ranges, o.ranges).length > 0;
  }

  equals(o: IPSet): boolean {
    if (o.ranges.length !== this.ranges.length) return false;
    return this.ranges.every((r, i) => rangeEquals(r, o.ranges[i] as Range));
  }

  isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** Number of addresses, of one family or of both. */
  size(family?: Family): bigint {
    let n = 0n;
    for (const r of this.ranges) if (family === undefined || r.first.family === family) n += rangeSize(r);
    return n;
  }

  /** The minimal CIDR cover, ascending. */
  toPrefixes(): Prefix[] {
    const out: Prefix[] = [];
    for (const r of this.ranges) for (const p of rangeToPrefixes(r)) out.push(p);
    return out;
  }

  /** The part of the set in one family. */
  family(f: Family): IPSet {
    const ranges = this.ranges.filter((r) => r.first.family === f);
    return ranges.length === this.ranges.length ? this : createSet(ranges);
  }

  /** The addresses of `family` that are not in this set. */
  complement(family: Family): IPSet {
    const all = newRange(newAddress(family, 0n), newAddress(family, maxValue(family)));
    return createSet(differenceOf([all], this.ranges));
  }
}

const EMPTY = createSet([]);

/**
 * Collects adds and removes in call order, then builds an IPSet. Runs of adds are merged with one sort; a
 * remove after adds first settles them (as go4.org/netipx's IPSetBuilder does), so only adds-then-build is O(n log n)
 * overall and alternating add/remove costs one sort per switch.
 */
export class IPSetBuilder {
  #settled: Range[] = [];
  #adds: IPSetItem[] = [];
  #removes: IPSetItem[] = [];

  add(x: IPSetItem): this {
    if (this.#removes.length > 0) this.#settle();
    this.#adds.push(x);
    return this;
  }

  remove(x: IPSetItem): this {
    if (this.#adds.length > 0) this.#settle();
    this.#removes.push(x);
    return this;
  }

  /** Adds every address of a set. */
  addSet(s: IPSet): this {
    for (const r of s.ranges) this.add(r);
    return this;
  }

  /** Removes every address of a set. */
  removeSet(s: IPSet): this {
    for (const r of s.ranges) this.remove(r);
    return this;
  }

  build(): IPSet {
    this.#settle();
    return this.#settled.length === 0 ? EMPTY : createSet(this.#settled.slice());
  }

  #settle(): void {
    if (this.#adds.length > 0) {
      this.#settled =
        this.#settled.length === 0 ? normalize(this.#adds) : unionOf(this.#settled, normalize(this.#adds));
      this.#adds = [];
    }
    if (this.#removes.length > 0) {
      this.#settled = differenceOf(this.#settled, normalize(this.#removes));
      this.#removes = [];
    }
  }
}
