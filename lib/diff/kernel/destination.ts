/**
 * A rule limited to published NAT IPs as its destination ("-d 52.1.37.96" where "-s" was meant, an ACE's source and
 * destination written the other way round) never meets a connection from the vendor: those addresses are where its
 * connections come from, and they are addressed to the customer's service. The parse cannot tell (parsers do not
 * know the catalog), so the diff and the trace both apply this step to the parsed entries and read the rule alike.
 */
import { catalogOf, type CatalogSource } from "../../catalog/catalog";
import type { IPSet } from "../../ip/set";
import type { Entry, ParseOutput } from "../../parse/types";

/** Why `e` is never met because its destination is published NAT IPs only, or undefined. */
export function publishedDestinationUnmet(e: Entry, published: IPSet): string | undefined {
  const d = e.destination;
  if (d === undefined || d.ranges.length === 0 || e.unmet !== undefined || e.direction === "out") return undefined;
  for (const r of d.ranges) if (!published.containsRange(r)) return undefined;
  const one = d.ranges.length === 1 && d.ranges[0]!.first.value === d.ranges[0]!.last.value;
  return one
    ? `only traffic to ${d.token}, a published NAT IP: the vendor connects from it, never to it (source and destination swapped?)`
    : `only traffic to ${d.token}, published NAT IPs: the vendor connects from them, never to them (source and destination swapped?)`;
}

/**
 * The parse with every entry whose destination is published NAT IPs only marked as never met (Entry.unmet). The same
 * object when no entry changes (the usual case: one pass that allocates nothing).
 */
export function withPublishedDestinations(parsed: ParseOutput, catalog: CatalogSource): ParseOutput {
  const entries = parsed.entries;
  let out: Entry[] | undefined;
  let published: IPSet | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.destination === undefined) continue;
    published ??= catalogOf(catalog).all;
    const unmet = publishedDestinationUnmet(e, published);
    if (unmet === undefined) continue;
    out ??= entries.slice();
    out[i] = { ...e, unmet };
  }
  return out === undefined ? parsed : { ...parsed, entries: out };
}
