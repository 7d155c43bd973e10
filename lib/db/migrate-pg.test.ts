// PostgreSQL migration: the same `npm run db:migrate`, under an advisory lock. Runs with TEST_DATABASE=postgres
// (npm run test:unit starts the cluster); on SQLite there is nothing to lock, so it is skipped there.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { MIGRATE_LOCK_KEY } from "./migrate";
import { pgMigrationsDir, projectRoot } from "./paths";
import { onPostgres, testDatabaseUrl } from "../testing/test-db";

function migrate(url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/db/migrate.ts"], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

async function rows<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function migrationNames(): Promise<string[]> {
  return (await readdir(pgMigrationsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

describe("db:migrate on PostgreSQL", { skip: !onPostgres && "TEST_DATABASE is not postgres" }, () => {
  test("two processes started together on an empty database: one applies and seeds, the other finds it done", async () => {
    const url = await testDatabaseUrl("", "concurrent");
    const names = await migrationNames();
    const results = await Promise.all([migrate(url), migrate(url)]);
    const applied = `Applied ${names.length} migration(s) to the database: ${names.join(", ")}.\nSeeded catalog version 1 (43 entries).\n`;
    const upToDate =
      "No pending migrations: the database is up to date.\nCatalog present (version 1): nothing to seed.\n";
    assert.deepEqual(
      results.map((r) => [r.code, r.stdout, r.stderr]).sort(),
      [
        [0, applied, ""],
        [0, upToDate, ""],
      ].sort(),
    );
    const expected = await Promise.all(
      names.map(async (name) => ({
        migration_name: name,
        checksum: createHash("sha256")
          .update(await readFile(join(pgMigrationsDir, name, "migration.sql")))
          .digest("hex"),
        finished: true,
        rolled_back_at: null,
        applied_steps_count: 1,
      })),
    );
    assert.deepEqual(
      await rows(
        url,
        "SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name",
      ),
      expected,
    );
    assert.deepEqual(await rows(url, 'SELECT count(*)::int AS n FROM "CatalogVersion"'), [{ n: 1 }]);
  });

  test("a migration waits while another holds the lock, and applies once it is released", async () => {
    const url = await testDatabaseUrl("", "locked");
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [MIGRATE_LOCK_KEY.toString()]);
      const running = migrate(url);
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const tables = await rows<{ n: number }>(
        url,
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
      );
      assert.deepEqual(tables, [{ n: 0 }]); // still waiting: nothing created
      await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATE_LOCK_KEY.toString()]);
      const result = await running;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Applied \d+ migration\(s\) to the database: /);
    } finally {
      await holder.end();
    }
  });

  test("the timestamps are timestamptz(3)", async () => {
    const url = await testDatabaseUrl("", "types");
    assert.equal((await migrate(url)).code, 0);
    const types = await rows<{ column_name: string; data_type: string; datetime_precision: number }>(
      url,
      `SELECT column_name, data_type, datetime_precision FROM information_schema.columns WHERE table_name = 'Firewall' AND column_name IN ('createdAt', 'updatedAt') ORDER BY column_name`,
    );
    assert.deepEqual(types, [
      { column_name: "createdAt", data_type: "timestamp with time zone", datetime_precision: 3 },
      { column_name: "updatedAt", data_type: "timestamp with time zone", datetime_precision: 3 },
    ]);
  });
});
