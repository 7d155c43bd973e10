import type { PublishedEntry } from "./types";

/**
 * One line per entry, "region,cidr,products" with products sorted and joined by "|", the lines sorted by
 * UTF-16 code units (locale-free). Sorting makes the checksum independent of the document's order, so
 * only a change of content makes a new catalog version.
 */
export function canonicalCatalogLines(entries: readonly PublishedEntry[]): string[] {
  return entries
    .map((entry) => `${entry.region},${entry.cidr},${[...entry.products].sort().join("|")}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** sha256, lowercase hex, of the canonical lines each ended by "\n". Web Crypto keeps this usable in the browser. */
export async function catalogChecksum(entries: readonly PublishedEntry[]): Promise<string> {
  const text = canonicalCatalogLines(entries)
    .map((line) => `${line}\n`)
    .join("");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
