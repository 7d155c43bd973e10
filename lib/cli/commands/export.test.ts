import { userInfo } from "node:os";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { createDb } from "../../db/client";
import { listExportRecords } from "../../db/export-record";
import { exportOptionsSchema, renderExport } from "../../export/prepare";
import type { ExportFormatId } from "../../export/types";
import { testDatabaseUrl } from "../../testing/test-db";

const root = fileURLToPath(new URL("../../../", import.meta.url));
// The seed catalog's checksum (see lib/db/catalog.test.ts): export comments name it.
const LABEL = "Freshworks catalog v1 (sha256:f54d7f04b82b)";
let dir = "";
let dbUrl = "";

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["lib/cli/launch.mjs", "export", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: dbUrl, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function render(format: ExportFormatId, regions: string[], input: Record<string, unknown>, entries = SEED_CATALOG) {
  const options = exportOptionsSchema.parse({ provider: "Freshworks", catalogLabel: LABEL, ...input });
  const result = renderExport(
    format,
    entries.filter((e) => regions.includes(e.region)),
    options,
    { regions },
  );
  assert.ok(result.ok);
  return result;
}

describe("allowlist export", () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "allowlist-cli-export-"));
    dbUrl = await testDatabaseUrl(dir, "cli");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("nftables for us,eu on stdout equals renderExport for the same options", () => {
    const r = run(["--format", "nftables", "--regions", "us,eu", "--ports", "443"]);
    assert.deepEqual([r.code, r.stderr], [0, ""]);
    assert.equal(r.stdout, render("nftables", ["US", "EU"], {}).files[0]?.content);
  });

  test("every option flag reaches the exporter", () => {
    const r = run([
      "--format",
      "cisco-asa",
      "--regions",
      "au",
      "--family",
      "4",
      "--no-aggregate",
      "--no-comments",
      "--name-prefix",
      "edge",
      "--destination",
      "203.0.113.0/24",
      "--ports",
      "8000-8100",
      "--protocol",
      "udp",
    ]);
    assert.deepEqual(
      [r.code, r.stderr],
      [
        0,
        "allowlist: warning: cisco-asa: edge-in is bound to no interface; 'access-group edge-in in interface outside' would replace the ACL bound there. If one is bound, add the permit lines to it with 'access-list <its name> line 1 extended permit ...' instead\n",
      ],
    );
    const want = render("cisco-asa", ["AU"], {
      family: "4",
      aggregate: false,
      comments: false,
      namePrefix: "edge",
      destination: "203.0.113.0/24",
      ports: "8000-8100",
      protocol: "udp",
    });
    assert.equal(r.stdout, want.files[0]?.content);
  });

  test("--sync, --deployment and the nftables table options reach the exporter", () => {
    const r = run([
      "--format",
      "nftables",
      "--regions",
      "eu",
      "--sync",
      "--deployment",
      "dedicated",
      "--nft-family",
      "inet",
      "--nft-table",
      "fw",
      "--nft-chain",
      "in",
    ]);
    assert.deepEqual([r.code, r.stderr], [0, ""]);
    const want = render("nftables", ["EU"], {
      scope: "sync",
      deployment: "dedicated",
      nftFamily: "inet",
      nftTable: "fw",
      nftChain: "in",
    });
    assert.equal(r.stdout, want.files[0]?.content);
    const bad = run(["--format", "nftables", "--deployment", "exclusive", "--nft-table", "a b"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--deployment: .*additive.*dedicated/);
    assert.match(bad.stderr, /--nft-table: a letter, then up to 63 letters, digits/);
  });

  test("--missing-from FILE --output FILE writes only the uncovered entries", () => {
    const list = join(dir, "fw.txt");
    writeFileSync(list, "52.1.37.96\n52.1.32.88\n44.206.73.232/29\n");
    const out = join(dir, "missing.rules");
    const r = run(["--format", "iptables", "--regions", "us", "--missing-from", list, "--output", out]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, "", ""]);
    const covered = ["52.1.37.96/32", "52.1.32.88/32"];
    const missing = SEED_CATALOG.filter(
      (e) => e.region === "US" && !covered.includes(e.cidr) && !e.cidr.startsWith("44.206.73."),
    );
    assert.equal(missing.length, 4);
    assert.equal(
      readFileSync(out, "utf8"),
      render("iptables", ["US"], { scope: "missing" }, missing).files[0]?.content,
    );
  });

  test("nothing missing: exit 0, nothing written, a note on stderr", () => {
    const r = run(
      ["--format", "plain", "--regions", "in", "--missing-from", "-", "--list-format", "plain"],
      "0.0.0.0/0\n",
    );
    assert.deepEqual(r, {
      code: 0,
      stdout: "",
      stderr: "allowlist: nothing is missing: the list covers every published entry of IN.\n",
    });
  });

  test("a multi-file format writes each file into --output DIR; --file picks one", () => {
    const out = join(dir, "gcp");
    const r = run(["--format", "gcp", "--regions", "eu", "--output", out]);
    const want = render("gcp", ["EU"], {});
    assert.deepEqual(
      [r.code, r.stdout, r.stderr],
      [0, "", `allowlist: wrote ${want.files.map((f) => join(out, f.name)).join(", ")}\n`],
    );
    assert.deepEqual(readdirSync(out).sort(), want.files.map((f) => f.name).sort());
    for (const f of want.files) assert.equal(readFileSync(join(out, f.name), "utf8"), f.content);
    const stdout = run(["--format", "azure-nsg", "--regions", "eu"]);
    assert.deepEqual(
      [stdout.code, stdout.stderr],
      [
        2,
        "allowlist: The Azure NSG (az network nsg rule create) export has 2 files (freshworks-eu-azure-nsg.sh, freshworks-eu-azure-nsg.json): use --output DIR, or --file NAME.\n",
      ],
    );
    const one = run(["--format", "gcp", "--regions", "eu", "--file", "freshworks-eu-gcp.json"]);
    assert.deepEqual([one.code, one.stdout, one.stderr], [0, want.files[1]?.content, ""]);
  });

  test("warnings go to stderr; an existing directory as --output receives the file", () => {
    const out = join(dir, "gcp");
    const r = run(["--format", "aws-prefix-list", "--regions", "eu", "--output", out]);
    const want = render("aws-prefix-list", ["EU"], {});
    const file = want.files[0];
    assert.equal(want.files.length, 1);
    assert.deepEqual(
      [r.code, r.stdout, r.stderr],
      [
        0,
        "",
        `${want.warnings.map((w) => `allowlist: warning: ${w}\n`).join("")}allowlist: wrote ${join(out, file?.name ?? "")}\n`,
      ],
    );
    assert.equal(readFileSync(join(out, file?.name ?? ""), "utf8"), file?.content);
  });

  test("usage errors, unreadable input and exporter errors exit 2, each listed", () => {
    assert.deepEqual(run([]), {
      code: 2,
      stdout: "",
      stderr: `allowlist: --format is required: one of ${readFormats()}.\n`,
    });
    assert.deepEqual(run(["--format", "pf", "--regions", "us,mars", "--family", "5"]), {
      code: 2,
      stdout: "",
      stderr: [
        `allowlist: --format: unknown format "pf": one of ${readFormats()}`,
        'allowlist: --regions: unknown region "MARS" (known: US, EU, IN, AU, or all)',
        'allowlist: --family: Invalid option: expected one of "4"|"6"|"both"',
        "",
      ].join("\n"),
    });
    assert.deepEqual(run(["--format", "csv", "--destination", "10.0.0.0/8"]), {
      code: 2,
      stdout: "",
      stderr: "allowlist: csv: the destination 10.0.0.0/8 cannot be expressed: a CSV list has no destination\n",
    });
    const nope = join(dir, "nope.txt");
    assert.deepEqual(run(["--format", "plain", "--missing-from", nope]), {
      code: 2,
      stdout: "",
      stderr: `allowlist: Cannot read "${nope}": no such file.\n`,
    });
    assert.deepEqual(run(["--format", "plain", "--bogus"]), {
      code: 2,
      stdout: "",
      stderr: "allowlist: Unknown option '--bogus'\n",
    });
    const help = run(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: allowlist export --format FORMAT/);
  });

  test("each written export is recorded with channel cli, as the machine's user, with an audit event each", async () => {
    const db = createDb(dbUrl);
    const ME = `cli:${userInfo().username}`;
    try {
      const rows = await listExportRecords(db);
      const events = await db.auditEvent.findMany({ where: { action: "export" }, select: { actor: true, ip: true } });
      assert.deepEqual(
        events,
        rows.map(() => ({ actor: ME, ip: "cli" })),
      );
      assert.deepEqual(
        rows.map((r) => [r.format, r.scope, r.source, r.regions.join(","), r.entryCount, r.channel, r.actor]).reverse(),
        [
          ["nftables", "full", "catalog", "US,EU", 24, "cli", ME],
          ["cisco-asa", "full", "catalog", "AU", 10, "cli", ME],
          ["nftables", "sync", "catalog", "EU", 10, "cli", ME],
          ["iptables", "missing", "paste", "US", 4, "cli", ME],
          ["gcp", "full", "catalog", "EU", 10, "cli", ME],
          ["gcp", "full", "catalog", "EU", 10, "cli", ME],
          ["aws-prefix-list", "full", "catalog", "EU", 10, "cli", ME],
        ],
      );
    } finally {
      await db.$disconnect();
    }
  });
});

function readFormats(): string {
  return "csv, plain, json, iptables, ip6tables, nftables, ipset, ufw, firewalld, nginx, apache, haproxy, cisco-asa, cisco-ios, junos-srx, panos, fortigate, checkpoint, aws-sg, aws-prefix-list, terraform-aws, azure-nsg, gcp, cloudflare, windows, mikrotik, k8s";
}

// Its own database: the export log the tests above assert is left as they wrote it.
describe("allowlist export: Junos zone-pair targets", () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "allowlist-cli-export-junos-"));
    dbUrl = await testDatabaseUrl(dir, "cli");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("--missing-from a Junos config: junos-srx inserts the policy before the pair's first deny; flags override", () => {
    // A new policy goes last in its zone pair; insert … before policy P moves it ahead of P (Junos "insert":
    // https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/command/insert.html).
    const pair = "set security policies from-zone internet to-zone dmz policy";
    const config = join(dir, "srx.set");
    writeFileSync(
      config,
      [
        "set interfaces ge-0/0/0 unit 0 family inet address 203.0.113.2/30",
        "set security zones security-zone internet interfaces ge-0/0/0.0",
        "set security zones security-zone dmz interfaces ge-0/0/1.0",
        `${pair} deny-all match source-address any`,
        `${pair} deny-all match destination-address any`,
        `${pair} deny-all match application any`,
        `${pair} deny-all then deny`,
        "",
      ].join("\n"),
    );
    const lastLine = (stdout: string) => stdout.trimEnd().split("\n").at(-1);
    const r = run(["--format", "junos-srx", "--regions", "us", "--no-comments", "--missing-from", config]);
    assert.equal(r.code, 0);
    assert.equal(
      lastLine(r.stdout),
      "insert security policies from-zone internet to-zone dmz policy allowlist-in before policy deny-all",
    );
    const given = run([
      "--format",
      "junos-srx",
      "--regions",
      "us",
      "--no-comments",
      "--target-from-zone",
      "untrust",
      "--target-to-zone",
      "web",
      "--target-policy",
      "p1",
    ]);
    assert.equal(given.code, 0);
    assert.equal(
      lastLine(given.stdout),
      "insert security policies from-zone untrust to-zone web policy allowlist-in before policy p1",
    );
    const bad = run(["--format", "junos-srx", "--target-policy", "p1"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--target-policy: a policy needs targetFromZone and targetToZone/);
  });
});
