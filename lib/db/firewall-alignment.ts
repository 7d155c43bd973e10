import { alignmentSeverity, computeAlignment, type Alignment, type RetiredEntry } from "../firewall/alignment";
import type { CurrentCatalog } from "./catalog";
import type { Db } from "./client";
import { headRevisions, type RevisionMeta } from "./firewall";

/**
 * Entries earlier versions published that `catalog` (the newest version) does not, in any region, each with the
 * last version that had it.
 */
export async function listRetiredEntries(db: Db, catalog: CurrentCatalog): Promise<RetiredEntry[]> {
  const rows = await db.publishedEntry.findMany({
    where: {
      catalogVersion: { provider: { slug: catalog.provider.slug }, version: { lt: catalog.version.version } },
      NOT: { cidr: { in: catalog.entries.map((e) => e.cidr) } },
    },
    select: { cidr: true, region: { select: { code: true } }, catalogVersion: { select: { version: true } } },
  });
  const out = new Map<string, RetiredEntry>();
  for (const r of rows) {
    const key = `${r.region.code} ${r.cidr}`;
    const seen = out.get(key);
    if (!seen || seen.lastVersion < r.catalogVersion.version)
      out.set(key, { cidr: r.cidr, region: r.region.code, lastVersion: r.catalogVersion.version });
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

const cache = ((
  globalThis as typeof globalThis & { allowlistAlignment?: Map<string, Alignment> }
).allowlistAlignment ??= new Map());

/**
 * Every saved firewall's alignment with the newest version (or those of `ids`), worst first. Cached per (head
 * revision, catalog version): both are immutable, so only new revisions or a new version cost a parse and diff.
 * Queries do not grow with the count of firewalls: heads are read 200 at a time, texts only for cache misses.
 */
export async function listFirewallAlignments(
  db: Db,
  catalog: CurrentCatalog,
  ids?: readonly number[],
): Promise<FirewallAlignment[]> {
  const firewalls = await readFirewalls(db, ids);
  const heads = await headRevisions(db, firewalls);
  const byRevision = new Map<number, Alignment>();
  const misses: RevisionMeta[] = [];
  for (const head of heads.values()) {
    const hit = cache.get(`${head.id}:${catalog.version.id}`);
    if (hit) byRevision.set(head.id, hit);
    else misses.push(head);
  }
  let retired: RetiredEntry[] | undefined;
  for (let i = 0; i < misses.length; i += ID_CHUNK) {
    const chunk = new Map(misses.slice(i, i + ID_CHUNK).map((h) => [h.id, h]));
    const texts = await db.firewallRevision.findMany({
      where: { id: { in: [...chunk.keys()] } },
      select: { id: true, text: true },
    });
    retired ??= await listRetiredEntries(db, catalog);
    for (const { id, text } of texts) {
      const head = chunk.get(id)!;
      const alignment = computeAlignment(catalog, catalog.version.version, retired, {
        text,
        format: head.format,
        regions: head.regions,
        port: head.port,
      });
      byRevision.set(id, alignment);
      if (cache.size > 2000) cache.clear();
      cache.set(`${id}:${catalog.version.id}`, alignment);
    }
  }
  const out: FirewallAlignment[] = [];
  for (const f of firewalls) {
    const head = heads.get(f.id);
    const alignment = head && byRevision.get(head.id);
    if (head && alignment)
      out.push({ id: f.id, name: f.name, headRevision: f.headRevision, regions: head.regions, alignment });
  }
  return out.sort(
    (a, b) => alignmentSeverity(b.alignment) - alignmentSeverity(a.alignment) || a.name.localeCompare(b.name),
  );
}

/** The firewalls named by `ids`, or every one, read a chunk at a time. */
async function readFirewalls(
  db: Db,
  ids: readonly number[] | undefined,
): Promise<{ id: number; name: string; headRevision: number }[]> {
  const select = { id: true, name: true, headRevision: true } as const;
  const out: { id: number; name: string; headRevision: number }[] = [];
  if (ids !== undefined) {
    for (let i = 0; i < ids.length; i += ID_CHUNK)
      out.push(...(await db.firewall.findMany({ where: { id: { in: ids.slice(i, i + ID_CHUNK) } }, select })));
    return out;
  }
  for (;;) {
    const rows = await db.firewall.findMany({
      where: { id: { gt: out.at(-1)?.id ?? 0 } },
      orderBy: { id: "asc" },
      take: ID_CHUNK,
      select,
    });
    out.push(...rows);
    if (rows.length < ID_CHUNK) return out;
  }
}

/** Bound values per query: far below SQLite's limit, whatever the number of firewalls. */
const ID_CHUNK = 200;
