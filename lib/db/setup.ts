import { readdirSync } from "node:fs";
import Database from "better-sqlite3";
import { DEFAULT_PROVIDER, seedCatalogIfEmpty } from "./catalog";
import { createDb, databaseTarget, databaseUrl } from "./client";
import { DatabaseError, errorSummary } from "./errors";
import { displayPath, migrationsDir } from "./paths";

export { DatabaseError };

const ready = new Map<string, Promise<void>>();

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
    const folders = readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    db = new Database(target.path, { fileMustExist: true });
    db.exec("BEGIN IMMEDIATE; ROLLBACK;"); // the same writability proof the migration path makes
    const rows = db
      .prepare("SELECT migration_name AS name, finished_at IS NOT NULL AND rolled_back_at IS NULL AS done FROM _prisma_migrations")
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

async function prepare(url: string): Promise<void> {
  const state = quickState(url);
  if (state === "ready") return;
  if (state === "unknown") {
    const { migrateDatabase } = await import("./migrate");
    await migrateDatabase(url);
  }
  const db = createDb(url);
  try {
    await seedCatalogIfEmpty(db);
  } catch (error) {
    if (error instanceof DatabaseError) throw error;
    const target = databaseTarget(url);
    const where = target.kind === "sqlite" ? displayPath(target.path) : "the database";
    throw new DatabaseError(`Seeding the catalog in ${where} failed: ${errorSummary(error)}`);
  } finally {
    await db.$disconnect();
  }
}

/**
 * Migrates the database and seeds the catalog if it is empty, once per process and URL; callers may
 * call it on every request. A failure is not remembered, so the next call retries (say, after the
 * operator fixed the path). Rejects only with DatabaseError, whose message is one sentence for a page.
 */
export function ensureDatabase(url: string = databaseUrl()): Promise<void> {
  let pending = ready.get(url);
  if (pending === undefined) {
    pending = prepare(url).catch((error: unknown) => {
      ready.delete(url);
      throw error instanceof DatabaseError ? error : new DatabaseError(`The database could not be prepared: ${errorSummary(error)}`);
    });
    ready.set(url, pending);
  }
  return pending;
}
