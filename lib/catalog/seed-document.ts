import { formatPrefix, hasHostBits, parsePrefix } from "../ip";
import type { PublishedEntry } from "./types";

/** What the seed document publishes: one provider, its products, its regions and their CIDRs. */
export interface SeedCatalog {
  readonly provider: { readonly slug: string; readonly name: string };
  readonly products: readonly string[];
  readonly regions: readonly { readonly code: string; readonly name: string }[];
  /** Grouped by region in document order, each region's CIDRs in document order. */
  readonly entries: readonly PublishedEntry[];
}

/** Why the document could not be read; `line` is 1-based. */
export interface SeedDocumentError {
  readonly message: string;
  readonly line: number;
}

export type SeedDocumentResult =
  { readonly ok: true; readonly value: SeedCatalog } | { readonly ok: false; readonly error: SeedDocumentError };

const PROVIDER = { slug: "freshworks", name: "Freshworks" } as const;

/** The document says these NAT IPs serve both products; every entry carries both. */
const PRODUCTS = ["Freshchat", "Freddy Self-service"] as const;

/** The region codes the document uses as table headings, with their full names (absent from the text). */
const REGION_NAMES: Readonly<Record<string, string>> = {
  US: "United States",
  EU: "Europe",
  IN: "India",
  AU: "Australia",
};

/** Trims the no-break spaces (U+00A0) the page leaves after some addresses, as well as ordinary whitespace. */
function documentLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.trim());
}

/** Index of the "NAT IPs" column heading that follows a "Region" heading, or -1. */
function tableStart(lines: readonly string[]): number {
  let sawRegion = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === "Region") sawRegion = true;
    else if (line === "NAT IPs" && sawRegion) return i;
    else if (line !== "") sawRegion = false;
  }
  return -1;
}

/**
 * Reads the Freshworks NAT IP document: after the "Region" / "NAT IPs" headings, each region code stands
 * alone on a line and is followed by its CIDRs, one a line; the first other text ends the table.
 * Never throws: a malformed document gives the first problem with its line number.
 */
export function parseSeedDocument(text: string): SeedDocumentResult {
  const lines = documentLines(text);
  const fail = (message: string, index: number): SeedDocumentResult => ({
    ok: false,
    error: { message, line: index + 1 },
  });
  const start = tableStart(lines);
  if (start < 0) return fail('no "Region" / "NAT IPs" table heading found', lines.length - 1);

  const regions: { code: string; name: string }[] = [];
  const entries: PublishedEntry[] = [];
  const seen = new Set<string>();
  let region: string | undefined;
  let regionLine = start;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "") continue;
    const name = REGION_NAMES[line];
    if (name !== undefined) {
      if (region !== undefined && !entries.some((entry) => entry.region === region))
        return fail(`region ${region} lists no CIDRs`, regionLine);
      if (regions.some((r) => r.code === line)) return fail(`region ${line} appears twice`, i);
      regions.push({ code: line, name });
      region = line;
      regionLine = i;
      continue;
    }
    if (/^[A-Z]{2}$/.test(line)) return fail(`unknown region code ${line}`, i);
    // Anything made only of address characters must be a valid CIDR (a bare or mistyped address is an
    // error, not the end of the table); any other text is the prose after the table.
    if (!/^[0-9A-Fa-f:./]+$/.test(line)) break;
    if (region === undefined) return fail(`CIDR ${line} appears before any region heading`, i);
    const parsed = parsePrefix(line);
    if (!parsed.ok) return fail(`invalid CIDR ${line}: ${parsed.error.message}`, i);
    if (hasHostBits(parsed.value)) return fail(`CIDR ${line} has host bits set`, i);
    const cidr = formatPrefix(parsed.value);
    const key = `${region} ${cidr}`;
    if (seen.has(key)) return fail(`CIDR ${cidr} is listed twice in region ${region}`, i);
    seen.add(key);
    entries.push({ cidr, region, products: PRODUCTS });
  }
  if (region === undefined) return fail("the table lists no regions", start);
  if (!entries.some((entry) => entry.region === region)) return fail(`region ${region} lists no CIDRs`, regionLine);
  return { ok: true, value: { provider: PROVIDER, products: PRODUCTS, regions, entries } };
}
