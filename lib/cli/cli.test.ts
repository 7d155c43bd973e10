import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { testDatabaseUrl } from "../testing/test-db";

const root = fileURLToPath(new URL("../../", import.meta.url));
let dir = "";
let dbUrl = "";

function run(args: string[], input?: string, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, "lib/cli/launch.mjs", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: dbUrl, NO_COLOR: "1" },
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("allowlist CLI against a real database file", () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "allowlist-cli-"));
    dbUrl = await testDatabaseUrl(dir, "cli");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("full coverage of US and EU from a file: exit 0, exact JSON", () => {
    const us = SEED_CATALOG.filter((p) => p.region === "US" || p.region === "EU");
    const file = join(dir, "full.txt");
    writeFileSync(file, `${us.map((p) => p.cidr).join("\n")}\n`);
    const r = run(["diff", "--regions", "us,eu", "--input", file, "--json"]);
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json.regions, ["US", "EU"]);
    assert.equal(json.format, "plain");
    assert.deepEqual(json.summary, { published: 24, covered: 24, partial: 0, missing: 0 });
    assert.deepEqual(
      json.published,
      us.map((p, i) => ({
        cidr: p.cidr,
        region: p.region,
        products: ["Freshchat", "Freddy Self-service"],
        status: "covered",
        coveredBy: [{ line: i + 1, how: "exact" }],
      })),
    );
    assert.deepEqual(
      json.entries,
      us.map((p, i) => ({
        line: i + 1,
        status: "covers",
        flags: [],
        message: `Allows ${p.cidr} (${p.region}) exactly.`,
      })),
    );
    assert.deepEqual(
      json.lines,
      us.map((p, i) => ({ line: i + 1, text: p.cidr })),
    );
  });

  test("unusable input exits 2 with the same message as the UI and the API, never 'everything missing'", () => {
    const prose = run(["diff", "--regions", "eu"], "Hello team,\nplease allow the IPs.\n");
    assert.deepEqual(prose, {
      code: 2,
      stdout: "",
      stderr:
        "allowlist: Nothing recognised — is this the right format? No address or rule was found. Read as Plain list (detected).\n" +
        '  line 1: Hello team, — Not an address: "Hello" — not an IP address (column 1).\n' +
        '  line 2: please allow the IPs. — Not an address: "please" — not an IP address (column 1).\n',
    });
    assert.deepEqual(run(["diff", "--json"], ""), {
      code: 2,
      stdout: "",
      stderr:
        "allowlist: Nothing recognised — is this the right format? The input is empty. Read as Plain list (detected).\n",
    });
    assert.deepEqual(run(["diff", "--format", "iptables"], "\n \n"), {
      code: 2,
      stdout: "",
      stderr:
        "allowlist: Nothing recognised — is this the right format? The input is only whitespace. Read as iptables-save / ip6tables-save.\n",
    });
  });

  test("findings: sorted by line, human labels in the text, stable codes in the JSON, the same list in both", () => {
    const text = [
      "*filter",
      ":INPUT DROP [0:0]",
      "-A INPUT -s 3.74.148.9/32 -p tcp --dport 8443 -j ACCEPT",
      "-A INPUT -p icmp -j ACCEPT",
      "-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT",
      "-A INPUT -s 3.74.148.8/32 -p tcp --dport 443 -j ACCEPT",
      "-A INPUT -s 1.2.3.4/8 -j DROP",
      "COMMIT",
      "",
    ].join("\n");
    const human = run(["diff", "--regions", "eu"], text);
    assert.equal(human.code, 1);
    const lines = human.stdout.split("\n");
    const at = lines.indexOf("Findings (2):");
    assert.deepEqual(lines.slice(at, at + 4), [
      "Findings (2):",
      "  line 3      Wrong port: Only TCP 8443 — the checked port 443 is not allowed.",
      "  line 7      Deny, Host bits: Deny rule: it blocks no published NAT IP of the chosen regions.",
      "",
    ]);
    const json = JSON.parse(run(["diff", "--regions", "eu", "--json"], text).stdout) as { findings: unknown };
    assert.deepEqual(json.findings, [
      { line: 3, kind: "wrong-port", message: "Only TCP 8443 — the checked port 443 is not allowed." },
      { line: 7, kind: "deny", message: "Deny rule: it blocks no published NAT IP of the chosen regions." },
    ]);
  });

  test("partial list on stdin: exit 1 with the exact missing list", () => {
    const r = run(
      ["diff", "--regions", "IN", "--json"],
      "13.232.152.*\n52.66.184.184/255.255.255.255\n43.204.166.208/30\nbad\n",
    );
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json.summary, { published: 9, covered: 6, partial: 0, missing: 3 });
    assert.deepEqual(
      json.published.filter((p: { status: string }) => p.status === "missing").map((p: { cidr: string }) => p.cidr),
      ["35.154.161.243/32", "13.126.85.255/32", "13.234.127.182/32"],
    );
    assert.deepEqual(json.entries.at(-1), {
      line: 4,
      status: "invalid",
      flags: [],
      message: 'Not an address: "bad" — not an IP address (column 1).',
    });
    assert.deepEqual(json.lines.at(-1), { line: 4, text: "bad" });
  });

  test("human report names the missing entries and findings", () => {
    const r = run(["diff", "--regions", "au"], "3.105.197.171\n");
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^ {2}13\.210\.157\.231\/32 +AU +missing/m);
    assert.match(r.stdout, /9 missing, 0 partly covered of 10 published NAT IPs\./);
  });

  // Regression: every entry of a line carried the line's text, so a 1 MB line of addresses (131,072 entries) ran out
  // of memory and a 10 MB line printed gigabytes. Now: one cut copy of the line, in a 192 MB heap.
  test("a 1 MB line of addresses: --json and the human report stay small, in a small heap", () => {
    const text = `${"1.2.3.4 ".repeat(1 << 17)}\n`;
    const file = join(dir, "long.txt");
    writeFileSync(file, text);
    const r = run(["diff", "--regions", "us", "--input", file, "--json"], undefined, ["--max-old-space-size=192"]);
    assert.equal(r.stderr, "");
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout) as { entries: unknown[]; lines: { line: number; text: string }[] };
    assert.equal(json.entries.length, 1 << 17);
    assert.deepEqual(json.lines, [
      { line: 1, text: `${"1.2.3.4 ".repeat(25)}… (${text.trim().length - 200} more characters)` },
    ]);
    assert.ok(r.stdout.length < 20 * text.length, `${r.stdout.length} characters`);
    const human = run(["diff", "--regions", "us", "--input", file], undefined, ["--max-old-space-size=192"]);
    assert.equal(human.code, 1);
    assert.ok(human.stdout.length < 20_000, `${human.stdout.length} characters`);
    assert.match(human.stdout, /Findings \(131071\):/);
  });

  test("usage errors and unreadable input exit 2 with one line", () => {
    const unknown = run(["diff", "--bogus"]);
    assert.deepEqual([unknown.code, unknown.stderr], [2, "allowlist: Unknown option '--bogus'\n"]);
    const missing = run(["diff", "--input", join(dir, "nope.txt")]);
    assert.deepEqual(
      [missing.code, missing.stderr],
      [2, `allowlist: Cannot read "${join(dir, "nope.txt")}": no such file.\n`],
    );
    const region = run(["diff", "--regions", "mars"], "");
    assert.deepEqual(
      [region.code, region.stderr],
      [2, 'allowlist: --regions: unknown region "MARS" (known: US, EU, IN, AU, or all).\n'],
    );
    const port = run(["diff", "--port", "0"], "");
    assert.deepEqual([port.code, port.stderr], [2, "allowlist: --port: must be a port number from 1 to 65535\n"]);
  });

  test("check and regions", () => {
    const yes = run(["check", "52.1.37.96", "--json"]);
    assert.equal(yes.code, 0);
    assert.deepEqual(JSON.parse(yes.stdout), {
      query: "52.1.37.96",
      catalogVersion: 1,
      published: true,
      overlaps: true,
      matches: [
        { cidr: "52.1.37.96/32", region: "US", products: ["Freshchat", "Freddy Self-service"], contains: true },
      ],
    });
    // A prefix that only overlaps published entries is not published: exit 1, and the entries it overlaps.
    const wide = run(["check", "3.74.148.0/24"]);
    assert.deepEqual(
      [wide.code, wide.stderr, wide.stdout],
      [
        1,
        "",
        "3.74.148.0/24 is not published in Freshworks catalog v1: it overlaps 4 published entries:\n" +
          "  3.74.148.8/32        EU   Freshchat, Freddy Self-service\n" +
          "  3.74.148.9/32        EU   Freshchat, Freddy Self-service\n" +
          "  3.74.148.10/32       EU   Freshchat, Freddy Self-service\n" +
          "  3.74.148.11/32       EU   Freshchat, Freddy Self-service\n" +
          "Only those entries are published: allow them, not all of 3.74.148.0/24.\n",
      ],
    );
    const wideJson = JSON.parse(run(["check", "3.74.148.0/24", "--json"]).stdout) as {
      published: boolean;
      overlaps: boolean;
      matches: { contains: boolean }[];
    };
    assert.deepEqual(
      [wideJson.published, wideJson.overlaps, wideJson.matches.map((m) => m.contains)],
      [false, true, [false, false, false, false]],
    );
    // A prefix made only of published addresses is published.
    const whole = run(["check", "3.74.148.8/30"]);
    assert.deepEqual(
      [whole.code, whole.stdout.split("\n")[0]],
      [0, "3.74.148.8/30 is published in Freshworks catalog v1:"],
    );
    const no = run(["check", "10.0.0.1"]);
    assert.deepEqual([no.code, no.stdout], [1, "10.0.0.1 is not published in Freshworks catalog v1.\n"]);
    const regions = run(["regions", "--json"]);
    assert.equal(regions.code, 0);
    assert.deepEqual(JSON.parse(regions.stdout), {
      catalogVersion: 1,
      regions: [
        { code: "US", name: "United States", count: 14 },
        { code: "EU", name: "Europe", count: 10 },
        { code: "IN", name: "India", count: 9 },
        { code: "AU", name: "Australia", count: 10 },
      ],
    });
    const help = run(["check", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: allowlist check ADDRESS/);
  });
});
