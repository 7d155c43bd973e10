import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync } from "node:fs";
import { describe, test, type TestContext } from "node:test";
import { makeAddress } from "../../ip/address";
import { formatPrefix, makePrefix, mustParsePrefix } from "../../ip/prefix";
import { IPSet } from "../../ip/set";
import type { Family, Prefix } from "../../ip/types";
import { buildCatalog } from "../../catalog/catalog";
import { diff } from "../../diff/engines/objects";
import { missingDelta } from "../../diff/missing";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { parseText, parsers } from "../../parse/registry";
import type { Entry, FormatId } from "../../parse/types";
import { assertSucceeded, inNamespace, requireTools, workDir } from "../checkers";
import { exportCases, ipv6Entries, missingSubset, seedUsEu, type ExportCase } from "../fixtures";
import { assertGolden } from "../golden";
import { objectName } from "../helpers";
import { withBlockingDenies, withDeltaTarget } from "../input-format";
import { exportBaseName, exportOptionsSchema, prepareExport, renderExport } from "../prepare";
import type { ExportFile, ExportItem, ExportOptions, RenderResult } from "../types";
import { cloudflarePrefixes } from "./cloudflare";
import { vendorExporters } from "./vendor";

type VendorId = keyof typeof vendorExporters;

const options = (input: Readonly<Record<string, unknown>> = {}): ExportOptions =>
  exportOptionsSchema.parse({ provider: "Freshworks", catalogLabel: "freshworks v1", namePrefix: "fw", ...input });

/** `count` distinct, non-adjacent host prefixes of one family, so aggregation cannot merge them. */
function hosts(family: Family, count: number): ExportItem[] {
  const base = family === 4 ? 0x0a000000n : 0x20010db8n << 96n;
  return Array.from({ length: count }, (_, k) => ({
    prefix: makePrefix(makeAddress(family, base + BigInt(k) * 2n), family === 4 ? 32 : 128),
    regions: ["US"],
    products: [],
  }));
}

const item = (cidr: string): ExportItem => ({
  prefix: mustParsePrefix(cidr),
  regions: ["US"],
  products: ["Freshchat"],
});

function files(result: RenderResult): readonly ExportFile[] {
  if (!result.ok) assert.fail(`refused: ${result.errors.join("; ")}`);
  return result.files;
}

const fileOf = (result: RenderResult, k = 0): string => files(result)[k]?.content ?? assert.fail("no such file");

/** The shared cases, plus a port range without a destination (formats that refuse destinations show endPort etc.). */
const goldenCases: readonly ExportCase[] = [
  ...exportCases,
  {
    name: "port-range",
    entries: [...seedUsEu, ...ipv6Entries],
    input: { provider: "Freshworks", catalogLabel: "freshworks v1", namePrefix: "freshworks", ports: "443,8000-8100" },
  },
];

describe("vendor exporters: exact goldens", () => {
  for (const exporter of Object.values(vendorExporters)) {
    for (const c of goldenCases) {
      test(`${exporter.id} ${c.name}`, () => {
        const opts = exportOptionsSchema.parse(c.input);
        const regions = c.regions;
        const result = renderExport(exporter.id, c.entries, opts, regions ? { regions } : {});
        if (!result.ok) {
          assertGolden(exporter.id, `${c.name}.error`, "txt", `${result.errors.join("\n")}\n`);
          return;
        }
        if (result.warnings.length > 0) {
          assertGolden(exporter.id, `${c.name}.warnings`, "txt", `${result.warnings.join("\n")}\n`);
        }
        const base = exportBaseName(opts.provider, regions, opts.scope, exporter.id);
        for (const file of result.files) {
          assert.ok(file.name.startsWith(base), `${file.name} starts with ${base}`);
          const rest = file.name.slice(base.length);
          const dot = rest.lastIndexOf(".");
          assertGolden(exporter.id, `${c.name}${rest.slice(0, dot)}`, rest.slice(dot + 1), file.content);
        }
      });
    }
  }
});

describe("vendor exporters: refusals name every unsupported thing", () => {
  test("a destination cannot be expressed by security groups, NetworkPolicies and IP Access rules", () => {
    const opts = options({ destination: "203.0.113.0/24" });
    const items = [item("192.0.2.0/24")];
    const errors = (["aws-sg", "terraform-aws", "k8s", "cloudflare"] as const).map((id) => {
      const r = vendorExporters[id].render(items, opts, "x");
      return r.ok ? "" : r.errors.join("; ");
    });
    assert.deepEqual(errors, [
      "aws-sg: the destination 203.0.113.0/24 cannot be expressed: a security group rule applies to the resources the group is attached to",
      "terraform-aws: the destination 203.0.113.0/24 cannot be expressed: a security group rule applies to the resources the group is attached to",
      "k8s: the destination 203.0.113.0/24 cannot be expressed: a NetworkPolicy selects pods with podSelector, not by address",
      "cloudflare: the destination 203.0.113.0/24 cannot be expressed: IP Access rules apply to the whole zone",
    ]);
  });

  test("sources of the other family than the destination are all listed", () => {
    const r = vendorExporters["cisco-asa"].render(
      [item("192.0.2.0/24"), item("2406:da00:ff00::/48"), item("2a05:d014:1c8::/64")],
      options({ destination: "203.0.113.0/24" }),
      "x",
    );
    assert.deepEqual(r, {
      ok: false,
      errors: [
        "cisco-asa: IPv6 prefix 2406:da00:ff00::/48 cannot reach the IPv4 destination 203.0.113.0/24",
        "cisco-asa: IPv6 prefix 2a05:d014:1c8::/64 cannot reach the IPv4 destination 203.0.113.0/24",
      ],
    });
  });

  test("cloudflare lists every prefix it cannot split", () => {
    const r = vendorExporters.cloudflare.render(
      [item("10.0.0.0/7"), item("192.0.2.0/29"), item("2001:db8::/96")],
      options(),
      "x",
    );
    assert.deepEqual(r, {
      ok: false,
      errors: [
        "cloudflare: IPv4 /7 (10.0.0.0/7) is not accepted (only single IPs and /16, /24); splitting it would take 512 rules",
        "cloudflare: IPv6 /96 (2001:db8::/96) is not accepted (only single IPs and /32, /48, /64); splitting it would take 4294967296 rules",
      ],
    });
  });

  test("aws-sg refuses more port ranges than a group has rules", () => {
    const ports = Array.from({ length: 61 }, (_, k) => String(1000 + 2 * k)).join(",");
    const r = vendorExporters["aws-sg"].render([item("192.0.2.0/24")], options({ ports }), "x");
    assert.deepEqual(r, {
      ok: false,
      errors: [
        "aws-sg: 61 port ranges need 61 rules per prefix, more than the 60 rules a security group holds per family",
      ],
    });
  });
});

describe("cloudflare: exact split into accepted sizes", () => {
  const split = (cidr: string) => {
    const r = cloudflarePrefixes(mustParsePrefix(cidr));
    return r.ok ? r.value.map(formatPrefix) : r.error;
  };
  test("accepted sizes stay as they are", () => {
    assert.deepEqual(
      [
        "52.1.37.96/32",
        "10.1.0.0/16",
        "10.1.2.0/24",
        "2001:db8::/32",
        "2001:db8:1::/48",
        "2001:db8:1:2::/64",
        "2001:db8::1/128",
      ].map(split),
      [
        ["52.1.37.96/32"],
        ["10.1.0.0/16"],
        ["10.1.2.0/24"],
        ["2001:db8::/32"],
        ["2001:db8:1::/48"],
        ["2001:db8:1:2::/64"],
        ["2001:db8::1/128"],
      ],
    );
  });
  test("other sizes become the next accepted size", () => {
    assert.deepEqual(
      split("44.206.73.232/29"),
      Array.from({ length: 8 }, (_, k) => `44.206.73.${232 + k}/32`),
    );
    assert.deepEqual(split("10.0.16.0/22"), ["10.0.16.0/24", "10.0.17.0/24", "10.0.18.0/24", "10.0.19.0/24"]);
    assert.deepEqual(split("10.2.0.0/15"), ["10.2.0.0/16", "10.3.0.0/16"]);
    assert.deepEqual(split("2001:db8::/31"), ["2001:db8::/32", "2001:db9::/32"]);
    assert.deepEqual(split("2001:db8:0:4::/62"), [
      "2001:db8:0:4::/64",
      "2001:db8:0:5::/64",
      "2001:db8:0:6::/64",
      "2001:db8:0:7::/64",
    ]);
    assert.equal((split("10.0.0.0/8") as string[]).length, 256);
  });
  test("rule bodies: single IPs as ip/ip6, ranges as ip_range", () => {
    const r = vendorExporters.cloudflare.render(
      [item("3.74.148.8/31"), item("2001:db8::1/128"), item("2001:db8:1::/48")],
      options({ comments: false }),
      "x",
    );
    assert.deepEqual(JSON.parse(fileOf(r)), [
      { mode: "whitelist", configuration: { target: "ip", value: "3.74.148.8" } },
      { mode: "whitelist", configuration: { target: "ip", value: "3.74.148.9" } },
      { mode: "whitelist", configuration: { target: "ip6", value: "2001:db8::1" } },
      { mode: "whitelist", configuration: { target: "ip_range", value: "2001:db8:1::/48" } },
    ]);
  });
});

describe("vendor exporters: platform limits split the output", () => {
  test("aws-sg: 60 rules per family and group; two port ranges halve the prefixes per file", () => {
    const r = vendorExporters["aws-sg"].render(
      [...hosts(4, 130), ...hosts(6, 31)],
      options({ ports: "80,443", comments: false }),
      "b",
    );
    const parsed = files(r).map((f) => [f.name, JSON.parse(f.content)] as const);
    assert.deepEqual(
      parsed.map(([name, body]) => [
        name,
        body.IpPermissions.map((p: { FromPort: number; IpRanges?: unknown[]; Ipv6Ranges?: unknown[] }) => [
          p.FromPort,
          p.IpRanges?.length ?? 0,
          p.Ipv6Ranges?.length ?? 0,
        ]),
      ]),
      [
        [
          "b-1.json",
          [
            [80, 30, 30],
            [443, 30, 30],
          ],
        ],
        [
          "b-2.json",
          [
            [80, 30, 1],
            [443, 30, 1],
          ],
        ],
        [
          "b-3.json",
          [
            [80, 30, 0],
            [443, 30, 0],
          ],
        ],
        [
          "b-4.json",
          [
            [80, 30, 0],
            [443, 30, 0],
          ],
        ],
        [
          "b-5.json",
          [
            [80, 10, 0],
            [443, 10, 0],
          ],
        ],
      ],
    );
  });

  test("aws-prefix-list: one family per list, at most 1000 entries, MaxEntries = entries", () => {
    const r = vendorExporters["aws-prefix-list"].render(
      [...hosts(4, 2001), ...hosts(6, 3)],
      options({ comments: false }),
      "b",
    );
    assert.deepEqual(
      files(r).map((f) => {
        const body = JSON.parse(f.content);
        return [f.name, body.PrefixListName, body.AddressFamily, body.MaxEntries, body.Entries.length];
      }),
      [
        ["b-v4-1.json", "fw-v4-1", "IPv4", 1000, 1000],
        ["b-v4-2.json", "fw-v4-2", "IPv4", 1000, 1000],
        ["b-v4-3.json", "fw-v4-3", "IPv4", 1, 1],
        ["b-v6.json", "fw-v6", "IPv6", 3, 3],
      ],
    );
  });

  const lineCount = (text: string, re: RegExp) => text.split("\n").filter((l) => re.test(l)).length;

  test("azure-nsg: 4000 prefixes per rule, priorities from 100 by 10", () => {
    const text = fileOf(vendorExporters["azure-nsg"].render(hosts(4, 8001), options({ comments: false }), "b"));
    assert.deepEqual(
      [...text.matchAll(/--name '([^']+)' --priority (\d+)/g)].map((m) => [m[1], m[2]]),
      [
        ["fw-v4-1", "100"],
        ["fw-v4-2", "110"],
        ["fw-v4-3", "120"],
      ],
    );
    const perRule = text
      .split("az network nsg rule create")
      .slice(1)
      .map((r) => (r.match(/\b10\.\d+\.\d+\.\d+\/32/g) ?? []).length);
    assert.deepEqual(perRule, [4000, 4000, 1]);
  });

  test("gcp: 5000 source ranges per rule, one family per rule", () => {
    const text = fileOf(
      vendorExporters.gcp.render([...hosts(4, 5001), ...hosts(6, 2)], options({ namePrefix: "FW_x" }), "b"),
    );
    const rules = [...text.matchAll(/firewall-rules create (\S+)[\s\S]*?--source-ranges=(\S+)/g)].map((m) => [
      m[1],
      m[2]?.split(",").length,
    ]);
    assert.deepEqual(rules, [
      ["fw-x-v4-1", 5000],
      ["fw-x-v4-2", 1],
      ["fw-x-v6", 2],
    ]);
  });

  test("fortigate: address groups of at most 600 members, all in the policy", () => {
    const text = fileOf(vendorExporters.fortigate.render(hosts(4, 601), options({ comments: false }), "b"));
    const members = [...text.matchAll(/edit "(fw-v4[^"]*)"\n\s+append member (.*)/g)].map((m) => [
      m[1],
      m[2]?.split(" ").length,
    ]);
    assert.deepEqual(members, [
      ["fw-v4-1", 600],
      ["fw-v4-2", 1],
    ]);
    assert.equal(lineCount(text, /^ {8}set srcaddr "fw-v4-1" "fw-v4-2"$/), 1);
  });

  test("junos-srx: address-sets of at most 1024, each matched by the policy", () => {
    const text = fileOf(vendorExporters["junos-srx"].render(hosts(4, 1025), options({ comments: false }), "b"));
    assert.equal(lineCount(text, /address-set fw-1 address /), 1024);
    assert.equal(lineCount(text, /address-set fw-2 address /), 1);
    assert.deepEqual(
      text.split("\n").filter((l) => l.includes("match source-address")),
      [
        "set security policies from-zone untrust to-zone trust policy fw-in match source-address fw-1",
        "set security policies from-zone untrust to-zone trust policy fw-in match source-address fw-2",
      ],
    );
  });

  test("panos: static groups of at most 2500, 20 members a line", () => {
    const text = fileOf(vendorExporters.panos.render(hosts(4, 2501), options({ comments: false }), "b"));
    assert.equal(lineCount(text, /^set address-group fw-1 static \[/), 125);
    assert.deepEqual(
      text.split("\n").filter((l) => l.startsWith("set address-group fw-2 ")),
      ["set address-group fw-2 static [ fw-10.0.19.136_32 ]"],
    );
    assert.equal(lineCount(text, / source \[ fw-1 fw-2 \] /), 1);
  });

  test("windows: 1000 addresses per rule", () => {
    const text = fileOf(vendorExporters.windows.render(hosts(4, 1001), options({ comments: false }), "b"));
    assert.deepEqual(
      [...text.matchAll(/-Name '([^']+)'/g)].map((m) => m[1]),
      ["fw-v4-1", "fw-v4-2"],
    );
  });

  test("terraform-aws: past 60 rules per family, one security group variable per part", () => {
    const text = fileOf(vendorExporters["terraform-aws"].render(hosts(4, 61), options({ comments: false }), "b"));
    assert.deepEqual(
      text.split("\n").filter((l) => l.startsWith("variable ") || l.startsWith("resource ")),
      [
        'variable "security_group_id_1" {',
        'variable "security_group_id_2" {',
        'resource "aws_vpc_security_group_ingress_rule" "fw_ipv4_1_443" {',
        'resource "aws_vpc_security_group_ingress_rule" "fw_ipv4_2_443" {',
      ],
    );
  });

  test("object names fit strict vendors even for long IPv6 prefixes", () => {
    const p: Prefix = mustParsePrefix("2406:da00:ff00:1234:5678:9abc:def0:1234/128");
    const name = objectName("a-very-long-name-prefix-of-32-ch", p, 63);
    assert.equal(name, "a-very-long-name-pr-2406-da00-ff00-1234-5678-9abc-def0-1234_128");
    assert.equal(name.length, 63);
  });
});

/** Renders a fixture case, failing the test when it is refused. */
function renderCase(id: VendorId, name: string): readonly ExportFile[] {
  const c = goldenCases.find((x) => x.name === name) ?? assert.fail(`no case ${name}`);
  const opts = exportOptionsSchema.parse(c.input);
  return files(renderExport(id, c.entries, opts, c.regions ? { regions: c.regions } : {}));
}

function onlyFile(out: readonly ExportFile[]): string {
  assert.equal(out.length, 1);
  return out[0]?.content ?? "";
}

const CHECKED_CASES = [
  "seed-us-eu",
  "both-families",
  "destination-v6",
  "comments-off",
  "per-cidr",
  "hostile-comments",
  "port-range",
];

describe("vendor exporters: real checkers", () => {
  for (const name of ["seed-us-eu", "both-families", "comments-off", "per-cidr", "hostile-comments", "port-range"]) {
    test(`k8s passes yamllint (strict) for ${name}`, (t) => {
      if (!requireTools(t, ["yamllint"])) return;
      const dir = workDir(t, { "policy.yaml": onlyFile(renderCase("k8s", name)) });
      assertSucceeded(inNamespace(`yamllint -s '${dir}/policy.yaml'`), "yamllint");
    });
    test(`terraform-aws is canonical HCL (terraform fmt -check) for ${name}`, (t) => {
      if (!requireTools(t, ["terraform"], { fromApt: false })) return;
      const dir = workDir(t, { "main.tf": onlyFile(renderCase("terraform-aws", name)) });
      assertSucceeded(inNamespace(`terraform fmt -check -diff '${dir}/main.tf'`), "terraform fmt");
    });
  }
  for (const id of ["aws-sg", "aws-prefix-list", "cloudflare", "azure-nsg", "gcp"] as const) {
    for (const name of ["seed-us-eu", "both-families", "comments-off", "hostile-comments"]) {
      test(`${id} is valid JSON (jq) for ${name}`, (t) => {
        if (!requireTools(t, ["jq"])) return;
        const out = renderCase(id, name).filter((f) => f.name.endsWith(".json"));
        assert.ok(out.length > 0);
        const dir = workDir(t, Object.fromEntries(out.map((f, k) => [`f${k}.json`, f.content])));
        for (let k = 0; k < out.length; k++)
          assertSucceeded(inNamespace(`jq -e . '${dir}/f${k}.json' >/dev/null`), "jq");
      });
    }
  }
  for (const id of ["checkpoint", "azure-nsg", "gcp"] as const) {
    for (const name of CHECKED_CASES) {
      test(`${id} is a valid POSIX shell script (dash -n, bash -n) for ${name}`, (t) => {
        if (!requireTools(t, ["dash", "bash"])) return;
        const script = renderCase(id, name).find((f) => f.name.endsWith(".sh")) ?? assert.fail("no script");
        const dir = workDir(t, { "run.sh": script.content });
        assertSucceeded(inNamespace(`dash -n '${dir}/run.sh' && bash -n '${dir}/run.sh'`), "sh -n");
      });
    }
  }
});

/** Export format → the parser that reads it back. */
const READ_BACK = {
  "cisco-asa": "cisco-asa",
  "cisco-ios": "cisco-ios",
  "junos-srx": "junos",
  panos: "panos",
  fortigate: "fortigate",
  "aws-sg": "aws-sg",
  "aws-prefix-list": "aws-prefix-list",
  "azure-nsg": "azure-nsg",
  gcp: "gcp",
} as const satisfies Partial<Record<VendorId, FormatId>>;

const JSON_TWIN: ReadonlySet<VendorId> = new Set(["azure-nsg", "gcp"]);

/** What the parsed rules let in on `protocol`/`port`, first match wins (a deny shadows later allows). */
function allowedSet(entries: readonly Entry[], protocol: string, port: number | undefined): IPSet {
  let allowed = IPSet.empty();
  let decided = IPSet.empty();
  for (const e of entries) {
    if (e.direction === "out") continue;
    if (e.protocol !== undefined && e.protocol !== protocol) continue;
    if (port !== undefined && e.ports !== undefined && !e.ports.some((r) => r.from <= port && port <= r.to)) continue;
    const fresh = IPSet.of(e.range).difference(decided);
    if (e.action === "allow") allowed = allowed.union(fresh);
    decided = decided.union(fresh);
  }
  return allowed;
}

describe("vendor exporters: round trip through our own parsers", () => {
  for (const [exportId, parseId] of Object.entries(READ_BACK) as [keyof typeof READ_BACK, FormatId][]) {
    for (const c of exportCases) {
      test(`${exportId} ${c.name} → parse as ${parseId} → same allowed set`, (t) => {
        if (!parsers.some((p) => p.id === parseId)) {
          if (process.env.CI) assert.fail(`no ${parseId} parser registered in lib/parse`);
          t.skip(`no ${parseId} parser registered in lib/parse yet`);
          return;
        }
        const opts = exportOptionsSchema.parse(c.input);
        const result = renderExport(exportId, c.entries, opts, c.regions ? { regions: c.regions } : {});
        if (!result.ok) return; // refusals are pinned by the goldens
        const exported = IPSet.of(...renderedItems(c, opts, exportId).map((i) => i.prefix));
        const probe = opts.ports[0]?.from;
        // The cloud parsers read JSON listings: the scripts' JSON twin is what goes back through them.
        const readable = JSON_TWIN.has(exportId) ? result.files.filter((f) => f.name.endsWith(".json")) : result.files;
        assert.ok(readable.length > 0);
        for (const file of readable) {
          const parsed = parseText(file.content, parseId);
          assert.deepEqual(
            parsed.findings.filter((f) => f.kind !== "note").map((f) => `${f.line}: ${f.kind} ${f.message}`),
            [],
            file.name,
          );
        }
        const entries = readable.flatMap((f) => parseText(f.content, parseId).entries);
        const allowed = allowedSet(entries, opts.protocol, exportId === "aws-prefix-list" ? undefined : probe);
        assert.deepEqual(allowed.toPrefixes().map(formatPrefix), exported.toPrefixes().map(formatPrefix));
        if (exportId !== "aws-prefix-list") {
          assert.deepEqual(
            allowedSet(entries, opts.protocol, 22).toPrefixes().map(formatPrefix),
            [],
            "port 22 stays closed",
          );
          const other = opts.protocol === "tcp" ? "udp" : "tcp";
          assert.deepEqual(
            allowedSet(entries, other, probe).toPrefixes().map(formatPrefix),
            [],
            `${other} stays closed`,
          );
        }
      });
    }
  }
});

/** The items renderExport hands the exporter for a case (same filtering), to compare against. */
function renderedItems(c: (typeof exportCases)[number], opts: ExportOptions, id: VendorId): ExportItem[] {
  const exporter = vendorExporters[id];
  const dest = exporter.supports.destination ? opts.destination?.address.family : undefined;
  return prepareExport(c.entries, opts, c.regions ? { regions: c.regions } : {}).filter(
    (i) => dest === undefined || i.prefix.address.family === dest,
  );
}

/**
 * Config formats whose delta is pasted on top of the device's earlier state: the text of both, in order, is that
 * state (FortiGate: a later `edit "<group>"` enters the same group again and `append member` adds to it).
 */
const INCREMENTAL = [
  "cisco-asa",
  "cisco-ios",
  "junos-srx",
  "panos",
  "fortigate",
] as const satisfies readonly (keyof typeof READ_BACK)[];

describe("vendor exporters: a delta applied to the earlier export equals the full export (our parsers)", () => {
  const delta = new Set([
    "52.1.37.96/32",
    "44.206.73.236/32",
    "44.206.73.237/32",
    "3.74.148.10/32",
    "2a05:d014:1c8:1::/64",
  ]);
  const all = [...seedUsEu, ...ipv6Entries];
  for (const exportId of INCREMENTAL) {
    const parseId = READ_BACK[exportId];
    for (const ports of ["443", "80,443"]) {
      test(`${exportId} ports ${ports}: earlier + delta → parse as ${parseId} → the full selection`, () => {
        const input = { provider: "Freshworks", catalogLabel: "v1", namePrefix: "freshworks", ports };
        const text = (entries: typeof all, scope: "full" | "missing") => {
          const r = renderExport(exportId, entries, exportOptionsSchema.parse({ ...input, scope }));
          assert.ok(r.ok, r.ok ? "" : r.errors.join("; "));
          return r.files.map((f) => f.content).join("\n");
        };
        const earlier = text(
          all.filter((e) => !delta.has(e.cidr)),
          "full",
        );
        const missing = text(
          all.filter((e) => delta.has(e.cidr)),
          "missing",
        );
        const full = text(all, "full");
        const probe = ports === "443" ? 443 : 80;
        const allowed = (t: string) =>
          allowedSet(parseText(t, parseId).entries, "tcp", probe).toPrefixes().map(formatPrefix);
        const want = IPSet.of(...all.map((e) => mustParsePrefix(e.cidr)))
          .toPrefixes()
          .map(formatPrefix);
        assert.deepEqual(allowed(full), want);
        assert.deepEqual(allowed(`${earlier}\n${missing}`), want);
        // Applying the full export again on top changes nothing either.
        assert.deepEqual(allowed(`${full}\n${full}`), want);
      });
    }
  }
});

describe("fortigate: a delta applied to the admin's own config (the one it was computed from) covers the selection", () => {
  // The admin's own objects and policy (FortiOS 7 `show firewall …` output): only 52.1.32.88 of the US list.
  // Before the fix the delta held objects and group members but no policy, so on this device nothing used them
  // and every missing entry stayed blocked. https://docs.fortinet.com/document/fortigate/7.6.1/cli-reference/333889629
  const own = `config system interface
    edit "wan1"
        set ip 198.51.100.2 255.255.255.0
        set role wan
    next
    edit "internal"
        set ip 192.168.1.99 255.255.255.0
        set role lan
    next
end
config firewall address
    edit "Freshworks-52.1.32.88"
        set subnet 52.1.32.88 255.255.255.255
    next
end
config firewall addrgrp
    edit "Freshworks"
        set member "Freshworks-52.1.32.88"
    next
end
config firewall policy
    edit 1
        set name "webhooks-in"
        set srcintf "wan1"
        set dstintf "internal"
        set srcaddr "Freshworks"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "HTTPS"
    next
end
`;
  test("own config + delta → every US entry covered on 443 (diff engine)", () => {
    const catalog = buildCatalog(SEED_CATALOG);
    const opts = exportOptionsSchema.parse({ provider: "Freshworks", catalogLabel: "v1", namePrefix: "freshworks" });
    const only = missingDelta(catalog, parseText(own, "fortigate"), {
      regions: ["US"],
      ports: opts.ports,
      protocol: "tcp",
    }).entries;
    assert.equal(only.size, 13);
    const delta = fileOf(renderExport("fortigate", catalog, { ...opts, scope: "missing" }, { regions: ["US"], only }));
    assert.match(delta, /\nconfig firewall policy\n {4}edit 0\n {8}set name "freshworks-in"\n/);
    const covered = (text: string) =>
      diff(catalog, parseText(text, "fortigate"), { regions: ["US"], port: 443 }).summary.covered;
    assert.equal(covered(own), 1);
    assert.equal(covered(`${own}${delta}`), 14);
  });
});

describe("azure-nsg: a delta never replaces an existing rule's sources", () => {
  // `az network nsg rule create` on an existing name replaces that rule (a PUT; "by design … for nearly all create
  // commands": https://github.com/Azure/azure-cli/issues/7185, https://github.com/Azure/azure-cli/issues/8754). Before
  // the fix, the delta on top of the earlier export (same name prefix) swapped the rule's sources for the delta's
  // three and revoked the rest. A stub `az` plays the NSG: `show` finds the rules listed in $EXISTING.
  const AZ_STUB = `#!/bin/sh
echo "$*" >> "$AZ_LOG"
if [ "$4" = show ]; then
  for a in "$@"; do case " $EXISTING " in *" $a "*) exit 0 ;; esac; done
  echo "ResourceNotFound" >&2; exit 3
fi
exit 0
`;
  const run = (t: TestContext, existing: string) => {
    if (!requireTools(t, ["dash"])) return undefined;
    const opts = exportOptionsSchema.parse({
      provider: "Freshworks",
      catalogLabel: "v1",
      namePrefix: "fw1-missing",
      scope: "missing",
    });
    const script = fileOf(renderExport("azure-nsg", [...missingSubset, ...ipv6Entries.slice(0, 1)], opts));
    const dir = workDir(t, { "run.sh": script, az: AZ_STUB, "az.log": "" });
    chmodSync(`${dir}/az`, 0o755);
    const r = spawnSync("dash", [`${dir}/run.sh`], {
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: `${dir}:/usr/bin:/bin`,
        AZ_LOG: `${dir}/az.log`,
        EXISTING: existing,
        RESOURCE_GROUP: "rg",
        NSG_NAME: "nsg",
      },
    });
    const calls = readFileSync(`${dir}/az.log`, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.split(" ").slice(0, 4).join(" "));
    return { status: r.status, stderr: r.stderr, calls };
  };

  test("a rule of the delta exists: stops before any change, saying why", (t) => {
    const r = run(t, "fw1-missing-v6");
    if (r === undefined) return;
    assert.equal(r.status, 1);
    assert.deepEqual(r.calls, ["network nsg rule show", "network nsg rule show"]);
    assert.equal(
      r.stderr,
      "azure-nsg: rule fw1-missing-v6 exists: creating it again would replace its sources with this delta's only. Nothing changed; apply the full export instead.\n",
    );
  });

  test("none exists: every rule is created", (t) => {
    const r = run(t, "");
    if (r === undefined) return;
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.calls, [
      "network nsg rule show",
      "network nsg rule show",
      "network nsg rule create",
      "network nsg rule create",
    ]);
  });
});

describe("gcp: the allow rules win over a deny-all created with the default priority", () => {
  // `gcloud compute firewall-rules list --format=json` of a network whose deny-all was created without --priority
  // (so 1000, the default) and that allows one US address above it. "DENY rules take precedence over ALLOW rules if
  // they have equal priority" (https://cloud.google.com/compute/docs/reference/rest/v1/firewalls): before the fix the
  // export's allows had priority 1000 too, and the deny-all beat every one of them.
  const own = [
    {
      denied: [{ IPProtocol: "all" }],
      direction: "INGRESS",
      disabled: false,
      kind: "compute#firewall",
      name: "deny-all-ingress",
      network: "https://www.googleapis.com/compute/v1/projects/acme/global/networks/default",
      priority: 1000,
      sourceRanges: ["0.0.0.0/0"],
    },
    {
      allowed: [{ IPProtocol: "tcp", ports: ["443"] }],
      direction: "INGRESS",
      disabled: false,
      kind: "compute#firewall",
      name: "allow-fw-one",
      network: "https://www.googleapis.com/compute/v1/projects/acme/global/networks/default",
      priority: 900,
      sourceRanges: ["52.1.32.88/32"],
    },
  ];
  test("own rules + the delta's JSON → every US entry covered on 443 (diff engine)", () => {
    const catalog = buildCatalog(SEED_CATALOG);
    const opts = exportOptionsSchema.parse({ provider: "Freshworks", catalogLabel: "v1", namePrefix: "freshworks" });
    const text = (rules: readonly unknown[]) => JSON.stringify(rules, null, 2);
    const only = missingDelta(catalog, parseText(text(own), "gcp"), {
      regions: ["US"],
      ports: opts.ports,
      protocol: "tcp",
    }).entries;
    assert.equal(only.size, 13);
    const r = renderExport("gcp", catalog, { ...opts, scope: "missing" }, { regions: ["US"], only });
    const delta = JSON.parse(fileOf(r, 1)) as { name: string; priority: number }[];
    assert.deepEqual(
      delta.map((d) => [d.name, d.priority]),
      [["freshworks-v4-delta-c139d4c7", 999]],
    );
    assert.match(fileOf(r, 0), / --priority=999 /);
    const covered = (t: string) => diff(catalog, parseText(t, "gcp"), { regions: ["US"], port: 443 }).summary.covered;
    assert.equal(covered(text(own)), 1);
    assert.equal(covered(text([...own, ...delta])), 14);
  });
});

describe("k8s: a delta is a NetworkPolicy of its own", () => {
  // `kubectl apply` of a NetworkPolicy with an existing name replaces its spec.ingress list (no merge key for it:
  // https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/#how-apply-calculates-differences-and-merges-changes).
  // Before the fix the delta had the full export's name, so applying it kept only the delta's ipBlocks and revoked
  // every other published address. NetworkPolicies add up, so a policy of its own only adds.
  const opts = exportOptionsSchema.parse({ provider: "Freshworks", catalogLabel: "v1", namePrefix: "freshworks" });
  const name = (entries: typeof seedUsEu, scope: "full" | "missing") =>
    /\n {2}name: (\S+)\n/.exec(fileOf(renderExport("k8s", entries, { ...opts, scope })))?.[1];

  test("full and delta names differ; the same delta gets the same name, another delta another", () => {
    assert.equal(name(seedUsEu, "full"), "freshworks");
    assert.equal(name(missingSubset, "missing"), "freshworks-delta-6269d8a0");
    assert.equal(name(missingSubset, "missing"), "freshworks-delta-6269d8a0");
    assert.equal(name(missingSubset.slice(1), "missing")?.startsWith("freshworks-delta-"), true);
    assert.notEqual(name(missingSubset.slice(1), "missing"), "freshworks-delta-6269d8a0");
  });

  test("a name prefix ending in '-' or '_' is refused: a DNS-1123 name ends with a letter or digit", () => {
    // https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names
    assert.deepEqual(renderExport("k8s", seedUsEu, { ...opts, namePrefix: "fw_" }), {
      ok: false,
      errors: ['k8s: NetworkPolicy name "fw-" must end with a letter or digit; choose another name prefix'],
    });
    assert.equal(renderExport("k8s", missingSubset, { ...opts, namePrefix: "fw_", scope: "missing" }).ok, true);
  });

  test("the warning says podSelector {} isolates every pod of the namespace", () => {
    const r = renderExport("k8s", seedUsEu, opts);
    assert.deepEqual(r.ok && r.warnings, [
      "k8s: podSelector {} selects every pod of the namespace, and a selected pod accepts only the ingress some NetworkPolicy allows: pods no other policy selected lose all other ingress. Narrow podSelector to the webhook receivers",
    ]);
  });
});

describe("placement warnings survive --no-comments", () => {
  // Junos appends a new policy last in its zone pair ("insert … before" moves it:
  // https://www.juniper.net/documentation/us/en/software/junos/cli/topics/ref/command/insert.html); an ASA interface
  // takes one access-group per direction; an IOS entry without a sequence number goes last. These were said only in
  // comments, so an export without comments said nothing about where the rules land.
  test("junos-srx, cisco-asa and cisco-ios warn with comments off", () => {
    const opts = options({ comments: false });
    const warnings = (id: "junos-srx" | "cisco-asa" | "cisco-ios") => {
      const r = vendorExporters[id].render([item("192.0.2.0/24")], opts, "x");
      return r.ok ? r.warnings : r.errors;
    };
    assert.deepEqual(warnings("junos-srx"), [
      "junos-srx: the policy goes last in from-zone untrust to-zone trust (use your zone names), below any deny policy there, where it never matches: then run insert security policies from-zone untrust to-zone trust policy fw-in before policy <your first policy>",
    ]);
    assert.deepEqual(warnings("cisco-asa"), [
      "cisco-asa: fw-in is bound to no interface; 'access-group fw-in in interface outside' would replace the ACL bound there. If one is bound, add the permit lines to it with 'access-list <its name> line 1 extended permit ...' instead",
    ]);
    assert.deepEqual(warnings("cisco-ios"), [
      "cisco-ios: these ACLs are bound to no interface, and binding one replaces the ACL bound there in that direction. To add the entries to an ACL already bound, give each a sequence number below that ACL's first deny (or they go last, below it)",
    ]);
  });
});

describe("windows: a delta's rules have names of their own", () => {
  // New-NetFirewallRule refuses a -Name that exists (https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule:
  // -Name "must be unique"), and the script stops on it. Before the fix the delta reused the full export's names, so
  // on top of the earlier export it always failed and nothing missing was ever added. Allow rules add up.
  test("earlier export + delta: distinct names; read back, every entry is allowed on 443", () => {
    const opts = exportOptionsSchema.parse({ provider: "Freshworks", catalogLabel: "v1", namePrefix: "freshworks" });
    const earlier = fileOf(
      renderExport(
        "windows",
        seedUsEu.filter((e) => !missingSubset.includes(e)),
        opts,
      ),
    );
    const delta = fileOf(renderExport("windows", missingSubset, { ...opts, scope: "missing" }));
    const names = (text: string) => [...text.matchAll(/-Name '([^']+)'/g)].map((m) => m[1]);
    assert.deepEqual(names(earlier), ["freshworks-v4"]);
    assert.deepEqual(names(delta), ["freshworks-v4-delta-6269d8a0"]);
    const entries = parseText(`${earlier}${delta}`, "windows").entries;
    const want = IPSet.of(...seedUsEu.map((e) => mustParsePrefix(e.cidr)))
      .toPrefixes()
      .map(formatPrefix);
    assert.deepEqual(allowedSet(entries, "tcp", 443).toPrefixes().map(formatPrefix), want);
  });
});

/**
 * A missing delta as the API and CLI make it: computed against `own` (parsed as `parseId`), placed by the compared
 * config's blocking denies (withBlockingDenies), rendered for the US.
 */
function deltaAgainst(format: "gcp" | "azure-nsg" | "windows", own: string, parseId: FormatId) {
  const catalog = buildCatalog(SEED_CATALOG);
  const opts = exportOptionsSchema.parse({ provider: "Freshworks", catalogLabel: "v1", namePrefix: "freshworks" });
  const parsed = parseText(own, parseId);
  const delta = missingDelta(catalog, parsed, { regions: ["US"], ports: opts.ports, protocol: "tcp" });
  const placed = withBlockingDenies({ ...opts, scope: "missing" }, format, parsed, delta.denies);
  const covered = (text: string) =>
    diff(catalog, parseText(text, parseId), { regions: ["US"], port: 443 }).summary.covered;
  return {
    missing: delta.entries.size,
    result: renderExport(format, catalog, placed, { regions: ["US"], only: delta.entries }),
    covered,
  };
}

describe("gcp: a delta is numbered ahead of the compared config's deny that blocks a missing entry", () => {
  // GCP evaluates the lowest priority number first and "DENY rules take precedence over ALLOW rules if they have equal
  // priority" (https://cloud.google.com/compute/docs/reference/rest/v1/firewalls, field priority). Before the fix the
  // delta's allows always had priority 999, below this deny-all at 950, and covered nothing.
  const rule = (name: string, priority: number, verdict: "allowed" | "denied", sourceRanges: string[]) => ({
    [verdict]: [verdict === "allowed" ? { IPProtocol: "tcp", ports: ["443"] } : { IPProtocol: "all" }],
    direction: "INGRESS",
    kind: "compute#firewall",
    name,
    network: "https://www.googleapis.com/compute/v1/projects/acme/global/networks/default",
    priority,
    sourceRanges,
  });
  const own = (denyPriority: number) => [
    rule("allow-freshworks", 900, "allowed", ["52.1.32.88/32"]),
    rule("deny-all-ingress", denyPriority, "denied", ["0.0.0.0/0"]),
  ];
  const text = (rules: readonly unknown[]) => JSON.stringify(rules, null, 2);

  test("deny-all at 950: priority 949, said in the warning and the script; own + delta covers every US entry", () => {
    const { missing, result, covered } = deltaAgainst("gcp", text(own(950)), "gcp");
    assert.equal(missing, 13);
    if (!result.ok) assert.fail(result.errors.join("; "));
    const why =
      'gcp: the rules get priority 949, one below the ingress deny "deny-all-ingress" (line 32, priority 950) that blocks missing entries on the port: GCP evaluates the lower number first, and a deny wins over an allow of equal priority';
    assert.deepEqual(result.warnings, [why]);
    const delta = JSON.parse(fileOf(result, 1)) as { name: string; priority: number }[];
    assert.deepEqual(
      delta.map((d) => [d.name, d.priority]),
      [["freshworks-v4-delta-c139d4c7", 949]],
    );
    const script = fileOf(result, 0).split("\n");
    assert.equal(script.filter((l) => l === `# ${why}`).length, 1);
    assert.equal(script.filter((l) => l.includes(" --priority=949 ")).length, 1);
    assert.equal(covered(text(own(950))), 1);
    assert.equal(covered(text([...own(950), ...delta])), 14);
  });

  test("a deny at priority 0 blocks a missing entry: refused, naming it", () => {
    const { result } = deltaAgainst("gcp", text(own(0)), "gcp");
    assert.deepEqual(result, {
      ok: false,
      errors: [
        'gcp: the ingress deny "deny-all-ingress" (line 32, priority 0) blocks missing entries on the port and has the highest priority (0): no allow can be evaluated ahead of it, so change that rule',
      ],
    });
  });
});

describe("azure-nsg: a delta takes free priorities below the compared NSG's deny", () => {
  // "The priority number must be unique for each rule in the collection" (Azure refuses a duplicate in one direction),
  // lower numbers are processed first (https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview#security-rules).
  // Before the fix the delta's rule took priority 100, the number of the NSG's own allow rule.
  const rule = (name: string, priority: number, access: "Allow" | "Deny", extra: Record<string, unknown>) => ({
    name,
    properties: {
      priority,
      direction: "Inbound",
      access,
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      ...extra,
    },
  });
  const allow = (priority: number) =>
    rule(`allow-${priority}`, priority, "Allow", {
      protocol: "Tcp",
      sourceAddressPrefixes: ["52.1.32.88/32"],
      destinationPortRange: "443",
    });
  const deny = (priority: number) =>
    rule("deny-all-inbound", priority, "Deny", {
      protocol: "*",
      sourceAddressPrefix: "*",
      destinationPortRange: "*",
    });
  const nsg = (rules: readonly unknown[]) =>
    JSON.stringify({ name: "web-nsg", properties: { securityRules: rules } }, null, 2);

  test("allow at 100, deny-all at 4000: the delta takes 110; own + delta covers every US entry", () => {
    const own = [allow(100), deny(4000)];
    const { missing, result, covered } = deltaAgainst("azure-nsg", nsg(own), "azure-nsg");
    assert.equal(missing, 13);
    if (!result.ok) assert.fail(result.errors.join("; "));
    const why =
      'azure-nsg: the rules get priority 110: free among the compared NSG\'s inbound rules (a priority is unique per direction) in 100–3999, below the inbound deny "deny-all-inbound" (line 29, priority 4000) that blocks missing entries on the port; Azure processes the lower number first';
    assert.deepEqual(result.warnings, [why]);
    const delta = JSON.parse(fileOf(result, 1)) as { name: string; properties: { priority: number } }[];
    assert.deepEqual(
      delta.map((d) => [d.name, d.properties.priority]),
      [["freshworks-v4", 110]],
    );
    const script = fileOf(result, 0).split("\n");
    assert.equal(script.filter((l) => l === `# ${why}`).length, 1);
    assert.equal(script.filter((l) => l.includes(" --priority 110 ")).length, 1);
    assert.equal(covered(nsg(own)), 1);
    assert.equal(covered(nsg([...own, ...delta])), 14);
  });

  test("every number below the deny is taken: refused, naming the deny", () => {
    const own = [allow(100), allow(101), deny(102)];
    const { result } = deltaAgainst("azure-nsg", nsg(own), "azure-nsg");
    assert.deepEqual(result, {
      ok: false,
      errors: [
        'azure-nsg: 1 rule needs a free inbound priority in 100–101, below the inbound deny "deny-all-inbound" (line 44, priority 102) that blocks missing entries on the port, and none is left: free some numbers there or change that deny',
      ],
    });
  });
});

describe("windows: a delta names the block rule its allows cannot override", () => {
  // "Block rules take precedence over allow rules" (MS-FASP,
  // https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-fasp/702e3c23-c9d8-43db-8380-b4c670dd7f7d): before
  // the fix the delta added allows in silence, and the block rule kept every missing entry out.
  const own = [
    "netsh advfirewall set allprofiles firewallpolicy blockinbound,allowoutbound",
    'netsh advfirewall firewall add rule name="Freshworks webhooks" dir=in action=allow protocol=TCP localport=443 remoteip=52.1.32.88',
    'netsh advfirewall firewall add rule name="Block all 443" dir=in action=block protocol=TCP localport=443 remoteip=any',
    "",
  ].join("\n");

  test("the warning and the script name the block rule; own + delta still covers nothing", () => {
    const { missing, result, covered } = deltaAgainst("windows", own, "windows");
    assert.equal(missing, 14);
    if (!result.ok) assert.fail(result.errors.join("; "));
    const why =
      'windows: the inbound block rule "Block all 443" (line 3) matches missing entries on the port: block rules take precedence over allow rules, so the allow rules added here cannot let them in; change or remove that block rule';
    assert.deepEqual(result.warnings, [why]);
    assert.equal(
      fileOf(result)
        .split("\n")
        .filter((l) => l === `# ${why}`).length,
      1,
    );
    assert.equal(covered(own), 0);
    assert.equal(covered(`${own}${fileOf(result)}`), 0);
  });

  test("no block rule: no warning", () => {
    const { missing, result } = deltaAgainst("windows", own.split("\n").slice(0, 2).join("\n"), "windows");
    assert.equal(missing, 13);
    if (!result.ok) assert.fail(result.errors.join("; "));
    assert.deepEqual(result.warnings, []);
  });
});

describe("fortigate: a delta's policy is moved ahead of the compared config's deny", () => {
  // FortiOS appends a new policy at the end of the list and the first match decides; `move ID before ID` reorders
  // (https://community.fortinet.com/t5/FortiGate/Technical-Tip-How-policy-order-in-works-on-FortiGate/ta-p/207381).
  // Before the fix the delta's policy (edit 0) landed below this deny-all and only a comment said to move it.
  const own = `config system interface
    edit "wan1"
        set ip 203.0.113.2 255.255.255.0
        set role wan
    next
end
config firewall address
    edit "fw-52.1.32.88"
        set subnet 52.1.32.88 255.255.255.255
    next
end
config firewall policy
    edit 1
        set name "allow-freshworks"
        set srcintf "wan1"
        set dstintf "internal"
        set srcaddr "fw-52.1.32.88"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "HTTPS"
    next
    edit 7
        set name "deny-all"
        set srcintf "wan1"
        set dstintf "internal"
        set srcaddr "all"
        set dstaddr "all"
        set action deny
        set schedule "always"
        set service "ALL"
    next
end
`;
  test("own config + delta (id 8, move 8 before 7) → every US entry covered on 443", () => {
    const catalog = buildCatalog(SEED_CATALOG);
    const opts = exportOptionsSchema.parse({ provider: "Freshworks", catalogLabel: "v1", namePrefix: "freshworks" });
    const parsed = parseText(own, "fortigate");
    const delta = missingDelta(catalog, parsed, { regions: ["US"], ports: opts.ports, protocol: "tcp" });
    assert.equal(delta.entries.size, 13);
    const placed = withDeltaTarget({ ...opts, scope: "missing" }, "fortigate", parsed.format, delta.target);
    assert.deepEqual(placed.targetPolicyId, { id: 8, before: 7 });
    const r = renderExport("fortigate", catalog, placed, { regions: ["US"], only: delta.entries });
    if (!r.ok) assert.fail(r.errors.join("; "));
    const why =
      "fortigate: the policy takes id 8 (one above the compared list's largest) and is moved before policy 7, the first that denies a missing entry, so it is met before it";
    assert.deepEqual(r.warnings, [why]);
    const text = fileOf(r);
    assert.match(text, /\nconfig firewall policy\n {4}edit 8\n {8}set name "freshworks-in"\n/);
    assert.equal(text.endsWith("\nconfig firewall policy\n    move 8 before 7\nend\n"), true);
    assert.equal(text.split("\n").filter((l) => l === `# ${why}`).length, 1);
    const covered = (t: string) =>
      diff(catalog, parseText(t, "fortigate"), { regions: ["US"], port: 443 }).summary.covered;
    assert.equal(covered(own), 1);
    assert.equal(covered(`${own}${text}`), 14);
  });
});
