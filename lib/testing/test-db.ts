/**
 * Which database the database-touching tests run on. `TEST_DATABASE=postgres` (with `TEST_POSTGRES_URL`, the superuser
 * URL of a throwaway cluster that lib/testing/run-unit.mjs starts) gives each test database a fresh PostgreSQL database;
 * otherwise each is a SQLite file in the test's temporary directory. Tests that never touch the database (the IP core,
 * parsers, diff, exports) run once, on neither.
 */
import { join } from "node:path";
import { createPgDatabase } from "./postgres";

export type TestDatabaseKind = "sqlite" | "postgres";

export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env.TEST_DATABASE ?? "sqlite";
  if (kind !== "sqlite" && kind !== "postgres")
    throw new Error(`TEST_DATABASE must be "sqlite" or "postgres", got "${kind}"`);
  return kind;
}

export const onPostgres = testDatabaseKind() === "postgres";

let counter = 0;

/** A fresh, empty database for one test file: `file:<dir>/<name>.db`, or a new database on the test cluster. */
export async function testDatabaseUrl(dir: string, name: string): Promise<string> {
  if (!onPostgres) return `file:${join(dir, `${name}.db`)}`;
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin)
    throw new Error("TEST_DATABASE=postgres needs TEST_POSTGRES_URL (npm run test:unit starts a cluster and sets it)");
  counter += 1;
  const safe = name
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 30);
  return createPgDatabase(admin, `t${process.pid}_${counter}_${safe}`);
}
