import { readdir } from "node:fs/promises";
import { seedCatalogIfEmpty } from "./catalog";
import { databaseTarget, databaseUrl, getDb, type Db } from "./client";
import { DatabaseError, errorSummary } from "./errors";
import { displayPath, schemaFilesFor } from "./paths";

let ready: Promise<void> | undefined;

/**
 * What the web app runs before touching data: the schema must be current (migrations are applied by
 * `npm run db:migrate`, which `npm start` runs first — the WebAssembly migration engine does not belong in the
 * server bundle), and an empty catalog is seeded. Memoised; a failure is retried on the next request.
 * Rejects only with DatabaseError, whose message is one sentence fit for the page.
 */
export function ensureAppDatabase(): Promise<void> {
  ready ??= verifyAppDatabase(getDb(), databaseUrl()).catch((error: unknown) => {
    ready = undefined;
    throw error instanceof DatabaseError
      ? error
      : new DatabaseError(`The database could not be read: ${errorSummary(error)}`);
  });
  return ready;
}

/** The check itself: every migration folder applied, then the catalog seeded if empty. */
export async function verifyAppDatabase(db: Db, url: string): Promise<void> {
  const target = databaseTarget(url);
  const where = target.kind === "sqlite" ? displayPath(target.path) : "the PostgreSQL database";
  const expected = (await readdir(schemaFilesFor(target.kind).migrationsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  let applied: string[];
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    applied = rows.map((r) => r.migration_name);
  } catch (error) {
    throw new DatabaseError(
      `The database at ${where} is not set up (${errorSummary(error)}): run "npm run db:migrate", then reload.`,
    );
  }
  const pending = expected.filter((name) => !applied.includes(name));
  if (pending.length > 0) {
    throw new DatabaseError(
      `The database at ${where} is missing ${pending.length} migration(s) (${pending.join(", ")}): run "npm run db:migrate", then reload.`,
    );
  }
  await seedCatalogIfEmpty(db);
}
