/**
 * The export plan: which published entries an export holds, what is left out and why, and the entry count —
 * computed once and read by the renderer (renderExport), the API's response headers, the export log and the
 * export panel's preview.
 *
 * The refusal policy, in one place:
 * - an error (nothing is rendered) for what the request cannot mean or the format cannot express: a catalog entry
 *   that is not a CIDR, nothing left to export, a scope or deployment the format lacks, and whatever the format's
 *   own render refuses (each listed, all at once);
 * - a warning (the rest is rendered) for prefixes left out because the format holds only the other family or they
 *   cannot reach an explicit destination of the other family, naming how many and why.
 */
import { catalogOf, entriesOfRegions, type CatalogSource, type ParsedEntry } from "../catalog/catalog";
import { aggregate } from "../ip/aggregate";
import { comparePrefix, maskPrefix, prefixContains } from "../ip/prefix";
import type { Family, Prefix } from "../ip/types";
import { getExporter } from "./registry";
import type { ExportFormatId, ExportItem, ExportOptions } from "./types";

export interface ExportSelectionOptions {
  /** Region codes, any case; undefined = all. */
  readonly regions?: readonly string[];
  /** Keeps only these entries (a missing delta); by identity of the published entry. */
  readonly only?: ReadonlySet<object>;
}

export interface LeftOut {
  readonly family: Family;
  /** Prefixes (after aggregation) left out. */
  readonly count: number;
  readonly reason: string;
}

export interface ExportPlan {
  /** Entries of the chosen regions and family that the format and destination can carry: what the files hold. */
  readonly entries: readonly ParsedEntry[];
  /** The address blocks handed to the format's render (aggregated or one per CIDR, IPv4 first). */
  readonly items: readonly ExportItem[];
  readonly leftOut: readonly LeftOut[];
  /** The left-out prefixes as warning sentences. */
  readonly warnings: readonly string[];
  /** Why nothing can be rendered; empty when the plan is renderable. */
  readonly errors: readonly string[];
  /** How many published entries the export holds (entries.length): the count the export log records. */
  readonly entryCount: number;
}

/** The published entries of the chosen regions (and `only`) and family, each with its masked prefix. */
function select(
  source: CatalogSource,
  options: Pick<ExportOptions, "family">,
  opts: ExportSelectionOptions,
): { entry: ParsedEntry; prefix: Prefix }[] {
  const selected: { entry: ParsedEntry; prefix: Prefix }[] = [];
  for (const entry of entriesOfRegions(catalogOf(source), opts.regions)) {
    if (opts.only !== undefined && !opts.only.has(entry.entry)) continue;
    const prefix = maskPrefix(entry.prefix);
    if (options.family !== "both" && String(prefix.address.family) !== options.family) continue;
    selected.push({ entry, prefix });
  }
  return selected;
}

/**
 * Aggregates the selection to the minimal CIDR cover (each output prefix carrying the regions/products of the
 * entries inside it) or keeps one item per distinct CIDR. Sorted IPv4 first.
 */
export function exportItems(
  selected: readonly { entry: ParsedEntry; prefix: Prefix }[],
  options: Pick<ExportOptions, "aggregate">,
): ExportItem[] {
  // Regions and products are listed in catalog order, not alphabetically or by address.
  const regionOrder = firstSeenOrder(selected.map((s) => [s.entry.entry.region]));
  const productOrder = firstSeenOrder(selected.map((s) => s.entry.entry.products));
  const outputs = options.aggregate
    ? aggregate(selected.map((s) => s.prefix))
    : distinct(selected.map((s) => s.prefix));
  const sorted = [...selected].sort((a, b) => comparePrefix(a.prefix, b.prefix));
  return outputs.map((prefix) => {
    const inside = sorted.filter((s) =>
      options.aggregate ? prefixContains(prefix, s.prefix.address) : comparePrefix(prefix, s.prefix) === 0,
    );
    return {
      prefix,
      regions: ordered(
        inside.map((s) => [s.entry.entry.region]),
        regionOrder,
      ),
      products: ordered(
        inside.map((s) => s.entry.entry.products),
        productOrder,
      ),
    };
  });
}

/** The plan of one export of `source` in `formatId`. Pure; never throws. */
export function planExport(
  formatId: ExportFormatId,
  source: CatalogSource,
  options: Pick<
    ExportOptions,
    | "family"
    | "aggregate"
    | "destination"
    | "scope"
    | "deployment"
    | "targetAcl"
    | "targetLine"
    | "targetAfter"
    | "targetFromZone"
    | "targetToZone"
    | "targetPolicy"
  >,
  opts: ExportSelectionOptions = {},
): ExportPlan {
  const catalog = catalogOf(source);
  const exporter = getExporter(formatId);
  if (catalog.rejected.length > 0) {
    const errors = catalog.rejected.map((r) => `invalid catalog CIDR "${r.entry.cidr}" (${r.entry.region})`);
    return { entries: [], items: [], leftOut: [], warnings: [], errors, entryCount: 0 };
  }
  const selected = select(catalog, options, opts);
  // A format that cannot restrict the destination refuses it itself; filter only where it applies.
  const destFamily = exporter.supports.destination ? options.destination?.address.family : undefined;
  const carried = (f: Family) =>
    exporter.supports.families.includes(f) && (destFamily === undefined || destFamily === f);
  const all = exportItems(selected, options);
  const items = all.filter((item) => carried(item.prefix.address.family));
  const entries = selected.filter((s) => carried(s.prefix.address.family)).map((s) => s.entry);

  const leftOut: LeftOut[] = [];
  for (const f of [4, 6] as const) {
    const count =
      all.filter((i) => i.prefix.address.family === f).length -
      items.filter((i) => i.prefix.address.family === f).length;
    if (count === 0) continue;
    const reason = exporter.supports.families.includes(f)
      ? `they cannot reach the IPv${destFamily} destination`
      : `${exporter.label} holds IPv${exporter.supports.families.join("/IPv")} only`;
    leftOut.push({ family: f, count, reason });
  }
  const warnings = leftOut.map(
    (l) => `${l.count} IPv${l.family} prefix${l.count === 1 ? "" : "es"} left out: ${l.reason}`,
  );

  const errors: string[] = [];
  if (items.length === 0) {
    errors.push(
      ...(warnings.length > 0
        ? warnings
        : ["nothing to export: no published entry matches the chosen regions and family"]),
    );
  } else {
    if (options.scope === "sync" && exporter.supports.sync !== true) {
      errors.push(
        `${exporter.label} cannot express the sync scope (removing what the vendor no longer publishes); use full or missing`,
      );
    }
    if (options.deployment === "dedicated" && exporter.supports.dedicated !== true) {
      errors.push(`${exporter.label} cannot express the dedicated deployment; use additive`);
    }
    if (options.targetAcl !== undefined && exporter.supports.target !== true) {
      errors.push(`${exporter.label} cannot add its rules to an existing ACL (targetAcl ${options.targetAcl})`);
    }
    if (options.targetFromZone !== undefined && exporter.supports.zoneTarget !== true) {
      errors.push(
        `${exporter.label} cannot add its rules to a zone pair's policies (targetFromZone ${options.targetFromZone})`,
      );
    }
  }
  if (options.targetAcl !== undefined)
    warnings.push(targetSentence(exporter.id, options.targetAcl, options.targetLine, options.targetAfter));
  if (options.targetFromZone !== undefined && options.targetToZone !== undefined)
    warnings.push(zoneTargetSentence(exporter.id, options.targetFromZone, options.targetToZone, options.targetPolicy));
  return { entries, items, leftOut, warnings: errors.length > 0 ? [] : warnings, errors, entryCount: entries.length };
}

/** Where the rules land in the admin's own bound list: stated with every targeted export. */
function targetSentence(
  format: ExportFormatId,
  acl: string,
  line: number | undefined,
  after: number | undefined,
): string {
  if (format === "terraform-aws")
    return `${format}: aws_security_group.${acl} has inline ingress blocks, which standalone aws_vpc_security_group_ingress_rule resources would conflict with (rules overwritten, perpetual differences): the delta is ingress blocks to add inside that resource`;
  if (format === "k8s")
    return `${format}: the NetworkPolicy is created in namespace ${acl}, whose pods the compared policies select (a policy selects pods of its own namespace only)`;
  if (format === "mikrotik")
    return `${format}: the accept rule goes into the existing filter chain ${acl}, ahead of its first rule (so of any drop in it)`;
  if (line === undefined)
    return `${format}: the rules are appended to the existing ACL ${acl}, after its last entry: they are met only if no entry above them denies them first`;
  const where =
    after === undefined
      ? `at line ${line}, ahead of the entry that held that line`
      : `numbered between its entries ${after} and ${line}, ahead of entry ${line}`;
  return `${format}: the rules go into the existing ACL ${acl} ${where} (the first that denies a missing entry), so they are met before it; nothing is bound or replaced`;
}

/** Where the policy lands among the zone pair's policies: stated with every targeted Junos export. */
function zoneTargetSentence(format: ExportFormatId, from: string, to: string, policy: string | undefined): string {
  const pair = `from-zone ${from} to-zone ${to}`;
  if (policy === undefined)
    return `${format}: the policy goes last in ${pair}, after its existing policies: it is met only if none of them denies the connection first`;
  return `${format}: the policy goes into ${pair} and insert moves it before policy ${policy} (the first that denies a missing entry), so it is met before it; nothing else moves`;
}

/** The items of the chosen regions and family, before the format is considered (see exportItems). */
export function selectExportItems(
  source: CatalogSource,
  options: Pick<ExportOptions, "family" | "aggregate">,
  opts: ExportSelectionOptions = {},
): ExportItem[] {
  return exportItems(select(source, options, opts), options);
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
