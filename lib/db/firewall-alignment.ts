import { alignmentSeverity, computeAlignment, type Alignment, type RetiredEntry } from "../firewall/alignment";
import type { CurrentCatalog } from "./catalog";
import type { Db } from "./client";

/**
 * Entries earlier versions published that `catalog` (the newest version) does not, in any region, each with the
 * last version that had it.
 */
export async function listRetiredEntries(db: Db, catalog: CurrentCatalog): Promise<RetiredEntry[]> {
  const rows = await db.publishedEntry.findMany({
    where: { catalogVersion: { provider: { slug: catalog.provider.slug }, version: { lt: catalog.version.version } }, NOT: { cidr: { in: catalog.entries.map((e) => e.cidr) } } },
    select: { cidr: true, region: { select: { code: true } }, catalogVersion: { select: { version: true } } },
  });
  const out = new Map<string, RetiredEntry>();
  for (const r of rows) {
    const key = `${r.region.code} ${r.cidr}`;
    const seen = out.get(key);
    if (!seen || seen.lastVersion < r.catalogVersion.version) out.set(key, { cidr: r.cidr, region: r.region.code, lastVersion: r.catalogVersion.version });
  }
  return [...out.values()].sort((a, b) => a.region.localeCompare(b.region) || a.cidr.localeCompare(b.cidr));
}

export interface FirewallAlignment {
  readonly id: number;
  readonly name: string;
  readonly headRevision: number;
  readonly regions: readonly string[];
  readonly alignment: Alignment;
}

const cache = ((globalThis as typeof globalThis & { allowlistAlignment?: Map<string, Alignment> }).allowlistAlignment ??= new Map());

/**
 * Every saved firewall's alignment with the newest version, worst first. Cached per (head revision, catalog
 * version): both are immutable, so only new revisions or a new version cost a parse and diff.
 */
export async function listFirewallAlignments(db: Db, catalog: CurrentCatalog, ids?: readonly number[]): Promise<FirewallAlignment[]> {
  const firewalls = await db.firewall.findMany({ where: ids ? { id: { in: [...ids] } } : {}, orderBy: { name: "asc" }, select: { id: true, name: true, headRevision: true } });
  let retired: RetiredEntry[] | undefined;
  const out: FirewallAlignment[] = [];
  for (const f of firewalls) {
    const head = await db.firewallRevision.findUnique({
      where: { firewallId_number: { firewallId: f.id, number: f.headRevision } },
      select: { id: true, format: true, regions: true, port: true },
    });
    if (head === null) continue;
    const key = `${head.id}:${catalog.version.id}`;
    let alignment = cache.get(key);
    if (alignment === undefined) {
      retired ??= await listRetiredEntries(db, catalog);
      const row = await db.firewallRevision.findUnique({ where: { id: head.id }, select: { text: true } });
      if (row === null) continue;
      alignment = computeAlignment(catalog.entries, catalog.version.version, retired, {
        text: row.text,
        format: head.format,
        regions: head.regions === "" ? [] : head.regions.split(","),
        port: head.port,
      });
      if (cache.size > 2000) cache.clear();
      cache.set(key, alignment);
    }
    out.push({ id: f.id, name: f.name, headRevision: f.headRevision, regions: head.regions === "" ? [] : head.regions.split(","), alignment });
  }
  return out.sort((a, b) => alignmentSeverity(b.alignment) - alignmentSeverity(a.alignment) || a.name.localeCompare(b.name));
}
