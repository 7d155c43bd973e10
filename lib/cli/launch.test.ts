import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { testDatabaseUrl } from "../testing/test-db";

/**
 * lib/cli/launch.mjs: the bundle is built into its own directory here (ALLOWLIST_CLI_CACHE_DIR), run through node:vm,
 * and compiled from V8's code cache from the second run on. ALLOWLIST_CLI_DEBUG makes it say which (on stderr).
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
let dir = "";
let cacheDir = "";

function run(args: string[], databaseUrl: string) {
  const r = spawnSync(process.execPath, ["lib/cli/launch.mjs", ...args], {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NO_COLOR: "1",
      ALLOWLIST_CLI_CACHE_DIR: cacheDir,
      ALLOWLIST_CLI_DEBUG: "1",
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const files = () => readdirSync(cacheDir).sort();

describe("the command line's launcher: one bundle, run from V8's code cache", () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "allowlist-launch-"));
    cacheDir = join(dir, "cli");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the first run builds the bundle and writes its cache; the next run is compiled from that cache", () => {
    const db = `file:${join(dir, "unused.db")}`;
    const first = run(["diff", "--help"], db);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, "allowlist: code cache absent\n");
    assert.match(first.stdout, /^Usage: allowlist diff /);
    const [bundle, cache, stamp, thread, ...rest] = files();
    assert.deepEqual(rest, []);
    assert.match(bundle!, /^main-[0-9a-f]{16}\.cjs$/);
    assert.equal(cache, `${bundle}.cache`);
    assert.equal(stamp, "stamp");
    // The sweep thread's bundle (lib/cli/diff-thread.ts), built with the command line's; it has no code cache.
    assert.match(thread!, /^sweep-thread-[0-9a-f]{16}\.cjs$/);
    // The stamp is the sources' digest and the bundles' names; a name is a digest of the bundle's contents.
    assert.match(readFileSync(join(cacheDir, "stamp"), "utf8"), new RegExp(`^[0-9a-f]{40}\\n${bundle}\\n${thread}$`));

    const second = run(["diff", "--help"], db);
    assert.equal(second.code, 0);
    assert.equal(second.stderr, "allowlist: code cache accepted\n");
    assert.equal(second.stdout, first.stdout);
  });

  test("a damaged cache is refused by V8, the command still runs, and the cache is written again", () => {
    const db = `file:${join(dir, "unused.db")}`;
    const cache = files().find((f) => f.endsWith(".cache"))!;
    writeFileSync(join(cacheDir, cache), Buffer.alloc(4096, 7));
    const damaged = run(["regions", "--help"], db);
    assert.equal(damaged.code, 0);
    assert.equal(damaged.stderr, "allowlist: code cache rejected\n");
    assert.match(damaged.stdout, /^Usage: allowlist regions/);
    assert.equal(run(["regions", "--help"], db).stderr, "allowlist: code cache accepted\n");
  });

  test("a stamp that names a missing bundle builds it again", () => {
    const db = `file:${join(dir, "unused.db")}`;
    const bundle = files().find((f) => f.startsWith("main-") && f.endsWith(".cjs"))!;
    const thread = files().find((f) => f.startsWith("sweep-thread-"))!;
    rmSync(join(cacheDir, bundle));
    rmSync(join(cacheDir, `${bundle}.cache`));
    const r = run(["diff", "--help"], db);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "allowlist: code cache absent\n");
    // The same sources give the same bundles, under the same names.
    assert.deepEqual(files(), [bundle, `${bundle}.cache`, "stamp", thread]);
    // So does a missing thread bundle.
    rmSync(join(cacheDir, thread));
    assert.equal(run(["diff", "--help"], db).stderr, "allowlist: code cache accepted\n");
    assert.deepEqual(files(), [bundle, `${bundle}.cache`, "stamp", thread]);
  });

  test("from the code cache, a new database is still created and seeded (Prisma and the migrations load lazily)", async () => {
    // Scripts compiled from V8's code cache lost their dynamic-import callback: `import()` of Prisma's adapter failed
    // with "A dynamic import callback was not specified" on the first run against a new database. The bundle now
    // has no `import()`.
    assert.equal(run(["diff", "--help"], `file:${join(dir, "unused.db")}`).stderr, "allowlist: code cache accepted\n");
    const db = await testDatabaseUrl(dir, "launch");
    const r = run(["regions"], db);
    assert.equal(r.stderr, "allowlist: code cache accepted\n");
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      [
        "Freshworks catalog v1",
        "  US   United States              14 NAT IPs",
        "  EU   Europe                     10 NAT IPs",
        "  IN   India                       9 NAT IPs",
        "  AU   Australia                  10 NAT IPs",
        "",
      ].join("\n"),
    );
  });
});
