import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogText, CHANGED_REGIONS, SEED_REGIONS } from "../catalog/document.fixture";
import { testDatabaseUrl } from "../testing/test-db";
import { authedRequest, createAuthFixture, useBearerByDefault, type AuthFixture } from "../testing/auth-fixture";

let fixture: AuthFixture;

const dir = mkdtempSync(join(tmpdir(), "x14-api-alignment-"));
process.env.DATABASE_URL = await testDatabaseUrl(dir, "api");

const { migrateDatabase } = await import("../db/migrate");
const { getDb } = await import("../db/client");
const { ensureAppDatabase } = await import("../db/ready");
const { createFirewall } = await import("../db/firewall");
const { getCurrentCatalog } = await import("../db/catalog");
const { previewCatalogImport, confirmCatalogImport } = await import("../db/catalog-import");
const { listFirewallAlignments, listRetiredEntries } = await import("../db/firewall-alignment");
const api = await import("./alignment");

const ctx = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });
const US = SEED_REGIONS.US ?? [];
let ids: Record<string, number> = {};

before(async () => {
  await migrateDatabase(process.env.DATABASE_URL);
  fixture = await createAuthFixture(getDb());
  useBearerByDefault(fixture.tokens.admin);
  await ensureAppDatabase();
  const db = getDb();
  const make = async (name: string, text: string, regions: string[]) => {
    const r = await createFirewall(db, { name, description: "", text, format: "plain", regions, port: 443, note: "" });
    assert.ok(r.ok);
    return r.value.id;
  };
  ids = {
    edge: await make("edge", `${US.join("\n")}\n`, ["US"]),
    eu: await make("eu-gw", `${(SEED_REGIONS.EU ?? []).join("\n")}\n`, ["EU"]),
    half: await make("half", `${US.slice(0, 7).join("\n")}\n`, ["US"]),
  };
});
after(async () => {
  await getDb().$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("affected firewalls", () => {
  test("against version 1: complete lists are up to date, worst first", async () => {
    const db = getDb();
    const list = await listFirewallAlignments(db, await getCurrentCatalog(db));
    assert.deepEqual(
      list.map((f) => [f.name, f.alignment.label]),
      [
        ["half", "Needs 7 additions"],
        ["edge", "Up to date"],
        ["eu-gw", "Up to date"],
      ],
    );
  });

  test("after version 2 (US: 52.1.37.96 replaced by .97; EU: an IPv6 prefix added) the statuses follow", async () => {
    const db = getDb();
    const doc = { kind: "text", text: catalogText(CHANGED_REGIONS) } as const;
    const p = await previewCatalogImport(db, doc);
    assert.ok(p.ok);
    const done = await confirmCatalogImport(db, doc, { baseVersion: 1, checksum: p.preview.checksum });
    assert.ok(done.ok && done.created);
    const catalog = await getCurrentCatalog(db);
    assert.deepEqual(await listRetiredEntries(db, catalog), [{ cidr: "52.1.37.96/32", region: "US", lastVersion: 1 }]);
    const list = await listFirewallAlignments(db, catalog);
    assert.deepEqual(
      list.map((f) => [f.name, f.alignment.state, f.alignment.label]),
      [
        ["half", "needs-additions-has-stale", "Needs 8 additions, has 1 entry the vendor no longer publishes"],
        ["edge", "needs-additions-has-stale", "Needs 1 addition, has 1 entry the vendor no longer publishes"],
        ["eu-gw", "needs-additions", "Needs 1 addition"],
      ],
    );

    const res = await api.alignmentRoute(
      authedRequest(`http://localhost/api/v1/firewalls/${ids.edge}/alignment`),
      ctx(ids.edge ?? 0),
    );
    assert.deepEqual(await res.json(), {
      id: ids.edge,
      name: "edge",
      catalogVersion: 2,
      state: "needs-additions-has-stale",
      label: "Needs 1 addition, has 1 entry the vendor no longer publishes",
      additions: [{ cidr: "52.1.37.97/32", region: "US" }],
      stale: [{ line: 1, text: "52.1.37.96/32", token: "52.1.37.96/32", retired: ["52.1.37.96/32"] }],
      links: { bringInLine: `/api/v1/firewalls/${ids.edge}/bring-in-line?format=plain` },
    });
  });

  test("bring in line: the additions through the exporter, the removals as a list; recorded in the export log", async () => {
    const res = await api.bringInLineRoute(
      authedRequest(`http://localhost/api/v1/firewalls/${ids.edge}/bring-in-line?format=plain&comments=false`),
      ctx(ids.edge ?? 0),
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      format: string;
      additions: { entryCount: number; files: { name: string; content: string }[] };
      removals: { file: { name: string; content: string } };
    };
    assert.deepEqual(
      [body.format, body.additions.entryCount, body.additions.files.map((f) => f.content)],
      ["plain", 1, ["52.1.37.97/32\n"]],
    );
    assert.deepEqual(body.removals.file, {
      name: "edge-remove.txt",
      mime: "text/plain",
      content:
        "# edge: remove these lines; catalog version 2 no longer publishes what they allow.\n# line 1 (52.1.37.96/32)\n52.1.37.96/32\n",
    });
    const records = await getDb().exportRecord.findMany();
    assert.deepEqual(
      records.map((r) => [r.source, r.firewallId, r.scope, r.entryCount]),
      [["firewall", ids.edge, "missing", 1]],
    );
    const bad = await api.bringInLineRoute(
      authedRequest(`http://localhost/api/v1/firewalls/${ids.edge}/bring-in-line?format=nope`),
      ctx(ids.edge ?? 0),
    );
    assert.equal(bad.status, 400);
    const none = await api.alignmentRoute(authedRequest("http://localhost/api/v1/firewalls/999/alignment"), ctx(999));
    assert.equal(none.status, 404);
  });
});
