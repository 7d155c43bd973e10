/**
 * The missing delta of a multi-port export: the published entries that the compared config does not fully cover on
 * EVERY port of the selection. Coverage changes with the port only where some rule's port range starts or ends, so
 * checking the selection's first port and each such boundary inside it decides every port of it exactly.
 */
import { catalogOf, type CatalogSource } from "../catalog/catalog";
import type { PublishedEntry } from "../catalog/types";
import type { Entry, ParseOutput, PortRange } from "../parse/types";
import { diff } from "./engines/objects";
import { blockingDenies, earliestTarget, type DeltaTarget } from "./target";

/** The ports whose verdicts stand for every port of `ranges`: each range's start and every rule port boundary inside it. */
export function representativePorts(ranges: readonly PortRange[], parsed: ParseOutput): number[] {
  const ports = new Set<number>();
  const inside = (p: number) => ranges.some((r) => p >= r.from && p <= r.to);
  for (const r of ranges) ports.add(r.from);
  for (const e of parsed.entries) {
    for (const p of e.ports ?? []) {
      if (inside(p.from)) ports.add(p.from);
      if (inside(p.to + 1)) ports.add(p.to + 1);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * The missing delta, published entries of `regions` not covered (missing or partial) on at least one port of `ports`
 * (TCP 443 when empty), and where it must go: the list bound on the path and, over every port,
 * the first of its rules that denies a missing entry (the delta goes ahead of all of them); and, over every port, the
 * config's inbound denies that meet a missing entry, in evaluation order (what GCP, Azure and Windows deltas read).
 */
export function missingDelta(
  source: CatalogSource,
  parsed: ParseOutput,
  options: { readonly regions: readonly string[]; readonly ports: readonly PortRange[]; readonly protocol: string },
): { readonly entries: Set<PublishedEntry>; readonly target?: DeltaTarget; readonly denies: readonly Entry[] } {
  const catalog = catalogOf(source);
  const ranges = options.ports.length > 0 ? options.ports : [{ from: 443, to: 443 }];
  const uncovered = new Set<PublishedEntry>();
  const targets: (DeltaTarget | undefined)[] = [];
  for (const port of representativePorts(ranges, parsed)) {
    const result = diff(catalog, parsed, { regions: options.regions, port, protocol: options.protocol });
    for (const p of result.published) if (p.status !== "covered") uncovered.add(p.entry);
    targets.push(result.target);
  }
  const target = earliestTarget(targets);
  const missing = catalog.parsed.filter((p) => uncovered.has(p.entry)).map((p) => p.range);
  const blocking = new Set<Entry>();
  for (const port of representativePorts(ranges, parsed))
    for (const e of blockingDenies(parsed, missing, { port, protocol: options.protocol })) blocking.add(e);
  // Evaluation order is entry order; a Set keeps first insertion, so sort back by it.
  const denies = parsed.entries.filter((e) => blocking.has(e));
  return target === undefined ? { entries: uncovered, denies } : { entries: uncovered, target, denies };
}
