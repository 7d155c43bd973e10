import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { getCurrentCatalog } from "./catalog";
import { createDb } from "./client";
import { DatabaseError } from "./errors";
import { migrateDatabase } from "./migrate";
import { schemaFilesFor } from "./paths";
import { verifyAppDatabase } from "./ready";
import { databaseTarget } from "./target";
import { onPostgres, testDatabaseUrl } from "../testing/test-db";

describe("verifyAppDatabase (what the web app checks before reading data)", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "allowlist-ready-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("a database that was never migrated: a clear message that says what to run", async () => {
    const url = await testDatabaseUrl(dir, "missing");
    const db = createDb(url);
    try {
      await assert.rejects(verifyAppDatabase(db, url), (error: unknown) => {
        assert.ok(error instanceof DatabaseError);
        assert.match(
          error.message,
          onPostgres
            ? /^The database at the PostgreSQL database is not set up \(.+\): run "npm run db:migrate", then reload\.$/
            : /^The database at .*missing\.db is not set up \(.+\): run "npm run db:migrate", then reload\.$/,
        );
        return true;
      });
    } finally {
      await db.$disconnect();
    }
  });

  test("a migrated but empty database is seeded; a missing migration row is named", async () => {
    const url = await testDatabaseUrl(dir, "app");
    const target = databaseTarget(url);
    await migrateDatabase(url);
    const db = createDb(url);
    try {
      await verifyAppDatabase(db, url);
      assert.equal((await getCurrentCatalog(db)).entries.length, 43);
      const [name] = (await readdir(schemaFilesFor(target.kind).migrationsDir, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
      await db.$executeRawUnsafe(
        `DELETE FROM _prisma_migrations WHERE migration_name = ${onPostgres ? "$1" : "?"}`,
        name,
      );
      await assert.rejects(verifyAppDatabase(db, url), (error: unknown) => {
        assert.ok(error instanceof DatabaseError);
        assert.equal(
          error.message,
          `The database at ${target.kind === "sqlite" ? target.path : "the PostgreSQL database"} is missing 1 migration(s) (${name}): run "npm run db:migrate", then reload.`,
        );
        return true;
      });
    } finally {
      await db.$disconnect();
    }
  });
});
