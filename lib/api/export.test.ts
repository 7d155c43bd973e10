import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { exportOptionsSchema, renderExport } from "../export/prepare";
import { migrateDatabase } from "../db/migrate";
import { testDatabaseUrl } from "../testing/test-db";
import { authedRequest, createAuthFixture, useBearerByDefault, type AuthFixture } from "../testing/auth-fixture";

let fixture: AuthFixture;

let tmp = "";
let handlers: typeof import("./export");
let records: typeof import("../db/export-record");
let getDb: typeof import("../db/client").getDb;
let label = "";

const BASE = "http://localhost/api/v1/export";
const US_EU = SEED_CATALOG.filter((e) => e.region === "US" || e.region === "EU");

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "allowlist-export-api-"));
  const url = await testDatabaseUrl(tmp, "api");
  process.env.DATABASE_URL = url;
  await migrateDatabase(url);
  // Imported after DATABASE_URL is set: the shared client reads it on first use.
  handlers = await import("./export");
  records = await import("../db/export-record");
  ({ getDb } = await import("../db/client"));
  fixture = await createAuthFixture(getDb());
  useBearerByDefault(fixture.tokens.admin);
  const { getCurrentCatalog } = await import("../db/catalog");
  const { ensureAppDatabase } = await import("../db/ready");
  await ensureAppDatabase();
  const catalog = await getCurrentCatalog(getDb());
  label = `Freshworks catalog v1 (sha256:${catalog.version.checksum.slice(0, 12)})`;
});

after(async () => {
  await getDb().$disconnect();
  await rm(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
  await getDb().exportRecord.deleteMany();
});

function expected(
  format: Parameters<typeof renderExport>[0],
  entries: typeof SEED_CATALOG,
  input: Record<string, unknown>,
  regions: string[],
) {
  const options = exportOptionsSchema.parse({ provider: "Freshworks", catalogLabel: label, ...input });
  const result = renderExport(format, entries, options, { regions });
  assert.ok(result.ok);
  return result;
}

async function recorded() {
  return (await records.listExportRecords(getDb())).map(({ id: _id, createdAt: _at, ...rest }) => rest);
}

async function errorBody(response: Response) {
  return { status: response.status, body: (await response.json()) as unknown };
}

describe("GET /api/v1/export", () => {
  test("a small case: the EU plain list without comments, byte for byte, and one recorded row", async () => {
    const response = await handlers.handleExportGet(authedRequest(`${BASE}?format=plain&regions=eu&comments=false`));
    assert.equal(response.status, 200);
    assert.equal(
      await response.text(),
      "3.71.140.232/32\n3.74.148.8/30\n18.184.146.22/32\n18.194.170.216/32\n18.197.127.133/32\n52.29.254.13/32\n52.57.253.205/32\n",
    );
    assert.deepEqual(Object.fromEntries(response.headers), {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": 'attachment; filename="freshworks-eu-plain.txt"',
      "x-catalog-version": "1",
      "x-export-entries": "10",
      "x-export-logged": "true",
      "x-export-warnings": "[]",
    });
    assert.deepEqual(await recorded(), [
      {
        format: "plain",
        scope: "full",
        options:
          '{"ports":"443","protocol":"tcp","destination":"any","namePrefix":"allowlist","comments":false,"aggregate":true,"family":"both"}',
        catalogVersion: 1,
        entryCount: 10,
        regions: ["EU"],
        channel: "api",
        source: "catalog",
        firewallId: null,
        actor: "token:admin-token (t-admin@example.com)",
      },
    ]);
  });

  test("nftables for US and EU equals renderExport for the same options", async () => {
    const response = await handlers.handleExportGet(
      authedRequest(`${BASE}?format=nftables&regions=us,eu&namePrefix=freshworks&ports=443,8443`),
    );
    assert.equal(response.status, 200);
    const want = expected("nftables", US_EU, { namePrefix: "freshworks", ports: "443,8443" }, ["US", "EU"]);
    assert.equal(await response.text(), want.files[0]?.content);
    assert.equal(response.headers.get("content-disposition"), 'attachment; filename="freshworks-us-eu-nftables.sh"');
  });

  test("sync and dedicated through the query string equal renderExport; the record says sync", async () => {
    const response = await handlers.handleExportGet(
      authedRequest(`${BASE}?format=iptables&regions=us&namePrefix=freshworks&scope=sync&deployment=dedicated`),
    );
    assert.equal(response.status, 200);
    const want = expected(
      "iptables",
      SEED_CATALOG.filter((e) => e.region === "US"),
      { namePrefix: "freshworks", scope: "sync", deployment: "dedicated" },
      ["US"],
    );
    assert.equal(await response.text(), want.files[0]?.content);
    assert.equal(response.headers.get("content-disposition"), 'attachment; filename="freshworks-us-sync-iptables.sh"');
    assert.deepEqual(
      (await recorded()).map((r) => [r.format, r.scope]),
      [["iptables", "sync"]],
    );
  });

  test("400 for a scope the request cannot have", async () => {
    const missing = await handlers.handleExportGet(authedRequest(`${BASE}?format=csv&scope=missing`));
    assert.equal(missing.status, 400);
    const body = (await missing.json()) as { error: { issues: { path: string; message: string }[] } };
    assert.deepEqual(body.error.issues, [
      { path: "scope", message: "a missing-only export needs the list to compare with (missingFrom)" },
    ]);
    const synced = await handlers.handleExportPost(
      authedRequest(BASE, {
        method: "POST",
        body: JSON.stringify({ format: "csv", scope: "sync", missingFrom: { text: "52.1.37.96" } }),
        headers: { "content-type": "application/json" },
      }),
    );
    assert.equal(synced.status, 400);
    assert.deepEqual(((await synced.json()) as { error: { issues: unknown } }).error.issues, [
      { path: "scope", message: "sync exports the whole selection; it does not take a list to compare with" },
    ]);
  });

  test("400 names every bad option at once, and nothing is recorded", async () => {
    const response = await handlers.handleExportGet(
      authedRequest(`${BASE}?format=pf&regions=us,mars&ports=0&family=5`),
    );
    assert.deepEqual(await errorBody(response), {
      status: 400,
      body: {
        error: {
          status: 400,
          code: "bad_request",
          message: "Invalid export request: format, regions, ports, family.",
          issues: [
            {
              path: "format",
              message: `unknown format "pf": one of ${(await import("../export/registry")).exportFormatIds.join(", ")}`,
            },
            { path: "regions", message: 'unknown region "MARS" (known: US, EU, IN, AU, or all)' },
            { path: "ports", message: '"0": ports are 1-65535' },
            { path: "family", message: 'Invalid option: expected one of "4"|"6"|"both"' },
          ],
        },
      },
    });
    assert.deepEqual(await recorded(), []);
  });

  test("400 for an unknown parameter, naming it", async () => {
    const response = await handlers.handleExportGet(authedRequest(`${BASE}?format=csv&port=443`));
    const body = (await response.json()) as { error: { message: string; issues: { path: string }[] } };
    assert.equal(response.status, 400);
    assert.equal(body.error.message, "Unknown export option: port.");
    assert.deepEqual(
      body.error.issues.map((i) => i.path),
      ["port"],
    );
  });

  test("400 lists the exporter's errors word for word", async () => {
    const response = await handlers.handleExportGet(authedRequest(`${BASE}?format=csv&destination=10.0.0.0/8`));
    assert.deepEqual(await errorBody(response), {
      status: 400,
      body: {
        error: {
          status: 400,
          code: "bad_request",
          message: "The csv export cannot express this request.",
          issues: [{ message: "csv: the destination 10.0.0.0/8 cannot be expressed: a CSV list has no destination" }],
        },
      },
    });
  });

  test("a multi-file format asks for as=json or file=, and serves either", async () => {
    const plain = await handlers.handleExportGet(authedRequest(`${BASE}?format=gcp&regions=au`));
    assert.equal(plain.status, 400);
    assert.equal(
      ((await plain.json()) as { error: { message: string } }).error.message,
      "The Google Cloud (gcloud compute firewall-rules) export has 2 files (freshworks-au-gcp.sh, freshworks-au-gcp.json): add as=json to get them all, or file=NAME for one.",
    );
    const want = expected("gcp", SEED_CATALOG, {}, ["AU"]);
    const json = await handlers.handleExportGet(authedRequest(`${BASE}?format=gcp&regions=au&as=json`));
    assert.deepEqual(await json.json(), {
      format: "gcp",
      label: "Google Cloud (gcloud compute firewall-rules)",
      scope: "full",
      regions: ["AU"],
      catalogVersion: 1,
      entryCount: 10,
      warnings: [...want.warnings],
      files: want.files.map((f) => ({ ...f })),
    });
    const one = await handlers.handleExportGet(
      authedRequest(`${BASE}?format=gcp&regions=au&file=freshworks-au-gcp.json`),
    );
    assert.equal(await one.text(), want.files[1]?.content);
    assert.equal(one.headers.get("content-type"), "application/json");
    assert.equal((await recorded()).length, 2);
  });

  test("401 without a token; a viewer token may export, recorded under the token's name and owner", async () => {
    const anonymous = await handlers.handleExportGet(new Request(`${BASE}?format=plain`));
    assert.equal(anonymous.status, 401);
    const viewer = await handlers.handleExportGet(
      authedRequest(`${BASE}?format=plain&regions=in`, { headers: fixture.headers("viewer") }),
    );
    assert.equal(viewer.status, 200);
    assert.deepEqual(
      (await recorded()).map((r) => r.actor),
      ["token:viewer-token (t-viewer@example.com)"],
    );
  });
});

describe("POST /api/v1/export", () => {
  const post = (body: unknown) =>
    handlers.handleExportPost(
      authedRequest(BASE, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );

  test("missing-only from a pasted list: exactly the uncovered entries, recorded as paste", async () => {
    const covered = US_EU.filter((e) => !["52.1.37.96/32", "3.74.148.10/32"].includes(e.cidr)).map((e) => e.cidr);
    const response = await post({
      format: "cisco-asa",
      regions: "us,eu",
      namePrefix: "fw1",
      missingFrom: { text: covered.join("\n") },
    });
    assert.equal(response.status, 200);
    const missing = US_EU.filter((e) => ["52.1.37.96/32", "3.74.148.10/32"].includes(e.cidr));
    const want = expected("cisco-asa", missing, { namePrefix: "fw1", scope: "missing" }, ["US", "EU"]);
    assert.equal(await response.text(), want.files[0]?.content);
    assert.equal(
      response.headers.get("content-disposition"),
      'attachment; filename="freshworks-us-eu-missing-cisco-asa.txt"',
    );
    const rows = await recorded();
    assert.deepEqual(
      rows.map((r) => [r.scope, r.source, r.entryCount, r.regions]),
      [["missing", "paste", 2, ["US", "EU"]]],
    );
  });

  test("nothing missing: 204 and no record", async () => {
    const response = await post({
      format: "plain",
      regions: ["IN"],
      missingFrom: { text: "0.0.0.0/0", format: "plain" },
    });
    assert.equal(response.status, 204);
    assert.equal(await response.text(), "");
    assert.deepEqual(await recorded(), []);
  });

  test("missing-only from a saved firewall uses its regions and list", async () => {
    const { createFirewall } = await import("../db/firewall");
    const created = await createFirewall(getDb(), {
      name: "edge-1",
      description: "",
      text: "3.105.197.171\n13.210.157.231\n",
      format: "plain",
      regions: ["AU"],
      port: 443,
      note: "",
    });
    assert.ok(created.ok);
    const fw = created.value;
    const response = await post({
      format: "plain",
      comments: false,
      aggregate: false,
      missingFrom: { firewallId: fw.id },
    });
    assert.equal(response.status, 200);
    assert.equal(
      await response.text(),
      [
        "3.26.254.196/32",
        "3.26.254.197/32",
        "3.26.254.198/32",
        "3.26.254.199/32",
        "3.104.16.220/32",
        "13.238.97.24/32",
        "13.238.188.219/32",
        "54.206.10.178/32",
        "",
      ].join("\n"),
    );
    assert.deepEqual(
      (await recorded()).map((r) => [r.source, r.firewallId, r.regions, r.entryCount]),
      [["firewall", fw.id, ["AU"], 8]],
    );
    const unknown = await post({ format: "plain", missingFrom: { firewallId: 9999 } });
    assert.equal(unknown.status, 404);
  });

  test("400 for a malformed missingFrom, unknown keys and bad JSON", async () => {
    const bad = await post({ format: "plain", missingFrom: { txt: "x" } });
    assert.equal(bad.status, 400);
    const extra = await post({ format: "plain", colour: "red" });
    assert.equal(
      ((await extra.json()) as { error: { message: string } }).error.message,
      "Unknown export option: colour.",
    );
    const broken = await handlers.handleExportPost(
      authedRequest(BASE, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }),
    );
    assert.equal(broken.status, 400);
  });

  test("413 over 20 MB, before anything is parsed or recorded", async () => {
    const text = "1.2.3.4\n".repeat((20 * 1024 * 1024) / 8 + 1);
    const response = await post({ format: "plain", missingFrom: { text } });
    assert.deepEqual(await errorBody(response), {
      status: 413,
      body: {
        error: {
          status: 413,
          code: "payload_too_large",
          message: "The missingFrom text is larger than the limit of 20 MB.",
        },
      },
    });
    assert.deepEqual(await recorded(), []);
  });

  // Regression: the limit counted the body's JSON escaping, so a 4 MB text written with escapes was refused.
  test("a 4 MB text whose JSON body is 24 MB is accepted", async () => {
    const text = "\u0001".repeat(4 * 1024 * 1024);
    const response = await post({ format: "plain", regions: "au", missingFrom: { text } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-export-entries"), "10");
  });
});

describe("every API export is logged, with an audit event", () => {
  test("the export log and the audit trail both name the token's owner", async () => {
    const r = await handlers.handleExportGet(
      authedRequest(`${BASE}?format=plain&regions=au`, {
        headers: { ...fixture.headers("editor"), "x-forwarded-for": "192.0.2.7" },
      }),
    );
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("x-export-logged"), "true");
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "export" }, orderBy: { id: "desc" } });
    assert.deepEqual(
      [event.actor, event.ip, JSON.parse(event.details).regions],
      ["token:editor-token (t-editor@example.com)", "192.0.2.7", "AU"],
    );
  });
});
