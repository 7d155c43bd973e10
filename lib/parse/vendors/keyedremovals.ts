import { PositionList } from "./positionlist";

/**
 * Deleting from a rule list by what an entry says ("no access-list NAME <ace>", "iptables -D CHAIN <rule>"): the first
 * entry in list order written that way goes. A search of the list and a splice per deletion made a paste of n entries
 * and n deletions take time growing with the square (20,000 ASA ACEs and their deletions: 38 s; 80,000 iptables rules:
 * 29 s). Here the live entries are indexed by key, a deletion only marks its entry, and the owner sweeps the marked
 * entries out of the list before it reads positions ("line N", "-I CHAIN N") or the whole list.
 *
 * The entries of one key are kept in list order as long as entries are only added at either end; an insert elsewhere
 * marks that order stale, and the next deletion among several like-keyed entries ranks them again from the list.
 */
export class KeyedRemovals<T> {
  private readonly byKey = new Map<string, T[]>();
  private readonly gone = new Set<T>();
  private stale = false;

  /** `items`: the list's live entries in order; `keyOf` undefined: an entry no deletion names. */
  constructor(
    items: Iterable<T>,
    readonly keyOf: (item: T) => string | undefined,
  ) {
    for (const item of items) this.appended(item);
  }

  /** `item` was added at the end of the list. */
  appended(item: T): void {
    this.index(item, "last");
  }

  /** `item` was added at the start of the list. */
  prepended(item: T): void {
    this.index(item, "first");
  }

  /** `item` was added somewhere in the middle. */
  inserted(item: T): void {
    this.appended(item);
    this.stale = true;
  }

  /**
   * Marks the first live entry keyed `key` as deleted and returns it (undefined when there is none). `listOrder` gives
   * the list's entries in order, marked ones included; it is called only to rank like-keyed entries after an insert.
   */
  take(key: string, listOrder: () => Iterable<T>): T | undefined {
    const same = this.byKey.get(key);
    if (same === undefined || same.length === 0) return undefined;
    if (same.length > 1 && this.stale) this.rank(listOrder());
    const first = same.shift()!;
    this.gone.add(first);
    return first;
  }

  /** Whether a live entry is keyed `key`. */
  has(key: string): boolean {
    return (this.byKey.get(key)?.length ?? 0) > 0;
  }

  /** How many entries are marked and not yet swept. */
  get marked(): number {
    return this.gone.size;
  }

  /** Removes the marked entries from `list`, in place. */
  sweep(list: T[] | PositionList<T>): void {
    if (this.gone.size === 0) return;
    if (list instanceof PositionList) list.retain((item) => !this.gone.has(item));
    else {
      let kept = 0;
      for (const item of list) if (!this.gone.has(item)) list[kept++] = item;
      list.length = kept;
    }
    this.gone.clear();
  }

  private index(item: T, where: "first" | "last"): void {
    const key = this.keyOf(item);
    if (key === undefined) return;
    const same = this.byKey.get(key);
    if (same === undefined) this.byKey.set(key, [item]);
    else if (where === "last") same.push(item);
    else same.unshift(item);
  }

  private rank(order: Iterable<T>): void {
    const place = new Map<T, number>();
    let i = 0;
    for (const item of order) place.set(item, i++);
    for (const same of this.byKey.values()) if (same.length > 1) same.sort((a, b) => place.get(a)! - place.get(b)!);
    this.stale = false;
  }
}
