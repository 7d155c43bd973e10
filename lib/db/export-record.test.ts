import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedCatalogIfEmpty } from "./catalog";
import { createDb, type Db } from "./client";
import { DatabaseError } from "./errors";
import { countExportRecords, createExportRecord, listExportRecords, type NewExportRecord } from "./export-record";
import { migrateDatabase } from "./migrate";
import { testDatabaseUrl } from "../testing/test-db";

let tmp = "";
let db: Db;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "allowlist-export-record-"));
  const url = await testDatabaseUrl(tmp, "records");
  await migrateDatabase(url);
  db = createDb(url);
  await seedCatalogIfEmpty(db);
});

after(async () => {
  await db.$disconnect();
  await rm(tmp, { recursive: true, force: true });
});

const base: NewExportRecord = {
  format: "nftables",
  scope: "full",
  options: '{"ports":"443"}',
  catalogVersion: 1,
  entryCount: 24,
  regions: ["US", "EU"],
  channel: "download",
  source: "catalog",
  actor: "dashboard",
};

describe("export records", () => {
  test("create returns the stored view; list is newest first", async () => {
    const first = await createExportRecord(db, base);
    const { id: _id, createdAt, ...rest } = first;
    assert.match(createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(rest, { ...base, regions: ["US", "EU"], firewallId: null });
    const second = await createExportRecord(db, {
      ...base,
      format: "csv",
      scope: "missing",
      source: "firewall",
      firewallId: 7,
      regions: [],
      channel: "copy",
    });
    const list = await listExportRecords(db);
    assert.deepEqual(
      list.map((r) => [r.id, r.format, r.scope, r.source, r.firewallId, r.regions, r.channel]),
      [
        [second.id, "csv", "missing", "firewall", 7, [], "copy"],
        [first.id, "nftables", "full", "catalog", null, ["US", "EU"], "download"],
      ],
    );
    assert.deepEqual(
      (await listExportRecords(db, { limit: 1 })).map((r) => r.id),
      [second.id],
    );
    assert.equal(await countExportRecords(db), 2);
  });

  test("an unknown catalog version is a DatabaseError, and nothing is written", async () => {
    const before = await countExportRecords(db);
    await assert.rejects(
      createExportRecord(db, { ...base, catalogVersion: 99 }),
      (e: unknown) => e instanceof DatabaseError && e.message === "The catalog has no version 99.",
    );
    assert.equal(await countExportRecords(db), before);
  });
});
