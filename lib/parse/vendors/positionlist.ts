/**
 * A list of distinct items that edits change by position ("ufw insert 3 …", "ufw delete 1", "access-list NAME line N",
 * "iptables -I CHAIN N", "nft insert rule … index N") and by item (a delete that names the rule), each in about √n
 * steps: the items are held in chunks of a few hundred, a position is found by
 * summing the chunks' lengths and an item through the chunk that holds it. An array's splice moves every later item
 * (80,000 deletions of rule 1 took 19 s in V8) and its indexOf reads the items before, so a paste of n items and n
 * such edits took time growing with the square.
 */
export class PositionList<T> {
  private chunks: T[][] = [];
  private readonly chunkOf = new Map<T, T[]>();
  private count = 0;

  /** `chunk`: how many items a chunk holds before it is split (twice that); small only in tests. */
  constructor(private readonly chunk = 512) {}

  static of<T>(items: Iterable<T>): PositionList<T> {
    const list = new PositionList<T>();
    for (const item of items) list.push(item);
    return list;
  }

  get length(): number {
    return this.count;
  }

  has(item: T): boolean {
    return this.chunkOf.has(item);
  }

  /** The 0-based position of `item`, or -1 when it is not held. */
  indexOf(item: T): number {
    const chunk = this.chunkOf.get(item);
    if (chunk === undefined) return -1;
    let before = 0;
    for (const c of this.chunks) {
      if (c === chunk) break;
      before += c.length;
    }
    return before + chunk.indexOf(item);
  }

  /** The item at 0-based position `at`, or undefined when there is none. */
  at(at: number): T | undefined {
    if (!(at >= 0 && at < this.count)) return undefined;
    const [c, k] = this.locate(at);
    return this.chunks[c]![k];
  }

  /** Adds `item` last. */
  push(item: T): void {
    const last = this.chunks.at(-1);
    if (last === undefined || last.length >= this.chunk) this.chunks.push([item]);
    else last.push(item);
    this.chunkOf.set(item, this.chunks.at(-1)!);
    this.count++;
  }

  /** Puts `item` at 0-based position `at` (clamped to 0 … length), before the item that was there. */
  insert(at: number, item: T): void {
    if (Math.max(0, at) >= this.count) return this.push(item);
    const [c, k] = this.locate(Math.max(0, at));
    const chunk = this.chunks[c]!;
    chunk.splice(k, 0, item);
    this.chunkOf.set(item, chunk);
    this.count++;
    if (chunk.length > 2 * this.chunk) {
      const tail = chunk.splice(this.chunk);
      for (const x of tail) this.chunkOf.set(x, tail);
      this.chunks.splice(c + 1, 0, tail);
    }
  }

  /** Takes out the item at 0-based position `at` and returns it (undefined when there is none). */
  removeAt(at: number): T | undefined {
    if (!(at >= 0 && at < this.count)) return undefined;
    const [c, k] = this.locate(at);
    const chunk = this.chunks[c]!;
    const [item] = chunk.splice(k, 1);
    this.dropped(item!, chunk, c);
    return item;
  }

  /** Takes `item` out; false when it is not held. */
  remove(item: T): boolean {
    const chunk = this.chunkOf.get(item);
    if (chunk === undefined) return false;
    chunk.splice(chunk.indexOf(item), 1);
    this.dropped(item, chunk, chunk.length === 0 ? this.chunks.indexOf(chunk) : -1);
    return true;
  }

  /** Puts `item` in the place of `old` (which leaves); false when `old` is not held. */
  replace(old: T, item: T): boolean {
    const chunk = this.chunkOf.get(old);
    if (chunk === undefined) return false;
    chunk[chunk.indexOf(old)] = item;
    this.chunkOf.delete(old);
    this.chunkOf.set(item, chunk);
    return true;
  }

  /** Keeps the items `keep` accepts, in order (KeyedRemovals sweeps its deletions out this way). */
  retain(keep: (item: T) => boolean): void {
    const kept = this.toArray().filter(keep);
    this.clear();
    for (const item of kept) this.push(item);
  }

  clear(): void {
    this.chunks = [];
    this.chunkOf.clear();
    this.count = 0;
  }

  toArray(): T[] {
    return this.chunks.flat();
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const chunk of this.chunks) yield* chunk;
  }

  private dropped(item: T, chunk: T[], c: number): void {
    this.chunkOf.delete(item);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  /** The chunk and the place in it of 0-based position `at` (< length). */
  private locate(at: number): [number, number] {
    let c = 0;
    while (at >= this.chunks[c]!.length) at -= this.chunks[c++]!.length;
    return [c, at];
  }
}
