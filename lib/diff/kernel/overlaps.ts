/**
 * Duplicate and redundant entries, shared by the object engine (engines/objects.ts) and the columnar one (engines/columnar.ts): a stable
 * radix sort of entries by (first asc, last desc, index asc) and one sweep over the sorted order.
 */

export interface Overlaps {
  /** Entry index → index of an earlier entry it duplicates, or -1. */
  readonly duplicateOf: Int32Array;
  /** Entry index → index of an applying allow that strictly contains it, or -1. */
  readonly insideOf: Int32Array;
}

export function newOverlaps(n: number, allocate?: (bytes: number) => ArrayBufferLike): Overlaps {
  const array = () => (allocate === undefined ? new Int32Array(n) : new Int32Array(allocate(n * 4))).fill(-1);
  return { duplicateOf: array(), insideOf: array() };
}

/**
 * A second thread that sweeps a plain list's IPv6 entries (all of them applying allows) while the caller sweeps the
 * IPv4 ones and decides each entry's verdict: the command line's (lib/cli/diff-thread.ts). Every array it is given
 * lives in memory from `allocate` (a SharedArrayBuffer), and it writes only the IPv6 entries' places of `out`.
 */
export interface SweepThread {
  readonly allocate: (bytes: number) => ArrayBufferLike;
  /**
   * Starts sweepIPv6Words on the thread; the join returned waits for it and says whether it finished (false: the
   * caller sweeps them itself, writing the same values). Undefined: not started.
   */
  sweepIPv6(indices: Uint32Array, first: Uint32Array, last: Uint32Array, out: Overlaps): (() => boolean) | undefined;
}

/** The digits of a 32-bit key, least significant first: 11, 11 and 10 bits. */
const DIGIT_SHIFTS = [0, 11, 22] as const;
const DIGIT_MASK = 0x7ff;

/** A sorted pair of arrays, and a spare pair of the same length the sort is done with. */
export interface SortedPairs {
  readonly keys: Uint32Array;
  readonly order: Uint32Array;
  readonly spareKeys: Uint32Array;
  readonly spareOrder: Uint32Array;
}

/**
 * A stable LSD radix sort of `order` (absent: 0, 1, 2 …) by `keys`, where keys[k] is the key of order[k] and moves
 * with it; both are only read. Three passes of 11, 11 and 10 bits, their counts taken in one read: carrying the key
 * keeps every read sequential, and 2,048 buckets keep the scatter's write positions in cache (16-bit digits with the
 * key read through `order` took twice as long on 850k IPv4 addresses, warm, and cleared 65,536 counters a pass even
 * for one key). A digit every key shares (IPv6 words of one /32, IPv4 addresses of one /22) orders nothing and gets
 * no pass.
 */
export function radixSortPairs(
  keys: Uint32Array,
  order?: Uint32Array,
  /** Four arrays of keys' length to sort in, none of them keys or order (absent: new ones). */
  into?: readonly [Uint32Array, Uint32Array, Uint32Array, Uint32Array],
): SortedPairs {
  const n = keys.length;
  const counts = new Uint32Array(3 * 2048);
  for (let k = 0; k < n; k++) {
    const x = keys[k]!;
    counts[x & DIGIT_MASK]!++;
    counts[2048 + ((x >>> 11) & DIGIT_MASK)]!++;
    counts[4096 + (x >>> 22)]!++;
  }
  const [first, second, third, fourth] = into ?? [0, 0, 0, 0].map(() => new Uint32Array(n));
  let toKeys: Uint32Array = first!;
  let toOrder: Uint32Array = second!;
  const spareKeys: Uint32Array = third!;
  const spareOrder: Uint32Array = fourth!;
  let fromKeys = keys;
  let fromOrder = order;
  for (let d = 0; d < 3; d++) {
    const base = d * 2048;
    let sum = 0;
    let single = false;
    for (let b = base; b < base + 2048; b++) {
      const c = counts[b]!;
      if (c === n) single = true;
      counts[b] = sum;
      sum += c;
    }
    if (single) continue;
    scatter(fromKeys, fromOrder, toKeys, toOrder, counts, base, DIGIT_SHIFTS[d]!);
    const written = fromKeys === keys ? [spareKeys, spareOrder] : [fromKeys, fromOrder!];
    fromKeys = toKeys;
    fromOrder = toOrder;
    [toKeys, toOrder] = written as [Uint32Array, Uint32Array];
  }
  if (fromKeys === keys) {
    // No pass: every key is the same, and the order stands.
    toKeys.set(keys);
    if (order === undefined) for (let k = 0; k < n; k++) toOrder[k] = k;
    else toOrder.set(order);
    return { keys: toKeys, order: toOrder, spareKeys, spareOrder };
  }
  return { keys: fromKeys, order: fromOrder!, spareKeys: toKeys, spareOrder: toOrder };
}

/** One radix pass: each key (and its order, or its position when there is none) to its digit's next place. */
function scatter(
  fromKeys: Uint32Array,
  fromOrder: Uint32Array | undefined,
  toKeys: Uint32Array,
  toOrder: Uint32Array,
  counts: Uint32Array,
  base: number,
  shift: number,
): void {
  const n = fromKeys.length;
  if (fromOrder === undefined) {
    for (let k = 0; k < n; k++) {
      const x = fromKeys[k]!;
      const p = counts[base + ((x >>> shift) & DIGIT_MASK)]!++;
      toKeys[p] = x;
      toOrder[p] = k;
    }
  } else {
    for (let k = 0; k < n; k++) {
      const x = fromKeys[k]!;
      const p = counts[base + ((x >>> shift) & DIGIT_MASK)]!++;
      toKeys[p] = x;
      toOrder[p] = fromOrder[k]!;
    }
  }
}

/**
 * Marks duplicates (same range and rule as an earlier entry) and redundant entries (strictly inside another applying
 * allow) in one sweep. `sorted` names entries in (first asc, last desc, index asc) order; `first`/`last` hold, in that
 * order, values (numbers, bigints or ranks) that order and compare like the entries' first and last addresses.
 * `sameRule(i, j)` tells whether two entries with equal ranges are duplicates; undefined means always.
 */
export function sweep<T extends number | bigint>(
  applyingAllow: Uint8Array,
  sorted: ArrayLike<number>,
  first: ArrayLike<T>,
  last: ArrayLike<T>,
  sameRule: ((i: number, j: number) => boolean) | undefined,
  out: Overlaps,
): void {
  const m = sorted.length;
  // Widest applying allow that started strictly before the current group: its entry index and last address.
  let outer = -1;
  let outerLast = first[0]!;
  let g = 0;
  while (g < m) {
    let end = g + 1;
    while (end < m && first[end] === first[g]) end++;
    // Within the group of equal first addresses, the first applying allow is the widest.
    let groupOuter = -1;
    for (let k = g; k < end; k++) {
      const i = sorted[k]!;
      if (k > g && last[k] === last[k - 1]) {
        // Equal ranges sit together in index order: the earliest of the run with the same rule is the original.
        for (let j = k - 1; j >= g && last[j] === last[k]; j--) {
          if (sameRule === undefined || sameRule(i, sorted[j]!)) {
            out.duplicateOf[i] = sorted[j]!;
            break;
          }
        }
      }
      if (applyingAllow[i] !== 1) continue;
      if (outer >= 0 && outerLast >= last[k]!) out.insideOf[i] = outer;
      else if (groupOuter >= 0 && last[groupOuter]! > last[k]!) out.insideOf[i] = sorted[groupOuter]!;
      if (groupOuter < 0) groupOuter = k;
    }
    if (groupOuter >= 0 && (outer < 0 || last[groupOuter]! > outerLast)) {
      outer = sorted[groupOuter]!;
      outerLast = last[groupOuter]!;
    }
    g = end;
  }
}

/**
 * Sweeps the IPv4 entries named by `indices` (ascending entry indices) with first/last addresses `first`/`last`
 * (same positions): sorted by last descending, then first ascending, so stable passes keep index order.
 */
export function sweepIPv4(
  applyingAllow: Uint8Array,
  indices: Uint32Array,
  first: Uint32Array,
  last: Uint32Array,
  sameRule: ((i: number, j: number) => boolean) | undefined,
  out: Overlaps,
): void {
  const count = indices.length;
  if (count === 0) return;
  // Sorted by first address only (stable: index order within a run of equal firsts), then each such run, short in
  // any real list, by last address descending: a third of the radix passes of sorting by both keys.
  const byFirst = radixSortPairs(first);
  const order = byFirst.order;
  const sortedFirst = byFirst.keys;
  // One pass of random reads; everything after it walks the arrays in order.
  const sorted = byFirst.spareOrder;
  const sortedLast = byFirst.spareKeys;
  for (let k = 0; k < count; k++) {
    const p = order[k]!;
    sorted[k] = indices[p]!;
    sortedLast[k] = last[p]!;
  }
  lastDescendingWithinRuns(sorted, sortedFirst, sortedLast);
  sweep(applyingAllow, sorted, sortedFirst, sortedLast, sameRule, out);
}

/**
 * Each run of equal first[k] (the arrays are sorted by it), stably sorted by last[k] descending, with sorted[k] moved
 * alongside: index order breaks ties.
 */
function lastDescendingWithinRuns(sorted: Uint32Array, first: Uint32Array, last: Uint32Array): void {
  const count = sorted.length;
  let g = 0;
  while (g < count) {
    const f = first[g]!;
    let end = g + 1;
    while (end < count && first[end] === f) end++;
    if (end - g > 32) {
      // Array.prototype.sort is stable.
      const run = Array.from({ length: end - g }, (_, k) => g + k).sort((a, b) => last[b]! - last[a]!);
      const ids = run.map((k) => sorted[k]!);
      const lasts = run.map((k) => last[k]!);
      sorted.set(ids, g);
      last.set(lasts, g);
    } else {
      for (let k = g + 1; k < end; k++) {
        const id = sorted[k]!;
        const l = last[k]!;
        let j = k - 1;
        while (j >= g && last[j]! < l) {
          sorted[j + 1] = sorted[j]!;
          last[j + 1] = last[j]!;
          j--;
        }
        sorted[j + 1] = id;
        last[j + 1] = l;
      }
    }
    g = end;
  }
}

/**
 * The same for IPv6 entries whose addresses are 4 big-endian 32-bit words each (`first`/`last`, 4 per position):
 * word-wise radix passes, then each address replaced by its rank so the sweep compares plain numbers.
 */
export function sweepIPv6Words(
  applyingAllow: Uint8Array,
  indices: Uint32Array,
  first: Uint32Array,
  last: Uint32Array,
  sameRule: ((i: number, j: number) => boolean) | undefined,
  out: Overlaps,
): void {
  const count = indices.length;
  if (count === 0) return;
  const key = new Uint32Array(count);
  // Each sort writes into one of two sets of arrays in turn: the order it reads is in the other set.
  const sets = [0, 1].map(() => [0, 1, 2, 3].map(() => new Uint32Array(count))) as unknown as [
    [Uint32Array, Uint32Array, Uint32Array, Uint32Array],
    [Uint32Array, Uint32Array, Uint32Array, Uint32Array],
  ];
  let turn = 0;
  const sortKey = (order?: Uint32Array) => radixSortPairs(key, order, sets[turn++ & 1]).order;
  /** `order` sorted by the addresses in `words`, least significant word first. */
  const sortBy = (words: Uint32Array, order?: Uint32Array): Uint32Array => {
    for (let w = 3; w >= 0; w--) {
      // A word every address shares (the /32 of a list, the zeros of "::") orders nothing: no pass.
      if (sameWordEverywhere(words, w, count)) continue;
      if (order === undefined) for (let k = 0; k < count; k++) key[k] = words[k * 4 + w]!;
      else for (let k = 0; k < count; k++) key[k] = words[order[k]! * 4 + w]!;
      order = sortKey(order);
    }
    return order ?? Uint32Array.from({ length: count }, (_, k) => k);
  };
  // Rank of every last address among all last addresses: equal addresses share a rank, order is kept.
  const lastRank = new Uint32Array(count);
  const byLast = sortBy(last);
  let rank = 0;
  for (let k = 0; k < count; k++) {
    if (k > 0 && !sameWords(last, byLast[k]!, last, byLast[k - 1]!)) rank++;
    lastRank[byLast[k]!] = rank;
  }
  // Last address descending is its rank descending (one key instead of four words), then first address ascending.
  for (let k = 0; k < count; k++) key[k] = rank - lastRank[k]!;
  const order = sortBy(first, sortKey());
  const sorted = new Uint32Array(count);
  const sortedFirst = new Uint32Array(count);
  const sortedLast = new Uint32Array(count);
  rank = 0;
  for (let k = 0; k < count; k++) {
    const p = order[k]!;
    if (k > 0 && !sameWords(first, p, first, order[k - 1]!)) rank++;
    sorted[k] = indices[p]!;
    sortedFirst[k] = rank;
    sortedLast[k] = lastRank[p]!;
  }
  sweep(applyingAllow, sorted, sortedFirst, sortedLast, sameRule, out);
}

function sameWordEverywhere(words: Uint32Array, w: number, count: number): boolean {
  const value = words[w]!;
  for (let k = 1; k < count; k++) if (words[k * 4 + w] !== value) return false;
  return true;
}

function sameWords(a: Uint32Array, i: number, b: Uint32Array, j: number): boolean {
  return (
    a[i * 4] === b[j * 4] &&
    a[i * 4 + 1] === b[j * 4 + 1] &&
    a[i * 4 + 2] === b[j * 4 + 2] &&
    a[i * 4 + 3] === b[j * 4 + 3]
  );
}
