import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mustParsePrefix } from "../ip/prefix";
import type { PublishedEntry } from "../catalog/types";
import { ipv6Entries, seedUsEu } from "./fixtures";
import {
  defaultExportOptions,
  exportBaseName,
  exportOptionsSchema,
  parsePorts,
  prepareExport,
  renderExport,
} from "./prepare";
import type { ExportItem } from "./types";

const view = (items: readonly ExportItem[]) =>
  items.map((i) => ({
    cidr: `${i.prefix.address.family}:${i.prefix.bits}:${i.prefix.address.value}`,
    regions: i.regions,
    products: i.products,
  }));
const FW = ["Freshchat", "Freddy Self-service"];
const item = (cidr: string, regions: string[], products = FW) => {
  const p = mustParsePrefix(cidr);
  return { cidr: `${p.address.family}:${p.bits}:${p.address.value}`, regions, products };
};

describe("prepareExport", () => {
  test("aggregates the seed US+EU to the minimal cover, IPv4 first", () => {
    const items = prepareExport(seedUsEu, { family: "both", aggregate: true }, { regions: ["us", "eu"] });
    assert.deepEqual(view(items), [
      item("3.71.140.232/32", ["EU"]),
      item("3.74.148.8/30", ["EU"]),
      item("18.184.146.22/32", ["EU"]),
      item("18.194.170.216/32", ["EU"]),
      item("18.197.127.133/32", ["EU"]),
      item("18.208.240.77/32", ["US"]),
      item("34.231.139.135/32", ["US"]),
      item("34.231.245.167/32", ["US"]),
      item("44.206.73.232/29", ["US"]),
      item("52.1.32.88/32", ["US"]),
      item("52.1.37.96/32", ["US"]),
      item("52.29.254.13/32", ["EU"]),
      item("52.57.253.205/32", ["EU"]),
      item("52.201.75.8/32", ["US"]),
    ]);
  });

  test("an aggregated prefix carries the union of regions and products, in catalog order", () => {
    const entries: PublishedEntry[] = [
      { cidr: "10.0.0.1/32", region: "US", products: ["B"] },
      { cidr: "10.0.0.0/32", region: "EU", products: ["A", "B"] },
      { cidr: "2001:db8::/33", region: "IN", products: ["A"] },
      { cidr: "2001:db8:8000::/33", region: "IN", products: ["A"] },
    ];
    assert.deepEqual(view(prepareExport(entries, { family: "both", aggregate: true })), [
      item("10.0.0.0/31", ["US", "EU"], ["B", "A"]),
      item("2001:db8::/32", ["IN"], ["A"]),
    ]);
  });

  test("one item per distinct CIDR without aggregation; duplicates merged, host bits masked", () => {
    const entries: PublishedEntry[] = [
      { cidr: "10.0.0.1/32", region: "US", products: ["B"] },
      { cidr: "10.0.0.0/24", region: "EU", products: ["A"] },
      { cidr: "10.0.0.1/32", region: "EU", products: ["A"] },
      { cidr: "10.0.0.7/30", region: "AU", products: ["A"] },
    ];
    assert.deepEqual(view(prepareExport(entries, { family: "both", aggregate: false })), [
      item("10.0.0.0/24", ["EU"], ["A"]),
      item("10.0.0.1/32", ["US", "EU"], ["B", "A"]),
      item("10.0.0.4/30", ["AU"], ["A"]),
    ]);
  });

  test("filters by family and region", () => {
    const all = [...seedUsEu, ...ipv6Entries];
    assert.deepEqual(view(prepareExport(all, { family: "6", aggregate: true }, { regions: ["EU"] })), [
      item("2a05:d014:1c8::/63", ["EU"], ["Freshchat"]),
    ]);
    assert.equal(prepareExport(all, { family: "4", aggregate: false }).length, 24);
    assert.deepEqual(prepareExport(all, { family: "both", aggregate: true }, { regions: ["AU"] }), []);
  });

  test("throws on a catalog CIDR that does not parse (a programming error)", () => {
    assert.throws(
      () => prepareExport([{ cidr: "52.1.37.x/32", region: "US", products: [] }], { family: "both", aggregate: true }),
      /invalid catalog CIDR "52.1.37.x\/32"/,
    );
  });
});

test("exportBaseName", () => {
  assert.equal(exportBaseName("Freshworks", ["US", "EU"], "full", "nftables"), "freshworks-us-eu-nftables");
  assert.equal(exportBaseName("Freshworks", undefined, "missing", "cisco-asa"), "freshworks-all-missing-cisco-asa");
  assert.equal(exportBaseName("Acme Corp.", [], "full", "csv"), "acme-corp-all-csv");
});

test("parsePorts", () => {
  assert.deepEqual(parsePorts("443"), { ok: true, value: [{ from: 443, to: 443 }] });
  assert.deepEqual(parsePorts(" 443 , 80"), {
    ok: true,
    value: [
      { from: 80, to: 80 },
      { from: 443, to: 443 },
    ],
  });
  assert.deepEqual(parsePorts("8000-8100,8050,9000 - 9001"), {
    ok: true,
    value: [
      { from: 8000, to: 8100 },
      { from: 9000, to: 9001 },
    ],
  });
  assert.deepEqual(parsePorts("0"), { ok: false, error: '"0": ports are 1-65535' });
  assert.deepEqual(parsePorts("65536"), { ok: false, error: '"65536": ports are 1-65535' });
  assert.deepEqual(parsePorts("90-80"), { ok: false, error: '"90-80": the range starts after its end' });
  assert.deepEqual(parsePorts("443,"), { ok: false, error: '"" is not a port or a port range like 8000-8100' });
  assert.deepEqual(parsePorts("https"), { ok: false, error: '"https" is not a port or a port range like 8000-8100' });
});

describe("exportOptionsSchema", () => {
  test("defaults", () => {
    assert.deepEqual(exportOptionsSchema.parse({}), defaultExportOptions);
  });

  test("query-string values", () => {
    assert.deepEqual(
      exportOptionsSchema.parse({
        ports: "80,443",
        protocol: "udp",
        destination: " 203.0.113.0/24 ",
        namePrefix: "fw-1",
        comments: "false",
        aggregate: "0",
        family: "4",
        scope: "sync",
        deployment: "dedicated",
        nftFamily: "ip",
        nftTable: "fw",
        nftChain: "INPUT",
        catalogLabel: "freshworks v1",
        provider: "Freshworks",
      }),
      {
        ports: [
          { from: 80, to: 80 },
          { from: 443, to: 443 },
        ],
        protocol: "udp",
        destination: mustParsePrefix("203.0.113.0/24"),
        namePrefix: "fw-1",
        comments: false,
        aggregate: false,
        family: "4",
        scope: "sync",
        deployment: "dedicated",
        nftFamily: "ip",
        nftTable: "fw",
        nftChain: "INPUT",
        catalogLabel: "freshworks v1",
        provider: "Freshworks",
      },
    );
    assert.equal(exportOptionsSchema.safeParse({ nftTable: "filter; flush ruleset" }).success, false);
    assert.equal(exportOptionsSchema.safeParse({ deployment: "exclusive" }).success, false);
    assert.deepEqual(
      exportOptionsSchema.parse({ ports: 8443, destination: "2001:db8::1" }).destination,
      mustParsePrefix("2001:db8::1/128"),
    );
    assert.equal(exportOptionsSchema.parse({ destination: "any" }).destination, undefined);
  });

  test("every invalid field is reported", () => {
    const r = exportOptionsSchema.safeParse({
      ports: "80,x",
      protocol: "icmp",
      destination: "10.0.0.1/8",
      namePrefix: "1bad name",
      comments: "maybe",
      family: "5",
    });
    assert.equal(r.success, false);
    const byPath = Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
    assert.deepEqual(Object.keys(byPath).sort(), [
      "comments",
      "destination",
      "family",
      "namePrefix",
      "ports",
      "protocol",
    ]);
    assert.equal(byPath.ports, '"x" is not a port or a port range like 8000-8100');
    assert.equal(byPath.destination, "destination 10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?");
    assert.equal(exportOptionsSchema.safeParse({ destination: "10.0.0.256" }).success, false);
  });
});

describe("renderExport", () => {
  const options = exportOptionsSchema.parse({ provider: "Freshworks", catalogLabel: "v1", namePrefix: "fw" });

  test("a single-family format leaves the other family out with a warning", () => {
    const r = renderExport("iptables", [...seedUsEu, ...ipv6Entries], options, { regions: ["EU"] });
    assert.equal(r.ok, true);
    assert.deepEqual(r.ok && r.warnings, ["1 IPv6 prefix left out: iptables (shell script, IPv4) holds IPv4 only"]);
    assert.deepEqual(r.ok && r.files.map((f) => f.name), ["freshworks-eu-iptables.sh"]);
  });

  test("an error when nothing is left, and for invalid catalog CIDRs", () => {
    assert.deepEqual(renderExport("ip6tables", seedUsEu, options), {
      ok: false,
      errors: ["14 IPv4 prefixes left out: ip6tables (shell script, IPv6) holds IPv6 only"],
    });
    assert.deepEqual(renderExport("plain", seedUsEu, options, { regions: ["AU"] }), {
      ok: false,
      errors: ["nothing to export: no published entry matches the chosen regions and family"],
    });
    assert.deepEqual(renderExport("plain", [{ cidr: "1.2.3/24", region: "US", products: [] }], options), {
      ok: false,
      errors: ['invalid catalog CIDR "1.2.3/24" (US)'],
    });
  });

  test("a name prefix too long for iptables chains is refused", () => {
    const long = exportOptionsSchema.parse({ namePrefix: "a".repeat(29) });
    assert.deepEqual(renderExport("iptables", seedUsEu.slice(0, 1), long), {
      ok: false,
      errors: [`iptables: chain name "${"a".repeat(29)}" is longer than 28 characters; choose a shorter name prefix`],
    });
  });

  test("a format that cannot express sync or dedicated refuses it, naming both", () => {
    const both = exportOptionsSchema.parse({ scope: "sync", deployment: "dedicated" });
    assert.deepEqual(renderExport("cisco-asa", seedUsEu.slice(0, 1), both), {
      ok: false,
      errors: [
        "Cisco ASA (object-group + access-list) cannot express the sync scope (removing what the vendor no longer publishes); use full or missing",
        "Cisco ASA (object-group + access-list) cannot express the dedicated deployment; use additive",
      ],
    });
    const synced = renderExport("fortigate", seedUsEu.slice(0, 1), exportOptionsSchema.parse({ scope: "sync" }));
    assert.deepEqual(synced.ok && synced.files.map((f) => f.name), ["allowlist-all-sync-fortigate.conf"]);
  });

  test("nftables additive into an ip-family table refuses IPv6 prefixes", () => {
    const r = renderExport(
      "nftables",
      [...seedUsEu.slice(0, 1), ...ipv6Entries.slice(0, 1)],
      exportOptionsSchema.parse({ nftFamily: "ip" }),
    );
    assert.deepEqual(r, {
      ok: false,
      errors: [
        "nftables: IPv6 prefix 2406:da00:ff00::/48 cannot go into the ip table filter; choose family inet or export IPv4 only",
      ],
    });
  });
});
