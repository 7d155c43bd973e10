import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { canonicalCatalogLines, catalogChecksum } from "./checksum";
import { parseSeedDocument } from "./seed-document";
import type { PublishedEntry } from "./types";

const seedUrl = new URL("./seed/freshworks-nat-ips.txt", import.meta.url);
const sharedSeedUrl = new URL("../../../shared/seeds/000_4ce552359fe97bd7.txt", import.meta.url);
const seedText = readFileSync(seedUrl, "utf8");

// Typed from the published document, in its order.
const US = [
  "52.1.37.96/32",
  "52.1.32.88/32",
  "18.208.240.77/32",
  "52.201.75.8/32",
  "34.231.139.135/32",
  "34.231.245.167/32",
  "44.206.73.232/32",
  "44.206.73.233/32",
  "44.206.73.234/32",
  "44.206.73.235/32",
  "44.206.73.236/32",
  "44.206.73.237/32",
  "44.206.73.238/32",
  "44.206.73.239/32",
];
const EU = [
  "18.184.146.22/32",
  "18.197.127.133/32",
  "3.71.140.232/32",
  "52.29.254.13/32",
  "52.57.253.205/32",
  "18.194.170.216/32",
  "3.74.148.8/32",
  "3.74.148.9/32",
  "3.74.148.10/32",
  "3.74.148.11/32",
];
const IN = [
  "13.232.152.211/32",
  "52.66.184.184/32",
  "35.154.161.243/32",
  "13.126.85.255/32",
  "13.234.127.182/32",
  "43.204.166.208/32",
  "43.204.166.209/32",
  "43.204.166.210/32",
  "43.204.166.211/32",
];
const AU = [
  "3.105.197.171/32",
  "13.210.157.231/32",
  "54.206.10.178/32",
  "3.104.16.220/32",
  "13.238.97.24/32",
  "13.238.188.219/32",
  "3.26.254.196/32",
  "3.26.254.197/32",
  "3.26.254.198/32",
  "3.26.254.199/32",
];
const BOTH = ["Freshchat", "Freddy Self-service"];
const expectedEntries: PublishedEntry[] = (
  [
    ["US", US],
    ["EU", EU],
    ["IN", IN],
    ["AU", AU],
  ] as const
).flatMap(([region, cidrs]) => cidrs.map((cidr) => ({ cidr, region, products: BOTH })));

/** A small document in the seed's shape, for the error cases. */
function doc(...tableLines: string[]): string {
  return ["Intro text.", "", "Region", "", "NAT IPs", "", ...tableLines, "", "Do customers need ports?", ""].join("\n");
}

describe("parseSeedDocument", () => {
  test("reads the seed: provider, products, regions and the 43 entries in document order", () => {
    assert.deepEqual(parseSeedDocument(seedText), {
      ok: true,
      value: {
        provider: { slug: "freshworks", name: "Freshworks" },
        products: BOTH,
        regions: [
          { code: "US", name: "United States" },
          { code: "EU", name: "Europe" },
          { code: "IN", name: "India" },
          { code: "AU", name: "Australia" },
        ],
        entries: expectedEntries,
      },
    });
  });

  test("counts per region: US 14, EU 10, IN 9, AU 10 (43)", () => {
    const result = parseSeedDocument(seedText);
    assert.ok(result.ok);
    const counts: Record<string, number> = {};
    for (const entry of result.value.entries) counts[entry.region] = (counts[entry.region] ?? 0) + 1;
    assert.deepEqual(counts, { US: 14, EU: 10, IN: 9, AU: 10 });
    assert.equal(result.value.entries.length, 43);
  });

  test("the trailing no-break space after 52.1.37.96/32 is not part of the CIDR", () => {
    assert.ok(seedText.includes("52.1.37.96/32\u00a0"));
    const result = parseSeedDocument(seedText);
    assert.ok(result.ok);
    assert.deepEqual(result.value.entries[0], { cidr: "52.1.37.96/32", region: "US", products: BOTH });
  });

  test("CRLF line endings give the same result", () => {
    assert.deepEqual(parseSeedDocument(seedText.replace(/\n/g, "\r\n")), parseSeedDocument(seedText));
  });

  test("IPv6 CIDRs are canonicalised (RFC 5952)", () => {
    assert.deepEqual(parseSeedDocument(doc("US", "2001:DB8:0:0::/64")), {
      ok: true,
      value: {
        provider: { slug: "freshworks", name: "Freshworks" },
        products: BOTH,
        regions: [{ code: "US", name: "United States" }],
        entries: [{ cidr: "2001:db8::/64", region: "US", products: BOTH }],
      },
    });
  });

  test("problems come back with their line number, never as a throw", () => {
    const cases: [string, { message: string; line: number }][] = [
      [
        "Region\nsomething else\nNAT IPs\nUS\n1.2.3.4/32\n",
        { message: 'no "Region" / "NAT IPs" table heading found', line: 6 },
      ],
      [doc("1.2.3.4/32"), { message: "CIDR 1.2.3.4/32 appears before any region heading", line: 7 }],
      [doc("US", "1.2.3.4/33"), { message: "invalid CIDR 1.2.3.4/33: prefix length is greater than 32", line: 8 }],
      [doc("US", "1.2.3.4"), { message: "invalid CIDR 1.2.3.4: missing '/length'", line: 8 }],
      [doc("US", "1.2.3.4/24"), { message: "CIDR 1.2.3.4/24 has host bits set", line: 8 }],
      [doc("US", "1.2.3.4/32", "XX", "1.2.3.5/32"), { message: "unknown region code XX", line: 9 }],
      [doc("US", "1.2.3.4/32", "1.2.3.4/32"), { message: "CIDR 1.2.3.4/32 is listed twice in region US", line: 9 }],
      [doc("US", "EU", "1.2.3.4/32"), { message: "region US lists no CIDRs", line: 7 }],
      [doc("US", "1.2.3.4/32", "US", "1.2.3.5/32"), { message: "region US appears twice", line: 9 }],
      [doc("US", "1.2.3.4/32", "EU"), { message: "region EU lists no CIDRs", line: 9 }],
      [doc(), { message: "the table lists no regions", line: 5 }],
    ];
    for (const [text, error] of cases)
      assert.deepEqual(parseSeedDocument(text), { ok: false, error }, JSON.stringify(text));
  });

  test(
    "the repo copy equals the shared seed byte for byte",
    { skip: !existsSync(sharedSeedUrl) && "shared seed not present" },
    () => {
      assert.deepEqual(readFileSync(seedUrl), readFileSync(sharedSeedUrl));
    },
  );
});

describe("catalog checksum", () => {
  const a: PublishedEntry = { cidr: "10.0.0.0/8", region: "US", products: ["B", "A"] };
  const b: PublishedEntry = { cidr: "2001:db8::/32", region: "EU", products: ["A"] };

  test("canonical lines: region,cidr,products sorted, lines sorted", () => {
    assert.deepEqual(canonicalCatalogLines([a, b]), ["EU,2001:db8::/32,A", "US,10.0.0.0/8,A|B"]);
  });

  test("sha256 of the lines, each ended by a newline, independent of entry order", async () => {
    const expected = createHash("sha256").update("EU,2001:db8::/32,A\nUS,10.0.0.0/8,A|B\n").digest("hex");
    assert.equal(await catalogChecksum([a, b]), expected);
    assert.equal(await catalogChecksum([b, a]), expected);
  });

  test("a changed product, region or CIDR changes the checksum", async () => {
    const base = await catalogChecksum([a, b]);
    const variants = [
      [{ ...a, products: ["A"] }, b],
      [{ ...a, region: "EU" }, b],
      [{ ...a, cidr: "10.0.0.0/9" }, b],
      [a],
    ];
    for (const entries of variants) assert.notEqual(await catalogChecksum(entries), base);
  });

  test("the seed catalog's checksum", async () => {
    assert.equal(
      await catalogChecksum(expectedEntries),
      "f54d7f04b82b72227cb7619bdf19b876f28b53c6eece484f6d6322297dfefbe9",
    );
  });
});
