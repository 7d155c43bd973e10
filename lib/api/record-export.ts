/**
 * Records a copy or download from the export panel. Nothing the browser says is taken on trust: the regions must be
 * the catalog's, the catalog version the current one, and the entry count is computed here — from the catalog for a
 * full export, from the firewall's head revision for a firewall's missing entries, and for a paste (which only the
 * browser holds) from the CIDRs it names that are catalog entries of those regions.
 */
import type { Session } from "../auth/permissions";
import type { CurrentCatalog } from "../db/catalog";
import type { Db } from "../db/client";
import { createExportRecord, type ExportRecordView } from "../db/export-record";
import { getFirewall } from "../db/firewall";
import { diff } from "../diff/engines/objects";
import { exportOptionsSchema } from "../export/prepare";
import { parseText } from "../parse/registry";
import type { FormatId } from "../parse/types";
import { countExportedEntries, storedExportOptions } from "../export/describe";
import type { recordExportSchema } from "../export/record-schema";
import type { z } from "zod";

export type RecordExportRequest = z.output<typeof recordExportSchema>;

export type RecordOutcome =
  | { readonly ok: true; readonly record: ExportRecordView }
  | { readonly ok: false; readonly message: string; readonly errors?: Readonly<Record<string, readonly string[]>> };

export async function recordPanelExport(
  db: Db,
  catalog: CurrentCatalog,
  session: Session,
  request: RecordExportRequest,
): Promise<RecordOutcome> {
  const known = new Set(catalog.regions.map((r) => r.code.toUpperCase()));
  const unknown = request.regions.filter((r) => !known.has(r));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `The export could not be recorded: ${unknown.slice(0, 5).join(", ")} ${unknown.length === 1 ? "is not a region" : "are not regions"} of the catalog.`,
      errors: { regions: ["unknown region"] },
    };
  }
  const regions = [...new Set(request.regions)];
  if (request.catalogVersion !== undefined && request.catalogVersion !== catalog.version.version) {
    return {
      ok: false,
      message: `The export could not be recorded: catalog version ${catalog.version.version} is now current; reload the page.`,
    };
  }
  const options = exportOptionsSchema.safeParse({ ...request.options, scope: request.scope });
  if (!options.success) return { ok: false, message: "The export could not be recorded: its options are invalid." };

  const inRegions = catalog.entries.filter((e) => regions.includes(e.region.toUpperCase()));
  let exported = inRegions;
  if (request.scope === "missing" && request.source === "firewall") {
    const firewall = request.firewallId === undefined ? null : await getFirewall(db, request.firewallId);
    if (firewall === null)
      return { ok: false, message: "The export could not be recorded: the firewall no longer exists." };
    const { head } = firewall;
    const result = diff(catalog, parseText(head.text, head.format as FormatId | "auto", { port: head.port }), {
      regions,
      port: head.port,
    });
    const gaps = new Set(result.published.filter((p) => p.status !== "covered").map((p) => p.entry));
    exported = inRegions.filter((e) => gaps.has(e));
  } else if (request.scope === "missing") {
    const named = new Set(request.cidrs ?? []);
    exported = inRegions.filter((e) => named.has(e.cidr));
  }
  const record = await createExportRecord(db, {
    format: request.format,
    scope: request.scope,
    options: JSON.stringify(storedExportOptions(options.data)),
    catalogVersion: catalog.version.version,
    provider: catalog.provider.slug,
    entryCount: countExportedEntries(request.format, exported, options.data, regions),
    regions,
    channel: request.channel,
    source: request.source,
    ...(request.firewallId === undefined ? {} : { firewallId: request.firewallId }),
    actor: session.actor,
    userId: session.userId,
  });
  return { ok: true, record };
}
