/**
 * The rulebase order of a Check Point change script: rules and section heads, in chunks of a few hundred, each chunk
 * counting its rules (all, by layer, and those of no layer) and its section heads. `add access-rule … position N`,
 * `position top`, `position.bottom SECTION`, `set|delete access-rule … rule-number N` and `delete access-rule … name`
 * find their place by these counts and the chunk an item sits in, in about √n steps. An array searched and spliced
 * per command made a paste of n rules and n such commands take time growing with the square (20,000 `set
 * access-rule rule-number N` took 13 s; 80,000 deletes by name 22 s).
 */
export type Item<R extends { readonly layer: string }> = { readonly rule: R } | { readonly section: string };

interface Chunk<I> {
  readonly items: I[];
  rules: number;
  sections: number;
  /** Rules written without a layer: every layer counts them (as `sameLayer` reads ""). */
  noLayer: number;
  /** Rules by lower-cased layer, the others. */
  readonly byLayer: Map<string, number>;
}

export class Rulebase<R extends { readonly layer: string }> implements Iterable<Item<R>> {
  private chunks: Chunk<Item<R>>[] = [];
  private readonly chunkOf = new Map<Item<R>, Chunk<Item<R>>>();
  private count = 0;

  /** `chunk`: how many items a chunk holds before it is split (twice that); small only in tests. */
  constructor(private readonly chunk = 128) {}

  get length(): number {
    return this.count;
  }

  /** The item at 0-based position `at` (undefined past the end). */
  at(at: number): Item<R> | undefined {
    if (!(at >= 0 && at < this.count)) return undefined;
    const [c, k] = this.locate(at);
    return this.chunks[c]!.items[k];
  }

  /** Puts `item` at 0-based position `at` (the end when `at` is the length or more). */
  insert(at: number, item: Item<R>): void {
    if (at >= this.count || this.chunks.length === 0) {
      let last = this.chunks.at(-1);
      if (last === undefined || last.items.length >= this.chunk) this.chunks.push((last = newChunk([])));
      last.items.push(item);
      this.counted(last, item, 1);
      return;
    }
    const [c, k] = this.locate(Math.max(0, at));
    const ch = this.chunks[c]!;
    ch.items.splice(k, 0, item);
    this.counted(ch, item, 1);
    if (ch.items.length > 2 * this.chunk) {
      const tail = newChunk(ch.items.splice(this.chunk));
      for (const x of tail.items) {
        this.counted(ch, x, -1);
        this.counted(tail, x, 1);
      }
      this.chunks.splice(c + 1, 0, tail);
    }
  }

  /** Takes `item` out; false when it is not held. */
  remove(item: Item<R>): boolean {
    const ch = this.chunkOf.get(item);
    if (ch === undefined) return false;
    ch.items.splice(ch.items.indexOf(item), 1);
    this.counted(ch, item, -1);
    if (ch.items.length === 0) this.chunks.splice(this.chunks.indexOf(ch), 1);
    return true;
  }

  /** The 0-based position of `item`, or -1. */
  indexOf(item: Item<R>): number {
    const ch = this.chunkOf.get(item);
    if (ch === undefined) return -1;
    let before = 0;
    for (const c of this.chunks) {
      if (c === ch) break;
      before += c.items.length;
    }
    return before + ch.items.indexOf(item);
  }

  /**
   * The position of rule number `n` (1 first), counting the rules `inLayer` accepts, or -1. `layer` says which those
   * are, for the chunk counts: undefined or "" every rule, else the rules of that layer (any case) and of no layer.
   */
  nthRule(n: number, layer: string | undefined, inLayer: (it: Item<R>) => boolean): number {
    if (!Number.isInteger(n) || n <= 0) return -1;
    const key = layer?.toLowerCase();
    let seen = 0;
    let before = 0;
    for (const ch of this.chunks) {
      const here = key === undefined || key === "" ? ch.rules : ch.noLayer + (ch.byLayer.get(key) ?? 0);
      if (seen + here < n) {
        seen += here;
        before += ch.items.length;
        continue;
      }
      for (let k = 0; k < ch.items.length; k++) if (inLayer(ch.items[k]!) && ++seen === n) return before + k;
      before += ch.items.length;
    }
    return -1;
  }

  /** The position of the first section head after position `at`, or the length when none follows. */
  sectionAfter(at: number): number {
    let before = 0;
    for (const ch of this.chunks) {
      const end = before + ch.items.length;
      if (end <= at + 1 || ch.sections === 0) {
        before = end;
        continue;
      }
      for (let k = Math.max(0, at + 1 - before); k < ch.items.length; k++)
        if (!("rule" in ch.items[k]!)) return before + k;
      before = end;
    }
    return this.count;
  }

  *[Symbol.iterator](): IterableIterator<Item<R>> {
    for (const ch of this.chunks) yield* ch.items;
  }

  private counted(ch: Chunk<Item<R>>, item: Item<R>, by: 1 | -1): void {
    if (by === 1) this.chunkOf.set(item, ch);
    else if (this.chunkOf.get(item) === ch) this.chunkOf.delete(item);
    this.count += by;
    if (!("rule" in item)) {
      ch.sections += by;
      return;
    }
    ch.rules += by;
    const layer = item.rule.layer.toLowerCase();
    if (layer === "") ch.noLayer += by;
    else ch.byLayer.set(layer, (ch.byLayer.get(layer) ?? 0) + by);
  }

  /** The chunk and the place in it of 0-based position `at` (< length). */
  private locate(at: number): [number, number] {
    let c = 0;
    while (at >= this.chunks[c]!.items.length) at -= this.chunks[c++]!.items.length;
    return [c, at];
  }
}

function newChunk<I>(items: I[]): Chunk<I> {
  return { items, rules: 0, sections: 0, noLayer: 0, byLayer: new Map() };
}
