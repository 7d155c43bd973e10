import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { catalogHtml, catalogText, CHANGED_REGIONS, SEED_REGIONS } from "../../catalog/document.fixture";
import { createDb } from "../../db/client";
import { createWebhook } from "../../db/notification";
import { testDatabaseUrl } from "../../testing/test-db";

const root = fileURLToPath(new URL("../../../", import.meta.url));
let dir = "";
let dbUrl = "";
let server: Server;
let page = catalogText(SEED_REGIONS);
let base = "";
const hookBodies: string[] = [];

/** The CLI as a real process; async, so this process's HTTP server keeps answering meanwhile. */
function run(args: string[], input = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["lib/cli/launch.mjs", "catalog", ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: dbUrl, NO_COLOR: "1", ALLOWLIST_OUTBOUND_ALLOW: "127.0.0.1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("allowlist catalog", () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "x14-cli-catalog-"));
    dbUrl = await testDatabaseUrl(dir, "cli");
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        if (req.method === "POST") {
          hookBodies.push(body);
          res.writeHead(204).end();
        } else res.writeHead(200, { "Content-Type": "text/plain" }).end(page);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  test("import without --yes and without a terminal shows the change and imports nothing (exit 1)", async () => {
    const file = join(dir, "page.html");
    writeFileSync(file, catalogHtml(CHANGED_REGIONS));
    const r = await run(["import", file]);
    assert.deepEqual([r.code, r.stderr], [1, "allowlist: not imported (pass --yes to import without asking).\n"]);
    assert.equal(
      r.stdout,
      [
        "Changes from version 1 (44 entries in the new list):",
        "2 added, 1 removed, 42 unchanged.",
        "  US: +1 −1 (14 → 14)",
        "    + 52.1.37.97/32",
        "    - 52.1.37.96/32",
        "  EU: +1 −0 (10 → 11)",
        "    + 2a05:d014::/64",
        "",
      ].join("\n"),
    );
    const versions = await run(["versions", "--json"]);
    assert.equal((JSON.parse(versions.stdout) as { versions: unknown[] }).versions.length, 1);
  });

  test("import --yes creates version 2; versions and diff show it", async () => {
    const file = join(dir, "page.html");
    const r = await run(["import", file, "--yes"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\nImported as version 2\.\n$/);
    const versions = await run(["versions", "--json"]);
    const v = (
      JSON.parse(versions.stdout) as {
        versions: { version: number; source: string; note: string; entryCount: number }[];
      }
    ).versions;
    assert.deepEqual(
      v.map((x) => [x.version, x.source, x.note, x.entryCount]),
      [
        [2, `upload: ${file}`, "+2 −1", 44],
        [1, "lib/catalog/seed/freshworks-nat-ips.txt", "Seed catalog", 43],
      ],
    );
    const diff = await run(["diff", "1", "2"]);
    assert.deepEqual(
      [diff.code, diff.stdout.split("\n").slice(0, 3)],
      [0, ["Catalog v1 → v2:", "2 added, 1 removed, 42 unchanged.", "  US: +1 −1 (14 → 14)"]],
    );
    const json = await run(["diff", "2", "1", "--json"]);
    const d = JSON.parse(json.stdout) as { from: number; to: number; changes: { added: number; removed: number } };
    assert.deepEqual([d.from, d.to, d.changes.added, d.changes.removed], [2, 1, 1, 2]);
  });

  test("check --url: no change is exit 0; a changed page is imported, exit 1; errors exit 2", async () => {
    page = catalogText(CHANGED_REGIONS);
    const same = await run(["check", "--url", `${base}/nat-ips`]);
    assert.deepEqual([same.code, same.stdout], [0, `No change: ${base}/nat-ips has the same list as version 2.\n`]);
    page = catalogText({ ...CHANGED_REGIONS, AU: [...(CHANGED_REGIONS.AU ?? []), "3.26.254.200/32"] });
    const changed = await run(["check", "--url", `${base}/nat-ips`, "--json"]);
    assert.equal(changed.code, 1);
    const out = JSON.parse(changed.stdout) as { created: boolean; version: number };
    assert.deepEqual([out.created, out.version], [true, 3]);
    const bad = await run(["check", "--url", "ftp://x/"]);
    assert.deepEqual([bad.code, bad.stderr], [2, "allowlist: Only http and https URLs can be fetched, not ftp.\n"]);
    const usage = await run(["diff", "1"]);
    assert.deepEqual([usage.code, usage.stderr], [2, "allowlist: catalog diff needs two version numbers: FROM TO.\n"]);
  });

  test("check --notify waits for the webhooks of the new version", async () => {
    const db = createDb(dbUrl);
    try {
      await createWebhook(db, { url: `${base}/hook`, secret: "cli-secret-0123456789", regions: [] });
    } finally {
      await db.$disconnect();
    }
    page = catalogText({ ...CHANGED_REGIONS, IN: [...(CHANGED_REGIONS.IN ?? []), "13.232.152.212/32"] });
    const r = await run(["check", "--url", `${base}/nat-ips`, "--notify"]);
    assert.deepEqual(
      [r.code, r.stdout.split("\n").at(-2), r.stderr],
      [1, "Imported as version 4. Notifications sent.", ""],
    );
    assert.equal(hookBodies.length, 1);
    const event = JSON.parse(hookBodies[0] ?? "{}") as {
      event: string;
      from: number;
      to: number;
      changes: { added: number };
    };
    assert.deepEqual([event.event, event.from, event.to, event.changes.added], ["catalog.version", 3, 4, 1]);
  });
});
