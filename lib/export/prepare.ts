import { z } from "zod";
import "../zod-jitless";
import { aggregate } from "../ip/aggregate";
import { comparePrefix, formatPrefix, hasHostBits, maskPrefix, parsePrefix, parsePrefixOrAddress, prefixContains } from "../ip/prefix";
import type { Prefix } from "../ip/types";
import type { PublishedEntry } from "../catalog/types";
import { getExporter } from "./registry";
import type { ExportFormatId, ExportItem, ExportOptions, PortSpec, RenderResult } from "./types";

export const defaultExportOptions: ExportOptions = {
  ports: [{ from: 443, to: 443 }],
  protocol: "tcp",
  namePrefix: "allowlist",
  comments: true,
  aggregate: true,
  family: "both",
  scope: "full",
  deployment: "additive",
  nftFamily: "inet",
  nftTable: "filter",
  nftChain: "input",
  catalogLabel: "",
  provider: "",
};

/**
 * Filters to the chosen regions (case-insensitive; undefined = all) and family, then either aggregates to the
 * minimal CIDR cover (each output prefix carrying the regions/products of the entries inside it) or keeps one
 * item per distinct CIDR. Sorted IPv4 first. Throws on a CIDR that does not parse: catalog entries are
 * validated at import, so that is a programming error (renderExport reports it as an error instead).
 */
export function prepareExport(
  entries: readonly PublishedEntry[],
  options: Pick<ExportOptions, "family" | "aggregate">,
  opts: { readonly regions?: readonly string[] } = {},
): ExportItem[] {
  const wanted = opts.regions?.map((r) => r.toUpperCase());
  const selected: { prefix: Prefix; entry: PublishedEntry }[] = [];
  for (const entry of entries) {
    if (wanted !== undefined && !wanted.includes(entry.region.toUpperCase())) continue;
    const parsed = parsePrefixOrAddress(entry.cidr);
    if (!parsed.ok) throw new Error(`invalid catalog CIDR ${JSON.stringify(entry.cidr)}: ${parsed.error.message}`);
    const prefix = maskPrefix(parsed.value);
    if (options.family !== "both" && String(prefix.address.family) !== options.family) continue;
    selected.push({ prefix, entry });
  }
  // Regions and products are listed in catalog order, not alphabetically or by address.
  const regionOrder = firstSeenOrder(selected.map((s) => [s.entry.region]));
  const productOrder = firstSeenOrder(selected.map((s) => s.entry.products));

  const outputs = options.aggregate ? aggregate(selected.map((s) => s.prefix)) : distinct(selected.map((s) => s.prefix));
  selected.sort((a, b) => comparePrefix(a.prefix, b.prefix));
  return outputs.map((prefix) => {
    const inside = selected.filter((s) =>
      options.aggregate ? prefixContains(prefix, s.prefix.address) : comparePrefix(prefix, s.prefix) === 0,
    );
    return {
      prefix,
      regions: ordered(inside.map((s) => [s.entry.region]), regionOrder),
      products: ordered(inside.map((s) => s.entry.products), productOrder),
    };
  });
}

function firstSeenOrder(lists: readonly (readonly string[])[]): Map<string, number> {
  const order = new Map<string, number>();
  for (const list of lists) for (const x of list) if (!order.has(x)) order.set(x, order.size);
  return order;
}

function ordered(lists: readonly (readonly string[])[], order: Map<string, number>): string[] {
  const set = new Set<string>();
  for (const list of lists) for (const x of list) set.add(x);
  return [...set].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

function distinct(prefixes: readonly Prefix[]): Prefix[] {
  const sorted = [...prefixes].sort(comparePrefix);
  return sorted.filter((p, i) => i === 0 || comparePrefix(p, sorted[i - 1] as Prefix) !== 0);
}

/** "freshworks-us-eu-nftables", "freshworks-all-missing-csv": a file name without extension. */
export function exportBaseName(
  provider: string,
  regions: readonly string[] | undefined,
  scope: ExportOptions["scope"],
  formatId: ExportFormatId,
): string {
  const where = regions === undefined || regions.length === 0 ? ["all"] : regions;
  const parts = [provider, ...where, scope === "full" ? "" : scope, formatId];
  return parts
    .map(slug)
    .filter((p) => p !== "")
    .join("-");
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** "443", "80,443", "8000-8100, 9000": sorted, overlaps merged; an error sentence when invalid. */
export function parsePorts(text: string): { ok: true; value: PortSpec[] } | { ok: false; error: string } {
  const specs: PortSpec[] = [];
  for (const raw of text.split(",")) {
    const part = raw.trim();
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(part);
    if (m === null) return { ok: false, error: `"${part}" is not a port or a port range like 8000-8100` };
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to > 65535) return { ok: false, error: `"${part}": ports are 1-65535` };
    if (from > to) return { ok: false, error: `"${part}": the range starts after its end` };
    specs.push({ from, to });
  }
  specs.sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: PortSpec[] = [];
  for (const s of specs) {
    const last = merged[merged.length - 1];
    if (last !== undefined && s.from <= last.to) merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, s.to) };
    else merged.push(s);
  }
  return { ok: true, value: merged };
}

/** A boolean from JSON (true) or from a query string / CLI flag ("true", "1", "yes", "on", …). */
const flag = z.union([z.boolean(), z.stringbool()]);

/** An nftables table or chain name: kept to a strict identifier so it is never quoted nor mistaken for a keyword. */
const nftName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "a letter, then up to 63 letters, digits, '_' or '-'");

/**
 * Export options as sent by the UI, the API (query string or JSON) and the CLI. Ports are text ("443",
 * "80,443", "8000-8100") or a number; the destination is an address or CIDR validated by lib/ip, host bits refused.
 */
export const exportOptionsSchema = z
  .object({
    ports: z
      .union([z.string(), z.number().int()])
      .default("443")
      .transform((value, ctx) => {
        const parsed = parsePorts(String(value));
        if (!parsed.ok) {
          ctx.addIssue({ code: "custom", message: parsed.error });
          return z.NEVER;
        }
        return parsed.value;
      }),
    protocol: z.enum(["tcp", "udp"]).default("tcp"),
    destination: z
      .string()
      .trim()
      .optional()
      .transform((value, ctx): Prefix | undefined => {
        if (value === undefined || value === "" || value.toLowerCase() === "any") return undefined;
        const parsed = value.includes("/") ? parsePrefix(value) : parsePrefixOrAddress(value);
        if (!parsed.ok) {
          ctx.addIssue({ code: "custom", message: `destination: ${parsed.error.message}` });
          return z.NEVER;
        }
        if (hasHostBits(parsed.value)) {
          ctx.addIssue({
            code: "custom",
            message: `destination ${value} has host bits set; did you mean ${formatPrefix(maskPrefix(parsed.value))}?`,
          });
          return z.NEVER;
        }
        return parsed.value;
      }),
    namePrefix: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, "a letter, then up to 31 letters, digits, '_' or '-'")
      .default(defaultExportOptions.namePrefix),
    comments: flag.default(defaultExportOptions.comments),
    aggregate: flag.default(defaultExportOptions.aggregate),
    family: z.enum(["4", "6", "both"]).default(defaultExportOptions.family),
    scope: z.enum(["full", "missing", "sync"]).default(defaultExportOptions.scope),
    deployment: z.enum(["additive", "dedicated"]).default(defaultExportOptions.deployment),
    nftFamily: z.enum(["inet", "ip", "ip6"]).default(defaultExportOptions.nftFamily),
    nftTable: nftName.default(defaultExportOptions.nftTable),
    nftChain: nftName.default(defaultExportOptions.nftChain),
    catalogLabel: z.string().max(200).default(defaultExportOptions.catalogLabel),
    provider: z.string().max(100).default(defaultExportOptions.provider),
  })
  .transform((o): ExportOptions => {
    const { destination, ...rest } = o;
    return destination === undefined ? rest : { ...rest, destination };
  });

export type ExportOptionsInput = z.input<typeof exportOptionsSchema>;

/**
 * prepareExport + the format's render. Items of a family the format cannot hold (iptables with IPv6 …) or that
 * cannot reach an explicit destination of the other family are left out WITH a warning naming how many and
 * why; when nothing is left, that is an error.
 */
export function renderExport(
  formatId: ExportFormatId,
  entries: readonly PublishedEntry[],
  options: ExportOptions,
  opts: { readonly regions?: readonly string[] } = {},
): RenderResult {
  const exporter = getExporter(formatId);
  const invalid = entries.filter((e) => !parsePrefixOrAddress(e.cidr).ok).map((e) => `invalid catalog CIDR "${e.cidr}" (${e.region})`);
  if (invalid.length > 0) return { ok: false, errors: invalid };

  const all = prepareExport(entries, options, opts);
  const warnings: string[] = [];
  // A format that cannot restrict the destination refuses it itself; filter only where it applies.
  const destFamily = exporter.supports.destination ? options.destination?.address.family : undefined;
  const kept = all.filter((item) => {
    const f = item.prefix.address.family;
    return exporter.supports.families.includes(f) && (destFamily === undefined || destFamily === f);
  });
  for (const f of [4, 6] as const) {
    const left = all.filter((i) => i.prefix.address.family === f).length - kept.filter((i) => i.prefix.address.family === f).length;
    if (left === 0) continue;
    const why = exporter.supports.families.includes(f)
      ? `they cannot reach the IPv${destFamily} destination`
      : `${exporter.label} holds IPv${exporter.supports.families.join("/IPv")} only`;
    warnings.push(`${left} IPv${f} prefix${left === 1 ? "" : "es"} left out: ${why}`);
  }
  if (kept.length === 0) {
    return { ok: false, errors: warnings.length > 0 ? warnings : ["nothing to export: no published entry matches the chosen regions and family"] };
  }
  const unsupported: string[] = [];
  if (options.scope === "sync" && exporter.supports.sync !== true) {
    unsupported.push(`${exporter.label} cannot express the sync scope (removing what the vendor no longer publishes); use full or missing`);
  }
  if (options.deployment === "dedicated" && exporter.supports.dedicated !== true) {
    unsupported.push(`${exporter.label} cannot express the dedicated deployment; use additive`);
  }
  if (unsupported.length > 0) return { ok: false, errors: unsupported };
  const base = exportBaseName(options.provider || "allowlist", opts.regions, options.scope, formatId);
  const result = exporter.render(kept, options, base);
  return result.ok ? { ...result, warnings: [...warnings, ...result.warnings] } : result;
}
