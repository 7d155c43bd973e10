import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogHtml, catalogText, CHANGED_REGIONS, SEED_REGIONS } from "../catalog/document.fixture";
import { testDatabaseUrl } from "../testing/test-db";
import { authedRequest, createAuthFixture, useBearerByDefault, type AuthFixture } from "../testing/auth-fixture";

let fixture: AuthFixture;

// The handlers share the process-wide client, which reads DATABASE_URL on first use: set it before any import runs it.
const dir = mkdtempSync(join(tmpdir(), "x14-api-catalog-"));
process.env.DATABASE_URL = await testDatabaseUrl(dir, "api");

const { migrateDatabase } = await import("../db/migrate");
const { getDb } = await import("../db/client");
const api = await import("./catalog");
const exportApi = await import("./export");

const SEED_CHECKSUM = "f54d7f04b82b72227cb7619bdf19b876f28b53c6eece484f6d6322297dfefbe9";
const BASE = "http://localhost/api/v1/catalog";
const post = (
  body: unknown,
  path = "/import",
  headers: Record<string, string> = { "content-type": "application/json" },
) =>
  authedRequest(`${BASE}${path}`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers,
  });
const get = (path: string) => authedRequest(`${BASE}${path}`);
const versionCtx = (version: string) => ({ params: Promise.resolve({ version }) });

before(async () => {
  await migrateDatabase(process.env.DATABASE_URL);
  fixture = await createAuthFixture(getDb());
  useBearerByDefault(fixture.tokens.admin);
});
after(async () => {
  await getDb().$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("catalog API", () => {
  test("versions: the seed is version 1", async () => {
    const res = await api.listVersionsRoute(get("/versions"));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { versions: { importedAt: string }[] };
    assert.deepEqual(
      body.versions.map((v) => ({ ...v, importedAt: typeof v.importedAt })),
      [
        {
          version: 1,
          importedAt: "string",
          source: "lib/catalog/seed/freshworks-nat-ips.txt",
          checksum: SEED_CHECKSUM,
          note: "Seed catalog",
          entryCount: 43,
          links: { self: "/api/v1/catalog/versions/1" },
        },
      ],
    );
  });

  test("import: preview of an HTML upload as the raw body, then confirm, then the same again is no change", async () => {
    const html = catalogHtml(CHANGED_REGIONS);
    const preview = await api.importRoute(post(html, "/import?name=nat.html", { "content-type": "text/html" }));
    assert.equal(preview.status, 200);
    const { preview: p } = (await preview.json()) as {
      preview: {
        status: string;
        checksum: string;
        confirm: { baseVersion: number; checksum: string };
        changes: { added: number; removed: number };
      };
    };
    assert.deepEqual([p.status, p.changes.added, p.changes.removed, p.confirm.baseVersion], ["changed", 2, 1, 1]);
    assert.equal(await getDb().catalogVersion.count(), 1);

    const confirmed = await api.importRoute(post({ text: html, name: "nat.html", confirm: p.confirm }));
    assert.equal(confirmed.status, 201);
    assert.equal(confirmed.headers.get("location"), "/api/v1/catalog/versions/2");
    const c = (await confirmed.json()) as { created: boolean; version: { version: number; source: string } };
    assert.deepEqual([c.created, c.version.version, c.version.source], [true, 2, "upload: nat.html"]);

    const stale = await api.importRoute(post({ text: html, confirm: p.confirm }));
    assert.deepEqual(
      [stale.status, await stale.json()],
      [
        409,
        {
          error: {
            status: 409,
            code: "conflict",
            message: "Version 2 is now the newest, not 1: preview the document again.",
          },
        },
      ],
    );
    const same = await api.importRoute(post({ text: html, confirm: { baseVersion: 2, checksum: p.checksum } }));
    assert.equal(same.status, 200);
    const s = (await same.json()) as { created: boolean; reason: string; version: { version: number } };
    assert.deepEqual([s.created, s.reason, s.version.version], [false, "unchanged", 2]);
    assert.equal(await getDb().catalogVersion.count(), 2);
  });

  test("import errors: not a catalog (400 with the line), bad requests, unreachable URL (502)", async () => {
    const bad = await api.importRoute(post({ text: "Region\nNAT IPs\nXX\n" }));
    assert.deepEqual(
      [bad.status, await bad.json()],
      [
        400,
        {
          error: {
            status: 400,
            code: "bad_request",
            message: "Line 3 of the document's text: unknown region code XX.",
            issues: [{ line: 3, message: "Line 3 of the document's text: unknown region code XX." }],
          },
        },
      ],
    );
    const both = await api.importRoute(post({ text: "x", url: "http://127.0.0.1/" }));
    assert.deepEqual(
      [both.status, await both.json()],
      [
        400,
        {
          error: {
            status: 400,
            code: "bad_request",
            message: "The import request is not valid.",
            issues: [{ path: "text", message: "give exactly one of text and url" }],
          },
        },
      ],
    );
    const scheme = await api.importRoute(post({ url: "gopher://127.0.0.1/" }));
    assert.deepEqual(
      [scheme.status, await scheme.json()],
      [
        502,
        {
          error: { status: 502, code: "bad_gateway", message: "Only http and https URLs can be fetched, not gopher." },
        },
      ],
    );
  });

  test("viewers and editors may read versions but not import (403): importing is an admin's", async () => {
    for (const role of ["viewer", "editor"] as const) {
      const res = await api.importRoute(
        authedRequest(`${BASE}/import`, {
          method: "POST",
          body: JSON.stringify({ text: catalogText(SEED_REGIONS) }),
          headers: { "content-type": "application/json", ...fixture.headers(role) },
        }),
      );
      assert.deepEqual(
        [res.status, await res.json()],
        [
          403,
          { error: { status: 403, code: "forbidden", message: `Your role (${role}) does not allow catalog:import.` } },
        ],
      );
      assert.equal(
        (await api.listVersionsRoute(authedRequest(`${BASE}/versions`, { headers: fixture.headers(role) }))).status,
        200,
      );
    }
  });

  test("one version and the diff between two", async () => {
    const v1 = await api.getVersionRoute(get("/versions/1"), versionCtx("1"));
    const one = (await v1.json()) as { version: number; entries: unknown[]; regions: unknown[] };
    assert.deepEqual(
      [v1.status, one.version, one.entries.length, one.regions],
      [
        200,
        1,
        43,
        [
          { code: "US", name: "United States", count: 14 },
          { code: "EU", name: "Europe", count: 10 },
          { code: "IN", name: "India", count: 9 },
          { code: "AU", name: "Australia", count: 10 },
        ],
      ],
    );
    const latest = (await (await api.getVersionRoute(get("/versions/latest"), versionCtx("latest"))).json()) as {
      version: number;
    };
    assert.equal(latest.version, 2);
    assert.equal((await api.getVersionRoute(get("/versions/9"), versionCtx("9"))).status, 404);
    assert.equal((await api.getVersionRoute(get("/versions/x"), versionCtx("x"))).status, 404);

    const diff = await api.diffVersionsRoute(get("/diff?from=1&to=2"));
    const d = (await diff.json()) as {
      from: number;
      to: number;
      changes: { regions: { region: string; added: string[]; removed: string[] }[]; added: number; removed: number };
    };
    assert.deepEqual(
      [d.from, d.to, d.changes.added, d.changes.removed, d.changes.regions.map((r) => [r.region, r.added, r.removed])],
      [
        1,
        2,
        2,
        1,
        [
          ["US", ["52.1.37.97/32"], ["52.1.37.96/32"]],
          ["EU", ["2a05:d014::/64"], []],
          ["IN", [], []],
          ["AU", [], []],
        ],
      ],
    );
    const dflt = (await (await api.diffVersionsRoute(get("/diff"))).json()) as { from: number; to: number };
    assert.deepEqual([dflt.from, dflt.to], [1, 2]);
    assert.equal((await api.diffVersionsRoute(get("/diff?to=1"))).status, 404);
    assert.equal((await api.diffVersionsRoute(get("/diff?from=0"))).status, 400);
  });

  test("the export API takes ?version= (default the newest); an unknown version is 404", async () => {
    const plain = (q: string) =>
      exportApi.handleExportGet(
        authedRequest(`http://localhost/api/v1/export?format=plain&regions=us&aggregate=false&comments=false${q}`),
      );
    const v1 = await plain("&version=1");
    const newest = await plain("");
    const lines1 = (await v1.text()).split("\n");
    const lines2 = (await newest.text()).split("\n");
    assert.deepEqual(
      [
        v1.status,
        v1.headers.get("x-catalog-version"),
        lines1.includes("52.1.37.96/32"),
        lines1.includes("52.1.37.97/32"),
      ],
      [200, "1", true, false],
    );
    assert.deepEqual(
      [
        newest.status,
        newest.headers.get("x-catalog-version"),
        lines2.includes("52.1.37.96/32"),
        lines2.includes("52.1.37.97/32"),
      ],
      [200, "2", false, true],
    );
    const none = await plain("&version=7");
    assert.deepEqual(
      [none.status, ((await none.json()) as { error: { message: string } }).error.message],
      [404, "No catalog version 7."],
    );
  });
});
