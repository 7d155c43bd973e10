import { catalogOf, type CatalogSource, type ParsedEntry } from "../catalog/catalog";
import { aggregate, formatPrefix, type Prefix } from "../ip";

export type FeedFormat = "plain" | "checkpoint" | "json";
export type FeedFamily = "4" | "6" | "both";

export const FEED_FORMATS: readonly { readonly id: FeedFormat; readonly label: string }[] = [
  { id: "plain", label: "Plain text, one CIDR a line (PAN-OS EDL, FortiGate, pfSense/OPNsense, MikroTik)" },
  { id: "checkpoint", label: "Check Point Generic Data Center (JSON)" },
  { id: "json", label: "JSON with metadata" },
];

export interface FeedSpec {
  readonly format: FeedFormat;
  /** Region codes served; empty for all. */
  readonly regions: readonly string[];
  readonly family: FeedFamily;
  readonly aggregate: boolean;
}

export interface FeedMeta {
  readonly feedId: number;
  readonly feedName: string;
  readonly provider: string;
  readonly catalogVersion: number;
  readonly checksum: string;
  readonly importedAt: Date;
}

export interface RenderedFeed {
  readonly body: string;
  readonly contentType: string;
  readonly entryCount: number;
}

function familyOk(family: FeedFamily, p: Prefix): boolean {
  return family === "both" || String(p.address.family) === family;
}

/** 32 hex digits from text: four FNV-1a hashes with different seeds. Stable, not secret. */
function hex128(text: string): string {
  let out = "";
  for (const seed of [0x811c9dc5, 0x01000193, 0xdeadbeef, 0x9e3779b9]) {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out;
}

/** A UUID-shaped id (Check Point wants one per object), the same for a feed's region on every poll and version. */
function uuidOf(text: string): string {
  const h = hex128(text);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function prefixesOf(entries: readonly ParsedEntry[], spec: FeedSpec): string[] {
  const prefixes = entries.flatMap((e) => (familyOk(spec.family, e.prefix) ? [e.prefix] : []));
  if (spec.aggregate) return aggregate(prefixes).map(formatPrefix);
  return [...new Set(prefixes.map(formatPrefix))];
}

/**
 * The feed body for the entries of the chosen regions and family. Deterministic for a given catalog version (no
 * timestamps of its own), so its hash is a stable ETag and pollers see a change only when the list changes. Pure.
 */
export function renderFeed(source: CatalogSource, spec: FeedSpec, meta: FeedMeta): RenderedFeed {
  // Entries that are not CIDRs are not in `parsed` (see buildCatalog): a feed serves what parses.
  const chosen = catalogOf(source).parsed.filter(
    (e) => spec.regions.length === 0 || spec.regions.includes(e.entry.region),
  );
  switch (spec.format) {
    case "plain": {
      const lines = prefixesOf(chosen, spec);
      return {
        body: lines.map((l) => `${l}\n`).join(""),
        contentType: "text/plain; charset=utf-8",
        entryCount: lines.length,
      };
    }
    case "checkpoint": {
      const regions = [...new Set(chosen.map((e) => e.entry.region))];
      const objects = regions.map((region) => ({
        name: `${meta.provider} ${region}`,
        id: uuidOf(`feed ${meta.feedId} ${region}`),
        description: `${meta.provider} NAT IPs, region ${region}, catalog version ${meta.catalogVersion}`,
        ranges: prefixesOf(
          chosen.filter((e) => e.entry.region === region),
          spec,
        ),
      }));
      const body = JSON.stringify(
        {
          version: "1.0",
          description: `${meta.feedName}: ${meta.provider} catalog version ${meta.catalogVersion}`,
          objects,
        },
        null,
        2,
      );
      return {
        body: `${body}\n`,
        contentType: "application/json",
        entryCount: objects.reduce((n, o) => n + o.ranges.length, 0),
      };
    }
    case "json": {
      const prefixes = prefixesOf(chosen, spec);
      const body = JSON.stringify(
        {
          feed: { id: meta.feedId, name: meta.feedName },
          provider: meta.provider,
          catalogVersion: meta.catalogVersion,
          checksum: meta.checksum,
          importedAt: meta.importedAt.toISOString(),
          regions: spec.regions.length === 0 ? "all" : spec.regions,
          family: spec.family,
          aggregated: spec.aggregate,
          prefixes,
          entries: spec.aggregate
            ? undefined
            : chosen
                .filter((e) => prefixes.includes(e.entry.cidr))
                .map(({ entry: e }) => ({ cidr: e.cidr, region: e.region, products: e.products })),
        },
        null,
        2,
      );
      return { body: `${body}\n`, contentType: "application/json", entryCount: prefixes.length };
    }
  }
}
