// SQLite with the app and the command line on one file: WAL lets readers through while another process writes, and
// the busy timeout (lib/db/client.ts) makes a write wait for another process's write lock instead of failing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedCatalogIfEmpty } from "./catalog";
import { createDb, SQLITE_BUSY_TIMEOUT_MS, type Db } from "./client";
import { createFirewall, listFirewalls, saveFirewallRevision } from "./firewall";
import { migrateDatabase } from "./migrate";
import { projectRoot } from "./paths";
import { onPostgres } from "../testing/test-db";

let tmp = "";
let path = "";
let db: Db;

function runNode(
  args: string[],
  env: Record<string, string> = {},
): { done: Promise<{ code: number | null; stdout: string; stderr: string }>; started: Promise<void> } {
  const child = spawn(process.execPath, args, { cwd: projectRoot, env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  let onStart = () => {};
  const started = new Promise<void>((resolve) => (onStart = resolve));
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes("locked\n")) onStart();
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return { done, started };
}

/** Another process that takes the write lock, says so, holds it for `ms`, then commits one row. */
function holdWriteLock(ms: number) {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.exec("BEGIN IMMEDIATE");
    db.prepare("UPDATE \\"Webhook\\" SET active = 1").run();
    process.stdout.write("locked\\n");
    setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${ms});
  `;
  return runNode(["-e", script, path]);
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "allowlist-sqlite-busy-"));
  path = join(tmp, "busy.db");
  await migrateDatabase(`file:${path}`);
  db = createDb(`file:${path}`);
  await seedCatalogIfEmpty(db);
});

after(async () => {
  await db?.$disconnect();
  await rm(tmp, { recursive: true, force: true });
});

const content = { format: "plain", regions: ["US"], port: 443, note: "" } as const;

describe("SQLite: the app and the command line writing at once", { skip: onPostgres && "SQLite only" }, () => {
  test("while another process holds the write lock, reads go on and writes wait for it, then succeed", async () => {
    const created = await createFirewall(db, { name: "Busy", description: "", text: "52.1.37.96\n", ...content });
    assert.ok(created.ok);
    const holdMs = 6000; // longer than better-sqlite3's default busy timeout (5 s): only our setting makes writes wait this long
    assert.ok(SQLITE_BUSY_TIMEOUT_MS > holdMs + 2000);
    const holder = holdWriteLock(holdMs);
    await holder.started;
    const t0 = Date.now();
    // WAL: a read does not wait for the writer.
    const page = await listFirewalls(db);
    assert.deepEqual(
      page.firewalls.map((f) => f.name),
      ["Busy"],
    );
    assert.ok(Date.now() - t0 < holdMs / 2, `a read waited ${Date.now() - t0} ms`);
    // The app's save and the command line's export record both wait for the lock, and both land.
    const cli = runNode(
      ["lib/cli/launch.mjs", "export", "--format", "plain", "--regions", "us", "--output", join(tmp, "out.txt")],
      {
        DATABASE_URL: `file:${path}`,
        NO_COLOR: "1",
      },
    );
    const saved = await saveFirewallRevision(db, created.value.id, {
      baseRevision: 1,
      text: "52.1.37.96\n52.1.37.97\n",
      ...content,
    });
    const waited = Date.now() - t0;
    const [cliResult, holderResult] = await Promise.all([cli.done, holder.done]);
    assert.deepEqual([holderResult.code, holderResult.stderr], [0, ""]);
    assert.deepEqual([cliResult.code, cliResult.stderr], [0, ""]);
    assert.ok(saved.ok);
    assert.equal(saved.value.headRevision, 2);
    assert.ok(waited >= holdMs - 500, `the save returned after ${waited} ms, before the lock was released`);
    assert.equal(await db.exportRecord.count({ where: { channel: "cli" } }), 1);
  });

  test("four command lines and the app writing at the same time: every write lands", async () => {
    const created = await createFirewall(db, { name: "Many", description: "", text: "52.1.37.96\n", ...content });
    assert.ok(created.ok);
    const before = await db.exportRecord.count({ where: { channel: "cli" } });
    const clis = Array.from({ length: 4 }, (_, i) =>
      runNode(
        ["lib/cli/launch.mjs", "export", "--format", "csv", "--regions", "eu", "--output", join(tmp, `many-${i}.csv`)],
        {
          DATABASE_URL: `file:${path}`,
          NO_COLOR: "1",
        },
      ),
    );
    let head = 1;
    for (let i = 0; i < 20; i++) {
      const saved = await saveFirewallRevision(db, created.value.id, {
        baseRevision: head,
        text: `52.1.37.${i}\n`,
        ...content,
      });
      assert.ok(saved.ok, JSON.stringify(saved));
      head = saved.value.headRevision;
    }
    const results = await Promise.all(clis.map((c) => c.done));
    assert.deepEqual(
      results.map((r) => [r.code, r.stderr]),
      Array.from({ length: 4 }, () => [0, ""]),
    );
    assert.equal(head, 21);
    assert.equal(await db.firewallRevision.count({ where: { firewallId: created.value.id } }), 21);
    assert.equal(await db.exportRecord.count({ where: { channel: "cli" } }), before + 4);
  });
});
