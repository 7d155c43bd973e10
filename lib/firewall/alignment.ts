import { catalogOf, type CatalogSource } from "../catalog/catalog";
import type { PublishedEntry } from "../catalog/types";
import { diff } from "../diff/engines/objects";
import { parsePrefix, prefixRange, rangesOverlap, type Range } from "../ip";
import { parseText } from "../parse/registry";
import type { FormatId } from "../parse/types";
import type { StatusInput } from "./status";

/** A CIDR an earlier catalog version published and the newest one does not. */
export interface RetiredEntry {
  readonly cidr: string;
  readonly region: string;
  /** The last version that published it. */
  readonly lastVersion: number;
}

/** A line of the firewall that allows only addresses the vendor no longer publishes: removal is recommended. */
export interface StaleLine {
  readonly line: number;
  readonly text: string;
  readonly token: string;
  /** The retired CIDRs it allows. */
  readonly retired: readonly string[];
}

/** How a saved firewall stands against the newest catalog version, and what brings it in line. */
export interface Alignment {
  readonly catalogVersion: number;
  readonly state: "up-to-date" | "needs-additions" | "has-stale" | "needs-additions-has-stale";
  /** Published entries of the firewall's regions it does not fully allow (missing or partly covered). */
  readonly additions: readonly PublishedEntry[];
  readonly stale: readonly StaleLine[];
  readonly label: string;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function alignmentLabel(additions: number, stale: number): string {
  const parts: string[] = [];
  if (additions > 0) parts.push(`needs ${plural(additions, "addition", "additions")}`);
  if (stale > 0) parts.push(`has ${plural(stale, "entry", "entries")} the vendor no longer publishes`);
  if (parts.length === 0) return "Up to date";
  const text = parts.join(", ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How far from in line, for sorting worst first: additions weigh most (a firewall that blocks webhooks), then stale lines. */
export function alignmentSeverity(a: Pick<Alignment, "additions" | "stale">): number {
  return a.additions.length * 100_000 + a.stale.length;
}

function rangeOf(cidr: string): Range | undefined {
  const p = parsePrefix(cidr);
  return p.ok ? prefixRange(p.value) : undefined;
}

/**
 * The firewall's alignment with `published` (the newest version): what to add, from the diff engine, and which
 * inbound allow lines open only retired addresses. A line that also reaches a published address is not stale.
 */
export function computeAlignment(
  published: CatalogSource,
  catalogVersion: number,
  retired: readonly RetiredEntry[],
  input: StatusInput,
): Alignment {
  const parsed = parseText(input.text, input.format as FormatId | "auto", { port: input.port });
  const result = diff(published, parsed, { regions: input.regions, port: input.port });
  const additions = result.published.filter((p) => p.status !== "covered").map((p) => p.entry);

  const current = catalogOf(published).parsed.map((p) => p.range);
  const gone = retired.flatMap((r) => {
    const range = rangeOf(r.cidr);
    return range ? [{ cidr: r.cidr, range }] : [];
  });
  const byLine = new Map<number, StaleLine>();
  const notStale = new Set<number>();
  for (const entry of parsed.entries) {
    if (entry.action !== "allow" || entry.direction === "out") continue;
    if (current.some((r) => rangesOverlap(r, entry.range))) {
      notStale.add(entry.line);
      continue;
    }
    const hits = gone.filter((g) => rangesOverlap(g.range, entry.range)).map((g) => g.cidr);
    if (hits.length === 0) continue;
    const seen = byLine.get(entry.line);
    byLine.set(entry.line, {
      line: entry.line,
      text: entry.text,
      token: seen ? `${seen.token}, ${entry.token}` : entry.token,
      retired: [...new Set([...(seen?.retired ?? []), ...hits])],
    });
  }
  const stale = [...byLine.values()].filter((s) => !notStale.has(s.line)).sort((a, b) => a.line - b.line);
  const state =
    additions.length > 0 && stale.length > 0
      ? "needs-additions-has-stale"
      : additions.length > 0
        ? "needs-additions"
        : stale.length > 0
          ? "has-stale"
          : "up-to-date";
  return { catalogVersion, state, additions, stale, label: alignmentLabel(additions.length, stale.length) };
}

/** The removal list of a bring-in-line export: the stale lines as they stand in the firewall, one per line. */
export function removalList(alignment: Alignment, firewallName: string): string {
  if (alignment.stale.length === 0) return "";
  const head = `# ${firewallName}: remove these lines; catalog version ${alignment.catalogVersion} no longer publishes what they allow.\n`;
  return head + alignment.stale.map((s) => `# line ${s.line} (${s.retired.join(", ")})\n${s.text}\n`).join("");
}
