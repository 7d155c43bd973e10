import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedCatalogIfEmpty } from "./catalog";
import { createDb, type Db } from "./client";
import {
  countFirewalls,
  createFirewall,
  decodeFirewallCursor,
  encodeFirewallCursor,
  listFirewallRevisions,
  listFirewalls,
  saveFirewallRevision,
} from "./firewall";
import { migrateDatabase } from "./migrate";
import { testDatabaseUrl } from "../testing/test-db";

// Regression: listFirewalls asked for the heads with an OR of two bound values per firewall, so from 499
// firewalls on SQLite refused the query (P2029) and /firewalls and GET /api/v1/firewalls failed for good.
const COUNT = 5000;
const name = (i: number) => `FW-${String(i).padStart(4, "0")}`;

let tmp = "";
let db: Db;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "allowlist-firewall-list-"));
  const url = await testDatabaseUrl(tmp, "many");
  await migrateDatabase(url);
  db = createDb(url);
  await seedCatalogIfEmpty(db);
  // Inserted in one transaction (seconds, not minutes); every firewall has two revisions, the head is the second.
  await db.$transaction(
    async (tx) => {
      await tx.firewall.createMany({
        data: Array.from({ length: COUNT }, (_, i) => ({
          name: name(i),
          nameKey: name(i).toLowerCase(),
          headRevision: 2,
        })),
      });
      const ids = await tx.firewall.findMany({ select: { id: true, name: true } });
      await tx.firewallRevision.createMany({
        data: ids.flatMap(({ id }) => [
          { firewallId: id, number: 1, text: "10.0.0.1\n", format: "plain", regions: "US", port: 80, note: "" },
          {
            firewallId: id,
            number: 2,
            text: "52.1.37.96\n",
            format: "plain",
            regions: "US,EU",
            port: 443,
            note: "head",
          },
        ]),
      });
    },
    { timeout: 120_000 },
  );
});

after(async () => {
  await db.$disconnect();
  await rm(tmp, { recursive: true, force: true });
});

describe(`listFirewalls with ${COUNT} firewalls on a real SQLite file`, () => {
  test("pages of 500 walk every firewall once, in name order, each with its head revision", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await listFirewalls(db, { limit: 500, ...(cursor !== undefined ? { cursor } : {}) });
      pages++;
      for (const f of page.firewalls) {
        assert.deepEqual(
          [f.headRevision, f.head.number, f.head.port, f.head.regions, f.head.note],
          [2, 2, 443, ["US", "EU"], "head"],
        );
        seen.push(f.name);
      }
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    assert.equal(pages, 10);
    assert.deepEqual(
      seen,
      Array.from({ length: COUNT }, (_, i) => name(i)),
    );
  });

  test("the default page is 100; the largest is 500", async () => {
    const first = await listFirewalls(db);
    assert.equal(first.firewalls.length, 100);
    assert.equal(first.nextCursor, encodeFirewallCursor("fw-0099"));
    assert.equal((await listFirewalls(db, { limit: 10_000 })).firewalls.length, 500);
    assert.equal(await countFirewalls(db), COUNT);
  });

  test("search by name, case-insensitive, paged like the rest", async () => {
    const page = await listFirewalls(db, { search: "fw-004", limit: 5 });
    assert.deepEqual(
      page.firewalls.map((f) => f.name),
      ["FW-0040", "FW-0041", "FW-0042", "FW-0043", "FW-0044"],
    );
    const rest = await listFirewalls(db, { search: "FW-004", cursor: page.nextCursor! });
    assert.deepEqual(
      rest.firewalls.map((f) => f.name),
      ["FW-0045", "FW-0046", "FW-0047", "FW-0048", "FW-0049"],
    );
    assert.equal(rest.nextCursor, null);
    assert.equal(await countFirewalls(db, "fw-004"), 10);
    // LIKE wildcards are matched literally (Prisma does not escape them on SQLite).
    assert.deepEqual((await listFirewalls(db, { search: "100%" })).firewalls, []);
    assert.deepEqual((await listFirewalls(db, { search: "fw-0_", limit: 3 })).firewalls, []);
    assert.equal(await countFirewalls(db, "fw-0_"), 0);
  });

  test("cursors are opaque and checked", () => {
    assert.equal(decodeFirewallCursor(encodeFirewallCursor("fw-0099")), "fw-0099");
    assert.equal(decodeFirewallCursor("not a cursor!"), null);
    assert.equal(decodeFirewallCursor("Zm"), null);
  });
});

describe("listFirewallRevisions pages the history", () => {
  // Regression: the history page read (and diffed) every revision's text at once: 41 revisions of 5 MB took 25 s.
  test("25 revisions: pages of 10, 10 and 5, each with the revision before it for the line diff", async () => {
    const created = await createFirewall(db, {
      name: "history",
      description: "",
      text: "r1\n",
      format: "plain",
      regions: ["US"],
      port: 443,
      note: "",
    });
    assert.ok(created.ok);
    const id = created.value.id;
    for (let n = 2; n <= 25; n++) {
      const saved = await saveFirewallRevision(db, id, {
        baseRevision: n - 1,
        text: `r${n}\n`,
        format: "plain",
        regions: ["US"],
        port: 443,
        note: "",
      });
      assert.ok(saved.ok);
    }
    const pages: [number[], number | undefined, number | null][] = [];
    let before: number | undefined;
    for (;;) {
      const page = await listFirewallRevisions(db, id, { limit: 10, ...(before !== undefined ? { before } : {}) });
      pages.push([page.revisions.map((r) => r.number), page.previous?.number, page.nextBefore]);
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    const range = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => from - i);
    assert.deepEqual(pages, [
      [range(25, 16), 15, 16],
      [range(15, 6), 5, 6],
      [range(5, 1), undefined, null],
    ]);
    const first = await listFirewallRevisions(db, id, { limit: 10 });
    assert.equal(first.revisions[0]!.text, "r25\n");
  });
});
