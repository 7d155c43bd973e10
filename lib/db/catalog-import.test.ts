import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogHtml, catalogText, CHANGED_REGIONS, SEED_REGIONS, SEED_TEXT } from "../catalog/document.fixture";
import { getCatalogVersion, listCatalogVersions, seedCatalogIfEmpty } from "./catalog";
import { confirmCatalogImport, previewCatalogImport } from "./catalog-import";
import { createDb, type Db } from "./client";
import { migrateDatabase } from "./migrate";
import { testDatabaseUrl } from "../testing/test-db";

const SEED_CHECKSUM = "f54d7f04b82b72227cb7619bdf19b876f28b53c6eece484f6d6322297dfefbe9";
const LIMITS = { timeoutMs: 1500, maxBytes: 64 * 1024, maxRedirects: 2 };

let tmp: string;
let db: Db;
let server: Server;
let base: string;

/** A local page server: each path is one behaviour a real site may have. */
function serve(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) {
  const path = req.url ?? "/";
  if (path === "/page.html") {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(catalogHtml(CHANGED_REGIONS));
  } else if (path === "/page.txt") {
    res.writeHead(200, { "Content-Type": "text/plain" }).end(catalogText(SEED_REGIONS));
  } else if (path.startsWith("/hop/")) {
    const n = Number(path.slice(5));
    res.writeHead(302, { Location: n <= 1 ? "/page.html" : `/hop/${n - 1}` }).end();
  } else if (path === "/to-ftp") {
    res.writeHead(301, { Location: "ftp://127.0.0.1/x" }).end();
  } else if (path === "/json") {
    res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
  } else if (path === "/big") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("x".repeat(LIMITS.maxBytes + 1)); // chunked: no Content-Length, the limit is enforced while reading
  } else if (path === "/slow") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.write("Region\n");
    // never ends: the time limit must cut it
  } else if (path === "/gone") {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("no");
  } else {
    res.writeHead(500).end();
  }
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "x14-catalog-import-"));
  const url = await testDatabaseUrl(tmp, "import");
  await migrateDatabase(url);
  db = createDb(url);
  await seedCatalogIfEmpty(db);
  // The page server is on loopback, which the outbound guard refuses unless the operator permits it.
  process.env.ALLOWLIST_OUTBOUND_ALLOW = "127.0.0.1";
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await db.$disconnect();
  await rm(tmp, { recursive: true, force: true });
});

describe("previewCatalogImport", () => {
  test("the seed's own text is unchanged, and nothing is written", async () => {
    const out = await previewCatalogImport(db, { kind: "text", text: SEED_TEXT });
    assert.ok(out.ok);
    assert.deepEqual(
      {
        ...out.preview,
        changes: { ...out.preview.changes, regions: out.preview.changes.regions.map((r) => [r.region, r.unchanged]) },
      },
      {
        source: "pasted text",
        base: { version: 1, checksum: SEED_CHECKSUM },
        checksum: SEED_CHECKSUM,
        entryCount: 43,
        status: "unchanged",
        changes: {
          regions: [
            ["US", 14],
            ["EU", 10],
            ["IN", 9],
            ["AU", 10],
          ],
          added: 0,
          removed: 0,
          unchanged: 43,
          identical: true,
          warnings: [],
        },
      },
    );
    assert.equal(await db.catalogVersion.count(), 1);
  });

  test("an uploaded HTML page: per-region change", async () => {
    const out = await previewCatalogImport(db, {
      kind: "text",
      text: catalogHtml(CHANGED_REGIONS),
      name: "nat-ips.html",
    });
    assert.ok(out.ok);
    assert.equal(out.preview.source, "upload: nat-ips.html");
    assert.equal(out.preview.status, "changed");
    assert.deepEqual(out.preview.changes.regions.slice(0, 2), [
      { region: "US", added: ["52.1.37.97/32"], removed: ["52.1.37.96/32"], unchanged: 13, before: 14, after: 14 },
      { region: "EU", added: ["2a05:d014::/64"], removed: [], unchanged: 10, before: 10, after: 11 },
    ]);
    assert.deepEqual(
      [out.preview.changes.added, out.preview.changes.removed, out.preview.changes.unchanged, out.preview.entryCount],
      [2, 1, 42, 44],
    );
  });

  test("a document that is not a catalog is an error with its line", async () => {
    const out = await previewCatalogImport(db, { kind: "text", text: "Region\nNAT IPs\nUS\n52.1.37.300/32\n" });
    assert.deepEqual(out, {
      ok: false,
      reason: "parse",
      line: 4,
      message: "Line 4 of the document's text: invalid CIDR 52.1.37.300/32: octet is greater than 255.",
    });
  });

  test("URLs: HTML and text pages, bounded redirects, type, size, time and status checks", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const html = await previewCatalogImport(db, { kind: "url", url: `${base}/hop/2` }, LIMITS);
    assert.ok(html.ok);
    assert.deepEqual(
      [html.preview.source, html.preview.status, html.preview.changes.added],
      [`${base}/page.html`, "changed", 2],
    );
    const text = await previewCatalogImport(db, { kind: "url", url: `${base}/page.txt` }, LIMITS);
    assert.ok(text.ok);
    assert.equal(text.preview.status, "unchanged");
    const failures: [string, string][] = [
      [`${base}/hop/3`, `${base}/hop/3 redirected more than 2 times.`],
      [
        `${base}/to-ftp`,
        `${base}/to-ftp redirected to a URL that cannot be fetched: Only http and https URLs can be fetched, not ftp.`,
      ],
      [`${base}/json`, `${base}/json sent "application/json", not an HTML or text page.`],
      [`${base}/big`, `${base}/big sent more than 64 KB, the limit for a catalog page.`],
      [`${base}/slow`, `${base}/slow did not answer within 1.5 s.`],
      [`${base}/gone`, `${base}/gone answered HTTP 404 Not Found.`],
      ["file:///etc/passwd", "Only http and https URLs can be fetched, not file."],
      ["http://user:pw@127.0.0.1/", "The URL must not carry a user name or password."],
      ["not a url", '"not a url" is not a URL.'],
      [`http://127.0.0.1:${closedPort}/`, `http://127.0.0.1:${closedPort}/ could not be fetched: ECONNREFUSED.`],
    ];
    for (const [url, message] of failures) {
      assert.deepEqual(
        await previewCatalogImport(db, { kind: "url", url }, LIMITS),
        { ok: false, reason: "fetch", message },
        url,
      );
    }
  });
});

describe("confirmCatalogImport", () => {
  test("creates version 2 from a URL; a stale preview is refused; the same list again creates nothing", async () => {
    const doc = { kind: "url", url: `${base}/page.html` } as const;
    const preview = await previewCatalogImport(db, doc, LIMITS);
    assert.ok(preview.ok);
    const wrong = await confirmCatalogImport(db, doc, { baseVersion: 1, checksum: SEED_CHECKSUM }, LIMITS);
    assert.deepEqual(wrong, {
      ok: false,
      reason: "stale",
      message: "The document is not the one previewed (its list changed): preview it again.",
    });

    const done = await confirmCatalogImport(db, doc, { baseVersion: 1, checksum: preview.preview.checksum }, LIMITS);
    assert.ok(done.ok && done.created);
    assert.deepEqual(
      [done.version.version, done.version.source, done.version.checksum],
      [2, `${base}/page.html`, preview.preview.checksum],
    );

    const again = await confirmCatalogImport(db, doc, { baseVersion: 1, checksum: preview.preview.checksum }, LIMITS);
    assert.deepEqual(again, {
      ok: false,
      reason: "stale",
      message: "Version 2 is now the newest, not 1: preview the document again.",
    });
    const same = await confirmCatalogImport(db, doc, { baseVersion: 2, checksum: preview.preview.checksum }, LIMITS);
    assert.ok(same.ok && !same.created);
    assert.equal(same.preview.status, "unchanged");

    assert.deepEqual(
      (await listCatalogVersions(db)).map((v) => [v.version, v.source, v.note, v.entryCount]),
      [
        [2, `${base}/page.html`, "+2 −1", 44],
        [1, "lib/catalog/seed/freshworks-nat-ips.txt", "Seed catalog", 43],
      ],
    );
    const v1 = await getCatalogVersion(db, 1);
    assert.deepEqual(
      v1?.regions.map((r) => r.count),
      [14, 10, 9, 10],
    );
    assert.equal(await getCatalogVersion(db, 3), null);
  });

  test("going back to the seed's list is reported as matching version 1", async () => {
    const out = await previewCatalogImport(db, { kind: "text", text: SEED_TEXT });
    assert.ok(out.ok);
    assert.deepEqual(
      [out.preview.status, out.preview.matchesVersion, out.preview.base.version],
      ["matches-older", 1, 2],
    );
  });

  test("two confirms of different lists from the same preview base: exactly one becomes version 3", async () => {
    const a = {
      kind: "text",
      text: catalogText({ ...CHANGED_REGIONS, IN: [...(CHANGED_REGIONS.IN ?? []), "13.232.152.212/32"] }),
    } as const;
    const b = {
      kind: "text",
      text: catalogText({ ...CHANGED_REGIONS, AU: [...(CHANGED_REGIONS.AU ?? []), "3.26.254.200/32"] }),
    } as const;
    const [pa, pb] = await Promise.all([previewCatalogImport(db, a), previewCatalogImport(db, b)]);
    assert.ok(pa.ok && pb.ok);
    const results = await Promise.all([
      confirmCatalogImport(db, a, { baseVersion: 2, checksum: pa.preview.checksum }),
      confirmCatalogImport(db, b, { baseVersion: 2, checksum: pb.preview.checksum }),
    ]);
    const created = results.filter((r) => r.ok && r.created);
    const stale = results.filter((r) => !r.ok && r.reason === "stale");
    assert.deepEqual([created.length, stale.length], [1, 1]);
    assert.deepEqual(
      (await listCatalogVersions(db)).map((v) => v.version),
      [3, 2, 1],
    );
  });
});
