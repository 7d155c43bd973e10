import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { diff } from "../diff/engines/objects";
import { diffReportJson } from "../diff/report";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { parsePlain } from "../parse/plain";
import { plainLine } from "../parse/plain.testkit";
import { testDatabaseUrl } from "../testing/test-db";

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
