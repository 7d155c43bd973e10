import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogChecksum } from "../catalog/checksum";
import { parseSeedDocument } from "../catalog/seed-document";
import type { PublishedEntry } from "../catalog/types";
import { getCurrentCatalog, importCatalogVersion, seedCatalogIfEmpty } from "./catalog";
import { createDb, type Db } from "./client";
import { DatabaseError } from "./errors";
import { migrateDatabase } from "./migrate";
import { seedDocumentPath } from "./paths";
import { ensureDatabase } from "./setup";
import { testDatabaseUrl } from "../testing/test-db";

const SEED_CHECKSUM = "f54d7f04b82b72227cb7619bdf19b876f28b53c6eece484f6d6322297dfefbe9";
const BOTH = ["Freshchat", "Freddy Self-service"];

let tmp: string;
let db: Db;
let seedEntries: readonly PublishedEntry[];

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "allowlist-catalog-test-"));
  const url = await testDatabaseUrl(tmp, "catalog");
  await migrateDatabase(url);
  db = createDb(url);
  const parsed = parseSeedDocument(await readFile(seedDocumentPath, "utf8"));
  assert.ok(parsed.ok);
  seedEntries = parsed.value.entries;
});

after(async () => {
  await db.$disconnect();
  await rm(tmp, { recursive: true, force: true });
});

async function counts(client: Db) {
  return {
    versions: await client.catalogVersion.count(),
    entries: await client.publishedEntry.count(),
    links: await client.entryProduct.count(),
  };
}

describe("seedCatalogIfEmpty", () => {
  test("imports the seed as version 1, and a second call adds nothing", async () => {
    const first = await seedCatalogIfEmpty(db);
    assert.deepEqual(
      { created: first.created, version: first.version.version, entryCount: first.entryCount },
      { created: true, version: 1, entryCount: 43 },
    );
    const second = await seedCatalogIfEmpty(db);
    assert.deepEqual(second, { created: false, version: first.version, entryCount: 43 });
    assert.deepEqual(await counts(db), { versions: 1, entries: 43, links: 86 });
  });
});

describe("getCurrentCatalog", () => {
  test("version, provider, regions with counts, products", async () => {
    const catalog = await getCurrentCatalog(db);
    assert.deepEqual(
      { ...catalog.version, id: undefined, importedAt: undefined },
      {
        id: undefined,
        version: 1,
        importedAt: undefined,
        source: "lib/catalog/seed/freshworks-nat-ips.txt",
        checksum: SEED_CHECKSUM,
      },
    );
    assert.ok(catalog.version.importedAt instanceof Date);
    assert.deepEqual(catalog.provider, { slug: "freshworks", name: "Freshworks" });
    assert.deepEqual(catalog.regions, [
      { code: "US", name: "United States", count: 14 },
      { code: "EU", name: "Europe", count: 10 },
      { code: "IN", name: "India", count: 9 },
      { code: "AU", name: "Australia", count: 10 },
    ]);
    assert.deepEqual(catalog.products, BOTH);
  });

  test("the 43 entries in region then document order, parsed once with the bounds stored beside them", async () => {
    const catalog = await getCurrentCatalog(db);
    assert.deepEqual(catalog.entries, seedEntries);
    assert.deepEqual(catalog.rejected, []);
    assert.deepEqual(catalog.regionCodes, ["US", "EU", "IN", "AU"]);
    // The parsed ranges agree with the family, length and hex bounds stored in the table.
    const stored = await db.publishedEntry.findMany({
      where: { catalogVersion: { version: 1 } },
      orderBy: { position: "asc" },
    });
    const byCidr = new Map(catalog.parsed.map((p) => [p.entry.cidr, p]));
    const hex = (v: bigint) => v.toString(16).padStart(32, "0");
    assert.deepEqual(
      stored.map((row) => {
        const p = byCidr.get(row.cidr);
        return (
          [row.cidr, row.family, row.prefixLength, row.firstHex, row.lastHex].join(" ") ===
          [
            row.cidr,
            p?.prefix.address.family,
            p?.prefix.bits,
            p && hex(p.range.first.value),
            p && hex(p.range.last.value),
          ].join(" ")
        );
      }),
      stored.map(() => true),
    );
    assert.deepEqual(
      stored
        .filter((row) => row.cidr === "44.206.73.239/32")
        .map((row) => [row.family, row.prefixLength, row.firstHex, row.lastHex]),
      [[4, 32, "0000000000000000000000002cce49ef", "0000000000000000000000002cce49ef"]],
    );
    assert.deepEqual(catalog.entries.at(-1), { cidr: "3.26.254.199/32", region: "AU", products: BOTH });
  });
});

describe("importCatalogVersion", () => {
  test("the same content is not a new version", async () => {
    const result = await importCatalogVersion(db, { source: "again", entries: [...seedEntries].reverse() });
    assert.deepEqual({ created: result.created, version: result.version.version }, { created: false, version: 1 });
    assert.deepEqual(result.created ? undefined : result.reason, "unchanged");
    assert.deepEqual(await counts(db), { versions: 1, entries: 43, links: 86 });
  });

  test("changed content becomes version 2; version 1 keeps its entries", async () => {
    const ipv6: PublishedEntry = { cidr: "2001:db8::/32", region: "EU", products: ["Freshchat"] };
    const changed = [...seedEntries.slice(1), ipv6];
    const result = await importCatalogVersion(db, {
      source: "https://example.test/nat-ips",
      entries: changed,
      note: "drop one, add IPv6",
    });
    assert.equal(result.created, true);
    assert.deepEqual(
      { version: result.version.version, source: result.version.source, checksum: result.version.checksum },
      { version: 2, source: "https://example.test/nat-ips", checksum: await catalogChecksum(changed) },
    );
    const catalog = await getCurrentCatalog(db);
    assert.equal(catalog.version.version, 2);
    assert.deepEqual(
      catalog.regions.map((r) => [r.code, r.count]),
      [
        ["US", 13],
        ["EU", 11],
        ["IN", 9],
        ["AU", 10],
      ],
    );
    // EU's entries in document order, the IPv6 one last (it came last in the import).
    assert.deepEqual(catalog.entries.filter((e) => e.region === "EU").at(-1), {
      cidr: "2001:db8::/32",
      region: "EU",
      products: ["Freshchat"],
    });
    const v6 = await db.publishedEntry.findFirst({ where: { cidr: "2001:db8::/32" } });
    assert.deepEqual(
      [v6?.family, v6?.prefixLength, v6?.firstHex, v6?.lastHex],
      [6, 32, "20010db8000000000000000000000000", "20010db8ffffffffffffffffffffffff"],
    );
    const parsedV6 = catalog.parsed.find((p) => p.entry.cidr === "2001:db8::/32");
    assert.deepEqual(
      [
        parsedV6?.region,
        parsedV6 && catalog.regionSets.get("EU")?.containsRange(parsedV6.range),
        parsedV6 && catalog.regionSets.get("US")?.overlapsRange(parsedV6.range),
      ],
      ["EU", true, false],
    );
    assert.equal(await db.publishedEntry.count({ where: { catalogVersion: { version: 1 } } }), 43);
    assert.deepEqual(await counts(db), { versions: 2, entries: 43 + 43, links: 86 + 85 });
  });

  test("content equal to an older version is reported, not stored", async () => {
    const result = await importCatalogVersion(db, { source: "back", entries: seedEntries });
    assert.deepEqual(
      { created: result.created, reason: result.created ? undefined : result.reason, version: result.version.version },
      { created: false, reason: "matches-older", version: 1 },
    );
    assert.equal((await getCurrentCatalog(db)).version.version, 2);
  });

  test("bad entries are refused before anything is written", async () => {
    const cases: [PublishedEntry[], string][] = [
      [[{ cidr: "2001:DB8::/32", region: "US", products: BOTH }], 'Entry 1: "2001:DB8::/32" is not a canonical CIDR.'],
      [[{ cidr: "10.0.0.0/33", region: "US", products: BOTH }], 'Entry 1: "10.0.0.0/33" is not a canonical CIDR.'],
      [[{ cidr: "10.0.0.0/8", region: "XX", products: BOTH }], 'Entry 1: unknown region "XX".'],
      [[{ cidr: "10.0.0.0/8", region: "US", products: ["Freshdesk"] }], 'Entry 1: unknown product "Freshdesk".'],
      [
        [
          { cidr: "10.0.0.0/8", region: "US", products: BOTH },
          { cidr: "10.0.0.0/8", region: "US", products: BOTH },
        ],
        "Entry 2: 10.0.0.0/8 is listed twice in region US.",
      ],
    ];
    for (const [entries, message] of cases) {
      await assert.rejects(importCatalogVersion(db, { source: "bad", entries }), new DatabaseError(message));
    }
    await assert.rejects(
      importCatalogVersion(db, { source: "x", entries: [], provider: "nobody" }),
      new DatabaseError('The catalog has no provider "nobody".'),
    );
    assert.equal(await db.catalogVersion.count(), 2);
  });
});

describe("ensureDatabase", () => {
  test("migrates and seeds a fresh file once per process", async () => {
    const url = await testDatabaseUrl(tmp, "ensure");
    const first = ensureDatabase(url);
    assert.equal(ensureDatabase(url), first);
    await first;
    const client = createDb(url);
    try {
      assert.deepEqual(await counts(client), { versions: 1, entries: 43, links: 86 });
    } finally {
      await client.$disconnect();
    }
  });

  test("a bad path is a DatabaseError with a page-ready sentence, and is retried once fixed", async () => {
    const dir = join(tmp, "later");
    const url = `file:${join(dir, "x.db")}`;
    await assert.rejects(
      ensureDatabase(url),
      new DatabaseError(`The database at ${dir}/x.db could not be opened: the directory ${dir} does not exist.`),
    );
    await mkdir(dir);
    await ensureDatabase(url);
  });

  test("two connections seeding at once both succeed and make one version", async () => {
    const url = await testDatabaseUrl(tmp, "race");
    await migrateDatabase(url);
    // Both connections read "no catalog", then meet before inserting the version: the loser's write
    // fails (SQLite: P1008) and it must look again rather than fail.
    let arrived = 0;
    let release = () => {};
    const barrier = new Promise<void>((resolve) => (release = resolve));
    const clients = [createDb(url), createDb(url)];
    const racing = clients.map(
      (client) =>
        client.$extends({
          query: {
            catalogVersion: {
              async create({ args, query }) {
                if (++arrived === 2) release();
                await barrier;
                return query(args);
              },
            },
          },
        }) as unknown as Db,
    );
    try {
      const results = await Promise.all(racing.map((client) => seedCatalogIfEmpty(client)));
      assert.equal(arrived, 2);
      assert.deepEqual(results.map((r) => [r.created, r.version.version, r.entryCount]).sort(), [
        [false, 1, 43],
        [true, 1, 43],
      ]);
      assert.deepEqual(await counts(clients[0] as Db), { versions: 1, entries: 43, links: 86 });
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  });
});

describe("cascades", () => {
  test("deleting a firewall deletes its revisions", async () => {
    const firewall = await db.firewall.create({
      data: {
        name: "edge",
        nameKey: "edge",
        revisions: { create: { number: 1, text: "1.2.3.4/32", format: "plain", regions: "US", port: 443 } },
      },
    });
    assert.equal(await db.firewallRevision.count({ where: { firewallId: firewall.id } }), 1);
    await db.firewall.delete({ where: { id: firewall.id } });
    assert.equal(await db.firewallRevision.count(), 0);
  });
});
