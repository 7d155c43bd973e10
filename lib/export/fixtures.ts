// Test data shared by the export tests (pure: no node:* here).
import type { PublishedEntry } from "../catalog/types";

const PRODUCTS = ["Freshchat", "Freddy Self-service"];

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

function entries(region: string, cidrs: readonly string[], products = PRODUCTS): PublishedEntry[] {
  return cidrs.map((cidr) => ({ cidr, region, products }));
}

/** The seed catalog's US and EU entries (24 /32s), in published order. */
export const seedUsEu: readonly PublishedEntry[] = [...entries("US", US), ...entries("EU", EU)];

/** Made-up IPv6 entries (the seed has none) to exercise both families. */
export const ipv6Entries: readonly PublishedEntry[] = [
  ...entries("US", ["2406:da00:ff00::/48", "2600:1f18:4c12:9a00::/56"]),
  ...entries("EU", ["2a05:d014:1c8::/64", "2a05:d014:1c8:1::/64"], ["Freshchat"]),
];

/** A few seed entries standing for "missing from the compared list". */
export const missingSubset: readonly PublishedEntry[] = seedUsEu.filter((e) =>
  ["52.1.37.96/32", "44.206.73.236/32", "44.206.73.237/32", "3.74.148.10/32"].includes(e.cidr),
);

/** A product name a spreadsheet would execute, and one full of characters comment syntaxes choke on. */
export const hostileEntries: readonly PublishedEntry[] = [
  { cidr: "192.0.2.1/32", region: "US", products: ['=HYPERLINK("http://evil.example","x")'] },
  { cidr: "192.0.2.2/32", region: "EU", products: ["-2+3", 'quote " back\\slash \'single\'\nnewline; semi # hash'] },
];

/** One export scenario: the catalog entries, the region filter and the options as a user would send them. */
export interface ExportCase {
  readonly name: string;
  readonly entries: readonly PublishedEntry[];
  readonly regions?: readonly string[];
  readonly input: Readonly<Record<string, unknown>>;
}

const common = {
  provider: "Freshworks",
  catalogLabel: "freshworks v1 (sha256:4ce552359fe97bd7)",
  namePrefix: "freshworks",
};

/** The scenarios every format is rendered for (goldens) and checked with (real checkers, round trips). */
export const exportCases: readonly ExportCase[] = [
  { name: "seed-us-eu", entries: seedUsEu, regions: ["US", "EU"], input: common },
  { name: "both-families", entries: [...seedUsEu, ...ipv6Entries], input: { ...common, ports: "80,443" } },
  {
    name: "ports-destination",
    entries: [...seedUsEu, ...ipv6Entries],
    input: { ...common, ports: "8000-8100", destination: "203.0.113.0/24" },
  },
  {
    name: "destination-v6",
    entries: [...seedUsEu, ...ipv6Entries],
    input: { ...common, ports: "443,8443", destination: "2001:db8:10::/48", protocol: "udp" },
  },
  { name: "comments-off", entries: [...seedUsEu, ...ipv6Entries], input: { ...common, comments: false } },
  { name: "per-cidr", entries: [...seedUsEu, ...ipv6Entries], input: { ...common, aggregate: false } },
  {
    name: "missing-only",
    entries: missingSubset,
    regions: ["US", "EU"],
    input: { ...common, scope: "missing", namePrefix: "fw1-missing" },
  },
  {
    name: "sync-dedicated",
    entries: [...seedUsEu, ...ipv6Entries],
    regions: ["US", "EU"],
    input: { ...common, scope: "sync", deployment: "dedicated", ports: "443,8443" },
  },
  {
    name: "hostile-comments",
    entries: hostileEntries,
    input: { provider: "Acme \"Corp\"", catalogLabel: "v1\n*filter\nCOMMIT ' \" \\ ; # }", aggregate: false },
  },
];
