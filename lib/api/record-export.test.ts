import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getCurrentCatalog, seedCatalogIfEmpty, type CurrentCatalog } from "../db/catalog";
import { createDb, type Db } from "../db/client";
import { listExportRecords } from "../db/export-record";
import { createFirewall } from "../db/firewall";
import { migrateDatabase } from "../db/migrate";
import { recordExportSchema } from "../export/record-schema";
import { recordPanelExport } from "./record-export";
import { testDatabaseUrl } from "../testing/test-db";

let tmp = "";
let db: Db;
let catalog: CurrentCatalog;
const session = { role: "viewer", actor: "user:ann@example.com", userId: null, email: "ann@example.com" } as const;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "allowlist-record-export-"));
  const url = await testDatabaseUrl(tmp, "records");
  await migrateDatabase(url);
  db = createDb(url);
  await seedCatalogIfEmpty(db);
  catalog = await getCurrentCatalog(db);
});

after(async () => {
  await db.$disconnect();
  await rm(tmp, { recursive: true, force: true });
});

const base = { format: "plain", channel: "download", scope: "full", source: "catalog", regions: ["au"], options: {} };
const record = (input: Record<string, unknown>) =>
  recordPanelExport(db, catalog, session, recordExportSchema.parse({ ...base, ...input }));

describe("the record-export action trusts nothing from the client", () => {
  // Regression: a read-only visitor stored entryCount 2147483647 and fake regions.
  test("a client's count is ignored: the server counts the catalog's entries of the regions", async () => {
    const r = await record({ entryCount: 2147483647 });
    assert.ok(r.ok);
    assert.deepEqual([r.record.entryCount, r.record.regions], [10, ["AU"]]);
  });

  test("regions must be the catalog's; the catalog version the current one", async () => {
    const before = (await listExportRecords(db)).length;
    assert.deepEqual(await record({ regions: ["AU", "MARS", "XX"] }), {
      ok: false,
      message: "The export could not be recorded: MARS, XX are not regions of the catalog.",
      errors: { regions: ["unknown region"] },
    });
    assert.deepEqual(await record({ catalogVersion: 99 }), {
      ok: false,
      message: "The export could not be recorded: catalog version 1 is now current; reload the page.",
    });
    assert.equal((await listExportRecords(db)).length, before);
  });

  test("a paste's missing entries: only the named CIDRs that are catalog entries of the regions count", async () => {
    const au = catalog.entries.filter((e) => e.region === "AU").map((e) => e.cidr);
    const us = catalog.entries.find((e) => e.region === "US")!.cidr;
    const r = await record({
      scope: "missing",
      source: "paste",
      cidrs: [au[0], au[1], au[1], us, "10.0.0.0/8", "0.0.0.0/0"],
    });
    assert.ok(r.ok);
    assert.equal(r.record.entryCount, 2);
  });

  test("a firewall's missing entries are computed from its head revision", async () => {
    const au = catalog.entries.filter((e) => e.region === "AU").map((e) => e.cidr);
    const created = await createFirewall(db, {
      name: "au-edge",
      description: "",
      text: `${au.slice(0, 7).join("\n")}\n`,
      format: "plain",
      regions: ["AU"],
      port: 443,
      note: "",
    });
    assert.ok(created.ok);
    const r = await record({ scope: "missing", source: "firewall", firewallId: created.value.id, cidrs: au });
    assert.ok(r.ok);
    assert.equal(r.record.entryCount, 3);
  });
});
