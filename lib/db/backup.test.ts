// `allowlist db backup` / `db restore` as a real process, on the database the suite runs on (TEST_DATABASE): every row
// of every table after the round trip is the row before it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { seedCatalogIfEmpty } from "./catalog";
import { createDb, type Db } from "./client";
import { migrateDatabase } from "./migrate";
import { projectRoot } from "./paths";
import { databaseTarget } from "./target";
import { onPostgres, testDatabaseUrl } from "../testing/test-db";

let tmp = "";
let url = "";
let db: Db;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ["lib/cli/launch.mjs", ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: url, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every row of every table (Prisma's bookkeeping included), each table in primary-key order. */
async function allRows(): Promise<Record<string, unknown[]>> {
  const target = databaseTarget(url);
  const out: Record<string, unknown[]> = {};
  if (target.kind === "sqlite") {
    const sqlite = new Database(target.path, { readonly: true });
    try {
      const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[];
      for (const { name } of tables) out[name] = sqlite.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all();
    } finally {
      sqlite.close();
    }
    return out;
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    for (const { name } of tables.rows) out[name] = (await client.query(`SELECT * FROM "${name}" ORDER BY 1, 2`)).rows;
    // Sequences too: a restore that forgot them would hand out ids that exist.
    const seqs = await client.query(
      "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1",
    );
    out["(sequences)"] = seqs.rows;
  } finally {
    await client.end();
  }
  return out;
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "allowlist-backup-"));
  url = await testDatabaseUrl(tmp, "backup");
  await migrateDatabase(url);
  db = createDb(url);
  await seedCatalogIfEmpty(db);
  // A row in every table the app writes, with the awkward values: nulls, unicode, newlines, dates with milliseconds.
  const fw = await db.firewall.create({
    data: { name: "Edge — Zürich", nameKey: "edge — zürich", description: "line 1\nline 2", headRevision: 2 },
  });
  await db.firewallRevision.createMany({
    data: [
      {
        firewallId: fw.id,
        number: 1,
        text: "52.1.37.96\n",
        format: "plain",
        regions: "US",
        port: 443,
        createdAt: new Date("2026-01-02T03:04:05.678Z"),
      },
      {
        firewallId: fw.id,
        number: 2,
        text: "52.1.37.96\n2a05:d014::/32\n",
        format: "plain",
        regions: "US,EU",
        port: 8443,
        note: "ünïcödé ✓",
      },
    ],
  });
  const version = await db.catalogVersion.findFirstOrThrow();
  await db.exportRecord.create({
    data: {
      format: "csv",
      scope: "full",
      options: '{"port":443}',
      catalogVersionId: version.id,
      entryCount: 43,
      firewallId: null,
    },
  });
  await db.feed.create({
    data: {
      name: "EDL",
      kind: "firewall",
      firewallId: fw.id,
      tokenHash: "a".repeat(64),
      tokenHint: "abcd",
      lastPolledAt: new Date("2026-03-04T05:06:07.089Z"),
    },
  });
  await db.webhook.create({ data: { url: "https://hooks.example/x", secret: "s3cret", active: false } });
  await db.notificationDelivery.create({
    data: {
      channel: "webhook",
      target: "https://hooks.example/x",
      event: "catalog.version",
      payload: "{}",
      status: "failed",
      responseCode: 503,
    },
  });
});

after(async () => {
  await db?.$disconnect();
  await rm(tmp, { recursive: true, force: true });
});

describe(`db backup and restore (${onPostgres ? "PostgreSQL" : "SQLite"})`, () => {
  test("a round trip gives back every row of every table; the restored database takes new writes", async () => {
    const before = await allRows();
    assert.equal(before.Firewall?.length, 1);
    assert.equal(before.PublishedEntry?.length, 43);
    const file = join(tmp, "backup.dump");
    const backup = cli(["db", "backup", file]);
    assert.deepEqual([backup.code, backup.stderr], [0, ""]);
    assert.match(backup.stdout, /^Backed up .+ to .+backup\.dump\.\n$/);

    // Changes after the backup, which the restore must undo.
    await db.firewall.create({ data: { name: "Later", nameKey: "later" } });
    await db.webhook.deleteMany({});
    await db.feed.updateMany({ data: { pollCount: 7 } });
    assert.notDeepEqual(await allRows(), before);

    const restore = cli(["db", "restore", file, "--yes"]);
    assert.deepEqual([restore.code, restore.stderr], [0, ""]);
    assert.match(restore.stdout, /^Restored .+ from .+backup\.dump\.\n$/);
    assert.deepEqual(await allRows(), before);

    // A new connection after the restore: new ids continue after the restored ones.
    const fresh = createDb(url);
    try {
      const made = await fresh.firewall.create({ data: { name: "After restore", nameKey: "after restore" } });
      assert.ok(made.id > (before.Firewall?.[0] as { id: number }).id);
    } finally {
      await fresh.$disconnect();
    }
  });

  test("a backup never overwrites; a restore needs --yes without a terminal and refuses what is not a backup", async () => {
    const existing = join(tmp, "exists.dump");
    await writeFile(existing, "x");
    assert.deepEqual(cli(["db", "backup", existing]), {
      code: 2,
      stdout: "",
      stderr: `allowlist: ${existing} exists already: choose a new file name.\n`,
    });
    const notBackup = join(tmp, "not-a-backup.txt");
    await writeFile(notBackup, "hello, this is text\n");
    assert.deepEqual(cli(["db", "restore", notBackup]), {
      code: 1,
      stdout: "",
      stderr: "Not restored (confirm, or pass --yes).\n",
    });
    const kind = onPostgres
      ? "a PostgreSQL backup (pg_dump custom format)"
      : "a SQLite backup (a PostgreSQL backup restores only into PostgreSQL)";
    assert.deepEqual(cli(["db", "restore", notBackup, "--yes"]), {
      code: 2,
      stdout: "",
      stderr: `allowlist: ${notBackup} is not ${kind}.\n`,
    });
    assert.deepEqual(cli(["db", "restore", join(tmp, "missing.dump"), "--yes"]), {
      code: 2,
      stdout: "",
      stderr: `allowlist: The backup ${join(tmp, "missing.dump")} cannot be read.\n`,
    });
  });
});
