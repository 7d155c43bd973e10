import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { diff } from "../diff/engines/objects";
import { diffReportJson } from "../diff/report";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { parsePlain } from "../parse/plain";
import { plainLine } from "../parse/plain.testkit";
import { testDatabaseUrl } from "../testing/test-db";
import { DIFF_THREAD_BYTES } from "./diff-thread";

const root = fileURLToPath(new URL("../../", import.meta.url));
let dir = "";
let dbUrl = "";

function run(args: string[], fastPath: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: dbUrl, NO_COLOR: "1" };
  if (fastPath) delete env.ALLOWLIST_NO_FAST_PATH;
  else env.ALLOWLIST_NO_FAST_PATH = "1";
  const r = spawnSync(process.execPath, ["lib/cli/launch.mjs", ...args], {
    cwd: root,
    encoding: "utf8",
    env,
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("allowlist diff: the columnar fast path prints what the reference path prints", () => {
  // A fixed sample: every kind of plain line, the published IPs, junk and comments, 3,000 lines.
  const lines = fc.sample(fc.oneof(plainLine, fc.constantFrom(...SEED_CATALOG.map((p) => p.cidr.replace("/32", "")))), {
    seed: 7,
    numRuns: 3000,
  });
  const text = `${lines.join("\n")}\n`;
  let file = "";
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "allowlist-fast-"));
    dbUrl = await testDatabaseUrl(dir, "cli");
    file = join(dir, "list.txt");
    writeFileSync(file, text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: { args: string[]; regions?: string[]; port?: number }[] = [
    { args: ["--json"] },
    { args: ["--json", "--regions", "us,in", "--format", "plain"], regions: ["US", "IN"] },
    { args: [] },
    { args: ["--regions", "eu", "--port", "80"], regions: ["EU"], port: 80 },
  ];
  for (const { args, regions, port } of cases) {
    test(`diff ${args.join(" ")}: byte-identical output and the same exit status`, () => {
      const fast = run(["diff", "--input", file, ...args], true);
      const reference = run(["diff", "--input", file, ...args], false);
      assert.deepEqual(fast, reference);
      const expected = diff(SEED_CATALOG, parsePlain(text), {
        ...(regions ? { regions } : {}),
        ...(port ? { port } : {}),
      });
      assert.deepEqual(
        { code: fast.code, stderr: fast.stderr },
        { code: expected.summary.missing + expected.summary.partial > 0 ? 1 : 0, stderr: "" },
      );
      if (args[0] === "--json") {
        // And both are what the object engine's JSON builder prints.
        const version = (JSON.parse(fast.stdout) as { catalogVersion: number }).catalogVersion;
        assert.equal(fast.stdout, diffReportJson(expected, version));
      }
    });
  }
});

describe("allowlist diff on two threads: a list of 8 MiB or more prints what one thread prints", () => {
  let file = "";
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "allowlist-threads-"));
    dbUrl = await testDatabaseUrl(dir, "cli");
    file = join(dir, "list.txt");
    // 640,000 lines, a fifth IPv6 from a small space (duplicates, prefixes inside others), every published IP.
    let x = 2463534242;
    const next = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    };
    const lines: string[] = [];
    for (let i = 0; i < 640_000; i++) {
      const r = next() % 100;
      const v = next();
      if (r < 20) lines.push(r < 10 ? `2001:db8::${(v % 4096).toString(16)}` : `2001:db8:${v % 64}::/${48 + (v % 17)}`);
      else if (r === 20) lines.push(SEED_CATALOG[v % SEED_CATALOG.length]!.cidr);
      else
        lines.push(`${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}${r < 35 ? `/${16 + (v % 17)}` : ""}`);
    }
    writeFileSync(file, `${lines.join("\n")}\n`);
    assert.ok(statSync(file).size >= DIFF_THREAD_BYTES);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const args of [[], ["--json"]]) {
    const name = `diff${args.map((a) => ` ${a}`).join("")}: the same bytes with ALLOWLIST_CLI_THREADS=1, and the thread did sweep`;
    test(
      name,
      { skip: availableParallelism() < 2 ? "one CPU: the command line starts no second thread" : false },
      () => {
        const env = { ...process.env, DATABASE_URL: dbUrl, NO_COLOR: "1", ALLOWLIST_CLI_DEBUG: "1" };
        const launch = (extra: Record<string, string>) =>
          spawnSync(process.execPath, ["lib/cli/launch.mjs", "diff", "--input", file, ...args], {
            cwd: root,
            encoding: "utf8",
            env: { ...env, ...extra },
            maxBuffer: 1 << 30,
          });
        const two = launch({});
        const one = launch({ ALLOWLIST_CLI_THREADS: "1" });
        assert.equal(two.status, 0, two.stderr);
        assert.equal(one.status, 0, one.stderr);
        assert.ok(two.stdout === one.stdout, "the outputs differ");
        assert.match(two.stderr, /^allowlist: 128098 IPv6 entries swept on a second thread$/m);
        assert.doesNotMatch(two.stderr, /did not finish/);
        assert.doesNotMatch(one.stderr, /second thread/);
        // The list has duplicates and redundant entries of both families.
        if (args.length === 0) assert.match(one.stdout, /Findings \(\d{6}\)/);
        else assert.ok(one.stdout.includes('"duplicate"') && one.stdout.includes('"redundant"'));
      },
    );
  }
});
