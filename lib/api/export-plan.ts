// One export request, validated and rendered: shared by the REST API and the CLI so both accept exactly the same
// inputs and word errors the same way. Pure (no database): callers pass the catalog and record the result.
import { parseRegionList } from "../catalog/regions";
import type { PublishedEntry } from "../catalog/types";
import { catalogOf, entriesOfRegions, type CatalogSource } from "../catalog/catalog";
import { missingDelta } from "../diff/missing";
import { withBlockingDenies, withDeltaTarget } from "../export/input-format";
import { planExport } from "../export/plan";
import { exportFormatIds } from "../export/registry";
import { exportOptionsSchema, renderPlan } from "../export/prepare";
import type { ExportFile, ExportFormatId, ExportOptions } from "../export/types";
import { formatIds as parseFormatIds, isFormatId as isParseFormatId, parseText } from "../parse/registry";
import { zodIssues, type ApiIssue } from "./errors";
import { catalogLabelOf, isExportFormatId } from "../export/describe";

/** Option names a caller may send (query string, JSON body, CLI flags mapped to them). */
export const exportOptionKeys = [
  "ports",
  "protocol",
  "destination",
  "namePrefix",
  "comments",
  "aggregate",
  "family",
  "scope",
  "deployment",
  "nftFamily",
  "nftTable",
  "nftChain",
  "targetAcl",
  "targetLine",
  "targetAfter",
  "targetFromZone",
  "targetToZone",
  "targetPolicy",
] as const;

/** The catalog (parsed once, see buildCatalog) with what export comments name it by. */
export interface PlanCatalog {
  readonly providerName: string;
  readonly version: number;
  readonly checksum: string;
  /** Every region the provider has (a region may have no entry in this version). */
  readonly regionCodes: readonly string[];
  readonly catalog: CatalogSource;
}

export interface PlanRequest {
  readonly format: unknown;
  /** "us,eu", ["US","EU"], "all" or absent (all regions, or the fallback). */
  readonly regions: unknown;
  /** Used when `regions` is absent, e.g. the regions a saved firewall was checked for. */
  readonly fallbackRegions?: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
  /** Present for a missing-only export: the list to compare with, and its parser format ("auto" when absent). */
  readonly missingFrom?: { readonly text: string; readonly format?: unknown };
  /** Size limit of that list; the 20 MB paste limit by default (the CLI reading a file lifts it). */
  readonly maxBytes?: number;
}

export type ExportRequestPlan =
  | {
      readonly ok: true;
      readonly format: ExportFormatId;
      readonly options: ExportOptions;
      readonly regions: readonly string[];
      /** The published entries exported: all of the regions, or those the compared list does not fully cover. */
      readonly entries: readonly PublishedEntry[];
      /** How many published entries the files hold (the export plan's count); 0 with no files when nothing is missing. */
      readonly entryCount: number;
      readonly files: readonly ExportFile[];
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly message: string; readonly issues: readonly ApiIssue[] };

function fail(message: string, issues: readonly ApiIssue[]): ExportRequestPlan {
  return { ok: false, message, issues };
}

export function planExportRequest(planCatalog: PlanCatalog, request: PlanRequest): ExportRequestPlan {
  const issues: ApiIssue[] = [];
  const format = typeof request.format === "string" ? request.format.trim().toLowerCase() : undefined;
  if (format === undefined || !isExportFormatId(format)) {
    issues.push({
      path: "format",
      message: `${format === undefined || format === "" ? "required" : `unknown format "${format}"`}: one of ${exportFormatIds.join(", ")}`,
    });
  }

  let regionsText: string | undefined;
  if (Array.isArray(request.regions) && request.regions.every((r) => typeof r === "string"))
    regionsText = request.regions.join(",");
  else if (typeof request.regions === "string") regionsText = request.regions;
  else if (request.regions !== undefined)
    issues.push({ path: "regions", message: 'a comma list of region codes such as "us,eu", or "all"' });
  else if (request.fallbackRegions !== undefined && request.fallbackRegions.length > 0)
    regionsText = request.fallbackRegions.join(",");
  const choice = parseRegionList(regionsText, planCatalog.regionCodes);
  if (!choice.ok) {
    issues.push({
      path: "regions",
      message: `unknown region ${choice.unknown.map((u) => `"${u}"`).join(", ")} (known: ${planCatalog.regionCodes.join(", ")}, or all)`,
    });
  } else if (choice.regions.length === 0) {
    issues.push({ path: "regions", message: "no region chosen" });
  }

  // "missing" is implied by a compared list; "sync" is asked for (and makes no sense with a compared list).
  const asked = request.options.scope;
  if (
    asked !== undefined &&
    asked !== "full" &&
    asked !== "sync" &&
    !(asked === "missing" && request.missingFrom !== undefined)
  ) {
    issues.push({
      path: "scope",
      message:
        asked === "missing" ? "a missing-only export needs the list to compare with (missingFrom)" : "full or sync",
    });
  } else if (asked === "sync" && request.missingFrom !== undefined) {
    issues.push({
      path: "scope",
      message: "sync exports the whole selection; it does not take a list to compare with",
    });
  }
  const scope = request.missingFrom !== undefined ? "missing" : asked === "sync" ? "sync" : "full";
  const parsedOptions = exportOptionsSchema.safeParse({
    ...request.options,
    scope,
    provider: planCatalog.providerName,
    catalogLabel: catalogLabelOf(planCatalog.providerName, planCatalog.version, planCatalog.checksum),
  });
  if (!parsedOptions.success) issues.push(...zodIssues(parsedOptions.error.issues));

  let listFormat: string | undefined;
  if (request.missingFrom !== undefined) {
    const f = request.missingFrom.format;
    listFormat = f === undefined || f === null || f === "" ? "auto" : typeof f === "string" ? f : "";
    if (listFormat !== "auto" && !isParseFormatId(listFormat)) {
      issues.push({ path: "missingFrom.format", message: `must be auto or one of ${parseFormatIds.join(", ")}` });
    }
  }

  if (issues.length > 0 || !parsedOptions.success || !choice.ok || format === undefined || !isExportFormatId(format)) {
    return fail(
      `Invalid export request: ${issues
        .map((i) => i.path)
        .filter((p, i, all) => all.indexOf(p) === i)
        .join(", ")}.`,
      issues,
    );
  }
  let options = parsedOptions.data;
  const regions = choice.regions;

  const catalog = catalogOf(planCatalog.catalog);
  let only: ReadonlySet<object> | undefined;
  if (request.missingFrom !== undefined) {
    const parsed = parseText(request.missingFrom.text, listFormat as Parameters<typeof parseText>[1], {
      ...(request.maxBytes === undefined ? {} : { maxBytes: request.maxBytes }),
    });
    // Coverage is decided per port: an entry is missing when any port of the export is not allowed for it.
    const delta = missingDelta(catalog, parsed, { regions, ports: options.ports, protocol: options.protocol });
    only = delta.entries;
    options = withDeltaTarget(options, format, parsed.format, delta.target);
    options = withBlockingDenies(options, format, parsed, delta.denies);
    if (only.size === 0) {
      return { ok: true, format, options, regions, entries: [], entryCount: 0, files: [], warnings: [] };
    }
  }

  const plan = planExport(format, catalog, options, { regions, ...(only === undefined ? {} : { only }) });
  const rendered = renderPlan(format, plan, options, regions);
  if (!rendered.ok) {
    return fail(
      `The ${format} export cannot express this request.`,
      rendered.errors.map((message) => ({ message })),
    );
  }
  return {
    ok: true,
    format,
    options,
    regions,
    entries: entriesOfRegions(catalog, regions)
      .filter((p) => only === undefined || only.has(p.entry))
      .map((p) => p.entry),
    entryCount: plan.entryCount,
    files: rendered.files,
    warnings: rendered.warnings,
  };
}
