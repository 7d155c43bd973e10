import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { getCurrentCatalog, importCatalogVersion } from "./catalog";
import { readCurrentCatalogSqlite } from "./catalog-sqlite";
import { createDb } from "./client";
import { ensureDatabase, quickState } from "./setup";

let tmp: string;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "allowlist-catalog-sqlite-test-"));
});
after(async () => rm(tmp, { recursive: true, force: true }));

async function prismaCatalog(url: string) {
  const db = createDb(url);
  try {
    return await getCurrentCatalog(db);
  } finally {
    await db.$disconnect();
  }
}

describe("readCurrentCatalogSqlite", () => {
  test("equals getCurrentCatalog on the seeded file, and on a second version", async () => {
    const path = join(tmp, "seeded.db");
    await ensureDatabase(`file:${path}`);
    assert.deepEqual(readCurrentCatalogSqlite(path), await prismaCatalog(`file:${path}`));
    const db = createDb(`file:${path}`);
    try {
      const imported = await importCatalogVersion(db, {
        source: "test",
        entries: [
          { cidr: "3.74.148.8/32", region: "EU", products: ["Freddy Self-service", "Freshchat"] },
          { cidr: "52.1.37.96/32", region: "US", products: ["Freshchat"] },
        ],
      });
      assert.equal(imported.created, true);
    } finally {
      await db.$disconnect();
    }
    const fast = readCurrentCatalogSqlite(path);
    assert.deepEqual(fast, await prismaCatalog(`file:${path}`));
    assert.deepEqual(
      fast?.entries.map((e) => [e.cidr, e.region, e.products]),
      [
        ["52.1.37.96/32", "US", ["Freshchat"]],
        ["3.74.148.8/32", "EU", ["Freshchat", "Freddy Self-service"]],
      ],
    );
  });

  test("null when it cannot be sure: missing file, not a database, unknown provider, no version", async () => {
    assert.equal(readCurrentCatalogSqlite(join(tmp, "missing.db")), null);
    await writeFile(join(tmp, "text.db"), "not a database".repeat(100));
    assert.equal(readCurrentCatalogSqlite(join(tmp, "text.db")), null);
    const path = join(tmp, "seeded.db");
    assert.equal(readCurrentCatalogSqlite(path, "nobody"), null);
    const raw = new Database(path);
    raw.prepare('INSERT INTO "Provider" (slug, name) VALUES (?, ?)').run("empty", "Empty");
    raw.close();
    assert.equal(readCurrentCatalogSqlite(path, "empty"), null);
  });
});

describe("quickState: what ensureDatabase may skip", () => {
  test("ready when migrated and seeded, migrated when not seeded, unknown otherwise", async () => {
    const path = join(tmp, "quick.db");
    const url = `file:${path}`;
    assert.equal(quickState(url), "unknown"); // no file yet
    await ensureDatabase(url);
    assert.equal(quickState(url), "ready");
    const raw = new Database(path);
    raw.prepare('DELETE FROM "CatalogVersion"').run();
    assert.equal(quickState(url), "migrated");
    raw.prepare("UPDATE _prisma_migrations SET finished_at = NULL").run();
    assert.equal(quickState(url), "unknown"); // a failed migration: the engine reports it in its own words
    raw.prepare("UPDATE _prisma_migrations SET finished_at = started_at").run();
    raw.prepare("UPDATE _prisma_migrations SET migration_name = 'other'").run();
    assert.equal(quickState(url), "unknown"); // a folder not applied yet
    raw.close();
    assert.equal(quickState("postgres://localhost/x"), "unknown");
    assert.equal(quickState(`file:${tmp}`), "unknown"); // a directory
  });

  test("a failed migration row sends ensureDatabase to the schema engine, which reports it", async () => {
    const path = join(tmp, "engine.db");
    await ensureDatabase(`file:${path}`);
    const raw = new Database(path);
    raw.prepare("UPDATE _prisma_migrations SET finished_at = NULL").run();
    raw.close();
    // Another spelling of the same file gets its own cache slot in ensureDatabase, as a new process would.
    await assert.rejects(ensureDatabase(`file:${path}?again`), { name: "DatabaseError", message: /failed migrations/ });
  });
});
