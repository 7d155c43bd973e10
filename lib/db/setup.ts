import { seedCatalogIfEmpty } from "./catalog";
import { quickState } from "./catalog-sqlite";
import { createDb, databaseTarget, databaseUrl } from "./client";
import { DatabaseError, errorSummary } from "./errors";
import { displayPath } from "./paths";

export { DatabaseError, quickState };

const ready = new Map<string, Promise<void>>();

async function prepare(url: string): Promise<void> {
  const state = quickState(url);
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
      throw error instanceof DatabaseError ? error : new DatabaseError(`The database could not be prepared: ${errorSummary(error)}`);
    });
    ready.set(url, pending);
  }
  return pending;
}
