import { canonicalCatalogLines } from "./checksum";
import { specialRangeOf } from "./special-ranges";
import type { PublishedEntry } from "./types";

/** What one region gains and loses between two catalog versions. CIDRs in the newer document's order. */
export interface RegionChange {
  readonly region: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
  readonly before: number;
  readonly after: number;
}

export type ChangeWarningKind = "region-emptied" | "mostly-replaced" | "special-range";

/** A change that is probably a mistake of the page (or of its reading) rather than a real vendor change. */
export interface ChangeWarning {
  readonly kind: ChangeWarningKind;
  readonly region: string;
  readonly cidr?: string;
  readonly message: string;
}

export interface CatalogChanges {
  /** Every region of either version, in the order given by `regionOrder` then any others. */
  readonly regions: readonly RegionChange[];
  readonly added: number;
  readonly removed: number;
  readonly unchanged: number;
  /** Same content (entries and their products): importing it would create nothing. */
  readonly identical: boolean;
  readonly warnings: readonly ChangeWarning[];
}

function byRegion(entries: readonly PublishedEntry[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of entries) {
    const list = out.get(e.region);
    if (list) list.push(e.cidr);
    else out.set(e.region, [e.cidr]);
  }
  return out;
}

/**
 * The change from `before` to `after`, per region, with warnings for what deserves a second look: a region that
 * loses every entry, a region where more than half of the entries are replaced, and new entries in private,
 * reserved or documentation blocks. Pure: the import preview, the changelog, the API and the CLI share it.
 */
export function catalogChanges(
  before: readonly PublishedEntry[],
  after: readonly PublishedEntry[],
  regionOrder: readonly string[] = [],
): CatalogChanges {
  const old = byRegion(before);
  const now = byRegion(after);
  const codes = [...regionOrder];
  for (const code of [...old.keys(), ...now.keys()]) if (!codes.includes(code)) codes.push(code);

  const regions: RegionChange[] = [];
  const warnings: ChangeWarning[] = [];
  for (const region of codes) {
    const was = old.get(region) ?? [];
    const is = now.get(region) ?? [];
    const wasSet = new Set(was);
    const isSet = new Set(is);
    const added = is.filter((c) => !wasSet.has(c));
    const removed = was.filter((c) => !isSet.has(c));
    const unchanged = is.length - added.length;
    regions.push({ region, added, removed, unchanged, before: was.length, after: is.length });
    if (was.length > 0 && is.length === 0) {
      warnings.push({
        kind: "region-emptied",
        region,
        message: `Region ${region} would lose all ${was.length} of its entries.`,
      });
    } else if (was.length > 0 && removed.length * 2 > was.length) {
      warnings.push({
        kind: "mostly-replaced",
        region,
        message: `Region ${region}: ${removed.length} of its ${was.length} entries would be replaced (more than half).`,
      });
    }
    for (const cidr of added) {
      const special = specialRangeOf(cidr);
      if (special)
        warnings.push({
          kind: "special-range",
          region,
          cidr,
          message: `${cidr} (${region}) is in ${special.cidr}, ${special.name}: not a public address.`,
        });
    }
  }
  const a = canonicalCatalogLines(before);
  const b = canonicalCatalogLines(after);
  const identical = a.length === b.length && a.every((line, i) => line === b[i]);
  return {
    regions,
    added: regions.reduce((n, r) => n + r.added.length, 0),
    removed: regions.reduce((n, r) => n + r.removed.length, 0),
    unchanged: regions.reduce((n, r) => n + r.unchanged, 0),
    identical,
    warnings,
  };
}

/** The change as lines for a terminal or an e-mail: one line per region that changed, its CIDRs, then the warnings. */
export function formatChanges(changes: CatalogChanges): string[] {
  if (changes.identical) return ["No change: the list is the same."];
  const lines = [`${changes.added} added, ${changes.removed} removed, ${changes.unchanged} unchanged.`];
  for (const r of changes.regions) {
    if (r.added.length === 0 && r.removed.length === 0) continue;
    lines.push(`  ${r.region}: +${r.added.length} −${r.removed.length} (${r.before} → ${r.after})`);
    for (const cidr of r.added) lines.push(`    + ${cidr}`);
    for (const cidr of r.removed) lines.push(`    - ${cidr}`);
  }
  for (const w of changes.warnings) lines.push(`  warning: ${w.message}`);
  return lines;
}
