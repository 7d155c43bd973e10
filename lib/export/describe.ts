// Pure pieces shared by the export panel (browser), the export API, the CLI and the /exports page.
import type { CatalogSource } from "../catalog/catalog";
import { formatPrefix, maskPrefix } from "../ip/prefix";
import { planExport } from "./plan";
import { exporters, exportFormatIds, getExporter } from "./registry";
import type { ExportFormatId, ExportOptions } from "./types";

export interface FormatGroup {
  readonly label: string;
  readonly ids: readonly ExportFormatId[];
}

/** How the format picker and the gallery group the registry; every format appears exactly once. */
export const exportFormatGroups: readonly FormatGroup[] = [
  { label: "Lists", ids: ["csv", "plain", "json"] },
  {
    label: "Linux",
    ids: ["iptables", "ip6tables", "nftables", "ipset", "ufw", "firewalld", "nginx", "apache", "haproxy"],
  },
  {
    label: "Network vendors",
    ids: ["cisco-asa", "cisco-ios", "junos-srx", "panos", "fortigate", "checkpoint", "mikrotik", "windows"],
  },
  { label: "Cloud", ids: ["aws-sg", "aws-prefix-list", "terraform-aws", "azure-nsg", "gcp", "cloudflare", "k8s"] },
];

export function isExportFormatId(id: string): id is ExportFormatId {
  return (exportFormatIds as readonly string[]).includes(id);
}

export function formatLabelOf(id: string): string {
  return isExportFormatId(id) ? exporters[id].label : id;
}

/** "IPv4 + IPv6 · ports · destination · comments", with what the format cannot restrict left out. */
export function describeSupport(id: ExportFormatId): string {
  const s = getExporter(id).supports;
  const parts = [s.families.map((f) => `IPv${f}`).join(" + ")];
  if (s.ports) parts.push("ports");
  if (s.destination) parts.push("destination");
  if (s.comments) parts.push("comments");
  return parts.join(" · ");
}

/**
 * How many published entries an export holds: those of the chosen regions and family that the format can carry
 * (the plan leaves the others out with a warning). This is the count the export log records.
 */
export function countExportedEntries(
  formatId: ExportFormatId,
  source: CatalogSource,
  options: Pick<ExportOptions, "family" | "destination" | "aggregate" | "scope" | "deployment">,
  regions: readonly string[] | undefined,
): number {
  return planExport(formatId, source, options, regions === undefined ? {} : { regions }).entryCount;
}

/** The options a user chose, as stored in the export log (JSON text) and shown on /exports. */
export interface StoredExportOptions {
  readonly ports: string;
  readonly protocol: "tcp" | "udp";
  readonly destination: string;
  readonly namePrefix: string;
  readonly comments: boolean;
  readonly aggregate: boolean;
  readonly family: "4" | "6" | "both";
}

export function storedExportOptions(o: ExportOptions): StoredExportOptions {
  return {
    ports: o.ports.map((p) => (p.from === p.to ? String(p.from) : `${p.from}-${p.to}`)).join(","),
    protocol: o.protocol,
    destination: o.destination === undefined ? "any" : formatPrefix(maskPrefix(o.destination)),
    namePrefix: o.namePrefix,
    comments: o.comments,
    aggregate: o.aggregate,
    family: o.family,
  };
}

/** "tcp 443 · to any · IPv4 + IPv6 · aggregated · comments · names freshworks" from stored options JSON. */
export function summarizeStoredOptions(json: string): string {
  let o: Partial<StoredExportOptions>;
  try {
    o = JSON.parse(json) as Partial<StoredExportOptions>;
  } catch {
    return "(unreadable options)";
  }
  const family = o.family === "4" ? "IPv4" : o.family === "6" ? "IPv6" : "IPv4 + IPv6";
  return [
    `${o.protocol ?? "tcp"} ${o.ports ?? "443"}`,
    `to ${o.destination ?? "any"}`,
    family,
    o.aggregate === false ? "one per CIDR" : "aggregated",
    o.comments === false ? "no comments" : "comments",
    `names ${o.namePrefix ?? "allowlist"}`,
  ].join(" · ");
}

/** What export comments name as the source list, the same from the UI, the API and the CLI. */
export function catalogLabelOf(provider: string, version: number, checksum: string): string {
  return `${provider} catalog v${version} (sha256:${checksum.slice(0, 12)})`;
}
