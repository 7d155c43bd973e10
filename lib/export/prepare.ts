import { z } from "zod";
import "../zod-jitless";
import { catalogOf, rejectedOfRegions, type CatalogSource } from "../catalog/catalog";
import { formatPrefix, hasHostBits, maskPrefix, parsePrefix, parsePrefixOrAddress } from "../ip/prefix";
import type { Prefix } from "../ip/types";
import { planExport, selectExportItems, type ExportPlan, type ExportSelectionOptions } from "./plan";
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
 * The address blocks of the chosen regions (case-insensitive; undefined = all) and family, aggregated to the
 * minimal CIDR cover or one per distinct CIDR (see exportItems). Throws on a catalog CIDR of those regions that does
 * not parse: catalog entries are validated at import, so that is a programming error (renderExport reports it as an
 * error instead).
 */
export function prepareExport(
  source: CatalogSource,
  options: Pick<ExportOptions, "family" | "aggregate">,
  opts: { readonly regions?: readonly string[] } = {},
): ExportItem[] {
  const bad = rejectedOfRegions(catalogOf(source), opts.regions)[0];
  if (bad !== undefined) throw new Error(`invalid catalog CIDR ${JSON.stringify(bad.entry.cidr)}: ${bad.message}`);
  return selectExportItems(source, options, opts);
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
    if (last !== undefined && s.from <= last.to)
      merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, s.to) };
    else merged.push(s);
  }
  return { ok: true, value: merged };
}

/** A boolean from JSON (true) or from a query string / CLI flag ("true", "1", "yes", "on", …). */
const flag = z.union([z.boolean(), z.stringbool()]);

/** An nftables table or chain name: kept to a strict identifier so it is never quoted nor mistaken for a keyword. */
const nftName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "a letter, then up to 63 letters, digits, '_' or '-'");

/** An ACL name as the device takes it (ASA: up to 241 printable characters, no spaces). */
const aclName = z
  .string()
  .trim()
  .regex(/^[\x21-\x7e]{1,241}$/, "an ACL name: 1 to 241 printable characters, no spaces");

/** A Junos zone or policy name as written unquoted in a set command (names are up to 63 characters). */
const junosName = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,62}$/,
    "a Junos name: a letter or digit, then up to 62 letters, digits, '.', '_', ':', '/' or '-'",
  );

/** An ASA ACL line number (`access-list NAME line N`) or IOS sequence number, from JSON (4) or a query string ("4"). */
const aclLine = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const n = typeof value === "number" ? value : /^\s*\d{1,10}\s*$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 2147483647) return n;
  ctx.addIssue({ code: "custom", message: "a line number from 1 to 2147483647" });
  return z.NEVER;
});

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
    targetAcl: aclName.optional(),
    targetLine: aclLine.optional(),
    targetAfter: z.union([z.literal(0), z.literal("0").transform(() => 0), aclLine]).optional(),
    targetFromZone: junosName.optional(),
    targetToZone: junosName.optional(),
    targetPolicy: junosName.optional(),
  })
  .superRefine((o, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (o.targetLine !== undefined && o.targetAcl === undefined)
      issue("targetLine", "a line number needs targetAcl, the ACL it is in");
    if (o.targetAfter !== undefined && o.targetLine === undefined)
      issue("targetAfter", "needs targetLine, the entry the rules go ahead of");
    else if (o.targetAfter !== undefined && o.targetLine !== undefined && o.targetAfter >= o.targetLine)
      issue("targetAfter", "must be below targetLine");
    if ((o.targetFromZone === undefined) !== (o.targetToZone === undefined))
      issue(o.targetFromZone === undefined ? "targetFromZone" : "targetToZone", "the zone pair needs both zones");
    if (o.targetPolicy !== undefined && (o.targetFromZone === undefined || o.targetToZone === undefined))
      issue("targetPolicy", "a policy needs targetFromZone and targetToZone, the zone pair it is in");
  })
  .transform((o): ExportOptions => {
    const { destination, targetAcl, targetLine, targetAfter, targetFromZone, targetToZone, targetPolicy, ...rest } = o;
    return {
      ...rest,
      ...(destination !== undefined ? { destination } : {}),
      ...(targetAcl !== undefined ? { targetAcl } : {}),
      ...(targetLine !== undefined ? { targetLine } : {}),
      ...(targetAfter !== undefined ? { targetAfter } : {}),
      ...(targetFromZone !== undefined ? { targetFromZone } : {}),
      ...(targetToZone !== undefined ? { targetToZone } : {}),
      ...(targetPolicy !== undefined ? { targetPolicy } : {}),
    };
  });

export type ExportOptionsInput = z.input<typeof exportOptionsSchema>;

/**
 * The export plan (lib/export/plan.ts: what survives the options, what is left out and why) rendered by the
 * format, or the plan's errors. Left-out prefixes come back as warnings.
 */
export function renderExport(
  formatId: ExportFormatId,
  source: CatalogSource,
  options: ExportOptions,
  opts: ExportSelectionOptions = {},
): RenderResult {
  return renderPlan(formatId, planExport(formatId, source, options, opts), options, opts.regions);
}

/** Renders a plan made with the same format and options. */
export function renderPlan(
  formatId: ExportFormatId,
  plan: ExportPlan,
  options: ExportOptions,
  regions: readonly string[] | undefined,
): RenderResult {
  if (plan.errors.length > 0) return { ok: false, errors: plan.errors };
  const base = exportBaseName(options.provider || "allowlist", regions, options.scope, formatId);
  const result = getExporter(formatId).render(plan.items, options, base);
  return result.ok ? { ...result, warnings: [...plan.warnings, ...result.warnings] } : result;
}
