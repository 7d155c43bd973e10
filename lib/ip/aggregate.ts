import { IPSetBuilder, type IPSetItem } from "./set";
import type { Prefix } from "./types";

/** The minimal list of masked prefixes covering exactly the union of the items, ascending (IPv4 first). */
export function aggregate(items: readonly IPSetItem[]): Prefix[] {
  const b = new IPSetBuilder();
  for (const x of items) b.add(x);
  return b.build().toPrefixes();
}
