import { seedCatalogIfEmpty } from "./catalog";
import { quickState } from "./catalog-sqlite";
import { createDb, databaseTarget, databaseUrl } from "./client";
import { DatabaseError, errorSummary } from "./errors";
import { readdirSync } from "node:fs";
import { displayPath, pgMigrationsDir } from "./paths";
import { DEFAULT_PROVIDER } from "./provider";

export { DatabaseError, quickState };

const ready = new Map<string, Promise<void>>();

/** quickState for PostgreSQL: one connection and two queries instead of loading the WebAssembly engine on every run
 *  of the command line. Anything unexpected is "unknown", which takes the usual path (migrate under the lock). */
async function quickStatePg(url: string): Promise<"ready" | "migrated" | "unknown"> {
  const { default: pg } = await import("pg");
  const { pgConfig } = await import("./client");
  const client = new pg.Client(pgConfig(url));
  try {
    await client.connect();
    const folders = readdirSync(pgMigrationsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const { rows } = await client.query<{ name: string; done: boolean }>(
      "SELECT migration_name AS name, finished_at IS NOT NULL AND rolled_back_at IS NULL AS done FROM _prisma_migrations",
    );
    const applied = new Set(rows.filter((r) => r.done).map((r) => r.name));
    if (folders.length === 0 || rows.length !== folders.length || !folders.every((f) => applied.has(f)))
      return "unknown";
    const seeded = await client.query(
      'SELECT 1 FROM "CatalogVersion" v JOIN "Provider" p ON p.id = v."providerId" WHERE p.slug = $1 LIMIT 1',
      [DEFAULT_PROVIDER],
    );
    return seeded.rowCount === 0 ? "migrated" : "ready";
  } catch {
    return "unknown";
  } finally {
    await client.end().catch(() => {});
  }
}

async function prepare(url: string): Promise<void> {
  const state = databaseTarget(url).kind === "postgres" ? await quickStatePg(url) : quickState(url);
  if (state === "ready") return;
  const seed = async () => {
    const db = createDb(url);
    try {
      await seedCatalogIfEmpty(db);
    } finally {
      await db.$disconnect();
    }
  };
  try {
    if (state === "unknown") {
      // Seeded under the migration lock: on PostgreSQL, several instances may start at once.
      const { migrateDatabase } = await import("./migrate");
      await migrateDatabase(url, { then: seed });
    } else await seed();
  } catch (error) {
    if (error instanceof DatabaseError) throw error;
    const target = databaseTarget(url);
    const where = target.kind === "sqlite" ? displayPath(target.path) : "the database";
    throw new DatabaseError(`Seeding the catalog in ${where} failed: ${errorSummary(error)}`);
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
      throw error instanceof DatabaseError
        ? error
        : new DatabaseError(`The database could not be prepared: ${errorSummary(error)}`);
    });
    ready.set(url, pending);
  }
  return pending;
}
