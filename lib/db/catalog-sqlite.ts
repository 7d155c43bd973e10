import { readdirSync } from "node:fs";
import Database from "better-sqlite3";
import { buildCatalog } from "../catalog/catalog";
import type { PublishedEntry } from "../catalog/types";
import type { CurrentCatalog } from "./catalog";
import { migrationsDir } from "./paths";
import { DEFAULT_PROVIDER } from "./provider";
import { databaseTarget, SQLITE_BUSY_TIMEOUT_MS } from "./target";

interface VersionRow {
  id: number;
  version: number;
  importedAt: string | number;
  source: string;
  checksum: string;
}

interface EntryRow {
  id: number;
  regionId: number;
  code: string;
  cidr: string;
  position: number;
}

/** A DATETIME column as Prisma's SQLite adapter writes it (ISO text or epoch milliseconds); UTC when no zone is written. */
function toDate(value: string | number): Date | undefined {
  const date =
    typeof value === "number"
      ? new Date(value)
      : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T")}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * getCurrentCatalog over one read-only better-sqlite3 connection instead of the Prisma client. The command line
 * reads the catalog once per run, and starting Prisma's query engine costs there about 0.3 s and 100 MB, more than
 * a whole small diff. The result is the same (catalog-sqlite.test.ts compares the two on a seeded file); null
 * whenever this reader is not sure (no provider, no version, unreadable file …), so the caller falls back to
 * getCurrentCatalog and its messages.
 */
export function readCurrentCatalogSqlite(path: string, providerSlug: string = DEFAULT_PROVIDER): CurrentCatalog | null {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const provider = db.prepare('SELECT id, slug, name FROM "Provider" WHERE slug = ?').get(providerSlug) as
      { id: number; slug: string; name: string } | undefined;
    if (provider === undefined) return null;
    const version = db
      .prepare(
        'SELECT id, version, importedAt, source, checksum FROM "CatalogVersion" WHERE providerId = ? ORDER BY version DESC LIMIT 1',
      )
      .get(provider.id) as VersionRow | undefined;
    if (version === undefined) return null;
    const importedAt = toDate(version.importedAt);
    if (importedAt === undefined) return null;
    const regions = db
      .prepare('SELECT id, code, name FROM "Region" WHERE providerId = ? ORDER BY id')
      .all(provider.id) as {
      id: number;
      code: string;
      name: string;
    }[];
    const products = db.prepare('SELECT id, name FROM "Product" WHERE providerId = ? ORDER BY id').all(provider.id) as {
      id: number;
      name: string;
    }[];
    const rows = db
      .prepare(
        'SELECT e.id, e.regionId, r.code, e.cidr, e.position FROM "PublishedEntry" e JOIN "Region" r ON r.id = e.regionId WHERE e.catalogVersionId = ? ORDER BY e.position',
      )
      .all(version.id) as EntryRow[];
    const links = db
      .prepare(
        'SELECT ep.entryId, ep.productId FROM "EntryProduct" ep JOIN "PublishedEntry" e ON e.id = ep.entryId WHERE e.catalogVersionId = ?',
      )
      .all(version.id) as { entryId: number; productId: number }[];

    const productsOf = new Map<number, number[]>();
    for (const link of links) {
      const list = productsOf.get(link.entryId);
      if (list === undefined) productsOf.set(link.entryId, [link.productId]);
      else list.push(link.productId);
    }
    const regionRank = new Map(regions.map((r, rank) => [r.id, rank]));
    const productName = new Map(products.map((p) => [p.id, p.name]));
    const productRank = new Map(products.map((p, rank) => [p.id, rank]));
    const rank = (regionId: number) => regionRank.get(regionId) ?? regions.length;
    const entries: PublishedEntry[] = rows
      .sort((a, b) => rank(a.regionId) - rank(b.regionId) || a.position - b.position)
      .map((row) => ({
        cidr: row.cidr,
        region: row.code,
        products: (productsOf.get(row.id) ?? [])
          .sort((a, b) => (productRank.get(a) ?? 0) - (productRank.get(b) ?? 0))
          .map((id) => productName.get(id) ?? String(id)),
      }));
    const counts = new Map<string, number>();
    for (const entry of entries) counts.set(entry.region, (counts.get(entry.region) ?? 0) + 1);
    return {
      ...buildCatalog(entries),
      version: {
        id: version.id,
        version: version.version,
        importedAt,
        source: version.source,
        checksum: version.checksum,
      },
      provider: { slug: provider.slug, name: provider.name },
      regions: regions.map((r) => ({ code: r.code, name: r.name, count: counts.get(r.code) ?? 0 })),
      products: products.map((p) => p.name),
      entries,
    };
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/**
 * What a plain query can prove without the engines: "ready" (an existing, writable SQLite file whose
 * `_prisma_migrations` holds exactly the folders of prisma/migrations, all finished, and whose catalog is seeded),
 * "migrated" (the same, not seeded yet), or "unknown". The WebAssembly schema engine costs about a second and
 * 150 MB to load, and Prisma's query engine a few hundred milliseconds more, on every run of the command line;
 * in any case but "ready" the usual path runs and gives the usual messages.
 */
export function quickState(url: string): "ready" | "migrated" | "unknown" {
  let db: Database.Database | undefined;
  try {
    const target = databaseTarget(url);
    if (target.kind !== "sqlite" || target.path === ":memory:") return "unknown";
    const folders = readdirSync(migrationsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    // The writability proof waits out another process's write (a CLI run beside the app) as the app's writes do;
    // without the timeout a CLI started during a long write would take the migration path and fail there.
    db = new Database(target.path, { fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
    db.exec("BEGIN IMMEDIATE; ROLLBACK;"); // the same writability proof the migration path makes
    const rows = db
      .prepare(
        "SELECT migration_name AS name, finished_at IS NOT NULL AND rolled_back_at IS NULL AS done FROM _prisma_migrations",
      )
      .all() as { name: string; done: number }[];
    const applied = new Set(rows.filter((r) => r.done === 1).map((r) => r.name));
    const upToDate = folders.length > 0 && rows.length === folders.length && folders.every((f) => applied.has(f));
    if (!upToDate) return "unknown";
    const seeded = db
      .prepare('SELECT 1 FROM "CatalogVersion" v JOIN "Provider" p ON p.id = v.providerId WHERE p.slug = ? LIMIT 1')
      .get(DEFAULT_PROVIDER);
    return seeded === undefined ? "migrated" : "ready";
  } catch {
    return "unknown";
  } finally {
    db?.close();
  }
}
